package dev.tailor.toolchain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs external commands. Every compiler, linker and emulator call goes through here, so a sandbox
 * (bubblewrap, with the sources at a fixed {@code /src} and the output at {@code /out}) can replace the
 * local implementation without the driver knowing.
 */
public interface CommandRunner {

    /** @param timedOut true when the command was killed at the deadline; exitCode is then meaningless */
    record Result(int exitCode, String stdout, String stderr, boolean timedOut) {

        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }

    /** A command line and the directory it runs in. */
    record Command(List<String> argv, Path workingDir) {
    }

    /** A started command. */
    interface Running {

        /** Waits for the command's end; at the deadline it is killed with everything it started. */
        Result await();

        /** Kills the command with everything it started, for a caller that will not await it. */
        void cancel();
    }

    /**
     * Starts a command and returns at once, so one thread can start several side by side.
     *
     * @param timeout counted from now: the command is killed when it has not ended by then
     */
    Running start(List<String> argv, Path workingDir, Duration timeout);

    /**
     * Starts several commands as close together as possible: a runner whose start wakes other processes (a sandbox
     * waiting for its command) may otherwise lose its core to the first command before it has started the next.
     */
    default List<Running> startAll(List<Command> commands, Duration timeout) {
        List<Running> all = new ArrayList<>();
        for (Command c : commands) {
            all.add(start(c.argv(), c.workingDir(), timeout));
        }
        return all;
    }

    default Result run(List<String> argv, Path workingDir, Duration timeout) {
        return start(argv, workingDir, timeout).await();
    }
}
