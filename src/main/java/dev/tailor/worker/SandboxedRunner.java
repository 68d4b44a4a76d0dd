package dev.tailor.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import dev.tailor.toolchain.CommandRunner;
import dev.tailor.toolchain.LocalCommandRunner;

/**
 * Runs one build's commands in bubblewrap, each in its own sandbox of the build's {@link Workspace} (usually one
 * started ahead of the build). The driver names host paths; this runner maps them onto fixed sandbox paths
 * ({@code /src}, {@code /out}, {@code /tailor/cache}) in every argument, so the command lines, the log and the
 * image are the same wherever the data directory is, and the sandbox contains nothing else of the host but
 * {@code /usr}, read-only.
 *
 * <p>It also remembers the first limit a command hit, so the worker can tell a timeout or an oversized output
 * from a compile error (the driver only sees a failed command), and refuses further commands once a limit was hit.
 */
final class SandboxedRunner implements CommandRunner {

    /** Why a command was stopped by the sandbox rather than failing on its own. */
    enum Hit {
        TIMEOUT("build.timeout", "a command ran longer than the time limit"),
        OUTPUT("build.output_too_large", "the build wrote more than the output limit"),
        RESOURCE("build.resource_limit", "a command exceeded a memory or process limit");

        final String code;
        final String detail;

        Hit(String code, String detail) {
            this.code = code;
            this.detail = detail;
        }
    }

    private static final int SIGXCPU = 24;
    private static final int SIGXFSZ = 25;
    private static final int SIGKILL = 9;
    private static final int MAX_OUTPUT_CHARS = 64 * 1024;
    /** LLVM's crash reports list host library paths and addresses: noise in a user's log. */
    private static final Pattern STACK_LINE = Pattern.compile("(?m)^( *#\\d+ 0x[0-9a-f]+ .*|Stack dump.*|\\d+\\.\\t.*"
            + "|\\S+\\(.*\\)\\[0x[0-9a-f]+\\])\\n?");
    private static final Pattern OOM = Pattern.compile("out of memory|bad_alloc|Cannot allocate memory|"
            + "Resource temporarily unavailable|LLVM ERROR: .*alloc");

    private final boolean isolate;
    private final SandboxLimits limits;
    private final Workspace workspace;
    private final Consumer<String> transcript;
    private final LocalCommandRunner local = new LocalCommandRunner();
    private final AtomicReference<Hit> hit = new AtomicReference<>();

    /**
     * @param isolate    false runs the commands directly (no bubblewrap, no path mapping): only for trusted sources
     * @param transcript receives each command and its output, with sandbox paths
     */
    SandboxedRunner(boolean isolate, SandboxLimits limits, Workspace workspace, Consumer<String> transcript) {
        this.isolate = isolate;
        this.limits = limits;
        this.workspace = workspace;
        this.transcript = transcript;
    }

    /** A runner whose every command starts its own sandbox, with {@code src} and {@code out} as given. */
    SandboxedRunner(boolean isolate, SandboxLimits limits, Path src, Path out, Path cache, Consumer<String> transcript) {
        this(isolate, limits, new Workspace(out, src, out, cache, limits), transcript);
    }

    Optional<Hit> hit() {
        return Optional.ofNullable(hit.get());
    }

    @Override
    public Running start(List<String> argv, Path workingDir, Duration timeout) {
        return startAll(List.of(new Command(argv, workingDir)), timeout).get(0);
    }

