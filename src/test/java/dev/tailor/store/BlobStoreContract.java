package dev.tailor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BlobStore} must have. Each implementation's test extends this class and supplies a
 * fresh, empty store; nothing here may depend on how the store keeps its bytes.
 */
public abstract class BlobStoreContract {

    protected BlobStore store;

    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @Test
    void put_thenGet_returnsTheSameBytes() throws IOException {
        store.put("a/b/c.txt", stream("hello"));
        assertThat(read("a/b/c.txt")).isEqualTo("hello");
        assertThat(store.head("a/b/c.txt")).get().extracting(BlobInfo::size).isEqualTo(5L);
    }

    @Test
    void put_replacesAnExistingObject() throws IOException {
        store.put("k", stream("first"));
        store.put("k", stream("second, longer"));
        assertThat(read("k")).isEqualTo("second, longer");
    }

    @Test
    void get_andHead_ofMissingKey_areEmpty() {
        assertThat(store.get("nothing/here")).isEmpty();
        assertThat(store.head("nothing/here")).isEmpty();
    }

    @Test
    void putIfAbsent_keepsTheFirstWrite() throws IOException {
        assertThat(store.putIfAbsent("once", stream("one"))).isPresent();
        assertThat(store.putIfAbsent("once", stream("two"))).isEmpty();
        assertThat(read("once")).isEqualTo("one");
    }

    @Test
    void putIfAbsent_racingWriters_exactlyOneWins() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Optional<BlobInfo>>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "writer-" + i;
                Callable<Optional<BlobInfo>> call = () -> {
                    start.await();
                    return store.putIfAbsent("race/key", stream(body));
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            int winners = 0;
            for (Future<Optional<BlobInfo>> f : results) {
                winners += f.get().isPresent() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(read("race/key")).startsWith("writer-");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void put_whoseStreamFailsMidway_leavesNoVisibleObject() {
        assertThatThrownBy(() -> store.put("broken/obj", failingAfter(100_000))).isNotNull();
        assertThatThrownBy(() -> store.putIfAbsent("broken/other", failingAfter(10))).isNotNull();
        assertThat(store.head("broken/obj")).isEmpty();
        assertThat(store.head("broken/other")).isEmpty();
        assertThat(store.list("")).isEmpty();
        // and the key is still free for a good write
        assertThat(store.putIfAbsent("broken/other", stream("ok"))).isPresent();
    }

    @Test
    void put_whoseStreamFails_keepsThePreviousVersion() throws IOException {
        store.put("versioned", stream("v1"));
        assertThatThrownBy(() -> store.put("versioned", failingAfter(5000))).isNotNull();
        assertThat(read("versioned")).isEqualTo("v1");
    }

    @Test
    void list_returnsOnlyKeysUnderThePrefix_sorted() {
        store.put("bundles/b", stream("2"));
        store.put("bundles/a", stream("1"));
        store.put("bundles/sub/c", stream("3"));
        store.put("bundlesx/d", stream("4"));
        store.put("other", stream("5"));
        assertThat(store.list("bundles/")).extracting(BlobInfo::key)
                .containsExactly("bundles/a", "bundles/b", "bundles/sub/c");
        assertThat(store.list("bundles/s")).extracting(BlobInfo::key).containsExactly("bundles/sub/c");
        assertThat(store.list("none/")).isEmpty();
        assertThat(store.list("")).hasSize(5);
    }

    @Test
    void delete_removesTheObject() {
        store.put("gone", stream("x"));
        assertThat(store.delete("gone")).isTrue();
        assertThat(store.delete("gone")).isFalse();
        assertThat(store.get("gone")).isEmpty();
    }

    @Test
    void largeObjects_streamThrough_unchanged() throws Exception {
        byte[] data = new byte[6 * 1024 * 1024 + 123];
        new Random(42).nextBytes(data);
        store.put("big/blob", new ByteArrayInputStream(data));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = store.get("big/blob").orElseThrow()) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        assertThat(md.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(store.head("big/blob")).get().extracting(BlobInfo::size).isEqualTo((long) data.length);
    }

    @Test
    void keysThatCouldEscapeOrCollide_areRejected() {
        for (String bad : List.of("../x", "/abs", "a//b", ".tmp/x", "a/../b", "a/./b", "", "a/", "sp ace")) {
            assertThatThrownBy(() -> store.put(bad, stream("x"))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    protected String read(String key) throws IOException {
        try (InputStream in = store.get(key).orElseThrow()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    protected static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A stream that yields some bytes and then fails, like a client that disconnects mid-upload. */
    protected static InputStream failingAfter(int bytes) {
        return new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ >= bytes) {
                    throw new IOException("connection reset (simulated)");
                }
                return 'x';
            }
        };
    }

    /** A document truncated in the store (on disk, in a bucket): an error for that one, skipped by listings. */
    @Test
    void aTruncatedDocument_isCorruptForItAlone_andListingsSkipIt() {
        Documents documents = new Documents(store, tools.jackson.databind.json.JsonMapper.builder().build(),
                java.time.Duration.ZERO, 10);
        record Doc(String name, int n) {
        }
        documents.write("meta/docs/good.json", new Doc("good", 1));
        byte[] whole = "{\"name\":\"bad\",\"n\":2}".getBytes(StandardCharsets.UTF_8);
        store.put("meta/docs/bad.json", new ByteArrayInputStream(java.util.Arrays.copyOf(whole, whole.length / 2)));

        assertThatThrownBy(() -> documents.read("meta/docs/bad.json", Doc.class))
                .isInstanceOfSatisfying(CorruptDocumentException.class, e -> {
                    assertThat(e.key()).isEqualTo("meta/docs/bad.json");
                    assertThat(e.problem()).isEqualTo(dev.tailor.problem.Problem.STORE_CORRUPT);
                    assertThat(e.detail()).contains("meta/docs/bad.json");
                });
        List<Doc> listed = new ArrayList<>();
        store.list("meta/docs/").forEach(i -> documents.readListed(i.key(), Doc.class).ifPresent(listed::add));
        assertThat(listed).containsExactly(new Doc("good", 1));
        // writing it again repairs it
        documents.write("meta/docs/bad.json", new Doc("bad", 2));
        assertThat(documents.read("meta/docs/bad.json", Doc.class)).contains(new Doc("bad", 2));
    }
}
