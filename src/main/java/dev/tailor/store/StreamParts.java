package dev.tailor.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * Parts read from a stream. The first buffer grows as bytes arrive, so that small documents cost kilobytes,
 * not a whole part; a failing stream is the caller's failure (UncheckedIOException), not the store's.
 */
final class StreamParts implements PartSource {
    private final InputStream in;
    private final int partSize;
    private byte[] buffer;
    private boolean ended;

    StreamParts(InputStream in, int partSize) {
        this.in = in;
        this.partSize = partSize;
    }

    @Override
    public Part next() {
        boolean first = buffer == null;
        if (ended) {
            return null;
        }
        if (first) {
            buffer = new byte[Math.min(partSize, 64 * 1024)];
        }
        int length = 0;
        try {
            while (length < partSize) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.min(partSize, buffer.length * 4));
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    ended = true;
                    break;
                }
                length += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the content stream failed", e);
        }
        if (length == 0 && !first) {
            return null;
        }
        return new Part(AsyncRequestBody.fromRemainingByteBufferUnsafe(ByteBuffer.wrap(buffer, 0, length)),
                length);
    }
}
