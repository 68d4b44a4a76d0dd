package dev.tailor.builds;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;

/**
 * The dispatcher cannot hand the job to any worker right now (the message broker is down or did not confirm in
 * time): nothing was queued, and the API answers 503 with Retry-After, as for a full queue.
 */
public class BuildDispatchUnavailableException extends TailorException {

    public BuildDispatchUnavailableException(String message, Throwable cause) {
        super(Problem.BUILD_DISPATCH_UNAVAILABLE, "Builds cannot be handed to the workers right now; retry shortly.",
                message, cause);
    }
}
