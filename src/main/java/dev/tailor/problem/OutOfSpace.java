package dev.tailor.problem;

import java.io.IOException;

/** Recognises a write that failed because the disk (or a quota) is full, wherever in a cause chain it sits. */
public final class OutOfSpace {

    private OutOfSpace() {
    }

    public static boolean causes(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException && c.getMessage() != null
                    && (c.getMessage().contains("No space left on device") || c.getMessage().contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /** What the client reads: nothing was kept, and the same request works once space is freed. */
    public static TailorException problem() {
        return Problem.STORE_FULL.because("The server's storage is full: nothing of this request was kept. Retry once "
                + "space is freed (an operator can run the collector: POST /v1/admin/gc).");
    }
}
