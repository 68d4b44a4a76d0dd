package dev.tailor.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import dev.tailor.signing.Signer;
import dev.tailor.store.BlobStore;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.TargetCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BuildApiTest extends ApiTestBase {

    @Autowired
    MeterRegistry registry;
    @Autowired
    BlobStore store;
    @Autowired
    TargetCatalog catalog;

    @TempDir
    Path tmp;

    static final JsonMapper JSON = JsonMapper.builder().build();

    String upload(String app, Archives archive) {
        return authed(web.post().uri("/v1/apps/{app}/bundles", app).contentType(MediaType.parseMediaType("application/x-tar"))
                .bodyValue(archive.tar())).exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class)
                .returnResult().getResponseBody().get("digest").asString();
    }

    static Archives app(String app, String source) {
        return Archives.of().file("tailor.yaml", "name: " + app + "\nversion: 1.0.0\nsources: [src/*.c]\n")
                .file("src/main.c", source);
    }

    JsonNode post(String body, String wait, int status) {
        return web.post().uri("/v1/builds?wait=" + wait).header("Authorization", "Bearer " + BUILDER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    JsonNode get(String id) {
        return web.get().uri("/v1/builds/" + id).header("Authorization", "Bearer " + BUILDER_TOKEN).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    double started(String target) {
        return registry.find("tailor.builds.started").tag("target", target).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    @Test
    void fiftyConcurrentPosts_startOneCompile_andAllAnswerTheSameBuildAndImage() throws Exception {
        String digest = upload("swarm", app("swarm", "int main(void) { return 7; }\n"));
        String body = "{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v3\"}";
        double before = started("x86_64-v3");

        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<JsonNode>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                answers.add(pool.submit((Callable<JsonNode>) () -> web.post().uri("/v1/builds")
                        .header("Authorization", "Bearer " + BUILDER_TOKEN).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(body).exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class)
                        .returnResult().getResponseBody()));
            }
            Set<String> ids = new HashSet<>();
            for (Future<JsonNode> f : answers) {
                ids.add(f.get(60, TimeUnit.SECONDS).get("id").asString());
            }
            assertThat(ids).hasSize(1);
            String id = ids.iterator().next();
            await().atMost(Duration.ofSeconds(60)).until(() -> get(id).get("status").asString().equals("succeeded"));
            String image = get(id).at("/image/digest").asString();

            Set<String> images = new HashSet<>();
            List<Future<JsonNode>> again = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                again.add(pool.submit((Callable<JsonNode>) () -> post(body, "0", 200)));
            }
            for (Future<JsonNode> f : again) {
                images.add(f.get(60, TimeUnit.SECONDS).at("/image/digest").asString());
            }
            assertThat(images).containsExactly(image);
            assertThat(started("x86_64-v3") - before).as("compiles started").isEqualTo(1.0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void builtImage_signatureAndProvenance_verifyWithOpenssl_againstV1Keys() throws Exception {
        String digest = upload("signed", app("signed", "int main(void) { return 1; }\n"));
        JsonNode build = post("{\"bundle\":\"" + digest + "\",\"target\":\"aarch64-v8.0\"}", "60", 200);
        assertThat(build.get("status").asString()).isEqualTo("succeeded");
        String hex = build.at("/image/digest").asString().substring("sha256:".length());

        JsonNode keys = web.get().uri("/v1/keys").exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("alg").asString()).isEqualTo("ed25519");
        Path key = Files.writeString(tmp.resolve("key.pem"), keys.get(0).get("publicKeyPem").asString());
        Path image = Files.write(tmp.resolve("image"), store.get("images/sha256/" + hex).orElseThrow().readAllBytes());
        Path sig = Files.write(tmp.resolve("image.sig"), store.get("images/sha256/" + hex + ".sig").orElseThrow().readAllBytes());
        assertThat(Files.size(sig)).isEqualTo(64);
        assertThat(openssl(key, image, sig)).isTrue();

        JsonNode envelope = JSON.readTree(store.get("images/sha256/" + hex + ".provenance.json").orElseThrow().readAllBytes());
        byte[] payload = Base64.getDecoder().decode(envelope.get("payload").asString());
        JsonNode provenance = JSON.readTree(payload);
        assertThat(provenance.get("build").asString()).isEqualTo(build.get("id").asString());
        assertThat(provenance.at("/image/digest").asString()).isEqualTo("sha256:" + hex);
        assertThat(provenance.get("keyId").asString()).isEqualTo(keys.get(0).get("id").asString());
        assertThat(envelope.at("/signatures/0/keyid").asString()).isEqualTo(keys.get(0).get("id").asString());
        Path pae = Files.write(tmp.resolve("provenance.pae"),
                Signer.pae(envelope.get("payloadType").asString(), payload));
        Path paeSig = Files.write(tmp.resolve("provenance.sig"),
                Base64.getDecoder().decode(envelope.at("/signatures/0/sig").asString()));
        assertThat(openssl(key, pae, paeSig)).isTrue();

        byte[] tampered = Files.readAllBytes(image);
        tampered[tampered.length / 2] ^= 1;
        assertThat(openssl(key, Files.write(tmp.resolve("tampered"), tampered), sig)).isFalse();
    }

    private static boolean openssl(Path key, Path in, Path sig) throws Exception {
        Process p = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key.toString(), "-rawin",
                "-in", in.toString(), "-sigfile", sig.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 && out.contains("Signature Verified Successfully");
    }

    @Test
    void syntaxError_isAFailedBuildWithDiagnostics_itsLogIsText_andRetryBuildsItAgain() {
        String digest = upload("typo", app("typo", "int main(void) {\n  return 0\n}\n"));
        JsonNode build = post("{\"bundle\":\"" + digest + "\",\"target\":\"i686-base\"}", "60", 200);

        assertThat(build.get("status").asString()).isEqualTo("failed");
        assertThat(build.at("/error/code").asString()).isEqualTo("build.compile_error");
        assertThat(build.at("/error/diagnostics/0/file").asString()).isEqualTo("src/main.c");
        assertThat(build.at("/error/diagnostics/0/line").asInt()).isEqualTo(2);
        assertThat(build.at("/error/diagnostics/0/severity").asString()).isEqualTo("error");
        String id = build.get("id").asString();

        String log = web.get().uri("/v1/builds/{id}/log", id).header("Authorization", "Bearer " + BUILDER_TOKEN)
                .exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(log).contains("$ cd /src && clang", "src/main.c:2", "build.compile_error").doesNotContain(DATA_DIR.toString());

        // asking again does not rebuild a failed build; an explicit retry does
        assertThat(post("{\"bundle\":\"" + digest + "\",\"target\":\"i686-base\"}", "0", 200).get("attempt").asInt())
                .isEqualTo(1);
        JsonNode retried = web.post().uri("/v1/builds/{id}/retry?wait=60", id)
                .header("Authorization", "Bearer " + BUILDER_TOKEN).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(retried.get("attempt").asInt()).isEqualTo(2);
        assertThat(retried.get("status").asString()).isEqualTo("failed");

        web.get().uri("/v1/builds?app=typo&status=failed").header("Authorization", "Bearer " + BUILDER_TOKEN)
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[0].id").isEqualTo(id).jsonPath("$.length()").isEqualTo(1);
    }

    @Test
    void logOfARunningBuild_isAServerSentEventStream_endingWithTheOutcome() {
        String src = HostileSources.macroBomb(23);
        String digest = upload("slow", app("slow", src));
        JsonNode build = post("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}", "0", 202);

        List<String> events = web.get().uri("/v1/builds/{id}/log", build.get("id").asString())
                .header("Authorization", "Bearer " + BUILDER_TOKEN).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(String.class).getResponseBody().collectList().block(Duration.ofSeconds(60));

        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("$ cd /src && clang"));
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("# image sha256:"));
        assertThat(events.get(events.size() - 1)).isEqualTo("succeeded");
    }

    @Test
    void byChannelAndFingerprint_resolvesTheTargetLikeADevice() {
        String digest = upload("fleet", app("fleet", "int main(void) { return 2; }\n"));
        authed(web.put().uri("/v1/apps/fleet/channels/stable").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + digest + "\"}")).exchange().expectStatus().isOk();

        JsonNode build = post("{\"app\":\"fleet\",\"channel\":\"stable\",\"fingerprint\":{\"arch\":\"x86_64\","
                + "\"features\":[\"sse3\",\"ssse3\",\"sse4_1\",\"sse4_2\",\"popcnt\",\"cx16\",\"lahf_lm\"]}}", "60", 200);

        assertThat(build.get("target").asString()).isEqualTo("x86_64-v2");
        assertThat(build.get("bundle").asString()).isEqualTo(digest);
        assertThat(build.get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void release_prebuildsTheBaselineOfEveryArchitectureTheManifestLists() {
        String digest = upload("pre", Archives.of().file("tailor.yaml",
                "name: pre\nversion: 1.0.0\nsources: [src/*.c]\narchs: [armv7]\n").file("src/main.c",
                "int main(void) { return 0; }\n"));
        authed(web.put().uri("/v1/apps/pre/channels/beta").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + digest + "\"}")).exchange().expectStatus().isOk();
        String baseline = catalog.baseline(Arch.ARMV7).id();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> web.get().uri("/v1/builds?app=pre&status=succeeded")
                .header("Authorization", "Bearer " + BUILDER_TOKEN).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].target").isEqualTo(baseline));
        // the manifest supports armv7 only: building it for another architecture is refused
        JsonNode refused = post("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}", "0", 422);
        assertThat(refused.get("code").asString()).isEqualTo("build.arch_unsupported");
    }

    @Test
    void badRequests_getSpecificProblems_neverA500() {
        web.post().uri("/v1/builds").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("auth.missing_token");
        web.post().uri("/v1/builds").header("Authorization", "Bearer " + PUBLISHER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"bundle\":\"" + upload("hello",
                        app("hello", "int main(void){return 0;}\n")) + "\",\"target\":\"x86_64-v1\"}")
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("auth.forbidden_role");
        assertThat(post("{}", "0", 422).get("code").asString()).isEqualTo("build.bundle_required");
        assertThat(post("[1]", "0", 422).get("code").asString()).isEqualTo("build.request_required");
        assertThat(post("{\"bundle\":\"sha256:zz\"}", "0", 400).get("code").asString()).isEqualTo("digest.invalid");
        assertThat(post("{\"bundle\":\"sha256:" + "0".repeat(64) + "\",\"target\":\"x86_64-v1\"}", "0", 404)
                .get("code").asString()).isEqualTo("bundle.not_found");
        String digest = upload("errs", app("errs", "int main(void){return 0;}\n"));
        assertThat(post("{\"bundle\":\"" + digest + "\"}", "0", 422).get("code").asString()).isEqualTo("build.target_required");
        assertThat(post("{\"bundle\":\"" + digest + "\",\"target\":\"pentium-pro\"}", "0", 404).get("code").asString())
                .isEqualTo("target.unknown");
        assertThat(post("{\"bundle\":\"" + digest + "\",\"target\":7}", "0", 422).get("code").asString())
                .isEqualTo("build.invalid_field");
        assertThat(post("{\"bundle\":\"" + digest + "\",\"fingerprint\":\"sparc:vis\"}", "0", 400).get("code").asString())
                .startsWith("fingerprint.");
        assertThat(post("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}", "soon", 400).get("code").asString())
                .isEqualTo("build.invalid_wait");
        assertThat(post("{\"app\":\"errs\",\"channel\":\"nope\",\"target\":\"x86_64-v1\"}", "0", 404).get("code").asString())
                .isEqualTo("channel.not_found");
        web.get().uri("/v1/builds/nothex").header("Authorization", "Bearer " + BUILDER_TOKEN).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("build.invalid_id");
        web.get().uri("/v1/builds/" + "0".repeat(64)).header("Authorization", "Bearer " + BUILDER_TOKEN).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("build.not_found");
        web.get().uri("/v1/builds?status=bogus").header("Authorization", "Bearer " + BUILDER_TOKEN).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("build.invalid_status");
        JsonNode done = post("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}", "60", 200);
        web.post().uri("/v1/builds/{id}/retry", done.get("id").asString()).header("Authorization", "Bearer " + BUILDER_TOKEN)
                .exchange().expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("build.not_failed");
    }

    @Test
    void metrics_areExposedForPrometheus() {
        String digest = upload("metered", app("metered", "int main(void){return 5;}\n"));
        post("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}", "60", 200);

        // a success is answered once its image is stored; the build is counted as finished after its record
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(web.get().uri("/actuator/prometheus")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody()).contains("tailor_builds_started_total{arch=\"x86_64\",target=\"x86_64-v1\"")
                .contains("tailor_builds_finished_total{code=\"none\",result=\"succeeded\"")
                .contains("tailor_builds_duration_seconds_count")
                .contains("tailor_builds_queue_depth{arch=\"aarch64\"}"));
    }
}
