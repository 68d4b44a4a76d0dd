package dev.tailor.delivery;

import java.io.ByteArrayInputStream;
import java.util.Random;

import dev.tailor.store.Layout;
import dev.tailor.store.BlobStore;
import dev.tailor.store.Digest;

/** Puts random "images" straight into a store, standing in for builds. */
final class TestImages {

    record Stored(Digest digest, byte[] bytes) {
        String url() {
            return "/v1/images/" + digest.path();
        }
    }

    private static final Random RANDOM = new Random();

    private TestImages() {
    }

    static Stored put(BlobStore store, int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return put(store, bytes);
    }

    static Stored put(BlobStore store, byte[] bytes) {
        Digest digest = Digest.of(Digest.sha256().digest(bytes));
        store.put(Layout.image(digest), new ByteArrayInputStream(bytes));
        return new Stored(digest, bytes);
    }

    static Digest unknown() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Digest.of(b);
    }
}
