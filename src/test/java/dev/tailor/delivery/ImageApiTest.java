package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.tailor.store.Layout;
import dev.tailor.ApiTestBase;
import dev.tailor.store.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

class ImageApiTest extends ApiTestBase {

    @Autowired
    BlobStore store;

    @Autowired
    MeterRegistry meters;

    TestImages.Stored image;

    @BeforeEach
    void storeImage() {
        image = TestImages.put(store, 300_001);
        web = web.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
    }

    String etag() {
        return "\"sha256:" + image.digest().hex() + "\"";
    }

    @Test
    void get_servesTheExactBytes_withImmutableContentAddressedHeaders() {
        byte[] body = web.get().uri(image.url()).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag())
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable")
                .expectHeader().valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
                .expectHeader().valueEquals("Repr-Digest", "sha-256=:"
                        + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(image.digest().hex())) + ":")
                .expectHeader().contentLength(image.bytes().length)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).isEqualTo(image.bytes());
    }

    @Test
    void aKnownImage_isServedByTheFastPath_withTheSameAnswerAndMetrics() {
        // the first request finds the image in the store, the later ones are answered before handler mapping
        List<EntityExchangeResult<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(web.get().uri(image.url()).exchange().expectStatus().isOk()
                    .expectBody(byte[].class).returnResult());
        }
        for (EntityExchangeResult<byte[]> r : results) {
            assertThat(r.getResponseBody()).isEqualTo(image.bytes());
            assertThat(r.getResponseHeaders().toSingleValueMap()).isEqualTo(
                    results.get(0).getResponseHeaders().toSingleValueMap());
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                meters.find("http.server.requests").tag("uri", "/v1/images/sha256/{name}").tag("status", "200")
                        .timers().stream().mapToLong(t -> t.count()).sum()).isGreaterThanOrEqualTo(3));
    }

    @Test
    void head_answersTheHeadersAndLength_withoutABody() {
        for (int i = 0; i < 2; i++) { // the store's answer, then the fast path's
            var result = web.head().uri(image.url()).exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals(HttpHeaders.ETAG, etag())
                    .expectHeader().contentLength(image.bytes().length)
                    .expectHeader().valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
                    .expectBody().returnResult();
            assertThat(result.getResponseBody()).isNullOrEmpty();
        }
    }

    @Test
    void range_closedOpenEndedAndSuffix_answer206WithContentRange() {
        int n = image.bytes().length;
        expectPartial("bytes=10-19", 10, 19);
        expectPartial("bytes=299990-", 299_990, n - 1);
        expectPartial("bytes=-100", n - 100, n - 1);
        expectPartial("bytes=0-999999999", 0, n - 1); // a last position past the end is clipped
        expectPartial("bytes=-999999999", 0, n - 1);  // so is a suffix longer than the image
    }

    private void expectPartial(String range, int first, int last) {
        byte[] body = web.get().uri(image.url()).header(HttpHeaders.RANGE, range).exchange()
                .expectStatus().isEqualTo(206)
                .expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE,
                        "bytes " + first + "-" + last + "/" + image.bytes().length)
                .expectHeader().contentLength(last - first + 1)
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag())
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).isEqualTo(Arrays.copyOfRange(image.bytes(), first, last + 1));
    }

    @Test
    void range_beyondTheEnd_is416_withTheSize() {
        for (String range : new String[] {"bytes=300001-", "bytes=400000-400010", "bytes=-0"}) {
            web.get().uri(image.url()).header(HttpHeaders.RANGE, range).exchange()
                    .expectStatus().isEqualTo(416)
                    .expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes */300001")
                    .expectBody().jsonPath("$.code").isEqualTo("range.unsatisfiable");
        }
    }

    @Test
    void range_severalRangesOrMalformed_answerTheWholeImage() {
        for (String range : new String[] {"bytes=0-9,20-29", "bytes=5-2", "items=0-9", "bytes=abc"}) {
            byte[] body = web.get().uri(image.url()).header(HttpHeaders.RANGE, range).exchange()
                    .expectStatus().isOk()
                    .expectHeader().doesNotExist(HttpHeaders.CONTENT_RANGE)
                    .expectBody(byte[].class).returnResult().getResponseBody();
            assertThat(body).as(range).isEqualTo(image.bytes());
        }
    }

    @Test
    void ifNoneMatch_withTheTagAListAWeakTagOrStar_is304() {
        for (String inm : new String[] {etag(), "\"other\", " + etag(), "W/" + etag(), "*"}) {
            web.get().uri(image.url()).header(HttpHeaders.IF_NONE_MATCH, inm).exchange()
                    .expectStatus().isNotModified()
                    .expectHeader().valueEquals(HttpHeaders.ETAG, etag())
                    .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable")
                    .expectBody().isEmpty();
        }
        web.get().uri(image.url()).header(HttpHeaders.IF_NONE_MATCH, "\"sha256:" + "0".repeat(64) + "\"")
                .exchange().expectStatus().isOk();
    }

    @Test
    void ifRange_honoursTheRangeOnlyForOurTag() {
        web.get().uri(image.url()).header(HttpHeaders.RANGE, "bytes=0-9").header(HttpHeaders.IF_RANGE, etag())
                .exchange().expectStatus().isEqualTo(206);
        web.get().uri(image.url()).header(HttpHeaders.RANGE, "bytes=0-9").header(HttpHeaders.IF_RANGE, "\"stale\"")
                .exchange().expectStatus().isOk().expectHeader().contentLength(image.bytes().length);
        web.get().uri(image.url()).header(HttpHeaders.RANGE, "bytes=0-9")
                .header(HttpHeaders.IF_RANGE, "Sun, 29 Nov 2026 10:00:00 GMT")
                .exchange().expectStatus().isOk();
    }

    @Test
    void unknownImage_is404_neverCacheable() {
        web.get().uri("/v1/images/" + TestImages.unknown().path()).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody().jsonPath("$.code").isEqualTo("image.not_found");
        web.get().uri("/v1/images/" + TestImages.unknown().path() + ".sig").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("image.not_found");
    }

    @Test
    void malformedDigest_is400() {
        for (String name : new String[] {"abc", "A".repeat(64), "g".repeat(64), "abc.sig"}) {
            web.get().uri("/v1/images/sha256/" + name).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.code").isEqualTo("digest.invalid");
        }
        web.get().uri("/v1/images/sha256/xyz/provenance").exchange().expectStatus().isBadRequest();
    }

    @Test
    void signatureAndProvenance_areServedImmutable() {
        byte[] sig = new byte[64];
        new java.util.Random().nextBytes(sig);
        store.put(Layout.signature(image.digest()), new ByteArrayInputStream(sig));
        String provenance = "{\"payload\":{\"image\":\"" + image.digest() + "\"},\"signature\":\"x\"}";
        store.put(Layout.provenance(image.digest()),
                new ByteArrayInputStream(provenance.getBytes(StandardCharsets.UTF_8)));

        byte[] body = web.get().uri(image.url() + ".sig").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable")
                .expectHeader().contentLength(64)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).isEqualTo(sig);

        JsonNode doc = web.get().uri(image.url() + "/provenance").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable")
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(doc.at("/payload/image").asString()).isEqualTo(image.digest().toString());
    }

    @Test
    void missingSidecarsOfAStoredImage_haveTheirOwnCodes() {
        web.get().uri(image.url() + ".sig").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("signature.not_found");
        web.get().uri(image.url() + "/provenance").exchange().expectStatus().isNotFound()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody().jsonPath("$.code").isEqualTo("provenance.not_found");
    }
}
