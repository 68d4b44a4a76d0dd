/**
 * The one place Tailor keeps state: a keyed blob store with atomic writes, and small JSON documents in it.
 * The filesystem implementation is the embedded default, {@code S3BlobStore} the distributed one
 * ({@code tailor.store.type=s3}); every implementation passes {@code BlobStoreContract}. Every key is built by
 * {@link dev.tailor.store.Layout}, which draws the key tree.
 */
package dev.tailor.store;
