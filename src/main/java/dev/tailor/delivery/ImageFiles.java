package dev.tailor.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.http.MediaType;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tailor.retention.GarbageCollected;
import dev.tailor.store.BlobInfo;
import dev.tailor.store.BlobStore;
import dev.tailor.store.Digest;
import dev.tailor.store.Layout;

/**
 * Finds stored images. Images never change once written, so a found one is remembered: the hot path of a
 * popular image then touches neither the store nor a blocking thread. Misses are not remembered, since an image
 * may appear at any moment when its build finishes.
 */
@Component
class ImageFiles {

    /**
     * An image as the server needs it to answer: its size, its media type and, when the store is local, its file.
     * Every build output shares one key space; the type comes from the first bytes: a WebAssembly module
     * ({@code \0asm}) is {@code application/wasm}, so browsers and Node can stream-compile it, and anything else
     * (ELF images and Linux executables) is an octet stream.
     */
    record Image(Digest digest, long size, Path file, String etag, String reprDigest, MediaType mediaType) {
        Optional<Path> localFile() {
            return Optional.ofNullable(file);
        }
    }

    private final BlobStore store;
    private final Cache<Digest, Image> found = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(30))
            .build();

    ImageFiles(BlobStore store) {
        this.store = store;
    }

    BlobStore store() {
        return store;
    }

    /**
     * Cached only; never blocks. A remembered local file that is gone (the collector deleted the image) is forgotten
     * here, so the request goes on to a 404 instead of a response whose body never comes.
     */
    Image cached(Digest digest) {
        Image image = found.getIfPresent(digest);
        if (image != null && image.file() != null && !Files.isRegularFile(image.file())) {
            found.invalidate(digest);
            return null;
        }
        return image;
    }

    /** Images the collector deleted are forgotten at once (other replicas: when their file is found gone). */
    @EventListener
    void on(GarbageCollected collected) {
        collected.report().images().forEach(found::invalidate);
    }

    /** Blocks on the store. */
    Optional<Image> find(Digest digest) {
        Image known = cached(digest);
        if (known != null) {
            return Optional.of(known);
        }
        String key = Layout.image(digest);
        Optional<BlobInfo> info = store.head(key);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        Path file = store.localFile(key).orElse(null);
        Image image = new Image(digest, info.get().size(), file, "\"" + digest + "\"",
                "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(digest.hex())) + ":",
                mediaType(key));
        found.put(digest, image);
        return Optional.of(image);
    }

    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};
    static final MediaType WASM = MediaType.parseMediaType("application/wasm");

    private MediaType mediaType(String key) {
        try (InputStream in = store.get(key).orElse(InputStream.nullInputStream())) {
            return Arrays.equals(in.readNBytes(WASM_MAGIC.length), WASM_MAGIC) ? WASM : MediaType.APPLICATION_OCTET_STREAM;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    /** For when a remembered file has vanished (an operator deleted it): look it up afresh next time. */
    void forget(Digest digest) {
        found.invalidate(digest);
    }
}
