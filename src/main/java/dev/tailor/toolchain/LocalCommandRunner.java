package dev.tailor.toolchain;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands directly on this machine, with no isolation: for trusted inputs, tests and development. */
public final class LocalCommandRunner implements CommandRunner {

    @Override
    public Running start(List<String> argv, Path workingDir, Duration timeout) {
        return spawn(argv, workingDir, false, null).running(timeout);
    }

    /**
     * Starts a command whose output goes to temporary files (no reader threads, and a chatty process can never
     * block on a full pipe).
     *
     * @param stdinPipe true gives the command a pipe to {@link Started#write} to; false gives it {@code /dev/null}
     * @param outputDir where the output files go (null: the system's temporary directory)
     */
    public Started spawn(List<String> argv, Path workingDir, boolean stdinPipe, Path outputDir) {
        Path out = null;
        Path err = null;
        try {
            out = outputDir == null ? Files.createTempFile("tailor-cmd", ".out")
                    : Files.createTempFile(outputDir, "cmd", ".out");
            err = outputDir == null ? Files.createTempFile("tailor-cmd", ".err")
                    : Files.createTempFile(outputDir, "cmd", ".err");
            ProcessBuilder pb = new ProcessBuilder(argv).directory(workingDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            if (!stdinPipe) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            return new Started(pb.start(), out, err);
        } catch (IOException e) {
            deleteQuietly(out);
            deleteQuietly(err);
            throw new UncheckedIOException("cannot run " + argv.get(0), e);
        }
    }

    /** A running command: its process and the files its output goes to, removed once it has been awaited. */
    public static final class Started {
        private final Process process;
        private final Path out;
        private final Path err;

        private Started(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Writes to the command's input, which stays open (see {@link #endInput}). */
        public void write(String input) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(input.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Closes the command's input: a command that reads to the end of it goes on from here. */
        public void endInput() throws IOException {
            process.getOutputStream().close();
        }

        /** The command as a {@link Running} with a deadline {@code timeout} from now. */
        public Running running(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            return new Running() {
                @Override
                public Result await() {
                    return awaitUntil(deadline);
                }

                @Override
                public void cancel() {
                    discard();
                }
            };
        }

        /** Waits for the command's end, killing it and everything it started at the deadline ({@link System#nanoTime}). */
        private Result awaitUntil(long deadline) {
            try {
                boolean done = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!done) {
                    kill();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
                return new Result(done ? process.exitValue() : -1,
                        new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                        new String(Files.readAllBytes(err), StandardCharsets.UTF_8), !done);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the output of " + process.info().command().orElse("a command"), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new IllegalStateException("interrupted while waiting for a command", e);
            } finally {
                deleteQuietly(out);
                deleteQuietly(err);
            }
        }

        /** Kills the command and everything it started. */
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        /** For a command that is never awaited: kills it and removes its output files. */
        public void discard() {
            kill();
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temp file is not worth failing a build over
            }
        }
    }
}
