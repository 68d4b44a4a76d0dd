package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.tailor.catalog.Arch;

/** Real-world /proc/cpuinfo quirks, each met in the corpus. */
class CpuinfoQuirksTest {

    private static CpuProfile parse(String file, String hint) {
        return FingerprintParser.parse("text/plain", Corpus.get(file).text().getBytes(), hint);
    }

    private static Resolution resolve(String file, Policy policy) {
        return Corpus.RESOLVER.resolve(parse(file, null), policy);
    }

    @Test
    void bigLittle_onlyFeaturesEveryListedCoreHasCount() {
        // meizu-pro-6 lists Cortex-A72 and Cortex-A53 blocks; take aes away from one A53 block
        String text = Corpus.get("meizu-pro-6.log").text();
        int a53 = text.indexOf("CPU part\t: 0xd03");
        int features = text.lastIndexOf("Features", a53);
        String patched = text.substring(0, features) + text.substring(features).replaceFirst(" aes ", " ");
        CpuProfile p = FingerprintParser.parse("text/plain", patched.getBytes(), null);
        assertThat(p.parts()).containsExactlyInAnyOrder("0xd08", "0xd03");
        assertThat(p.features()).contains("pmull", "sha2").doesNotContain("aes");
        assertThat(p.notes()).anyMatch(n -> n.contains("cores differ") && n.contains("aes"));
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id()).isEqualTo("aarch64-v8.0");
        assertThat(parse("meizu-pro-6.log", null).features()).contains("aes");
    }

    @Test
    void onePartLineForTwoClusters_yieldsBothParts() {
        assertThat(parse("huawei-honor-6.log", null).parts()).containsExactly("0xc07", "0xc0f");
    }

    @Test
    void listingThatDoesNotStartAtProcessor0_isReadAndSaysSo() {
        CpuProfile p = parse("linux-unknown-sapphirerapids", null);
        assertThat(p.arch()).isEqualTo(Arch.X86_64);
        assertThat(p.vendor()).isEqualTo("GenuineIntel");
        assertThat(p.features()).contains("avx512f", "amx_tile", "sse3");
        assertThat(p.notes()).anyMatch(n -> n.contains("starts at processor 2"));
    }

    @Test
    void mixedAarch64AndAarch32Features_resolveToArmv7CountingOnlyTheAarch32Half() {
        CpuProfile p = parse("galaxy-j7-uae.log", null);
        assertThat(p.arch()).isEqualTo(Arch.ARMV7);
        assertThat(p.features()).contains("neon", "vfpv4", "idiva").doesNotContain("aes", "asimd", "fp");
        assertThat(p.notes()).anyMatch(n -> n.contains("mixes AArch64 and AArch32"));
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id()).isEqualTo("armv7-neon-vfpv4");
    }

    @Test
    void mixedView_withArchHintAarch64_usesTheAarch64Half() {
        CpuProfile p = parse("galaxy-s6.armeabi.log", "aarch64");
        assertThat(p.arch()).isEqualTo(Arch.AARCH64);
        assertThat(p.features()).containsExactlyInAnyOrder("fp", "asimd", "aes", "pmull", "sha1", "sha2", "crc32");
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id()).isEqualTo("aarch64-v8.0-crypto");
    }

    @Test
    void compatOnlyView_ofArmv8Core_resolvesToArmv7_andToAarch64WhenAsked() {
        CpuProfile v7 = parse("oneplus-5.armeabi.log", null);
        assertThat(v7.arch()).isEqualTo(Arch.ARMV7);
        assertThat(v7.features()).contains("aes", "crc32", "neon", "vfpv4");
        CpuProfile v8 = parse("oneplus-5.armeabi.log", "arm64");
        assertThat(v8.arch()).isEqualTo(Arch.AARCH64);
        assertThat(v8.features()).contains("asimd", "fp", "aes", "crc32").doesNotContain("neon", "thumb");
    }

    @Test
    void cpuArchitecture7_onArmv8Core_isRecognisedAsArmv8() {
        CpuProfile p = parse("blu-r1-hd.log", null);
        assertThat(p.arch()).isEqualTo(Arch.ARMV7);
        assertThat(p.notes()).anyMatch(n -> n.contains("'CPU architecture: 7' but the core is ARMv8"));
        // and so the device may ask for its 64-bit target
        assertThat(parse("blu-r1-hd.log", "aarch64").arch()).isEqualTo(Arch.AARCH64);
    }

    @Test
    void oldKernelWithoutCpuidAndEvtstrm_stillGetsItsNamedTarget() {
        // archspec answers plain aarch64 here (its targets require 'cpuid'); they are kernel services, not ISA
        Resolution r = resolve("galaxy-c9-pro.log", Policy.NATIVE);
        assertThat(r.profile().features()).doesNotContain("cpuid");
        assertThat(r.target().id()).isEqualTo("aarch64-cortex_a72");
        assertThat(r.reasons()).anyMatch(n -> n.contains("no 'cpuid'"));
    }

    @Test
    void armv6CoreClaimingArchitecture7_getsTheArmv6Rung_notAnArmv7One() {
        // 'CPU architecture: 7' but an ARM1176 (part 0xb76): VFPv2 only, so no ARMv7 rung is safe (more in
        // Armv6FingerprintTest)
        assertThat(resolve("raspberrypi-zero.log", Policy.LEVEL).target().id()).isEqualTo("armv6-vfpv2");
        assertThat(parse("raspberrypi-zero.log", null).notes()).anyMatch(n -> n.contains("ARMv6"));
    }

    @Test
    void oldSingleBlockArmFormat_isRead() {
        CpuProfile p = parse("nexus-s.log", null);
        assertThat(p.arch()).isEqualTo(Arch.ARMV7);
        assertThat(p.features()).contains("neon", "vfpv3").doesNotContain("vfpv4");
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id()).isEqualTo("armv7-vfpv3d16");
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).next().missing()).containsExactly("vfpv4");
    }

    @Test
    void archHintContradictingTheContent_is422() {
        assertThatThrownBy(() -> parse("linux-rhel7-broadwell", "aarch64"))
                .isInstanceOfSatisfying(FingerprintException.class,
                        e -> assertThat(e.code()).isEqualTo("fingerprint.arch_mismatch"));
        assertThat(parse("linux-rhel7-broadwell", "i686").arch()).isEqualTo(Arch.I686);
    }

    @Test
    void nativeOnAarch64_takesCpuPartIntoAccount() {
        // an M2 has every feature an M3 entry lists, but archspec tells them apart by CPU part
        Resolution r = resolve("linux-asahi-m2", Policy.NATIVE);
        assertThat(r.target().id()).isEqualTo("aarch64-m2");
        String otherPart = Corpus.get("linux-asahi-m2").text().replace("0x032", "0x099");
        CpuProfile p = FingerprintParser.parse("text/plain", otherPart.getBytes(), null);
        assertThat(Corpus.RESOLVER.resolve(p, Policy.NATIVE).target().id()).isNotEqualTo("aarch64-m2");
    }

    @Test
    void everyAnswer_explainsItselfAndNamesTheNextTargetUp() {
        Resolution r = resolve("linux-rhel7-ivybridge", Policy.LEVEL);
        assertThat(r.target().id()).isEqualTo("x86_64-v2");
        assertThat(r.next().id()).isEqualTo("x86_64-v3");
        assertThat(r.next().missing()).contains("avx2", "bmi1", "bmi2", "fma");
        assertThat(r.reasons()).anyMatch(s -> s.startsWith("level: x86_64-v2"));
        Resolution n = resolve("linux-rhel7-ivybridge", Policy.NATIVE);
        assertThat(n.target().id()).isEqualTo("x86_64-ivybridge");
        assertThat(n.next().id()).isEqualTo("x86_64-haswell");
        assertThat(n.next().missing()).contains("avx2");
        // on Arm the ladder branches: the crypto rung of v8.0 leads on to v8.1's
        Resolution a72 = resolve("linux-amazon-cortex_a72", Policy.LEVEL);
        assertThat(a72.target().id()).isEqualTo("aarch64-v8.0-crypto");
        assertThat(a72.next().id()).isEqualTo("aarch64-v8.1-crypto");
        assertThat(a72.next().missing()).containsExactlyInAnyOrder("atomics", "asimdrdm");
    }
}
