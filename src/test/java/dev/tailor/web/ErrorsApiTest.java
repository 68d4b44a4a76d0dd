package dev.tailor.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;

/** Framework-level failures are problem documents with codes too, never HTML, stack traces or 500s. */
class ErrorsApiTest extends ApiTestBase {

    @Test
    void unknownPath_is404Problem() {
        web.get().uri("/v1/nothing/here").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody().jsonPath("$.code").isEqualTo("http.not_found").jsonPath("$.trace").doesNotExist();
    }

    @Test
    void wrongMethod_is405Problem() {
        web.delete().uri("/v1/apps").exchange().expectStatus().isEqualTo(405)
                .expectBody().jsonPath("$.code").isEqualTo("http.method_not_allowed");
    }

    @Test
    void wrongContentType_is415Problem() {
        authed(web.put().uri("/v1/apps/x/channels/y").contentType(MediaType.TEXT_PLAIN).bodyValue("hi"))
                .exchange().expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.code").isEqualTo("http.unsupported_media_type");
    }

    @Test
    void binaryGarbageAsJson_is400Problem() {
        authed(web.put().uri("/v1/apps/x/channels/y").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new byte[] {(byte) 0xff, 0, 1, 2, (byte) 0xfe})).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("request.malformed");
    }
}
