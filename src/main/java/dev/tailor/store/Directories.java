package dev.tailor.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deleting directory trees on local disk (work directories, temporary copies, the data directory's scratch space),
 * for every package that makes them. Best effort: a file that cannot go is left and the rest still goes, and the
 * answer says whether anything was left. Symbolic links are deleted, never followed, so a link a hostile bundle
 * planted cannot reach outside the tree.
 */
public final class Directories {

    private Directories() {
    }

    /** Deletes {@code dir} and everything under it; true when nothing of it is left (also when it never was). */
    public static boolean delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        return deleteUnder(dir, true);
    }

    /** Deletes everything under {@code dir} and keeps it; true when it is an empty directory now. */
    public static boolean empty(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return deleteUnder(dir, false);
    }

    private static boolean deleteUnder(Path root, boolean andRoot) {
        boolean[] left = {false};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    remove(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    left[0] = true;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    if (andRoot || !d.equals(root)) {
                        remove(d);
                    }
                    return FileVisitResult.CONTINUE;
                }

                private void remove(Path p) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        left[0] = true;
                    }
                }
            });
        } catch (IOException e) {
            return false;
        }
        return !left[0];
    }
}
