package dev.tailor.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import tools.jackson.databind.JsonNode;

@Import(ChannelApiTest.Events.class)
class ChannelApiTest extends ApiTestBase {

    @TestConfiguration
    static class Events {
        final List<ChannelReleased> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @EventListener
        void on(ChannelReleased event) {
            seen.add(event);
        }
    }

    @Autowired
    Events events;

    String upload(String app, String extra) {
        return authed(web.post().uri("/v1/apps/{app}/bundles", app)
                .contentType(MediaType.parseMediaType("application/gzip"))
                .bodyValue(Archives.hello(app).file("notes.txt", extra).tarGz()))
                .exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class).returnResult()
                .getResponseBody().get("digest").asString();
    }

    JsonNode release(String app, String channel, String digest) {
        return authed(web.put().uri("/v1/apps/{app}/channels/{channel}", app, channel)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"bundle\":\"" + digest + "\"}"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    @Test
    void release_movesTheChannel_keepsHistory_andAnnouncesIt() {
        String v1 = upload("chan", "one");
        String v2 = upload("chan", "two");
        release("chan", "stable", v1);
        JsonNode doc = release("chan", "stable", v2);
        assertThat(doc.get("bundle").asString()).isEqualTo(v2);
        assertThat(doc.get("history")).hasSize(2);
        assertThat(doc.at("/history/0/bundle").asString()).isEqualTo(v2);
        assertThat(doc.at("/history/1/bundle").asString()).isEqualTo(v1);
        assertThat(doc.at("/history/0/by").asString()).isEqualTo("admin");

        authed(web.get().uri("/v1/apps/chan/channels/stable")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.bundle").isEqualTo(v2).jsonPath("$.history.length()").isEqualTo(2);
        authed(web.get().uri("/v1/apps")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.app == 'chan')].channels[0].bundle").isEqualTo(v2);
        assertThat(events.seen).filteredOn(e -> e.channel().app().equals("chan")).hasSize(2)
                .last().satisfies(e -> {
                    assertThat(e.previous().bundle().toString()).isEqualTo(v1);
                    assertThat(e.bundle().manifest().name()).isEqualTo("chan");
                });
    }

    @Test
    void release_ofAnUnknownOrForeignBundle_is422() {
        String foreign = upload("elsewhere", "x");
        authed(web.put().uri("/v1/apps/chan2/channels/stable").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + foreign + "\"}")).exchange()
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("channel.unknown_bundle");
    }

    @Test
    void badReleaseBodies_areProblems() {
        authed(web.put().uri("/v1/apps/chan/channels/stable").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\": 42")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("request.malformed");
        authed(web.put().uri("/v1/apps/chan/channels/stable").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")).exchange()
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("channel.bundle_required");
        authed(web.put().uri("/v1/apps/chan/channels/stable").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"md5:abc\"}")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("digest.invalid");
        authed(web.put().uri("/v1/apps/chan/channels/Not..Valid").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("channel.invalid_name");
        authed(web.get().uri("/v1/apps/chan/channels/nope")).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("channel.not_found");
    }
}
