package dev.tailor.delivery;

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
