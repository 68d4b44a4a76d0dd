package dev.tailor.builds;

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

    /**
     * A succeeded build's image, signature and provenance are durable; its record is being written. Waiters may be
     * answered now: if the record is then lost to a crash, the key is simply built again, to the same bytes.
     */
    default void imageStored(BuildRecord record) {
    }

    /** The build ended; the record is final (succeeded or failed) and, for a success, its image is stored. */
    void finished(BuildRecord record);
}
