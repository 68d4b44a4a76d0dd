package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

import dev.tailor.ApiTestBase;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.toolchain.CompileRequest;
import dev.tailor.toolchain.ImageCompiler;
import dev.tailor.toolchain.Optimize;
import dev.tailor.toolchain.Qemu;
import tools.jackson.databind.JsonNode;

/**
 * The probe path a bare-metal device takes: download the probe, boot it, read its fingerprint, resolve it, then
 * boot the image built for the resolved target on the same CPU. Three or more CPU models per architecture.
 */
class ProbeEndToEndTest extends ApiTestBase {

    static final Pattern LINE = Pattern.compile("(?m)^tailor-cpu: (\\S+)$");
    static final String COMPUTE_OUTPUT = "checksum sha256=d2aa06b6 crc32=d6cbb471 vector=7d85f41bbe63a8bb";

    @Autowired
    ImageCompiler compiler;
    @Autowired
    Qemu qemu;
    @Autowired
    TargetCatalog catalog;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} on {1} resolves to {2}")
    @CsvSource({
            // each architecture's oldest QEMU model Tailor has a rung for, and its newest ('max')
            "x86_64, qemu64, x86_64-v1",
            "x86_64, max, x86_64-v3",
            "i686, pentium, i586-base",
            "i686, max, i686-sse2",
            "aarch64, max, aarch64-v8.2-crypto",
            "armv7, arm1176, armv6-vfpv2",
            "armv7, max, armv7-neon-vfpv4",
            "x86_64, Nehalem, x86_64-v2",
            "x86_64, Haswell, x86_64-v3",
            "i686, pentium3, i686-base",
            "i686, qemu32, i686-sse2",
            "i686, Haswell, i686-sse2",
            "aarch64, cortex-a53, aarch64-v8.0-crypto",
            "aarch64, cortex-a72, aarch64-v8.0-crypto",
            "aarch64, cortex-a76, aarch64-v8.2-crypto",
            "armv7, cortex-a7, armv7-neon-vfpv4",
            "armv7, cortex-a15, armv7-neon-vfpv4",
            "armv7, 'cortex-a15,neon=off', armv7-vfpv3d16",
            "riscv64, sifive-u54, riscv64-rva20",
            "riscv64, 'rv64,zba=false,zbb=false,zbs=false', riscv64-rva20",
            "riscv64, rv64, riscv64-rva22",
            "riscv64, 'rv64,v=true,vlen=128', riscv64-rva22v"})
    void probeFingerprint_resolvesToATargetThatBootsOnTheSameCpu(String arch, String model, String expected)
            throws Exception {
        byte[] probe = web.get().uri("/v1/probes/{arch}", arch).exchange().expectStatus().isOk()
                .expectHeader().valueMatches("ETag", "\"sha256:[0-9a-f]{64}\"")
                .expectBody(byte[].class).returnResult().getResponseBody();
        Path probeFile = Files.write(dir.resolve("probe.elf"), probe);
        Arch a = Arch.parse(arch).orElseThrow();
        Qemu.Boot probed = qemu.boot(a, model, probeFile, Duration.ofSeconds(30));
        Matcher m = LINE.matcher(probed.console());
        assertThat(m.find()).as(probed.console()).isTrue();

        JsonNode resolved = web.post().uri(u -> u.path("/v1/fingerprints/resolve").queryParam("cpu", m.group(1))
                .queryParam("policy", "level").build()).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String targetId = resolved.at("/target/id").asString();
        assertThat(targetId).isEqualTo(expected);

        CompileRequest compute = new CompileRequest(Path.of("examples/compute").toAbsolutePath(),
                List.of("src/crc32.c", "src/main.c", "src/sha256.c", "src/vector.c"), List.of("include"),
                Map.of("ROUNDS", "4"), Optimize.SPEED, 1024 * 1024, "compute", "probe-e2e");
        var image = compiler.compile(compute, catalog.find(targetId).orElseThrow(), dir.resolve("build")).image();
        Qemu.Boot booted = qemu.boot(a, model, image, Duration.ofSeconds(30));
        assertThat(booted.console()).contains(COMPUTE_OUTPUT);
        assertThat(booted.exitCode()).as(booted.console()).isZero();
    }

    @Test
    void unknownArchitecture_is404Problem() {
        web.get().uri("/v1/probes/sparc").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("probe.unknown_arch");
    }

    @Test
    void probe_isAlsoAnImmutableImage_andAliasesWork() {
        String etag = web.get().uri("/v1/probes/arm64").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Tailor-Target", "aarch64-v8.0")
                .returnResult(byte[].class).getResponseHeaders().getETag();
        web.get().uri("/v1/probes/aarch64").exchange().expectHeader().valueEquals("ETag", etag);
    }
}
