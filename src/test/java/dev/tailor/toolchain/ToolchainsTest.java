package dev.tailor.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tailor.catalog.Arch;

class ToolchainsTest {

    private static final Toolchains TOOLCHAINS = Toolchains.load();

    @Test
    void everyArchitecture_namesTheLlvmBackendItsTripleNeeds_forEveryFlavor() {
        Map<Arch, String> expected = Map.of(Arch.X86_64, "x86-64", Arch.I686, "x86", Arch.AARCH64, "aarch64",
                Arch.ARMV7, "arm", Arch.RISCV64, "riscv64", Arch.WASM32, "wasm32");
        assertThat(expected).containsOnlyKeys(Arch.values());
        expected.forEach((arch, backend) -> {
            assertThat(TOOLCHAINS.forArch(arch).backend()).as(arch.id()).isEqualTo(backend);
            TOOLCHAINS.find(arch, Flavor.LINUX).ifPresent(linux -> assertThat(linux.backend()).isEqualTo(backend));
        });
    }

    @Test
    void theBackend_isNoBuildInput_soItNeverChangesAToolchainId() {
        Toolchain t = TOOLCHAINS.forArch(Arch.ARMV7);
        Toolchain other = new Toolchain(t.arch(), t.flavor(), t.triple(), "another-backend", t.cflags(),
                t.plainCflags(), t.runtimeCflags(), t.includeDir(), t.linker(), t.linkerScript(), t.output(),
                t.ldflags(), t.plainSources(), t.tunedSources(), t.perBuildSources(), t.qemu());
        assertThat(other.buildInputs()).isEqualTo(t.buildInputs()).doesNotContain(t.backend());
    }
}
