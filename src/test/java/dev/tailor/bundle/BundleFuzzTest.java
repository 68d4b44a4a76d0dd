package dev.tailor.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.springframework.util.unit.DataSize;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tailor.problem.TailorException;
import dev.tailor.store.Digest;
import dev.tailor.store.Directories;

/**
 * Coverage-guided fuzzing of the archive reader and normaliser (tar, gzip, zip), as an upload of
 * {@code application/octet-stream} reaches it: the format is sniffed from the magic bytes, and anything else is read
 * as a tar (old tars have no magic). Limits are small, so the fuzzer reaches each of them. Either the bundle is
 * refused with a documented 4xx problem, or its canonical tar stays within every limit and holds only regular files
 * under clean relative names (notes/fuzzing.md).
 */
class BundleFuzzTest {

    static final BundleLimits LIMITS = new BundleLimits(DataSize.ofKilobytes(256), 16, DataSize.ofKilobytes(8),
            DataSize.ofKilobytes(32), 100, DataSize.ofKilobytes(4), DataSize.ofKilobytes(2));

    private static final Path DIR;

    static {
        try {
            // in memory where there is a tmpfs: every input is written, staged and re-read
            Path shm = Path.of("/dev/shm");
            DIR = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "tailor-bundle-fuzz") : Files.createTempDirectory("tailor-bundle-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Directories.delete(DIR)));
    }

    @FuzzTest(maxDuration = "10s")
    void normalize(byte[] archive) throws IOException {
        ArchiveFormat format = ArchiveFormat.sniff(archive, archive.length).orElse(ArchiveFormat.TAR);
        Path upload = DIR.resolve("upload");
        Path work = DIR.resolve("work");
        Files.write(upload, archive);
        try {
            BundleNormalizer.Normalized n = new BundleNormalizer(LIMITS).normalize(upload, format, "hello", work);
            check(n);
        } catch (TailorException e) {
            assertThat(e.problem().status() / 100).as("a 4xx problem, not " + e.getMessage()).isEqualTo(4);
        } finally {
            Directories.delete(work);
        }
    }

    private static void check(BundleNormalizer.Normalized n) throws IOException {
        assertThat(n.files()).containsKey(Manifest.FILE).hasSizeLessThanOrEqualTo(LIMITS.maxEntries());
        long total = 0;
        for (Map.Entry<String, Long> f : n.files().entrySet()) {
            String name = f.getKey();
            assertThat(name).isNotEmpty().hasSizeLessThanOrEqualTo(1024).doesNotStartWith("/").doesNotContain("\\");
            assertThat(name.split("/", -1)).doesNotContain("..", ".", "");
            assertThat(name.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).as("no control characters").isTrue();
            assertThat(f.getValue()).isBetween(0L, LIMITS.maxFile().toBytes());
            total += f.getValue();
        }
        assertThat(total).isLessThanOrEqualTo(LIMITS.maxTotal().toBytes());
        assertThat(n.manifest().name()).isEqualTo("hello");
        assertThat(Files.size(n.tar())).isEqualTo(n.size());
        assertThat(n.digest()).isEqualTo(Digest.of(Digest.sha256()
                .digest(Files.readAllBytes(n.tar()))));
        // the canonical tar holds exactly these regular files, in this order, and nothing else
        List<String> names = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(n.tar()));
             TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                assertThat(e.isFile()).as(e.getName() + " is a regular file").isTrue();
                assertThat(e.isSymbolicLink() || e.isLink()).isFalse();
                assertThat(e.getSize()).isEqualTo(n.files().get(e.getName()));
                assertThat(e.getMode()).isEqualTo(0100644);
                names.add(e.getName());
            }
        }
        assertThat(names).containsExactlyElementsOf(n.files().keySet());
    }
}
