package dev.tailor.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs an app directory into a {@code .tar.gz} that depends only on the files' paths and bytes: entries sorted by
 * path, every time stamp 0, owner 0:0, mode 0644, no directory entries, and a gzip header without a time. Version
 * control directories are left out. Symbolic links and other special files are refused here, as the service would.
 */
final class Packer {

    private static final Set<String> SKIPPED = Set.of(".git", ".hg", ".svn");

    record Packed(byte[] archive, int files) {
    }

    static Packed pack(Path dir) {
        if (!Files.isRegularFile(dir.resolve("tailor.yaml"))) {
            throw new CliException(CliException.USAGE, dir + " has no tailor.yaml: is it an app directory?");
        }
        List<Path> files = files(dir);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path file : files) {
                TarArchiveEntry e = new TarArchiveEntry(name(dir, file), true);
                e.setSize(Files.size(file));
                e.setMode(0100644);
                e.setModTime(0);
                e.setUserId(0);
                e.setGroupId(0);
                e.setUserName("");
                e.setGroupName("");
                tar.putArchiveEntry(e);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot pack " + dir + ": " + e.getMessage());
        }
        return new Packed(bytes.toByteArray(), files.size());
    }

    private static List<Path> files(Path dir) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !p.equals(dir)).filter(p -> !skipped(dir, p)).forEach(p -> {
                if (Files.isSymbolicLink(p)) {
                    throw new CliException(CliException.USAGE, "cannot pack the symbolic link " + dir.relativize(p)
                            + ": bundles hold regular files only");
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new CliException(CliException.USAGE, "cannot pack the special file " + dir.relativize(p));
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new CliException(CliException.USAGE, "cannot read " + dir + ": " + e.getMessage());
        }
        files.sort((a, b) -> name(dir, a).compareTo(name(dir, b)));
        return files;
    }

    private static boolean skipped(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (SKIPPED.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    private static String name(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }
}
