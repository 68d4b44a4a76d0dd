package dev.tailor.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import dev.tailor.problem.TailorException;

class BundleNormalizerTest {

    static final BundleLimits LIMITS = new BundleLimits(DataSize.ofMegabytes(64), 50, DataSize.ofMegabytes(2),
            DataSize.ofMegabytes(8), 100, DataSize.ofMegabytes(1), DataSize.ofKilobytes(64));

    @TempDir
    Path dir;
    int n;

    BundleNormalizer.Normalized normalize(byte[] archive, ArchiveFormat format) throws IOException {
        Path file = dir.resolve("upload" + n++);
        Files.write(file, archive);
        return new BundleNormalizer(LIMITS).normalize(file, format, "hello", dir.resolve("work" + n));
    }

    String rejection(byte[] archive, ArchiveFormat format) {
        try {
            normalize(archive, format);
        } catch (TailorException e) {
            return e.code();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted a bad archive");
    }

    @Test
    void sameFiles_repackedAsZipTarAndTarGz_inAnyOrderAndWithAnyTimes_giveOneDigest() throws IOException {
        Archives a = Archives.hello("hello").file("src/util.c", "int util;\n").file("README", "hi\n");
        Archives b = Archives.of().fileAt("./README", "hi\n", 5).fileAt("src/util.c", "int util;\n", 99)
                .fileAt("src//main.c", "int main(void) { return 0; }\n", 7)
                .fileAt("tailor.yaml", "name: hello\nversion: 1.0.0\nsources: [src/*.c]\n", 1);
        var tarGz = normalize(a.tarGz(), ArchiveFormat.TAR_GZ);
        assertThat(normalize(a.zip(), ArchiveFormat.ZIP).digest()).isEqualTo(tarGz.digest());
        assertThat(normalize(b.tar(), ArchiveFormat.TAR).digest()).isEqualTo(tarGz.digest());
        assertThat(normalize(b.reversed().zip(), ArchiveFormat.ZIP).digest()).isEqualTo(tarGz.digest());
        assertThat(tarGz.files()).containsOnlyKeys("README", "src/main.c", "src/util.c", "tailor.yaml");
    }

    @Test
    void differentContent_givesADifferentDigest() throws IOException {
        var one = normalize(Archives.hello("hello").tar(), ArchiveFormat.TAR);
        var two = normalize(Archives.hello("hello").file("extra.txt", "x").tar(), ArchiveFormat.TAR);
        assertThat(one.digest()).isNotEqualTo(two.digest());
    }

    @Test
    void aSingleWrappingDirectory_isStripped() throws IOException {
        var plain = normalize(Archives.hello("hello").tar(), ArchiveFormat.TAR);
        var wrapped = normalize(Archives.of().file("hello-1.0/tailor.yaml",
                "name: hello\nversion: 1.0.0\nsources: [src/*.c]\n")
                .file("hello-1.0/src/main.c", "int main(void) { return 0; }\n").tarGz(), ArchiveFormat.TAR_GZ);
        assertThat(wrapped.digest()).isEqualTo(plain.digest());
    }

    @Test
    void canonicalTar_hasZeroTimesOwnersAndSortedNames() throws IOException {
        var n = normalize(Archives.hello("hello").reversed().zip(), ArchiveFormat.ZIP);
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(n.tar()))) {
            TarArchiveEntry e1 = in.getNextEntry();
            TarArchiveEntry e2 = in.getNextEntry();
            assertThat(e1.getName()).isEqualTo("src/main.c");
            assertThat(e2.getName()).isEqualTo("tailor.yaml");
            assertThat(e1.getModTime().getTime()).isZero();
            assertThat(e1.getLongUserId()).isZero();
            assertThat(e1.getMode() & 0777).isEqualTo(0644);
        }
    }

    @Test
    void pathTraversal_isRejected_inEveryForm() {
        for (String name : new String[] {"../evil.c", "src/../../evil.c", "/etc/evil.c", "C:/evil.c", "c:evil.c"}) {
            byte[] tar = Archives.hello("hello").file(name, "x").tar();
            assertThat(rejection(tar, ArchiveFormat.TAR)).as(name).isEqualTo("bundle.path_traversal");
            byte[] zip = Archives.hello("hello").file(name, "x").zip();
            assertThat(rejection(zip, ArchiveFormat.ZIP)).as(name).isEqualTo("bundle.path_traversal");
        }
    }

    @Test
    void links_andDevices_areRejected() {
        assertThat(rejection(Archives.hello("hello").special("src/pw.c", Archives.Kind.SYMLINK).tar(),
                ArchiveFormat.TAR)).isEqualTo("bundle.symlink");
        assertThat(rejection(Archives.hello("hello").special("src/pw.c", Archives.Kind.SYMLINK).zip(),
                ArchiveFormat.ZIP)).isEqualTo("bundle.symlink");
        assertThat(rejection(Archives.hello("hello").special("src/x.c", Archives.Kind.HARDLINK).tar(),
                ArchiveFormat.TAR)).isEqualTo("bundle.hardlink");
        assertThat(rejection(Archives.hello("hello").special("dev/null", Archives.Kind.CHAR_DEVICE).tar(),
                ArchiveFormat.TAR)).isEqualTo("bundle.special_file");
        assertThat(rejection(Archives.hello("hello").special("fifo", Archives.Kind.FIFO).tar(),
                ArchiveFormat.TAR)).isEqualTo("bundle.special_file");
        assertThat(rejection(Archives.hello("hello").special("fifo", Archives.Kind.FIFO).zip(),
                ArchiveFormat.ZIP)).isEqualTo("bundle.special_file");
    }

    @Test
    void duplicateEntries_areRejected_evenWhenSpelledDifferently() {
        assertThat(rejection(Archives.hello("hello").file("src/main.c", "again").tar(), ArchiveFormat.TAR))
                .isEqualTo("bundle.duplicate_entry");
        assertThat(rejection(Archives.hello("hello").file("./src/main.c", "again").zip(), ArchiveFormat.ZIP))
                .isEqualTo("bundle.duplicate_entry");
        assertThat(rejection(Archives.hello("hello").file("src", "a file where a directory is").tar(),
                ArchiveFormat.TAR)).isEqualTo("bundle.duplicate_entry");
    }

    @Test
    void tooManyEntries_isRejected() {
        Archives a = Archives.hello("hello");
        for (int i = 0; i < 60; i++) {
            a.file("f" + i + ".txt", "x");
        }
        assertThat(rejection(a.tarGz(), ArchiveFormat.TAR_GZ)).isEqualTo("bundle.too_many_entries");
    }

    @Test
    void oversizedFile_andOversizedTotal_areRejected() {
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(1).nextBytes(big);
        assertThat(rejection(Archives.hello("hello").file("blob.bin", big).tar(), ArchiveFormat.TAR))
                .isEqualTo("bundle.file_too_large");
        Archives many = Archives.hello("hello");
        for (int i = 0; i < 5; i++) {
            byte[] part = new byte[1900 * 1024];
            new Random(i).nextBytes(part);
            many.file("part" + i, part);
        }
        assertThat(rejection(many.tar(), ArchiveFormat.TAR)).isEqualTo("bundle.too_large");
    }

    @Test
    void compressionBomb_isStoppedWhileStreaming_inTarGzAndZip() throws IOException {
        // 1 GiB of zeros would take ~1 MiB compressed; stream it lazily so the test itself stays small.
        Path bomb = dir.resolve("bomb.tgz");
        try (var out = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(bomb)))) {
            TarArchiveEntry e = new TarArchiveEntry("tailor.yaml");
            byte[] manifest = "name: hello\nversion: 1\nsources: [a.c]\n".getBytes(StandardCharsets.UTF_8);
            e.setSize(manifest.length);
            out.putArchiveEntry(e);
            out.write(manifest);
            out.closeArchiveEntry();
            TarArchiveEntry z = new TarArchiveEntry("zeros.c");
            z.setSize(1L << 30);
            out.putArchiveEntry(z);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {
                out.write(zeros);
            }
            out.closeArchiveEntry();
        }
        assertThat(rejection(Files.readAllBytes(bomb), ArchiveFormat.TAR_GZ)).isEqualTo("bundle.compression_bomb");
        byte[] zeros = new byte[1536 * 1024];
        assertThat(rejection(Archives.hello("hello").file("zeros.bin", zeros).zip(), ArchiveFormat.ZIP))
                .isEqualTo("bundle.compression_bomb");
        // nothing of the bomb's inflated size was staged
        try (var files = Files.walk(dir)) {
            long staged = files.filter(Files::isRegularFile).filter(p -> p.toString().contains("work"))
                    .mapToLong(p -> p.toFile().length()).sum();
            assertThat(staged).isLessThan(8L * 1024 * 1024);
        }
        // stops early, not after inflating 1 GiB: the same bomb cut off halfway is still refused as a bomb, where an
        // archive read to its cut is refused as cut short; so the reading stopped long before the half
        byte[] whole = Files.readAllBytes(bomb);
        assertThat(rejection(Arrays.copyOf(whole, whole.length / 2), ArchiveFormat.TAR_GZ))
                .isEqualTo("bundle.compression_bomb");
        byte[] hello = Archives.hello("hello").tarGz();
        assertThat(rejection(Arrays.copyOf(hello, hello.length / 2), ArchiveFormat.TAR_GZ))
                .isNotEqualTo("bundle.compression_bomb");
    }

    @Test
    void badNames_areRejected() {
        assertThat(rejection(Archives.hello("hello").file("src/caf\u00e9.c", "x").nameCharset(StandardCharsets.ISO_8859_1)
                .tar(), ArchiveFormat.TAR)).isEqualTo("bundle.bad_name");
        assertThat(rejection(Archives.hello("hello").file("src/caf\u00e9.c", "x").nameCharset(StandardCharsets.ISO_8859_1)
                .zip(), ArchiveFormat.ZIP)).isEqualTo("bundle.bad_name");
        assertThat(rejection(Archives.hello("hello").file("src/a\u0007b.c", "x").tar(), ArchiveFormat.TAR))
                .isEqualTo("bundle.bad_name");
        assertThat(rejection(Archives.hello("hello").file("src\\win.c", "x").tar(), ArchiveFormat.TAR))
                .isEqualTo("bundle.bad_name");
    }

    @Test
    void utf8Names_areAccepted_inTarAndZip() throws IOException {
        var tar = normalize(Archives.hello("hello").file("docs/caf\u00e9-\u65e5\u672c.txt", "x").tar(), ArchiveFormat.TAR);
        var zip = normalize(Archives.hello("hello").file("docs/caf\u00e9-\u65e5\u672c.txt", "x").zip(), ArchiveFormat.ZIP);
        assertThat(tar.files()).containsKey("docs/caf\u00e9-\u65e5\u672c.txt");
        assertThat(zip.digest()).isEqualTo(tar.digest());
    }

    @Test
    void manifestProblems_haveTheirOwnCodes() {
        assertThat(rejection(Archives.of().file("src/main.c", "int main;").tar(), ArchiveFormat.TAR))
                .isEqualTo("manifest.missing");
        assertThat(rejection(Archives.of().file("tailor.yaml", "name: [unclosed").file("a.c", "").tar(),
                ArchiveFormat.TAR)).isEqualTo("manifest.malformed");
        assertThat(rejection(Archives.of().file("tailor.yaml", "name: other\nversion: 1\nsources: [a.c]\n")
                .file("a.c", "").tar(), ArchiveFormat.TAR)).isEqualTo("manifest.name_mismatch");
        assertThat(rejection(Archives.of().file("tailor.yaml", "name: hello\nversion: 1\nsources: [src/*.c]\n")
                .file("a.c", "").tar(), ArchiveFormat.TAR)).isEqualTo("manifest.sources_unmatched");
        assertThat(rejection(Archives.of().file("tailor.yaml", "name: hello\nversion: 1\nsources: [a.c]\nsauce: 1\n")
                .file("a.c", "").tar(), ArchiveFormat.TAR)).isEqualTo("manifest.invalid");
        assertThat(rejection(Archives.of().file("tailor.yaml", "name: hello\nversion: 1\nsources: ['*']\n")
                .file("a.c", "").tar(), ArchiveFormat.TAR)).isEqualTo("manifest.invalid");
    }

    @Test
    void garbage_andTruncatedArchives_areUnreadable() {
        byte[] tgz = Archives.hello("hello").tarGz();
        assertThat(rejection(java.util.Arrays.copyOf(tgz, tgz.length / 2), ArchiveFormat.TAR_GZ))
                .isEqualTo("bundle.unreadable");
        byte[] zip = Archives.hello("hello").zip();
        assertThat(rejection(java.util.Arrays.copyOf(zip, zip.length - 30), ArchiveFormat.ZIP))
                .isEqualTo("bundle.unreadable");
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        noise[0] = 0x1f;
        noise[1] = (byte) 0x8b;
        assertThat(rejection(noise, ArchiveFormat.TAR_GZ)).isEqualTo("bundle.unreadable");
    }

    @Test
    void emptyArchive_isRejected() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TarArchiveOutputStream(out).close();
        assertThat(rejection(out.toByteArray(), ArchiveFormat.TAR)).isEqualTo("bundle.empty");
    }
}
