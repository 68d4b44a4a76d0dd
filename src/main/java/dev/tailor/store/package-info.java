/**
 * The one place Tailor keeps state: a keyed blob store with atomic writes, and small JSON documents in it.
 * The filesystem implementation is the embedded default, {@code S3BlobStore} the distributed one
 * ({@code tailor.store.type=s3}, uploading from a {@code PartSource}); every implementation passes
 * {@code BlobStoreContract}. Every key is built by {@link dev.tailor.store.Layout}, which draws the key tree. Also
 * the lowest floor for local scratch space: {@link dev.tailor.store.Directories} deletes the work trees every other
 * package makes.
 */
package dev.tailor.store;
