package dev.tailor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import tools.jackson.databind.JsonNode;

/**
 * Metadata truncated on disk (as a disk that lied about a write would leave it): a clear 500 {@code store.corrupt}
 * naming the object, and the rest keeps working: other channels, listings, boots, and a release that replaces it.
 */
class CorruptDocumentTest extends ApiTestBase {

    @Test
    void aTruncatedChannel_isAClearErrorForItAlone_andAReleaseRepairsIt() throws IOException {
        String digest = upload("damaged");
        release("damaged", "stable", digest);
        release("damaged", "beta", digest);
        truncate(DATA_DIR.resolve("blobs/meta/channels/damaged/stable.json"));

        // documents are cached for a few seconds: the damage shows once the copy in memory expires
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                authed(web.get().uri("/v1/apps/damaged/channels/stable")).exchange().returnResult(String.class)
                        .getStatus().value() == 500);
        authed(web.get().uri("/v1/apps/damaged/channels/stable")).exchange().expectStatus().isEqualTo(500)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("store.corrupt")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("meta/channels/damaged/stable.json"));

        JsonNode apps = authed(web.get().uri("/v1/apps")).exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
        JsonNode damaged = null;
        for (JsonNode a : apps) {
            if (a.path("app").asString().equals("damaged")) {
                damaged = a;
            }
        }
        assertThat(damaged).isNotNull();
        assertThat(damaged.path("channels").size()).isEqualTo(1);
        assertThat(damaged.path("channels").get(0).path("channel").asString()).isEqualTo("beta");
        web.get().uri("/v1/boot/damaged/beta?cpu=x86_64:sse3&policy=portable&wait=30").exchange()
                .expectStatus().isFound();

        release("damaged", "stable", digest);
        authed(web.get().uri("/v1/apps/damaged/channels/stable")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.history.length()").isEqualTo(1);
    }

    @Test
    void aTruncatedBundle_isAClearErrorForIt_andListingsGoOn() throws IOException {
        String good = upload("damaged2");
        String bad = upload("damaged2", "int other;\n");
        String hex = bad.substring("sha256:".length());
        truncate(DATA_DIR.resolve("blobs/meta/bundles/sha256/" + hex + ".json"));
        truncate(DATA_DIR.resolve("blobs/meta/app-bundles/damaged2/" + hex + ".json"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                authed(web.get().uri("/v1/apps/damaged2/bundles/sha256/" + hex)).exchange().returnResult(String.class)
                        .getStatus().value() == 500);
        authed(web.get().uri("/v1/apps/damaged2/bundles/sha256/" + hex)).exchange().expectBody()
                .jsonPath("$.code").isEqualTo("store.corrupt");
        authed(web.get().uri("/v1/apps/damaged2/bundles")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].digest").isEqualTo(good);

        // the damaged one is left out, the rest builds as before
        authed(web.post().uri("/v1/builds?wait=60")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + good + "\",\"target\":\"x86_64-v1\"}").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("succeeded");
    }

    private static void truncate(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    private String upload(String app) {
        return upload(app, "int v;\n");
    }

    private String upload(String app, String extra) {
        return authed(web.post().uri("/v1/apps/" + app + "/bundles"))
                .contentType(MediaType.parseMediaType("application/x-tar"))
                .bodyValue(Archives.hello(app).file("src/extra.c", extra).tar()).exchange()
                .expectStatus().is2xxSuccessful().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("digest").asString();
    }

    private void release(String app, String channel, String digest) {
        authed(web.put().uri("/v1/apps/" + app + "/channels/" + channel)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + digest + "\"}").exchange().expectStatus().isOk();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.RequestBodySpec authed(
            org.springframework.test.web.reactive.server.WebTestClient.RequestBodySpec spec) {
        return (org.springframework.test.web.reactive.server.WebTestClient.RequestBodySpec) spec
                .header("Authorization", "Bearer " + adminToken);
    }
}
