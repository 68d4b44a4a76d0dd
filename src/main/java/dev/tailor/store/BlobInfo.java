package dev.tailor.store;

import java.time.Instant;
import java.util.Objects;

/** What the store knows about an object without reading it. */
public record BlobInfo(String key, long size, Instant lastModified) {
    public BlobInfo {
        BlobKey.check(key);
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
