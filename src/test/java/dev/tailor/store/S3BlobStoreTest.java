package dev.tailor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import dev.tailor.testsupport.S3ProxyServer;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The blob store contract against a real S3 endpoint (S3Proxy), each test in a fresh bucket. The part size is the
 * S3 minimum (5 MiB) so that the contract's 6 MiB object goes up as a multipart upload.
 */
class S3BlobStoreTest extends BlobStoreContract {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3AsyncClient client;

    @BeforeAll
    static void openClient() {
        client = S3BlobStore.client(settings("unused"));
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @Override
    protected BlobStore newStore() {
        return S3BlobStore.open(settings("contract-" + BUCKETS.incrementAndGet()), client, false);
    }

    private static S3Settings settings(String bucket) {
        S3ProxyServer s3 = S3ProxyServer.shared();
        return S3Settings.of(s3.endpoint(), bucket, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
                .withPartSize(DataSize.ofMegabytes(5));
    }

    @Test
    void multipartUpload_ofSeveralFullParts_andAnExactMultiple_roundTrips() throws Exception {
        for (int size : new int[] {10 * 1024 * 1024, 11 * 1024 * 1024 + 7}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            store.put("multi/" + size, new ByteArrayInputStream(data));
            try (var in = store.get("multi/" + size).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void putFromFile_smallEmptyAndMultipart_roundTrip_andPutIfAbsentFromFileKeepsTheFirst(@TempDir Path dir)
            throws Exception {
        for (int size : new int[] {0, 1000, 5 * 1024 * 1024, 12 * 1024 * 1024 + 3}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            Path file = Files.write(dir.resolve("f" + size), data);
            assertThat(store.put("files/" + size, file).size()).isEqualTo(size);
            try (var in = store.get("files/" + size).orElseThrow()) {
                assertThat(in.readAllBytes()).as("size %d", size).isEqualTo(data);
            }
        }
        Path other = Files.write(dir.resolve("other"), new byte[] {1, 2, 3});
        assertThat(store.putIfAbsent("files/1000", other)).isEmpty();
        assertThat(store.putIfAbsent("files/new", other)).isPresent();
        assertThat(store.head("files/1000")).get().extracting(BlobInfo::size).isEqualTo(1000L);
    }

    @Test
    void putIfAbsent_ofALargeObject_keepsTheFirstWrite() throws Exception {
        byte[] first = new byte[6 * 1024 * 1024];
        byte[] second = new byte[7 * 1024 * 1024];
        new Random(1).nextBytes(first);
        new Random(2).nextBytes(second);
        assertThat(store.putIfAbsent("big/once", new ByteArrayInputStream(first))).isPresent();
        assertThat(store.putIfAbsent("big/once", new ByteArrayInputStream(second))).isEmpty();
        try (var in = store.get("big/once").orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(first);
        }
    }

    @Test
    void getFromAnOffset_readsOnlyTheTail_andPastTheEndIsEmpty_butMissingStaysMissing() throws Exception {
        store.put("ranged", stream("0123456789"));
        try (var in = store.get("ranged", 7).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("789");
        }
        try (var in = store.get("ranged", 10).orElseThrow()) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        assertThat(store.get("missing", 3)).isEmpty();
    }

    @Test
    void settings_neverPrintTheSecretKey() {
        assertThat(settings("b").toString()).contains(S3ProxyServer.ACCESS_KEY).doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    @Test
    void open_createsTheBucket_andASecondOpenFindsIt() {
        S3Settings settings = settings("created-" + BUCKETS.incrementAndGet());
        try (S3BlobStore a = S3BlobStore.open(settings)) {
            a.put("x", stream("1"));
        }
        try (S3BlobStore b = S3BlobStore.open(settings)) {
            assertThat(b.head("x")).isPresent();
        }
    }

    @Test
    void publicUrl_isTheBaseUrlPlusTheKey_onlyWhenConfigured() {
        assertThat(store.publicUrl("images/sha256/ab")).isEmpty();
        try (S3BlobStore cdn = S3BlobStore.open(settings("cdn-" + BUCKETS.incrementAndGet())
                .withPublicBaseUrl(URI.create("https://cdn.example.com/tailor")))) {
            assertThat(cdn.publicUrl("images/sha256/ab")).contains(URI.create("https://cdn.example.com/tailor/images/sha256/ab"));
            assertThatThrownBy(() -> cdn.publicUrl("../x")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void storeThatAcceptsButNeverAnswers_failsAfterTheApiCallTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            S3Settings hanging = new S3Settings(URI.create("http://127.0.0.1:" + silent.getLocalPort()), "b", "us-east-1",
                    "k", "s", true, null, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2),
                    DataSize.ofMegabytes(8));
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> S3BlobStore.open(hanging));
            assertThat(failure).isInstanceOf(BlobStoreException.class);
            // ended by the configured call timeout (2 s), not by the HTTP client's much later read timeout
            assertThat(causes(failure)).as(String.valueOf(failure)).anyMatch(ApiCallTimeoutException.class::isInstance);
        }
    }

    @Test
    void unreachableStore_failsFast_withBlobStoreException() {
        S3Settings nowhere = S3Settings.of(URI.create("http://127.0.0.1:9"), "b", "k", "s");
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> S3BlobStore.open(nowhere));
        assertThat(failure).isInstanceOf(BlobStoreException.class);
        // the connection fails (refused, or never acquired) on every attempt, and that ends the call before the
        // call timeout would: fast, whatever the machine's speed
        assertThat(causes(failure)).as(String.valueOf(failure)).anyMatch(SdkClientException.class::isInstance)
                .noneMatch(ApiCallTimeoutException.class::isInstance);
    }

    private static java.util.List<Throwable> causes(Throwable t) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }
}
