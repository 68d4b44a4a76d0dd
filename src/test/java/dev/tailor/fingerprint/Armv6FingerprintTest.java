package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tailor.catalog.Arch;

/**
 * Raspberry Pi Zero and Pi 1 (ARM1176, ARMv6 with VFPv2, although the kernel prints 'CPU architecture: 7') get the
 * ARMv6 rung; ARMv7 devices get it only when they ask for the portable answer; cores older than ARMv6 or without a
 * VFP get nothing. The cpuinfo files and where they come from: src/test/resources/cpuinfo-armv6/README.md.
 */
class Armv6FingerprintTest {

    static final String ARMV6 = "armv6-vfpv2";

    private static CpuProfile parse(String resource) {
        return FingerprintParser.parse("text/plain", Corpus.resource(resource).getBytes(), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpuinfo-armv6/raspberrypi1-model-b.cpuinfo", "cpuinfo-armv6/raspberrypi1-model-b-kernel3.cpuinfo",
            "cpuinfo-armv6/raspberrypi-zero-w.cpuinfo", "fingerprints/linux-arm/raspberrypi-zero.log"})
    void piZeroAndPi1_resolveToTheArmv6Rung_underEveryPolicy_withReasons(String resource) {
        CpuProfile p = parse(resource);
        assertThat(p.arch()).isEqualTo(Arch.ARMV7);
        assertThat(p.features()).contains("vfp", "tls").doesNotContain("vfpv3", "neon");
        assertThat(p.notes()).anyMatch(n -> n.contains("ARM11") && n.contains("ARMv6"));
        for (Policy policy : Policy.values()) {
            Resolution r = Corpus.RESOLVER.resolve(p, policy);
            assertThat(r.target().id()).as(policy.toString()).isEqualTo(ARMV6);
            assertThat(r.reasons()).as(policy.toString()).isNotEmpty();
        }
        Resolution level = Corpus.RESOLVER.resolve(p, Policy.LEVEL);
        assertThat(String.join("\n", level.reasons())).contains(ARMV6);
        // the rung above it is out of reach for want of VFPv3 (which no ARMv6 core has)
        assertThat(level.next().id()).isEqualTo("armv7-vfpv3d16");
        assertThat(level.next().missing()).containsExactly("vfpv3");
    }

    @Test
    void armv7Device_getsTheArmv6RungOnlyUnderPortable() {
        CpuProfile pi2 = FingerprintParser.parse("text/plain",
                Corpus.get("raspberrypi2.log").text().getBytes(), null);
        assertThat(Corpus.RESOLVER.resolve(pi2, Policy.PORTABLE).target().id()).isEqualTo(ARMV6);
        assertThat(Corpus.RESOLVER.resolve(pi2, Policy.LEVEL).target().id()).isNotEqualTo(ARMV6);
        assertThat(Corpus.RESOLVER.resolve(pi2, Policy.NATIVE).target().id()).isNotEqualTo(ARMV6);
    }

    @Test
    void oldKernelWithoutTls_stillGetsArmv7_becauseItsV7NamesImplyIt() {
        // Nexus S on 2.6.35 prints no 'tls' (the name came with 2.6.37); vfpv3 and neon exist only on ARMv7 cores
        CpuProfile p = FingerprintParser.parse("text/plain", Corpus.get("nexus-s.log").text().getBytes(), null);
        assertThat(p.features()).contains("tls");
        assertThat(p.notes()).anyMatch(n -> n.startsWith("added tls"));
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id()).isEqualTo("armv7-vfpv3d16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpuinfo-armv6/arm1176-without-vfp.cpuinfo", "cpuinfo-armv6/kirkwood-armv5te.cpuinfo"})
    void armv6WithoutVfp_orOlderThanArmv6_isRefusedAsUnsupported(String resource) {
        CpuProfile p = parse(resource);
        assertThatThrownBy(() -> Corpus.RESOLVER.resolve(p, Policy.PORTABLE))
                .isInstanceOfSatisfying(FingerprintException.class,
                        e -> assertThat(e.code()).isEqualTo("fingerprint.unsupported_cpu"));
    }

    @Test
    void armv5WithAVfp_isRefused_becauseItLacksTheArmv6Marker() {
        // ARM926EJ-S with a VFP9 coprocessor (composed: ARMv5TEJ kernels print vfp but never tls)
        String text = "Processor\t: ARM926EJ-S rev 5 (v5l)\nFeatures\t: swp half thumb fastmult vfp edsp java \n"
                + "CPU implementer\t: 0x41\nCPU architecture: 5TEJ\nCPU variant\t: 0x0\nCPU part\t: 0x926\n";
        CpuProfile p = FingerprintParser.parse("text/plain", text.getBytes(), null);
        assertThat(p.features()).contains("vfp").doesNotContain("tls");
        assertThatThrownBy(() -> Corpus.RESOLVER.resolve(p, Policy.PORTABLE))
                .isInstanceOfSatisfying(FingerprintException.class,
                        e -> assertThat(e.code()).isEqualTo("fingerprint.unsupported_cpu"));
    }

    @Test
    void compactForms_armv6Spelling_andTheProbesLine() {
        CpuProfile probe = FingerprintParser.parseCompact("armv7:half,thumb,fastmult,vfp,edsp,tls");
        assertThat(Corpus.RESOLVER.resolve(probe, Policy.LEVEL).target().id()).isEqualTo(ARMV6);
        CpuProfile spelled = FingerprintParser.parseCompact("armv6l:vfp,tls");
        assertThat(spelled.arch()).isEqualTo(Arch.ARMV7);
        assertThat(Corpus.RESOLVER.resolve(spelled, Policy.LEVEL).target().id()).isEqualTo(ARMV6);
    }
}
