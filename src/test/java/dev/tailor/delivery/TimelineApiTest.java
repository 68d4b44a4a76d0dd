package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import tools.jackson.databind.JsonNode;

/** {@code GET /v1/apps/{app}/stats/timeline}: boots answered, cold and warm, land in the current minute. */
class TimelineApiTest extends ApiTestBase {

    @Test
    void boots_areCountedInTheCurrentMinute() {
        String digest = authed(web.post().uri("/v1/apps/{app}/bundles", "timeline-app")
                .contentType(MediaType.parseMediaType("application/gzip")).bodyValue(Archives.hello("timeline-app").tarGz()))
                .exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class).returnResult()
                .getResponseBody().get("digest").asString();
        authed(web.put().uri("/v1/apps/{app}/channels/stable", "timeline-app").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + digest + "\"}")).exchange().expectStatus().isOk();
        for (int i = 0; i < 3; i++) { // the first cold (the controller), the others warm (the fast path)
            web.get().uri("/v1/boot/timeline-app/stable?wait=60&cpu=" + BootApiTest.V2).exchange().expectStatus().isFound();
        }
        web.get().uri("/v1/boot/timeline-app/stable?cpu=x86_64:sse2,sse,popcnt").exchange()
                .expectStatus().isTemporaryRedirect(); // not canonical: a boot answer, no image

        JsonNode t = authed(web.get().uri("/v1/apps/timeline-app/stats/timeline")).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(t.get("app").asString()).isEqualTo("timeline-app");
        assertThat(t.get("bucketSeconds").asInt()).isEqualTo(60);
        assertThat(t.get("points").size()).isEqualTo(60);
        long served = 0;
        long answers = 0;
        for (JsonNode p : t.get("points")) {
            served += p.get("imagesServed").asLong();
            answers += p.get("bootAnswers").asLong();
            assertThat(p.get("edgePurges").asLong()).isZero(); // no edges are configured here
            assertThat(p.get("at").asString()).endsWith(":00Z");
        }
        assertThat(served).isEqualTo(3);
        assertThat(answers).isEqualTo(4);
    }

    @Test
    void theTimeline_needsATokenForTheApp_andAValidName() {
        web.get().uri("/v1/apps/timeline-app/stats/timeline").exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("auth.missing_token");
        web.get().uri("/v1/apps/other-app/stats/timeline").header("Authorization", "Bearer " + PUBLISHER_TOKEN)
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("auth.forbidden_app");
        authed(web.get().uri("/v1/apps/Bad_Name/stats/timeline")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("app.invalid_name");
    }
}
