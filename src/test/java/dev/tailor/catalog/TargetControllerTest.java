package dev.tailor.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.tailor.fingerprint.ProblemAdvice;

class TargetControllerTest {

    private final WebTestClient client = WebTestClient.bindToController(new TargetController(TargetCatalog.load(),
            dev.tailor.toolchain.Toolchains.load().bootMachines()))
            .controllerAdvice(ProblemAdvice.instance()).build();

    @Test
    void targets_listsTheCatalogWithCompleteFeatureSetsAndPolicy() {
        List<Map<String, Object>> all = client.get().uri("/v1/targets").exchange().expectStatus().isOk()
                .expectBodyList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
        assertThat(all).extracting(m -> m.get("id")).contains("x86_64-v1", "x86_64-haswell", "aarch64-neoverse_n1",
                "armv7-neon-vfpv4", "i686-sse2", "riscv64-rva20", "riscv64-rva22v", "riscv64-u74mc");
        Map<String, Object> v3 = all.stream().filter(m -> m.get("id").equals("x86_64-v3")).findFirst().orElseThrow();
        assertThat(v3).containsEntry("arch", "x86_64").containsEntry("parent", "x86_64-v2")
                .containsEntry("policy", "level").doesNotContainKey("cflags");
        assertThat(v3.get("features").toString()).contains("sse2", "sse4_2", "avx2");
        assertThat(all.stream().filter(m -> m.get("id").equals("x86_64-zen4")).findFirst().orElseThrow())
                .containsEntry("policy", "native");
    }

    @Test
    void target_showsItsFlagsAndDescription() {
        client.get().uri("/v1/targets/x86_64-zen4").exchange().expectStatus().isOk()
                .expectHeader().cacheControl(org.springframework.http.CacheControl
                        .maxAge(java.time.Duration.ofMinutes(5)).cachePublic()).expectBody()
                .jsonPath("$.cflags[0]").isEqualTo("-march=znver3")
                .jsonPath("$.description").value(d -> assertThat((String) d).contains("clang 14 does not know"))
                .jsonPath("$.parent").isEqualTo("x86_64-zen3");
    }

    @Test
    void target_saysHowToBootItsImagesInQemu() {
        client.get().uri("/v1/targets/x86_64-v3").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.qemu.binary").isEqualTo("qemu-system-x86_64")
                .jsonPath("$.qemu.machine").isEqualTo("microvm")
                .jsonPath("$.qemu.runs").isEqualTo("Haswell")
                .jsonPath("$.qemu.faults").isEqualTo("qemu64")
                .jsonPath("$.qemu.exit").isEqualTo("isa-debug-exit")
                .jsonPath("$.qemu.command").value(c -> assertThat((String) c)
                        .startsWith("qemu-system-x86_64 -M microvm ").endsWith(" -cpu Haswell -kernel <image>"));
        client.get().uri("/v1/targets/aarch64-v8.0").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.qemu.machine").isEqualTo("virt").jsonPath("$.qemu.exit").isEqualTo("semihosting");
        @SuppressWarnings("unchecked")
        Map<String, Object> riscv = (Map<String, Object>) client.get().uri("/v1/targets/riscv64-rva22v").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("qemu");
        assertThat(riscv).containsEntry("binary", "qemu-system-riscv64").containsEntry("machine", "virt")
                .containsEntry("exit", "sifive-test").containsEntry("runs", "rv64,v=true,vlen=128")
                .containsEntry("faults", "rv64");
        assertThat((String) riscv.get("command")).startsWith("qemu-system-riscv64 -M virt -bios none ")
                .endsWith(" -cpu rv64,v=true,vlen=128 -kernel <image>");
        client.get().uri("/v1/targets/wasm32-mvp").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.qemu").doesNotExist();
    }

    @Test
    void unknownTarget_is404WithCodeTargetUnknown() {
        client.get().uri("/v1/targets/x86_64-v9").exchange().expectStatus().isNotFound()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("target.unknown");
    }
}
