package dev.tailor.toolchain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs one external command. Every compiler, linker and emulator call goes through here, so a sandbox
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

    Result run(List<String> argv, Path workingDir, Duration timeout);
}
