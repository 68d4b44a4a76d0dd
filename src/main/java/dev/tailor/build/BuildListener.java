package dev.tailor.build;

import java.time.Instant;

/**
 * What a dispatcher reports about builds, from whichever worker runs them. A distributed dispatcher fans these out
 * to every API replica; calls may come from any thread and must not block for long.
 */
public interface BuildListener {

    /** A worker took the job and the compile begins. */
    default void started(BuildJob job, Instant at) {
    }

    /** One more line of the build log, for live followers. */
    default void log(String key, String line) {
    }

    /** The build ended; the record is final (succeeded or failed) and, for a success, its image is stored. */
    void finished(BuildRecord record);
}
