package dev.tailor.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.tailor.ApiTestBase;
import dev.tailor.builds.HostileSources;
import dev.tailor.bundle.Archives;
import dev.tailor.store.BlobStore;
import tools.jackson.databind.JsonNode;

/**
 * The collector and the audit trail through the API, the same on every store: what channels use (now and in their
 * last two releases) stays, with its images; the rest goes with its builds and images, a dry run first; a bundle with
 * a build in flight stays; every action is in the app's trail. The subclasses choose the store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
abstract class RetentionContract {

    static final String PUBLISHER = "gc-publisher";

    @DynamicPropertySource
    static void retention(DynamicPropertyRegistry registry) {
        registry.add("tailor.retention.keep-releases", () -> "2");
        registry.add("tailor.retention.grace", () -> "0s");
        registry.add("tailor.retention.scheduled", () -> "false");
        registry.add("tailor.worker.timeout", () -> "20s");
        registry.add("tailor.auth.tokens[0].name", () -> "publisher");
        registry.add("tailor.auth.tokens[0].sha256", () -> ApiTestBase.sha256(PUBLISHER));
        registry.add("tailor.auth.tokens[0].roles", () -> "publish");
        registry.add("tailor.auth.tokens[0].apps", () -> "*");
    }

    @Autowired
    WebTestClient web;

    @Autowired
    BlobStore store;

    abstract String adminToken();

    @Test
    void theCollector_keepsWhatChannelsUse_andDeletesTheRest_dryRunFirst_andTheTrailSaysSo() {
        web = web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        String b1 = upload(version(1));
        String b2 = upload(version(2));
        String b3 = upload(version(3));
        String b4 = upload(version(4)); // never released
        String spinning = upload(Archives.of().file("tailor.yaml", "name: gcapp\nversion: 9\nsources: [src/*.S]\n")
                .file("src/spin.S", HostileSources.SPIN));
        for (String b : List.of(b1, b2, b3)) {
            authed(web.put().uri("/v1/apps/gcapp/channels/stable")).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"bundle\":\"" + b + "\"}").exchange().expectStatus().isOk();
        }
        // releases prebuild: let those finish, so only the spinning build below is in flight
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> inFlight() == 0);
        JsonNode old = build(b1, 60);
        JsonNode current = build(b3, 60);
        assertThat(old.path("status").asString()).isEqualTo("succeeded");
        String oldImage = old.path("image").path("url").asString();
        String currentImage = current.path("image").path("url").asString();
        build(spinning, 0); // compiles for a while: in flight during the collection

        JsonNode dry = gc(true);
        assertThat(dry.path("dryRun").asBoolean()).isTrue();
        assertThat(digests(dry.path("deleted"))).containsExactlyInAnyOrder(b1, b4);
        assertThat(digests(dry.path("skipped"))).containsExactly(spinning);
        assertThat(dry.path("buildRecords").asInt()).isEqualTo(1);
        assertThat(dry.path("images").size()).isEqualTo(1);
        assertThat(dry.path("bytesFreed").asLong()).isPositive();
        bundle(b1).expectStatus().isOk(); // a dry run deletes nothing
        web.get().uri(oldImage).exchange().expectStatus().isOk();

        JsonNode real = gc(false);
        assertThat(digests(real.path("deleted"))).containsExactlyInAnyOrder(b1, b4);
        assertThat(real.path("bytesFreed").asLong()).isEqualTo(dry.path("bytesFreed").asLong());
        bundle(b1).expectStatus().isNotFound();
        bundle(b4).expectStatus().isNotFound();
        bundle(b2).expectStatus().isOk();
        bundle(b3).expectStatus().isOk();
        bundle(spinning).expectStatus().isOk();
        web.get().uri(oldImage).exchange().expectStatus().isNotFound();
        web.get().uri(oldImage + ".sig").exchange().expectStatus().isNotFound();
        authed(web.get().uri("/v1/builds/" + old.path("id").asString())).exchange().expectStatus().isNotFound();
        assertThat(store.list("")).noneMatch(i -> i.key().contains(b1.substring(7)) || i.key().contains(b4.substring(7)));
        web.get().uri(currentImage).exchange().expectStatus().isOk();
        web.get().uri("/v1/boot/gcapp/stable?cpu=x86_64:sse3&policy=portable&wait=30").exchange()
                .expectStatus().isFound().expectHeader().valueEquals("Location", currentImage);
        // a second collection finds nothing more
        assertThat(gc(false).path("deleted").size()).isZero();

        // the trail: uploads, releases, the collection, and a refused token, newest first
        web.get().uri("/v1/apps/gcapp/bundles").header("Authorization", "Bearer not-a-token").exchange()
                .expectStatus().isUnauthorized();
        // the refusal's record is stored off the event loop: it shows up shortly
        JsonNode trail = await().atMost(Duration.ofSeconds(10)).until(() -> authed(web.get().uri("/v1/apps/gcapp/audit?limit=1000"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody(),
                t -> t.path("events").get(0).path("action").asString().equals("token_refused"));
        List<String> actions = new ArrayList<>();
        trail.path("events").forEach(e -> actions.add(e.path("action").asString()));
        assertThat(actions.get(0)).isEqualTo("token_refused");
        assertThat(trail.path("events").get(0).path("outcome").asString()).isEqualTo("auth.invalid_token");
        assertThat(trail.path("events").get(0).path("details").path("path").asString()).isEqualTo("/v1/apps/gcapp/bundles");
        assertThat(actions).containsSubsequence("gc", "release", "release",
                "release", "upload");
        assertThat(actions.stream().filter("upload"::equals)).hasSize(5);
        JsonNode deletedEvent = trail.path("events").get(actions.indexOf("gc"));
        assertThat(deletedEvent.path("actor").asString()).isEqualTo("admin");
        assertThat(digests(deletedEvent.path("details").path("bundles"))).containsExactlyInAnyOrder(b1, b4);
        JsonNode release = trail.path("events").get(actions.indexOf("release"));
        assertThat(release.path("details").path("bundle").asString()).isEqualTo(b3);
        assertThat(release.path("details").path("previous").asString()).isEqualTo(b2);
        authed(web.get().uri("/v1/apps/gcapp/audit?limit=0")).exchange().expectStatus().isBadRequest();

        // only admins collect
        web.post().uri("/v1/admin/gc").header("Authorization", "Bearer " + PUBLISHER).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("auth.forbidden_role");
    }

    private static Archives version(int n) {
        return Archives.of().file("tailor.yaml", "name: gcapp\nversion: 1.0.0\nsources: [src/*.c]\narchs: [x86_64]\n")
                .file("src/main.c", "int version = " + n + ";\nint main(void) { return 0; }\n");
    }

    private int inFlight() {
        int n = 0;
        for (String status : List.of("queued", "running")) {
            n += authed(web.get().uri("/v1/builds?app=gcapp&status=" + status)).exchange().expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody().size();
        }
        return n;
    }

    private String upload(Archives archive) {
        return authed(web.post().uri("/v1/apps/gcapp/bundles")).contentType(MediaType.parseMediaType("application/x-tar"))
                .bodyValue(archive.tar()).exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class)
                .returnResult().getResponseBody().path("digest").asString();
    }

    private JsonNode build(String bundle, int wait) {
        return authed(web.post().uri("/v1/builds?wait=" + wait)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + bundle + "\",\"target\":\"x86_64-v1\"}").exchange()
                .expectStatus().is2xxSuccessful().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode gc(boolean dryRun) {
        return authed(web.post().uri("/v1/admin/gc?dryRun=" + dryRun)).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec bundle(String digest) {
        return authed(web.get().uri("/v1/apps/gcapp/bundles/" + digest.replace(':', '/'))).exchange();
    }

    private static List<String> digests(JsonNode array) {
        List<String> d = new ArrayList<>();
        array.forEach(n -> d.add(n.isString() ? n.asString() : n.path("bundle").asString()));
        return d;
    }

    private WebTestClient.RequestHeadersSpec<?> authed(WebTestClient.RequestHeadersSpec<?> spec) {
        return spec.header("Authorization", "Bearer " + adminToken());
    }

    private WebTestClient.RequestBodySpec authed(WebTestClient.RequestBodySpec spec) {
        return (WebTestClient.RequestBodySpec) spec.header("Authorization", "Bearer " + adminToken());
    }
}
