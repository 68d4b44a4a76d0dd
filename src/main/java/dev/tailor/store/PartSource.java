package dev.tailor.store;

import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * An object's content as the parts of an upload (one part, or the parts of a multipart upload), each at most the
 * part size: from a stream ({@link StreamParts}) or from a file ({@link FileParts}). The first call always gives a
 * part, maybe an empty one.
 */
interface PartSource {

    record Part(AsyncRequestBody body, long length) {
    }

    /** @return the next part, or null after the last */
    Part next();
}
