package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.CATALOG;
import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tailor.catalog.Target;

/**
 * Every payoff kernel passes its known-answer checks in every flavor, on every target it is built for, so no speed
 * ever comes from a wrong result: images under QEMU on the CPU model each level target names, {@code linux}
 * executables natively where this CPU can run them and under QEMU user mode for the other architectures, and wasm32
 * modules under Node. Two at a time: a QEMU boot keeps one core busy.
 */
@Execution(ExecutionMode.CONCURRENT)
class PayoffKernelsTest {

    /** Linux executables: x86_64 levels natively where this CPU has their features; the rest emulated. */
    private static final List<String> LINUX = List.of("x86_64-v1", "x86_64-v2", "x86_64-v3", "x86_64-v4",
            "x86_64-haswell", "x86_64-broadwell", "x86_64-icelake", "x86_64-zen3", "i586-base", "i686-base",
            "i686-sse2", "aarch64-v8.0", "aarch64-v8.2-crypto", "armv6-vfpv2", "armv7-vfpv3d16", "armv7-neon-vfpv4",
            "riscv64-rva20", "riscv64-rva22", "riscv64-rva22v");
    private static final List<String> WASM = List.of("wasm32-mvp", "wasm32-simd128");
    /** Images of named CPUs whose crypto paths the level ladder does not reach (AES-NI, PCLMULQDQ), on their model. */
    private static final java.util.Map<String, String> NAMED_IMAGES = java.util.Map.of("x86_64-skylake", "Skylake-Client");

    static Stream<Arguments> linuxAndWasm() {
        Set<String> host = PayoffKernels.hostFlags();
        List<Arguments> all = new ArrayList<>();
        for (String kernel : PayoffKernels.names()) {
            for (String id : LINUX) {
                Target t = target(id);
                if (t.arch() != dev.tailor.catalog.Arch.X86_64 || t.isSafeFor(host)) {
                    all.add(Arguments.of(kernel, id, Flavor.LINUX));
                }
            }
            for (String id : WASM) {
                all.add(Arguments.of(kernel, id, Flavor.IMAGE));
            }
        }
        return all.stream();
    }

    static Stream<Arguments> images() {
        List<Arguments> all = new ArrayList<>();
        for (String kernel : PayoffKernels.names()) {
            CATALOG.all().stream().filter(t -> t.kind() == Target.Kind.LEVEL && t.qemu().runs() != null)
                    .forEach(t -> all.add(Arguments.of(kernel, t.id(), t.qemu().runs())));
            NAMED_IMAGES.forEach((id, cpu) -> all.add(Arguments.of(kernel, id, cpu)));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("linuxAndWasm")
    void knownAnswers_passNatively_emulated_andUnderNode(String kernel, String id, Flavor flavor) {
        Target t = target(id);
        CompileResult built = PayoffKernels.build(kernel, t, flavor);

        HostRunner.Run run = HostRunner.run(t, built.image());

        assertThat(PayoffKernels.verdict(run)).as(kernel + " on " + id).isEqualTo("ok");
    }

    @ParameterizedTest(name = "{0} {1} on {2}")
    @MethodSource("images")
    void knownAnswers_passInImages_underQemu(String kernel, String id, String cpu) {
        Target t = target(id);
        CompileResult built = PayoffKernels.build(kernel, t, Flavor.IMAGE);

        Qemu.Boot boot = TestToolchain.QEMU.boot(t.arch(), cpu, built.image(), java.time.Duration.ofSeconds(120));

        assertThat(PayoffKernels.verdict(new HostRunner.Run(boot.console().replace("\r", ""), boot.exitCode(),
                boot.timedOut()))).as(kernel + " on " + id + " (" + cpu + ")").isEqualTo("ok");
    }

    @Test
    void theSuite_hasTheKernelsTheClaimRestsOn() {
        assertThat(PayoffKernels.names()).contains("aes-gcm", "sha256", "chacha20-poly1305", "x25519", "ed25519",
                "tls13-handshake", "control");
    }
}