    /**
     * Hands each command line to a sandbox of the workspace, then lets them all go at once (a sandbox runs its
     * command when its input ends): the first must not take this thread's core before the others have theirs.
     */
    @Override
    public List<Running> startAll(List<Command> commands, Duration timeout) {
        Duration limit = timeout.compareTo(limits.wallClock()) < 0 ? timeout : limits.wallClock();
        List<Running> all = new ArrayList<>();
        if (hit.get() != null) {
            Result refused = new Result(126, "", "not run: " + hit.get().detail + "\n", false);
            commands.forEach(c -> all.add(done(refused)));
            return all;
        }
        // the command lines as the sandbox sees them (and the log shows them): host paths mapped
        List<String> cwds = commands.stream().map(c -> isolate ? map(c.workingDir().toAbsolutePath().normalize()
                .toString()) : c.workingDir().toString()).toList();
        List<List<String>> argvs = commands.stream().map(c -> isolate ? c.argv().stream().map(this::map).toList()
                : c.argv()).toList();
        List<LocalCommandRunner.Started> sandboxes = new ArrayList<>();
        try {
            if (isolate) {
                for (int i = 0; i < commands.size(); i++) {
                    sandboxes.add(loaded(Workspace.commandLine(cwds.get(i), argvs.get(i))));
                }
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < commands.size(); i++) {
                Running running;
                if (isolate) {
                    sandboxes.get(i).endInput();
                    running = sandboxes.get(i).running(limit);
                } else {
                    running = local.start(argvs.get(i), commands.get(i).workingDir(), limit);
                }
                String cwd = cwds.get(i);
                List<String> argv = argvs.get(i);
                all.add(new Running() {
                    @Override
                    public Result await() {
                        return finish(running.await(), cwd, argv, t0);
                    }

                    @Override
                    public void cancel() {
                        running.cancel();
                    }
                });
            }
            return all;
        } catch (IOException | RuntimeException e) {
            sandboxes.forEach(LocalCommandRunner.Started::discard);
            all.forEach(Running::cancel);
            throw e instanceof IOException io ? new UncheckedIOException("cannot start a sandbox", io)
                    : (RuntimeException) e;
        }
    }

    private static Running done(Result result) {
        return new Running() {
            @Override
            public Result await() {
                return result;
            }

            @Override
            public void cancel() {
            }
        };
    }

    /** Classifies a limit hit and writes the command and its output to the transcript. */
    private Result finish(Result r, String cwd, List<String> mapped, long t0) {
        Hit h = classify(r);
        if (h == null && outputSize() > limits.outputBytes()) {
            h = Hit.OUTPUT;
        }
        if (h != null) {
            hit.compareAndSet(null, h);
        }
        String stdout = clean(r.stdout());
        String stderr = clean(r.stderr()) + (h == null ? "" : "tailor: stopped: " + h.detail + "\n");
        transcript.accept("$ cd " + cwd + " && " + String.join(" ", mapped.stream().map(Workspace::quote).toList())
                + "  # " + (System.nanoTime() - t0) / 1_000_000 + " ms\n" + stdout + stderr);
        return new Result(r.exitCode(), stdout, stderr, r.timedOut());
    }

    private Hit classify(Result r) {
        if (r.timedOut() || r.exitCode() == 128 + SIGXCPU) {
            return Hit.TIMEOUT;
        }
        if (r.exitCode() == 128 + SIGXFSZ || r.stderr().contains("File size limit exceeded")) {
            return Hit.OUTPUT;
        }
        if (r.exitCode() == 128 + SIGKILL || (r.exitCode() != 0 && OOM.matcher(r.stderr()).find())) {
            return Hit.RESOURCE;
        }
        return null;
    }

    /** A sandbox of the workspace holding the command line; one that died waiting is replaced by a new one. */
    private LocalCommandRunner.Started loaded(String commandLine) throws IOException {
        for (int attempt = 1; ; attempt++) {
            LocalCommandRunner.Started sandbox = workspace.sandbox();
            try {
                sandbox.write(commandLine);
                return sandbox;
            } catch (IOException e) {
                sandbox.discard();
                if (attempt == 2) {
                    throw e;
                }
            }
        }
    }

    /** Host paths to sandbox paths, anywhere in an argument ({@code -ffile-prefix-map=<host>=.} included). */
    String map(String arg) {
        return workspace.map(arg);
    }

    /**
     * Everything in the output directory now. Other commands of the build may be writing there meanwhile: clang
     * writes its object to a temporary name and renames it, so a file listed can be gone when it is looked at.
     */
    private long outputSize() {
        long[] total = {0};
        try {
            Files.walkFileTree(workspace.out, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // the directory itself is unreadable: nothing a command could have filled
        }
        return total[0];
    }

    private static String clean(String s) {
        String c = STACK_LINE.matcher(s).replaceAll("");
        return c.length() > MAX_OUTPUT_CHARS ? c.substring(0, MAX_OUTPUT_CHARS) + "\n[output cut]\n" : c;
    }
}
