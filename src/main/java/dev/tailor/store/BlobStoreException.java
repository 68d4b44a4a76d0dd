package dev.tailor.store;

import dev.tailor.problem.OutOfSpace;
import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;

/** The store itself failed (disk full, I/O error, S3 unreachable): not the caller's fault, retry later. */
public class BlobStoreException extends TailorException {

    public BlobStoreException(String message, Throwable cause) {
        this(OutOfSpace.causes(cause), message, cause);
    }

    private BlobStoreException(boolean full, String message, Throwable cause) {
        super(full ? Problem.STORE_FULL : Problem.STORE_UNAVAILABLE, full ? OutOfSpace.problem().detail()
                : "The storage backend is unavailable; retry shortly.", message, cause);
    }
}
