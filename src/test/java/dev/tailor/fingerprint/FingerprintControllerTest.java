package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class FingerprintControllerTest {

    private final TargetStats stats = new TargetStats();
    private final WebTestClient client = WebTestClient
            .bindToController(new FingerprintController(new Fingerprints(Corpus.RESOLVER, stats), stats,
                    dev.tailor.toolchain.Toolchains.load().bootMachines()))
            .controllerAdvice(ProblemAdvice.instance()).build();

    private WebTestClient.ResponseSpec post(String uri, MediaType type, byte[] body) {
        return client.post().uri(uri).contentType(type).bodyValue(body).exchange();
    }

    @Test
    void procCpuinfo_resolvesWithExplanationAndNextTarget() {
        post("/v1/fingerprints/resolve?policy=native", MediaType.TEXT_PLAIN,
                Corpus.get("linux-rhel7-broadwell").text().getBytes()).expectStatus().isOk().expectBody()
                .jsonPath("$.arch").isEqualTo("x86_64")
                .jsonPath("$.vendor").isEqualTo("GenuineIntel")
                .jsonPath("$.model").value(m -> assertThat((String) m).contains("E5-2690 v4"))
                .jsonPath("$.policy").isEqualTo("native")
                .jsonPath("$.target.id").isEqualTo("x86_64-broadwell")
                .jsonPath("$.target.cflags[0]").isEqualTo("-march=broadwell")
                .jsonPath("$.features").value(f -> assertThat(f.toString()).contains("avx2").doesNotContain("vme"))
                .jsonPath("$.reasons").isNotEmpty()
                .jsonPath("$.next.id").isEqualTo("x86_64-skylake")
                .jsonPath("$.next.missing").isNotEmpty();
    }

    @Test
    void defaultPolicy_isLevel() {
        post("/v1/fingerprints/resolve", MediaType.TEXT_PLAIN, Corpus.get("linux-rhel7-broadwell").text().getBytes())
                .expectStatus().isOk().expectBody().jsonPath("$.policy").isEqualTo("level")
                .jsonPath("$.target.id").isEqualTo("x86_64-v3").jsonPath("$.next.id").isEqualTo("x86_64-v4");
    }

    @Test
    void jsonForms_resolve() {
        post("/v1/fingerprints/resolve", MediaType.APPLICATION_JSON,
                "{\"arch\":\"arm64\",\"features\":[\"fp\",\"asimd\",\"crc\",\"lse\",\"rdm\",\"aes\",\"pmull\",\"sha1\",\"sha2\"]}"
                        .getBytes()).expectStatus().isOk().expectBody()
                .jsonPath("$.target.id").isEqualTo("aarch64-v8.1-crypto").jsonPath("$.arch").isEqualTo("aarch64");
        post("/v1/fingerprints/resolve?policy=portable", MediaType.APPLICATION_JSON,
                "{\"arch\":\"aarch64\",\"hwcap\":\"0xff\"}".getBytes()).expectStatus().isOk().expectBody()
                .jsonPath("$.target.id").isEqualTo("aarch64-v8.0")
                .jsonPath("$.next.id").isEqualTo("aarch64-v8.0-crypto");
    }

    @Test
    void compactForm_inQueryOrHeader_resolvesWithoutABody() {
        client.post().uri("/v1/fingerprints/resolve?cpu=armv7:vfp,vfpv3,neon,vfpv4,bogus").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.target.id").isEqualTo("armv7-neon-vfpv4")
                .jsonPath("$.reasons").value(r -> assertThat(r.toString()).contains("bogus"))
                .jsonPath("$.next").doesNotExist();
        client.post().uri("/v1/fingerprints/resolve").header("Tailor-CPU", "x86_64:sse2,sse3,ssse3,sse4.1,sse4.2,"
                + "popcnt,cx16,lahf_lm").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.target.id").isEqualTo("x86_64-v2");
    }

    @Test
    void mixedArmView_resolvesToArmv7_orAarch64WhenAsked() {
        byte[] body = Corpus.get("galaxy-s6.armeabi.log").text().getBytes();
        post("/v1/fingerprints/resolve", MediaType.TEXT_PLAIN, body).expectStatus().isOk().expectBody()
                .jsonPath("$.arch").isEqualTo("armv7");
        post("/v1/fingerprints/resolve?arch=aarch64", MediaType.TEXT_PLAIN, body).expectStatus().isOk().expectBody()
                .jsonPath("$.arch").isEqualTo("aarch64").jsonPath("$.target.id").isEqualTo("aarch64-v8.0-crypto");
    }

    @Test
    void badInput_gets4xxProblemDocumentsWithStableCodes() {
        expectProblem(post("/v1/fingerprints/resolve?policy=fastest", MediaType.TEXT_PLAIN, "x86_64:sse2".getBytes()),
                400, "fingerprint.bad_policy");
        expectProblem(post("/v1/fingerprints/resolve", MediaType.APPLICATION_JSON,
                "{\"arch\":\"sparc\",\"features\":[]}".getBytes()), 400, "fingerprint.unknown_arch");
        expectProblem(post("/v1/fingerprints/resolve", MediaType.TEXT_PLAIN, "lorem ipsum".getBytes()), 400,
                "fingerprint.unparseable");
        expectProblem(post("/v1/fingerprints/resolve", MediaType.TEXT_PLAIN, new byte[] {0, 1, 2, (byte) 0xff}), 400,
                "fingerprint.unparseable");
        expectProblem(client.post().uri("/v1/fingerprints/resolve").exchange(), 400, "fingerprint.missing");
        expectProblem(post("/v1/fingerprints/resolve", MediaType.APPLICATION_OCTET_STREAM, "x".getBytes()), 415,
                "fingerprint.unsupported_media_type");
        expectProblem(post("/v1/fingerprints/resolve", MediaType.TEXT_PLAIN,
                Corpus.resource("cpuinfo-armv6/arm1176-without-vfp.cpuinfo").getBytes()), 422,
                "fingerprint.unsupported_cpu");
    }

    @Test
    void hugeBody_is413RequestTooLarge() {
        byte[] huge = new byte[FingerprintParser.MAX_BODY_BYTES + 10];
        java.util.Arrays.fill(huge, (byte) 'a');
        expectProblem(post("/v1/fingerprints/resolve", MediaType.TEXT_PLAIN, huge), 413, "request.too_large");
    }

    @Test
    void randomBodies_neverGetA5xx() {
        Random random = new Random(99);
        for (int i = 0; i < 60; i++) {
            byte[] b = new byte[random.nextInt(600)];
            random.nextBytes(b);
            MediaType type = random.nextBoolean() ? MediaType.TEXT_PLAIN : MediaType.APPLICATION_JSON;
            int status = post("/v1/fingerprints/resolve", type, b).returnResult(byte[].class).getStatus().value();
            assertThat(status).isBetween(400, 499);
        }
    }

    @Test
    void resolvingForAnApp_countsTargets_andStatsShowTheTopOnes() {
        for (int i = 0; i < 3; i++) {
            client.post().uri("/v1/fingerprints/resolve?app=hello&cpu=x86_64:sse4_2,popcnt,cx16,lahf_lm,sse3,ssse3,"
                    + "sse4_1").exchange().expectStatus().isOk();
        }
        client.post().uri("/v1/fingerprints/resolve?app=hello&cpu=x86_64:sse2").exchange().expectStatus().isOk();
        client.get().uri("/v1/apps/hello/stats/targets").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.app").isEqualTo("hello")
                .jsonPath("$.targets[0].target").isEqualTo("x86_64-v2")
                .jsonPath("$.targets[0].count").isEqualTo(3)
                .jsonPath("$.targets[1].target").isEqualTo("x86_64-v1");
        expectProblem(client.get().uri("/v1/apps/Not_An_App/stats/targets").exchange(), 400, "app.invalid_name");
    }

    private static void expectProblem(WebTestClient.ResponseSpec spec, int status, String code) {
        spec.expectStatus().value(s -> assertThat(s).isEqualTo(status)).expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo(code);
    }
}
