package dev.tailor.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a canonical bundle tar. The bundle was checked on upload, but the worker may read a store others write:
 * it checks again that every entry stays inside the directory and is a plain file or directory.
 */
final class BundleUnpacker {

    private BundleUnpacker() {
    }

    /** @return the number of files written */
    static int unpack(InputStream tar, Path dir, long maxBytes) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        long total = 0;
        int files = 0;
        try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path p = root.resolve(e.getName()).normalize();
                if (!p.startsWith(root) || e.getName().startsWith("/")) {
                    throw new IOException("bundle entry outside the bundle: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else if (e.isFile()) {
                    total += e.getSize();
                    if (total > maxBytes) {
                        throw new IOException("bundle larger than " + maxBytes + " bytes unpacked");
                    }
                    Files.createDirectories(p.getParent());
                    Files.copy(in, p);
                    files++;
                }
                // links and special files never reach a canonical bundle; skip rather than trust them
            }
        }
        return files;
    }
}
