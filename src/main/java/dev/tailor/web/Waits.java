package dev.tailor.web;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;

/** The {@code ?wait=} of the endpoints that may wait for a build or a run: whole seconds, capped, never refused for length. */
public final class Waits {

    private Waits() {
    }

    /**
     * @param max      the longest wait the endpoint allows (a longer one is shortened)
     * @param spelling the code the endpoint sent before {@code request.invalid_wait} existed, or null
     * @throws TailorException 400 {@code request.invalid_wait} for anything but a whole number of seconds, 0 or more
     */
    public static int seconds(String wait, int max, String spelling) {
        try {
            int w = Integer.parseInt(wait.strip());
            if (w < 0) {
                throw new NumberFormatException();
            }
            return Math.min(w, max);
        } catch (NumberFormatException e) {
            TailorException problem = Problem.INVALID_WAIT.because("wait is a whole number of seconds");
            throw spelling == null ? problem : problem.spelled(spelling);
        }
    }
}
