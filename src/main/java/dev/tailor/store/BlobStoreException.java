package dev.tailor.store;

/** The store itself failed (disk full, I/O error, S3 unreachable): not the caller's fault, retry later. */
public class BlobStoreException extends RuntimeException {
    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
