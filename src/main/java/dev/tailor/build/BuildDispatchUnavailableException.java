package dev.tailor.build;

/**
 * The dispatcher cannot hand the job to any worker right now (the message broker is down or did not confirm in
 * time): nothing was queued, and the API answers 503 with Retry-After, as for a full queue.
 */
public class BuildDispatchUnavailableException extends RuntimeException {

    public BuildDispatchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
