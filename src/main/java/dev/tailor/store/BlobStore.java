package dev.tailor.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Keyed, immutable-by-convention blobs: bundles, images, signatures and the small JSON documents that are
 * Tailor's only metadata. Keys are relative slash-separated paths ({@link BlobKey}).
 *
 * <p>Every write is atomic: a reader sees the old object, the new one, or nothing, never a part; a write that
 * fails midway (the stream throws, the process dies) leaves no visible object. Methods block; callers on event
 * loops hop to a scheduler meant for blocking work. Failures of the store itself surface as
 * {@link BlobStoreException}, which the API answers with 503.
 */
public interface BlobStore {

    /** Writes the whole stream under the key, replacing any previous object atomically. */
    BlobInfo put(String key, InputStream content);

    /**
     * Writes the stream only if nothing is stored under the key yet; the first writer wins.
     *
     * @return the new object's info, or empty when the key already existed (nothing was written)
     */
    Optional<BlobInfo> putIfAbsent(String key, InputStream content);

    default BlobInfo put(String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return put(key, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    default Optional<BlobInfo> putIfAbsent(String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return putIfAbsent(key, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the object for reading; the caller closes the stream. */
    Optional<InputStream> get(String key);

    /**
     * Opens the object from a byte offset on, for Range requests: stores that can seek (S3 with a ranged GET)
     * override this so that the skipped bytes are never transferred. An offset at or past the end gives an empty
     * stream; only a missing object gives empty.
     */
    default Optional<InputStream> get(String key, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        Optional<InputStream> in = get(key);
        if (in.isPresent() && offset > 0) {
            try {
                in.get().skipNBytes(offset);
            } catch (EOFException e) {
                closeQuietly(in.get());
                return Optional.of(InputStream.nullInputStream());
            } catch (IOException e) {
                closeQuietly(in.get());
                throw new BlobStoreException("cannot read " + key, e);
            }
        }
        return in;
    }

    Optional<BlobInfo> head(String key);

    /**
     * The object as a local file, for zero-copy serving ({@code sendfile}), or empty when the store is not on
     * local disk or the object does not exist. The file must only be read.
     */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    /**
     * Where clients may fetch the object directly instead of through the service (a CDN or a public bucket in
     * front of the store), or empty when the service must stream it. Says nothing about whether the object exists.
     */
    default Optional<URI> publicUrl(String key) {
        return Optional.empty();
    }

    /** Every object whose key starts with the prefix, sorted by key. */
    List<BlobInfo> list(String prefix);

    /** @return true when an object was deleted */
    boolean delete(String key);

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the read already failed or ended
        }
    }
}
