package dev.tailor.store;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;

/** The store itself failed (disk full, I/O error, S3 unreachable): not the caller's fault, retry later. */
public class BlobStoreException extends TailorException {

    public BlobStoreException(String message, Throwable cause) {
        super(Problem.STORE_UNAVAILABLE, "The storage backend is unavailable; retry shortly.", message, cause);
    }
}
