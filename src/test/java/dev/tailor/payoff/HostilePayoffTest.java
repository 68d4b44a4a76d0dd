package dev.tailor.payoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import tools.jackson.databind.JsonNode;

/**
 * Payoff runs execute the app, so hostile apps get the sandbox's limits and their own seccomp filter: an endless loop,
 * a memory hog and a file-opening or forking app each end their run as failed, saying why, within the limits
 * (the time limit here is {@code tailor.payoff.run-timeout=10s}), and the worker goes on building.
 */
class HostilePayoffTest extends ApiTestBase {

    static final String SYSCALL = "static long sys3(long n, long a, long b, long c) {\n"
            + "    long r;\n"
            + "    __asm__ volatile(\"syscall\" : \"=a\"(r) : \"a\"(n), \"D\"(a), \"S\"(b), \"d\"(c) : \"rcx\", \"r11\", \"memory\");\n"
            + "    return r;\n"
            + "}\n";

    JsonNode measure(String app, String main) {
        Archives bundle = Archives.of().file("tailor.yaml", "name: " + app + "\nversion: 1.0.0\nsources: [main.c]\n"
                + "archs: [x86_64]\n").file("main.c", "#include <stdio.h>\n#include <stdint.h>\n" + main);
        String digest = authed(web.post().uri("/v1/apps/{app}/bundles", app)
                .contentType(MediaType.parseMediaType("application/x-tar")).bodyValue(bundle.tar())).exchange()
                .expectStatus().is2xxSuccessful().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("digest").asString();
        JsonNode report = web.mutate().responseTimeout(Duration.ofMinutes(5)).build().post()
                .uri("/v1/apps/{app}/payoff?wait=300", app).header("Authorization", "Bearer " + BUILDER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"bundle\":\"" + digest + "\"}").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(report.get("measurements").size()).as(report.toString()).isZero();
        JsonNode run = report.get("runs").get(0);
        assertThat(run.get("status").asString()).isEqualTo("failed");
        return run.get("error");
    }

    @Test
    void anEndlessLoop_isStoppedAtTheTimeLimit() {
        JsonNode error = measure("endless", "int main(void) { volatile uint64_t n = 0; for (;;) n++; }\n");

        assertThat(error.get("code").asString()).isEqualTo("payoff.app_failed");
        assertThat(error.get("detail").asString()).contains("x86_64-v1").contains("time limit");
    }

    @Test
    void aMemoryHog_doesNotGetItsMemory() {
        JsonNode error = measure("hog", "static char big[3ul << 30];\n"
                + "int main(void) { for (uint64_t i = 0; i < sizeof big; i += 4096) big[i] = 1; return big[12345]; }\n");

        assertThat(error.get("code").asString()).isEqualTo("payoff.app_failed");
    }

    @Test
    void openingAFile_orForking_isKilledBySeccomp() {
        JsonNode open = measure("opener", SYSCALL
                + "int main(void) { long fd = sys3(257, -100, (long)\"/out/escaped\", 0101); printf(\"fd %ld\\n\", fd); return 0; }\n");
        JsonNode fork = measure("forker", SYSCALL
                + "int main(void) { long pid = sys3(57, 0, 0, 0); printf(\"pid %ld\\n\", pid); return 0; }\n");

        for (JsonNode error : new JsonNode[] {open, fork}) {
            assertThat(error.get("code").asString()).isEqualTo("payoff.app_failed");
            assertThat(error.get("detail").asString()).contains("SIGSYS");
        }
    }

    @Test
    void afterHostileRuns_theWorkerStillBuilds() {
        measure("endless2", "int main(void) { volatile uint64_t n = 0; for (;;) n++; }\n");
        String digest = authed(web.post().uri("/v1/apps/healthy/bundles")
                .contentType(MediaType.parseMediaType("application/x-tar")).bodyValue(Archives.hello("healthy").tar()))
                .exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class).returnResult()
                .getResponseBody().get("digest").asString();

        JsonNode build = web.mutate().responseTimeout(Duration.ofMinutes(2)).build().post().uri("/v1/builds?wait=60")
                .header("Authorization", "Bearer " + BUILDER_TOKEN).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v2\",\"flavor\":\"linux\"}").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(build.get("status").asString()).isEqualTo("succeeded");
    }
}
