package dev.tailor.builds;

/**
 * Runs one build where the dispatcher delivers it (a worker thread, a worker process). Implementations store the
 * image, its signature and provenance, the log and the final record before they return, so that a record
 * claiming success always has its image.
 */
public interface BuildExecutor {

    /**
     * @param events where progress goes ({@link BuildListener#started} and {@link BuildListener#log}); the
     *               dispatcher reports {@link BuildListener#finished} itself with the returned record
     * @return the final record (succeeded or failed); failures of the build are records, not exceptions
     */
    BuildRecord execute(BuildJob job, BuildListener events);
}
