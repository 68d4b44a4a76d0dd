package dev.tailor.builds;

import dev.tailor.catalog.Arch;

/**
 * Hands builds to workers of the right architecture and reports what happens to them. Implementations: in-process
 * worker pools ({@link InProcessDispatcher}); a message broker (one durable queue per architecture, outcomes fanned
 * out to every replica). Both pass {@code BuildDispatcherContract}.
 *
 * <p>Queues are bounded per architecture: a full queue refuses a job at once ({@link BuildQueueFullException})
 * rather than growing; the API answers 503 with Retry-After. Jobs run in {@link Priority} order, first come first
 * served within one priority.
 */
public interface BuildDispatcher extends AutoCloseable {

    /** Queues the job; returns at once. @throws BuildQueueFullException when the architecture's queue is full */
    void dispatch(BuildJob job);

    /**
     * Moves a waiting job ahead when a more urgent caller joins it (a device boot joining a queued prebuild). Best
     * effort: nothing happens when the job already runs, is unknown, or is at least that urgent.
     */
    void prioritize(String key, Priority priority);

    /** Registers a listener for every job's events, including jobs dispatched before the call that have not ended. */
    void subscribe(BuildListener listener);

    /** Jobs waiting (not yet running) for the architecture. */
    int queueDepth(Arch arch);

    /** Stops taking jobs; running builds are abandoned (their records stay non-final, which restarts treat as stale). */
    @Override
    void close();
}
