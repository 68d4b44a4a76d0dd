package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import tools.jackson.databind.JsonNode;

/** {@code /v1/boot}: fingerprint in, redirect to the image built for it out, with real builds behind it. */
class BootApiTest extends ApiTestBase {

    static final String V2 = "x86_64:fpu,cx8,cmov,mmx,fxsr,sse,sse2,cx16,lahf_lm,popcnt,sse3,ssse3,sse4_1,sse4_2";
    static final String V3 = V2 + ",avx,avx2,bmi1,bmi2,f16c,fma,abm,movbe,xsave";

    @Autowired
    MeterRegistry meters;

    String release(String app, String channel, Archives files) {
        String digest = authed(web.post().uri("/v1/apps/{app}/bundles", app)
                .contentType(MediaType.parseMediaType("application/gzip")).bodyValue(files.tarGz()))
                .exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class).returnResult()
                .getResponseBody().get("digest").asString();
        authed(web.put().uri("/v1/apps/{app}/channels/{channel}", app, channel)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"bundle\":\"" + digest + "\"}"))
                .exchange().expectStatus().isOk();
        return digest;
    }

    EntityExchangeResult<byte[]> boot(String uri) {
        return web.get().uri(uri).exchange().expectBody().returnResult();
    }

    double started() {
        return Search.in(meters).name("tailor.builds.started").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void fingerprintBoot_redirectsToTheTunedImage_uncacheably() {
        String bundle = release("bootapp", "stable", Archives.hello("bootapp"));
        var r = boot("/v1/boot/bootapp/stable?wait=60&cpu=" + V3);
        assertThat(r.getStatus().value()).isEqualTo(302);
        assertThat(r.getResponseHeaders().getFirst("Tailor-Target")).isEqualTo("x86_64-v3");
        assertThat(r.getResponseHeaders().getFirst("Tailor-Bundle")).isEqualTo(bundle);
        assertThat(r.getResponseHeaders().getFirst("Tailor-Build")).matches("[0-9a-f]{64}");
        assertThat(r.getResponseHeaders().getCacheControl()).isEqualTo("no-store");
        String location = r.getResponseHeaders().getLocation().toString();
        assertThat(location).matches("/v1/images/sha256/[0-9a-f]{64}");
        byte[] image = web.get().uri(location).exchange().expectStatus().isOk().expectBody(byte[].class)
                .returnResult().getResponseBody();
        assertThat(image).startsWith(0x7f, 'E', 'L', 'F');

        // the same CPU as a /proc/cpuinfo body, and through the header: the same image, now warm
        web.post().uri("/v1/boot/bootapp/stable?wait=60").contentType(MediaType.TEXT_PLAIN)
                .bodyValue(resource("fingerprints/linux-x86/linux-rhel7-broadwell")).exchange()
                .expectStatus().isFound().expectHeader().valueEquals("Tailor-Target", "x86_64-v3")
                .expectHeader().valueEquals("Location", location);
        web.get().uri("/v1/boot/bootapp/stable").header("Tailor-CPU", V3).exchange()
                .expectStatus().isFound().expectHeader().valueEquals("Location", location);
    }

    @Autowired
    WarmBoots warm;

    @Test
    void repeatBoots_areAnsweredFromMemory_untilTheChannelMoves() {
        String first = release("repeat", "stable", Archives.hello("repeat"));
        String uri = "/v1/boot/repeat/stable?wait=30&cpu=" + V2;
        var cold = boot(uri);
        assertThat(cold.getStatus().value()).isEqualTo(302);
        String key = "/v1/boot/repeat/stable?wait=30&cpu=" + V2 + "|";
        assertThat(warm.get(key)).isNotNull();
        var repeat = boot(uri);
        assertThat(repeat.getResponseHeaders().getLocation()).isEqualTo(cold.getResponseHeaders().getLocation());
        assertThat(repeat.getResponseHeaders().getFirst("Tailor-Bundle")).isEqualTo(first);
        assertThat(repeat.getResponseHeaders().getFirst("Tailor-Build"))
                .isEqualTo(cold.getResponseHeaders().getFirst("Tailor-Build"));
        assertThat(repeat.getResponseHeaders().getCacheControl()).isEqualTo("no-store");

        String second = release("repeat", "stable", Archives.hello("repeat").file("v2.txt", "second release"));
        var moved = boot(uri);
        assertThat(moved.getResponseHeaders().getFirst("Tailor-Bundle")).isEqualTo(second);
        assertThat(moved.getResponseHeaders().getLocation()).isNotEqualTo(cold.getResponseHeaders().getLocation());
    }

    @Test
    void targetPathBoot_isBrieflyCacheable_andTaggedForPurge() {
        release("pinned", "beta", Archives.hello("pinned"));
        web.get().uri("/v1/boot/pinned/beta/aarch64-v8.1?wait=60").exchange().expectStatus().isFound()
                .expectHeader().valueEquals("Cache-Control", "max-age=60, public")
                .expectHeader().valueEquals("xkey", "app:pinned channel:pinned/beta")
                .expectHeader().valueEquals("Surrogate-Key", "app:pinned channel:pinned/beta")
                .expectHeader().valueEquals("Tailor-Target", "aarch64-v8.1");
        web.get().uri("/v1/boot/pinned/beta/sparc-v9").exchange().expectStatus().isNotFound()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody().jsonPath("$.code").isEqualTo("target.unknown");
    }

    @Test
    void tunedImageNotReadyInTime_fallsBackToTheBaseline_thenTheTunedOneArrives() {
        release("patient", "stable", Archives.hello("patient"));
        // the baseline exists (built here, as a release's prebuild would)
        web.get().uri("/v1/boot/patient/stable/x86_64-v1?wait=60").exchange().expectStatus().isFound();
        var fallback = boot("/v1/boot/patient/stable?wait=0&cpu=" + V2);
        assertThat(fallback.getStatus().value()).isEqualTo(302);
        assertThat(fallback.getResponseHeaders().getFirst("Tailor-Target")).isEqualTo("x86_64-v1");
        assertThat(fallback.getResponseHeaders().getFirst("Tailor-Tuned")).isEqualTo("pending");
        assertThat(fallback.getResponseHeaders().getCacheControl()).isEqualTo("no-store");
        var tuned = boot("/v1/boot/patient/stable?wait=60&cpu=" + V2);
        assertThat(tuned.getResponseHeaders().getFirst("Tailor-Target")).isEqualTo("x86_64-v2");
        assertThat(tuned.getResponseHeaders().getFirst("Tailor-Tuned")).isNull();
    }

    @Test
    void herdOfDevices_forANeverBuiltImage_causesOneBuild_andOneAnswer() throws Exception {
        release("herd", "stable", Archives.hello("herd").file("src/extra.c", "int extra(void) { return 7; }\n"));
        double before = started();
        int devices = 50;
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                calls.add(() -> boot("/v1/boot/herd/stable?wait=60&cpu=aarch64:fp,asimd,atomics,crc32,asimdrdm")
                        .getResponseHeaders().getFirst("Location"));
            }
            Set<String> locations = new HashSet<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                locations.add(f.get());
            }
            assertThat(locations).hasSize(1).doesNotContainNull();
        } finally {
            pool.shutdownNow();
        }
        // one build for the devices' target (the release's prebuilds are other targets)
        assertThat(Search.in(meters).name("tailor.builds.started").tag("target", "aarch64-v8.1").counters()
                .stream().mapToDouble(c -> c.count()).sum()).isEqualTo(1);
        assertThat(started() - before).isLessThanOrEqualTo(1 + 4);
    }

    @Test
    void aBundleThatDoesNotBuild_answers502_neverARedirectToNothing() {
        release("broken", "stable", Archives.of()
                .file("tailor.yaml", "name: broken\nversion: 1\nsources: [src/*.c]\narchs: [x86_64]\n")
                .file("src/main.c", "int main(void) { return oops; }\n"));
        web.get().uri("/v1/boot/broken/stable?wait=60&cpu=" + V3).exchange().expectStatus().isEqualTo(502)
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody().jsonPath("$.code").isEqualTo("boot.build_failed");
    }

    @Test
    void badRequests_areProblems_neverCached() {
        release("strict", "stable", Archives.of()
                .file("tailor.yaml", "name: strict\nversion: 1\nsources: [src/*.c]\narchs: [armv7]\n")
                .file("src/main.c", "int main(void) { return 0; }\n"));
        web.get().uri("/v1/boot/strict/nochannel?cpu=" + V3).exchange().expectStatus().isNotFound()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody().jsonPath("$.code").isEqualTo("channel.not_found");
        web.get().uri("/v1/boot/strict/stable?cpu=" + V3).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("boot.arch_unsupported");
        web.get().uri("/v1/boot/strict/stable?cpu=vax:everything").exchange().expectStatus().is4xxClientError()
                .expectBody().jsonPath("$.code").isEqualTo("fingerprint.unknown_arch");
        web.post().uri("/v1/boot/strict/stable").contentType(MediaType.TEXT_PLAIN)
                .bodyValue(new byte[] {0, 1, 2, (byte) 0xff}).exchange().expectStatus().is4xxClientError();
        web.get().uri("/v1/boot/strict/stable").exchange().expectStatus().is4xxClientError();
        web.get().uri("/v1/boot/strict/stable?wait=-1&cpu=" + V3).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("boot.bad_wait");
        web.post().uri("/v1/boot/strict/stable").contentType(MediaType.TEXT_PLAIN)
                .bodyValue(new byte[300 * 1024]).exchange().expectStatus().isEqualTo(413);
        web.get().uri("/v1/boot/Not_An_App/stable?cpu=" + V3).exchange().expectStatus().isBadRequest();
    }

    static byte[] resource(String path) {
        try {
            return Files.readAllBytes(Path.of("src/test/resources", path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
