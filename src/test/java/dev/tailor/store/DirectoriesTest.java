package dev.tailor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {

    @TempDir
    Path tmp;

    @Test
    void delete_removesTheWholeTree_butNeverFollowsALinkOutOfIt() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("file.c"), "int x;");
        Files.createSymbolicLink(tmp.resolve("tree/a/link"), outside);
        Files.createSymbolicLink(tmp.resolve("tree/dirlink"), tmp);

        assertThat(Directories.delete(tmp.resolve("tree"))).isTrue();

        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("keep");
    }

    @Test
    void delete_ofNothing_isDone() {
        assertThat(Directories.delete(tmp.resolve("never-made"))).isTrue();
    }

    @Test
    void empty_keepsTheDirectory_andRemovesWhatIsUnderIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("work/src/sub"));
        Files.writeString(dir.resolve("main.c"), "int main(void) { return 0; }");

        assertThat(Directories.empty(tmp.resolve("work"))).isTrue();

        assertThat(tmp.resolve("work")).isEmptyDirectory();
        assertThat(Directories.empty(tmp.resolve("missing"))).as("not a directory to empty").isFalse();
    }
}
