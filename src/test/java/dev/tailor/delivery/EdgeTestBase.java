package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import dev.tailor.store.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import tools.jackson.databind.JsonNode;

/**
 * The service with a Varnish and an nginx edge configured for purges (ports chosen before the context starts, the
 * edges themselves started by each test class). One Spring context shared by every edge test.
 *
 * @param <E> the edge a test class goes through: started before its first test, stopped after its last
 */
@Import(BootStandIn.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EdgeTestBase<E extends EdgeProcesses.Edge> extends ApiTestBase {

    static final int VARNISH_PORT = EdgeProcesses.freePort();
    static final int NGINX_PORT = EdgeProcesses.freePort();

    @DynamicPropertySource
    static void edges(DynamicPropertyRegistry registry) {
        registry.add("tailor.delivery.edges[0].url", () -> "http://127.0.0.1:" + VARNISH_PORT);
        registry.add("tailor.delivery.edges[0].type", () -> "varnish");
        registry.add("tailor.delivery.edges[1].url", () -> "http://127.0.0.1:" + NGINX_PORT);
        registry.add("tailor.delivery.edges[1].type", () -> "nginx");
        registry.add("tailor.delivery.purge-timeout", () -> "3s");
        // the edges run on this host: requests they forward count against the address each edge names
        registry.add("tailor.web.trusted-proxies", () -> "127.0.0.1");
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int originPort;

    @Autowired
    BlobStore store;

    /** This class's edge, in front of the origin. */
    @AutoClose
    E edge;

    @Autowired
    BootStandIn boot;

    @Autowired
    MeterRegistry meters;

    /** How a test class starts its edge (on {@link #VARNISH_PORT} or {@link #NGINX_PORT}) in front of the origin. */
    interface EdgeStart<E> {
        E at(int originPort) throws IOException;
    }

    private final EdgeStart<E> start;

    EdgeTestBase(EdgeStart<E> start) {
        this.start = start;
    }

    @BeforeAll
    final void startTheEdge() throws IOException {
        edge = start.at(originPort);
    }

    /**
     * The edge appends the address it saw to X-Forwarded-For, and Tailor, trusting the edge, counts the request
     * against that address (here a refused token's audit record): not the edge's own, not what the client claimed.
     * The client connects from 127.0.0.2 (all of 127/8 is this host's loopback), which is not trusted.
     */
    @Test
    void aRequestThroughTheEdge_countsAgainstTheAddressTheEdgeSaw_notWhatTheClientClaims() throws Exception {
        String app = "edge-seen-" + getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        String answer = fromSecondLoopback(edge.port(), "GET /v1/apps/" + app + "/audit HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer not-a-token\r\nX-Forwarded-For: 203.0.113.5\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 401");

        JsonNode refused = await().atMost(Duration.ofSeconds(10)).until(() -> authed(web.get()
                .uri("/v1/apps/{app}/audit", app)).exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody().path("events").path(0), e -> !e.isMissingNode());
        assertThat(refused.path("action").asString()).isEqualTo("token_refused");
        assertThat(refused.path("details").path("address").asString()).isEqualTo("127.0.0.2");
    }

    static String fromSecondLoopback(int port, String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** A GET through this class's edge. */
    HttpResponse<byte[]> edge(String path, String... headers) throws IOException, InterruptedException {
        return get(edge.port(), path, headers);
    }

    static HttpResponse<byte[]> get(int port, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The same GET from {@code n} clients at once, as a herd of devices would send it; the bodies. */
    static List<byte[]> concurrently(int n, int port, String path) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(() -> get(port, path).body());
            }
            List<byte[]> bodies = new ArrayList<>();
            for (Future<byte[]> f : pool.invokeAll(calls)) {
                bodies.add(f.get());
            }
            return bodies;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Image requests the origin answered with bytes, whole or a range. */
    double originFetches() {
        return originImages("full") + originImages("partial");
    }

    /** Requests the origin answered for images, by outcome (its own counter, not the edge's view). */
    double originImages(String outcome) {
        return Search.in(meters).name("tailor.images.served").tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    double purges(int edgePort) {
        return Search.in(meters).name("tailor.edge.purges").tag("edge", "http://127.0.0.1:" + edgePort).counters()
                .stream().mapToDouble(c -> c.count()).sum();
    }

    /** A real upload and release through the API, so the purge is triggered by the service's own event. */
    void release(String app, String channel) {
        String digest = authed(web.post().uri("/v1/apps/{app}/bundles", app)
                .contentType(MediaType.parseMediaType("application/gzip"))
                .bodyValue(Archives.hello(app).file("notes.txt", UUID.randomUUID().toString()).tarGz()))
                .exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class).returnResult()
                .getResponseBody().get("digest").asString();
        authed(web.put().uri("/v1/apps/{app}/channels/{channel}", app, channel)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"bundle\":\"" + digest + "\"}"))
                .exchange().expectStatus().isOk();
    }
}
