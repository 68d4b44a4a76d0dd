package dev.tailor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    protected BlobStore newStore() {
        return new FileSystemBlobStore(dir.resolve("blobs"));
    }

    @Test
    void localFile_pointsAtTheStoredBytes() throws Exception {
        store.put("images/x", stream("image"));
        Path file = store.localFile("images/x").orElseThrow();
        assertThat(Files.readString(file)).isEqualTo("image");
        assertThat(store.localFile("images/missing")).isEmpty();
    }

    @Test
    void getFromAnOffset_skipsTheHead_andPastTheEndIsEmpty() throws Exception {
        store.put("ranged", stream("0123456789"));
        try (var in = store.get("ranged", 7).orElseThrow()) {
            assertThat(new String(in.readAllBytes())).isEqualTo("789");
        }
        try (var in = store.get("ranged", 11).orElseThrow()) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        assertThat(store.get("missing", 3)).isEmpty();
    }

    @Test
    void halfWrittenTempFilesFromACrash_areInvisible_andRemovedAtStart() throws Exception {
        Path tmp = dir.resolve("blobs/.tmp/3f2a-crashed-write");
        Files.writeString(tmp, "partial");
        assertThat(store.list("")).isEmpty();
        new FileSystemBlobStore(dir.resolve("blobs"));
        assertThat(tmp).doesNotExist();
    }
}
