package dev.tailor.bundle;

import java.time.Instant;

import dev.tailor.store.Digest;

/** What the API says about a stored bundle; also its metadata document in the store. */
public record BundleDocument(String app, Digest digest, long size, int files, Manifest manifest, Instant createdAt) {
}
