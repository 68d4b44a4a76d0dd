package dev.tailor.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import tools.jackson.databind.JsonNode;

/** The trail records retries and tokens refused for a role or an app, with who and what (the rest: RetentionContract). */
class AuditTrailTest extends ApiTestBase {

    @Test
    void aRetry_andATokenRefusedForTheApp_areInTheAppsTrail() {
        String digest = authed(web.post().uri("/v1/apps/audited/bundles"))
                .contentType(MediaType.parseMediaType("application/x-tar"))
                .bodyValue(Archives.of().file("tailor.yaml", "name: audited\nversion: 1\nsources: [src/*.c]\narchs: [x86_64]\n")
                        .file("src/main.c", "int main(void) { return oops; }\n").tar())
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("digest").asString();
        JsonNode failed = authed(web.post().uri("/v1/builds?wait=60")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        String id = failed.path("id").asString();
        web.post().uri("/v1/builds/" + id + "/retry?wait=60").header("Authorization", "Bearer " + BUILDER_TOKEN)
                .exchange().expectStatus().isOk();
        web.get().uri("/v1/apps/audited/bundles").header("Authorization", "Bearer " + PUBLISHER_TOKEN).exchange()
                .expectStatus().isForbidden();

        // a refusal's record is stored off the event loop: it shows up shortly, newest first
        JsonNode events = await().atMost(Duration.ofSeconds(10)).until(() -> authed(web.get().uri("/v1/apps/audited/audit"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("events"), e -> e.get(0).path("action").asString().equals("token_refused"));
        JsonNode refused = events.get(0);
        assertThat(refused.path("action").asString()).isEqualTo("token_refused");
        assertThat(refused.path("actor").asString()).isEqualTo("publisher");
        assertThat(refused.path("outcome").asString()).isEqualTo("auth.forbidden_app");
        JsonNode retry = events.get(1);
        assertThat(retry.path("action").asString()).isEqualTo("retry");
        assertThat(retry.path("actor").asString()).isEqualTo("builder");
        assertThat(retry.path("details").path("build").asString()).isEqualTo(id);
        assertThat(retry.path("details").path("target").asString()).isEqualTo("x86_64-v1");
        assertThat(events.get(2).path("action").asString()).isEqualTo("upload");
        assertThat(events.get(2).path("details").path("bundle").asString()).isEqualTo(digest);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.RequestBodySpec authed(
            org.springframework.test.web.reactive.server.WebTestClient.RequestBodySpec spec) {
        return (org.springframework.test.web.reactive.server.WebTestClient.RequestBodySpec) spec
                .header("Authorization", "Bearer " + adminToken);
    }
}
