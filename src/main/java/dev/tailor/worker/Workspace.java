package dev.tailor.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.Stream;

import dev.tailor.store.Directories;
import dev.tailor.toolchain.LocalCommandRunner;

/**
 * One build's private directory, {@code src} (the bundle, read-only inside) and {@code out} (writable), and the
 * bubblewrap sandboxes bound to it. A sandbox is started before its command is known: inside, a shell sets the
 * limits and waits for one command line on its input, then execs it. Starting bubblewrap (namespaces, mounts) and
 * the JVM's process spawn cost about 5 ms a command; sandboxes started ahead of the build, while the worker is idle,
 * take that off the build's path.
 *
 * <p>Each sandbox runs exactly one command and is gone with it; a workspace is reused only after it was emptied,
 * and the sandboxes started for it see nothing of the builds before (only its two directories, {@code /usr} and
 * the runtime cache, read-only).
 */
final class Workspace {

    static final String SRC = "/src";
    static final String OUT = "/out";
    static final String CACHE = "/tailor/cache";

    final Path src;
    final Path out;
    private final Path dir;
    /** The output files of the sandboxes, outside of them: a crash leaves them where the next start deletes them. */
    private final Path io;
    private final SandboxLimits limits;
    /** Host path to sandbox path, longest host path first, so nested directories map before their parents. */
    private final Map<String, String> mounts = new LinkedHashMap<>();
    private final LocalCommandRunner local = new LocalCommandRunner();
    private final Deque<LocalCommandRunner.Started> ready = new ConcurrentLinkedDeque<>();

    /** @param dir holds {@code src} and {@code out}; it is the directory a discarded workspace deletes */
    Workspace(Path dir, Path src, Path out, Path cache, SandboxLimits limits) {
        this.dir = dir.toAbsolutePath().normalize();
        this.io = this.dir.resolve("io");
        this.src = src.toAbsolutePath().normalize();
        this.out = out.toAbsolutePath().normalize();
        this.limits = limits;
        List<Map.Entry<String, String>> m = new ArrayList<>(List.of(Map.entry(this.src.toString(), SRC),
                Map.entry(this.out.toString(), OUT), Map.entry(cache.toAbsolutePath().normalize().toString(), CACHE)));
        m.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        m.forEach(e -> mounts.put(e.getKey(), e.getValue()));
    }

    /** A new workspace in {@code dir}, with empty {@code src} and {@code out}. */
    static Workspace create(Path dir, Path cache, SandboxLimits limits) throws IOException {
        Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(dir.resolve("out"));
        Files.createDirectories(dir.resolve("io"));
        return new Workspace(dir, dir.resolve("src"), dir.resolve("out"), cache, limits);
    }

    /** Host paths to sandbox paths, anywhere in an argument ({@code -ffile-prefix-map=<host>=.} included). */
    String map(String arg) {
        String s = arg;
        for (Map.Entry<String, String> m : mounts.entrySet()) {
            s = s.replace(m.getKey(), m.getValue());
        }
        return s;
    }

    /** A sandbox waiting for its command: one started ahead if one is left, else a new one. */
    LocalCommandRunner.Started sandbox() {
        LocalCommandRunner.Started s;
        while ((s = ready.poll()) != null) {
            if (s.isAlive()) {
                return s;
            }
            s.discard();
        }
        return start();
    }

    /** Starts sandboxes until {@code count} wait for a command. */
    void prestart(int count) {
        ready.removeIf(s -> {
            if (s.isAlive()) {
                return false;
            }
            s.discard();
            return true;
        });
        while (ready.size() < count) {
            ready.add(start());
        }
    }

    int ready() {
        return ready.size();
    }

    /** The sandbox's command line: {@code cd} to the mapped directory, then exec the mapped argv, all shell-quoted. */
    static String commandLine(String cwd, List<String> argv) {
        StringBuilder sb = new StringBuilder("cd ").append(quote(cwd)).append(" && exec");
        for (String a : argv) {
            if (a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an argument holds a NUL character");
            }
            sb.append(' ').append(quote(a));
        }
        return sb.toString();
    }

    /** Shell quoting: arguments made only of these characters need none, every other one is single-quoted. */
    static String quote(String arg) {
        return !arg.isEmpty() && arg.chars().allMatch(Workspace::plain) ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    private static boolean plain(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "_./=:,+@%-".indexOf(c) >= 0);
    }

    private LocalCommandRunner.Started start() {
        List<String> cmd = new ArrayList<>(List.of("bwrap", "--die-with-parent", "--unshare-all", "--new-session",
                "--hostname", "tailor", "--clearenv", "--setenv", "PATH", "/usr/bin", "--setenv", "LC_ALL", "C",
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                "--symlink", "usr/bin", "/bin", "--tmpfs", "/tmp",
                // Of /etc only the dynamic loader's cache, which lists the libraries of /usr/lib: without it the
                // loader searches for each of clang's libraries and every compile takes about 5 ms longer.
                "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"));
        // No /proc and no /dev: clang and ld.lld need neither, and both would let a source #include host facts
        // (/proc/version, /proc/cpuinfo) or endless input (/dev/zero).
        mounts.forEach((host, inside) -> cmd.addAll(List.of(inside.equals(OUT) ? "--bind" : "--ro-bind", host, inside)));
        // dash's ulimit: -t seconds, -v KiB, -f 512-byte blocks, -p processes; soft and hard limits alike.
        cmd.addAll(List.of("--chdir", "/", "--", "/usr/bin/sh", "-c", "ulimit -t " + limits.cpuSeconds()
                + " && ulimit -v " + Math.max(1, limits.memoryBytes() / 1024)
                + " && ulimit -f " + Math.max(1, limits.fileBytes() / 512)
                + " && ulimit -p " + limits.processes() + " && ulimit -c 0 && c=$(cat) && eval \"$c\""));
        return local.spawn(cmd, out, true, Files.isDirectory(io) ? io : null);
    }

    /** Empties {@code src} and {@code out} for the next build; false when something could not be removed. */
    boolean clean() {
        return Directories.empty(src) && Directories.empty(out);
    }

    /** Stops the sandboxes started ahead and deletes the directory. */
    void discard() {
        LocalCommandRunner.Started s;
        while ((s = ready.poll()) != null) {
            s.discard();
        }
        Directories.delete(dir);
    }
}
