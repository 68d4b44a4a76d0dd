package dev.tailor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.tailor.ApiTestBase;
import dev.tailor.builds.HostileSources;
import dev.tailor.bundle.Archives;

/**
 * The limits on public paths, with small settings: calls and build starts per token per minute (429 with
 * Retry-After), bundles and bytes per app (409), and boots waiting at once per client address (429 at once, the
 * slot given back when a wait ends).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class LimitsApiTest {

    static final Path DATA_DIR = dev.tailor.testsupport.TempDirs.create("tailor-limits-test");
    static final String CALLER = "limited-token";
    static final String BUILDER = "builder-token";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tailor.data-dir", DATA_DIR::toString);
        registry.add("tailor.limits.management-per-minute", () -> "20"); // this class's admin calls stay below
        registry.add("tailor.limits.builds-per-minute", () -> "2");
        registry.add("tailor.limits.app-bundles", () -> "2");
        registry.add("tailor.limits.app-bytes", () -> "40KB");
        registry.add("tailor.limits.waiting-boots-per-client", () -> "2");
        registry.add("tailor.worker.timeout", () -> "30s");
        // as behind a CDN edge on this host: boots are counted against the device the edge names
        registry.add("tailor.web.trusted-proxies", () -> "127.0.0.1, 10.0.0.0/8");
        registry.add("tailor.auth.tokens[0].name", () -> "limited");
        registry.add("tailor.auth.tokens[0].sha256", () -> ApiTestBase.sha256(CALLER));
        registry.add("tailor.auth.tokens[0].roles", () -> "publish");
        registry.add("tailor.auth.tokens[0].apps", () -> "*");
        registry.add("tailor.auth.tokens[1].name", () -> "builder");
        registry.add("tailor.auth.tokens[1].sha256", () -> ApiTestBase.sha256(BUILDER));
        registry.add("tailor.auth.tokens[1].roles", () -> "build");
        registry.add("tailor.auth.tokens[1].apps", () -> "*");
    }

    @Autowired
    WebTestClient web;

    @Autowired
    WaitingBoots waiting;

    @LocalServerPort
    int port;

    String admin;

    @BeforeEach
    void token() {
        admin = dev.tailor.testsupport.TempDirs.adminToken(DATA_DIR);
        web = web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void aTokenPastItsCallsPerMinute_gets429WithRetryAfter_andOtherTokensAreNotTouched() {
        // the allowance refills steadily (one call every 3 s here), so a slow machine may fit in a few more
        int allowed = 0;
        org.springframework.test.web.reactive.server.EntityExchangeResult<String> refused = null;
        while (allowed < 60) {
            var r = web.get().uri("/v1/apps").header("Authorization", "Bearer " + CALLER).exchange()
                    .expectBody(String.class).returnResult();
            if (r.getStatus().value() != 200) {
                refused = r;
                break;
            }
            allowed++;
        }
        assertThat(allowed).isBetween(20, 59);
        assertThat(refused.getStatus().value()).isEqualTo(429);
        assertThat(Integer.parseInt(refused.getResponseHeaders().getFirst("Retry-After"))).isBetween(1, 3);
        assertThat(refused.getResponseHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(refused.getResponseBody()).contains("\"code\":\"request.rate_limited\"")
                .contains("tailor.limits.management-per-minute");
        // another token, and public paths, are not limited by it
        web.get().uri("/v1/apps").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
        web.get().uri("/v1/targets").exchange().expectStatus().isOk();
    }

    @Test
    void aTokenPastItsBuildStartsPerMinute_gets429() {
        String digest = upload("ratebuild", Archives.hello("ratebuild"));
        String body = "{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}";
        for (int i = 0; i < 2; i++) {
            web.post().uri("/v1/builds").header("Authorization", "Bearer " + BUILDER)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().is2xxSuccessful();
        }
        web.post().uri("/v1/builds").header("Authorization", "Bearer " + BUILDER)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(429).expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.code").isEqualTo("request.rate_limited")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("builds-per-minute"));
        // reading is not starting: the same token still reads the build list
        web.get().uri("/v1/builds").header("Authorization", "Bearer " + BUILDER).exchange().expectStatus().isOk();
    }

    @Test
    void anAppPastItsBundleCountOrBytes_gets409_andAKnownBundleStillUploads() {
        String first = upload("quota", Archives.hello("quota").file("src/a.c", "int a;\n"));
        upload("quota", Archives.hello("quota").file("src/b.c", "int b;\n"));
        web.post().uri("/v1/apps/quota/bundles").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.parseMediaType("application/x-tar"))
                .bodyValue(Archives.hello("quota").file("src/c.c", "int c;\n").tar()).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("app.quota_exceeded")
                .jsonPath("$.bundles").isEqualTo(2)
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("tailor.limits.app-bundles"));
        // the same files again are no new bundle
        assertThat(upload("quota", Archives.hello("quota").file("src/a.c", "int a;\n"))).isEqualTo(first);
        // nothing of the refused one is visible
        web.get().uri("/v1/apps/quota/bundles").header("Authorization", "Bearer " + admin).exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(2);

        // bytes: one bundle of 48 KiB passes 40 KB
        byte[] big = new byte[48 * 1024];
        new java.util.Random(1).nextBytes(big);
        web.post().uri("/v1/apps/bigquota/bundles").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.parseMediaType("application/x-tar"))
                .bodyValue(Archives.hello("bigquota").file("data.bin", big).tar()).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("tailor.limits.app-bytes"));
    }

    @Test
    void aFloodOfWaitingBootsFromOneAddress_holdsAtMostTheLimit_andSlotsComeBack() throws Exception {
        // an assembler that spins: the build cannot finish while the boots wait
        upload("waiting", Archives.of().file("tailor.yaml", "name: waiting\nversion: 1.0.0\nsources: [src/*.S]\n")
                .file("src/spin.S", HostileSources.SPIN));
        web.put().uri("/v1/apps/waiting/channels/stable").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"bundle\":\"" + lastDigest + "\"}")
                .exchange().expectStatus().isOk();
        HttpClient http = HttpClient.newHttpClient();
        URI boot = URI.create("http://127.0.0.1:" + port + "/v1/boot/waiting/stable?cpu=x86_64:sse3&wait=4");
        List<CompletableFuture<HttpResponse<String>>> waiters = List.of(
                http.sendAsync(HttpRequest.newBuilder(boot).build(), HttpResponse.BodyHandlers.ofString()),
                http.sendAsync(HttpRequest.newBuilder(boot).build(), HttpResponse.BodyHandlers.ofString()));
        await().atMost(Duration.ofSeconds(3)).until(() -> waiting.waiting("127.0.0.1") == 2);

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(boot).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("boot.too_many_waiting");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");

        for (CompletableFuture<HttpResponse<String>> w : waiters) {
            assertThat(w.get().statusCode()).isEqualTo(503); // the wait ended: still building
        }
        assertThat(waiting.waiting("127.0.0.1")).isZero();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(boot.toString()
                .replace("wait=4", "wait=1"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(503);
        assertThat(again.body()).contains("boot.building");

        // behind the edge (this host is a trusted proxy): each device has its own slots, a forged hop changes nothing
        URI shortWait = URI.create(boot.toString().replace("wait=4", "wait=3"));
        java.util.function.Function<String, HttpRequest> device = chain -> HttpRequest.newBuilder(shortWait)
                .header("X-Forwarded-For", chain).build();
        List<CompletableFuture<HttpResponse<String>>> deviceA = List.of(
                http.sendAsync(device.apply("203.0.113.7"), HttpResponse.BodyHandlers.ofString()),
                http.sendAsync(device.apply("198.51.100.1, 203.0.113.7, 10.1.1.1"), HttpResponse.BodyHandlers.ofString()));
        await().atMost(Duration.ofSeconds(3)).until(() -> waiting.waiting("203.0.113.7") == 2);
        assertThat(http.send(device.apply("203.0.113.7"), HttpResponse.BodyHandlers.ofString()).body())
                .contains("boot.too_many_waiting");
        CompletableFuture<HttpResponse<String>> deviceB = http.sendAsync(device.apply("203.0.113.8"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(3)).until(() -> waiting.waiting("203.0.113.8") == 1);
        assertThat(waiting.waiting("127.0.0.1")).as("the edge itself holds no slot").isZero();
        for (CompletableFuture<HttpResponse<String>> w : List.of(deviceA.get(0), deviceA.get(1), deviceB)) {
            assertThat(w.get().statusCode()).isEqualTo(503);
        }
        assertThat(waiting.waiting("203.0.113.7") + waiting.waiting("203.0.113.8")).isZero();
    }

    String lastDigest;

    String upload(String app, Archives archive) {
        lastDigest = web.post().uri("/v1/apps/" + app + "/bundles").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.parseMediaType("application/x-tar")).bodyValue(archive.tar()).exchange()
                .expectStatus().is2xxSuccessful().expectBody(tools.jackson.databind.JsonNode.class)
                .returnResult().getResponseBody().path("digest").asString();
        return lastDigest;
    }
}
