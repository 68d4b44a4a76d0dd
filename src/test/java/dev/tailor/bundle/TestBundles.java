package dev.tailor.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.util.unit.DataSize;

/** Uploads test bundles without HTTP, through the real normaliser, for tests of later stages. */
public final class TestBundles {

    private TestBundles() {
    }

    public static BundleLimits defaultLimits() {
        return new BundleLimits(DataSize.ofMegabytes(64), 4096, DataSize.ofMegabytes(16), DataSize.ofMegabytes(128),
                100, DataSize.ofMegabytes(1), DataSize.ofKilobytes(64));
    }

    public static BundleDocument ingest(BundleService service, String app, Archives archive) {
        try {
            Path tmp = Files.createTempFile("tailor-bundle", ".tar");
            try {
                Files.write(tmp, archive.tar());
                return service.ingest(app, tmp, ArchiveFormat.TAR).bundle();
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
