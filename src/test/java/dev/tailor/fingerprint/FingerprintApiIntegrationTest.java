package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The wiring as it runs: beans, the problem advice, a real server reading a body past the cap. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class FingerprintApiIntegrationTest {

    @Autowired
    WebTestClient client;

    @Autowired
    TargetResolver resolver;

    @Test
    void resolverBean_isUsableInProcess() {
        CpuProfile p = FingerprintParser.parseCompact("aarch64:fp,asimd,aes,pmull,sha1,sha2");
        assertThat(resolver.resolve(p, Policy.LEVEL).target().id()).isEqualTo("aarch64-v8.0-crypto");
    }

    @Test
    void resolve_overHttp() {
        client.post().uri("/v1/fingerprints/resolve?policy=native").contentType(MediaType.TEXT_PLAIN)
                .bodyValue(Corpus.get("linux-ubuntu22.04-neoverse_n2").text()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.target.id").isEqualTo("aarch64-neoverse_n2");
        client.get().uri("/v1/targets/aarch64-neoverse_n2").exchange().expectStatus().isOk();
        client.get().uri("/v1/targets/nope").exchange().expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("target.unknown");
    }

    @Test
    void bodyPastTheCap_is413_evenWithoutContentLength() {
        // just past the cap: far larger bodies are cut off mid-upload, which a test client reports as a reset
        byte[] huge = new byte[FingerprintParser.MAX_BODY_BYTES + 4096];
        java.util.Arrays.fill(huge, (byte) 'f');
        client.post().uri("/v1/fingerprints/resolve").contentType(MediaType.TEXT_PLAIN).bodyValue(huge).exchange()
                .expectStatus().isEqualTo(413).expectBody().jsonPath("$.code").isEqualTo("request.too_large");
        client.post().uri("/v1/fingerprints/resolve").contentType(MediaType.TEXT_PLAIN)
                .body(reactor.core.publisher.Flux.range(0, 120).map(i -> "flags : sse ".repeat(200)),
                        String.class)
                .exchange().expectStatus().isEqualTo(413);
    }

    @Test
    void garbageJson_isA400ProblemNotA500() {
        client.post().uri("/v1/fingerprints/resolve").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"arch\":")
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.code")
                .isEqualTo("fingerprint.unparseable");
    }
}
