package dev.tailor.worker;

import java.time.Duration;

/**
 * Limits on each command of a build.
 *
 * @param wallClock   each command is killed (with everything it started) after this long
 * @param memoryBytes address-space limit of each process
 * @param fileBytes   the largest file a process may write (objects, the image, its own output)
 * @param outputBytes everything a build may leave in its output directory
 * @param processes   process limit (RLIMIT_NPROC; not enforced for root, where the PID namespace still bounds them)
 */
public record SandboxLimits(Duration wallClock, long memoryBytes, long fileBytes, long outputBytes, int processes) {

    public SandboxLimits {
        if (wallClock.isNegative() || wallClock.isZero() || memoryBytes <= 0 || fileBytes <= 0 || outputBytes <= 0
                || processes <= 0) {
            throw new IllegalArgumentException("sandbox limits must be positive");
        }
    }

    /** CPU time limit: past the wall clock, so a busy loop meets the timeout first and the rlimit is a backstop. */
    long cpuSeconds() {
        return wallClock.toSeconds() + 5;
    }
}
