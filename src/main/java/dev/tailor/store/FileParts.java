package dev.tailor.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import software.amazon.awssdk.core.async.AsyncRequestBody;

/** Parts of a file, which the SDK reads straight from disk: nothing of the object passes through the heap. */
final class FileParts implements PartSource {
    private final Path file;
    private final long size;
    private final int partSize;
    private long offset;
    private boolean started;

    FileParts(Path file, int partSize) {
        this.file = file;
        this.partSize = partSize;
        try {
            this.size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Part next() {
        if (started && offset >= size) {
            return null;
        }
        started = true;
        long length = Math.min(partSize, size - offset);
        long position = offset;
        offset += length;
        AsyncRequestBody body = length == 0 ? AsyncRequestBody.empty()
                : AsyncRequestBody.fromFile(c -> c.path(file).position(position).numBytesToRead(length));
        return new Part(body, length);
    }
}
