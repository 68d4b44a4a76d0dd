package dev.tailor.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.tailor.store.Directories;

/**
 * Where a worker keeps its build directories: {@code <root>/<pid>-<n>}, one per worker in a process, so workers
 * sharing a data directory (several processes, or several application contexts in one test JVM) never empty each
 * other's builds. What a dead process left behind is deleted when the next worker claims its directory.
 */
final class BuildDirectories {

    private static final AtomicInteger CLAIMED = new AtomicInteger();

    private BuildDirectories() {
    }

    static Path claim(Path root) {
        long pid = ProcessHandle.current().pid();
        try {
            Files.createDirectories(root);
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(d -> !alive(d.getFileName().toString())).forEach(Directories::delete);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare " + root, e);
        }
        return root.resolve(pid + "-" + CLAIMED.incrementAndGet());
    }

    /** A directory of a live process; anything else (a dead one's, a stray file) is a leftover. */
    private static boolean alive(String name) {
        int dash = name.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? name : name.substring(0, dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
