package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.tailor.catalog.Arch;

/** Every fingerprint form of API.md, and the aliases folded into canonical names. */
class FingerprintFormsTest {

    private static CpuProfile json(String body) {
        return FingerprintParser.parse("application/json", body.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String code(Runnable r) {
        try {
            r.run();
        } catch (FingerprintException e) {
            assertThat(e.problem().status() / 100 == 4).isTrue();
            return e.code();
        }
        throw new AssertionError("expected a FingerprintException");
    }

    @Test
    void featureList_foldsAliasesAndDropsUnknownNames() {
        CpuProfile p = json("{\"arch\":\"amd64\",\"features\":[\"SSE4.2\",\"pni\",\"lzcnt\",\"avx512vnni\","
                + "\"-march=native\",\"rm -rf\",\"sse2\"]}");
        assertThat(p.arch()).isEqualTo(Arch.X86_64);
        assertThat(p.features()).containsExactly("abm", "avx512_vnni", "cmov", "cx8", "fpu", "fxsr", "mmx", "sse",
                "sse2", "sse3", "sse4_2");
        assertThat(p.notes()).anyMatch(n -> n.contains("-march=native") && n.contains("rm -rf"));
    }

    @Test
    void armSpellings_foldPerArchitecture() {
        assertThat(FingerprintParser.parseCompact("arm64:crc,lse,neon,dotprod,rcpc,fp16,crypto").features())
                .containsExactly("aes", "asimd", "asimddp", "asimdhp", "atomics", "crc32", "fphp", "lrcpc", "pmull",
                        "sha1", "sha2");
        assertThat(FingerprintParser.parseCompact("armhf:crc,asimd,vfpv4,idiv,vfpv3,vfp").features())
                .containsExactly("crc32", "idiva", "idivt", "neon", "tls", "vfp", "vfpv3", "vfpv4"); // tls: implied by the v7 names
    }

    @Test
    void compactForm_inABody_isAcceptedToo() {
        CpuProfile p = FingerprintParser.parse("text/plain", "x86_64:sse4_2,avx2\n".getBytes(), null);
        assertThat(p.features()).contains("avx2", "sse4_2", "sse2").doesNotContain("sse4_1");
        assertThat(p.notes()).anyMatch(n -> n.contains("every x86-64 CPU has them"));
        assertThat(FingerprintParser.parseCompact("i686:sse4_2").features()).containsExactly("sse4_2");
    }

    @Test
    void cpuidLeaves_decodeWithTheKernelsBitAssignments() {
        // a Haswell: leaf 1 ecx/edx, leaf 7 ebx, leaf 0x80000001 ecx/edx, vendor from leaf 0
        CpuProfile p = json("""
                {"arch": "x86_64", "cpuid": {
                  "0": {"ebx": "0x756e6547", "edx": "0x49656e69", "ecx": "0x6c65746e"},
                  "1": {"eax": "0x000306f2", "ecx": "0x7ffafbff", "edx": "0xbfebfbff"},
                  "7.0": {"ebx": "0x000027ab"},
                  "0x80000001": {"ecx": "0x00000021", "edx": "0x2c100800"}}}""");
        assertThat(p.vendor()).isEqualTo("GenuineIntel");
        assertThat(p.model()).isEqualTo("family 6 model 63");
        assertThat(p.features()).contains("sse3", "ssse3", "sse4_1", "sse4_2", "popcnt", "aes", "avx", "fma",
                "movbe", "f16c", "avx2", "bmi1", "bmi2", "abm", "lahf_lm", "lm", "cx16", "xsave");
        assertThat(p.features()).doesNotContain("avx512f", "hypervisor", "osxsave");
        assertThat(Corpus.RESOLVER.resolve(p, Policy.NATIVE).target().id()).isEqualTo("x86_64-haswell");
    }

    @Test
    void cpuidLeaves_acceptDecimalAndNumericForms() {
        CpuProfile p = json("{\"arch\":\"x86_64\",\"cpuid\":{\"1\":{\"ecx\":1,\"edx\":33554432},"
                + "\"13.1\":{\"eax\":\"0x1\"}}}");
        assertThat(p.features()).contains("sse", "sse3", "xsaveopt").doesNotContain("sse4_1", "avx");
    }

    @Test
    void cpuid_withoutLeaf1_orWithBadRegisters_isA400() {
        assertThat(code(() -> json("{\"arch\":\"x86_64\",\"cpuid\":{\"7\":{\"ebx\":\"0x20\"}}}")))
                .isEqualTo("fingerprint.unparseable");
        assertThat(code(() -> json("{\"arch\":\"x86_64\",\"cpuid\":{\"1\":{\"esp\":\"0x20\"}}}")))
                .isEqualTo("fingerprint.unparseable");
        assertThat(code(() -> json("{\"arch\":\"x86_64\",\"cpuid\":{\"1\":{\"ecx\":\"0x1ffffffffffffffffff\"}}}")))
                .isEqualTo("fingerprint.unparseable");
    }

    @Test
    void aarch64Hwcaps_decodeWithLinuxBitAssignments() {
        // Neoverse N1: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop
        // asimddp ssbs = bits 0-12, 15, 16, 20, 28
        long hwcap = 0x1fffL | 1L << 15 | 1L << 16 | 1L << 20 | 1L << 28;
        CpuProfile p = json("{\"arch\":\"aarch64\",\"hwcap\":\"0x" + Long.toHexString(hwcap) + "\",\"hwcap2\":\"0x0\"}");
        assertThat(p.features()).containsExactlyInAnyOrder("fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2",
                "crc32", "atomics", "fphp", "asimdhp", "cpuid", "asimdrdm", "lrcpc", "dcpop", "asimddp", "ssbs");
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id()).isEqualTo("aarch64-v8.2-crypto");
        CpuProfile p2 = json("{\"arch\":\"aarch64\",\"hwcap\":3,\"hwcap2\":\"0x" + Long.toHexString(1L << 1 | 1L << 60)
                + "\"}");
        assertThat(p2.features()).containsExactly("asimd", "fp", "sve2");
        assertThat(p2.notes()).anyMatch(n -> n.contains("124"));
    }

    @Test
    void vendorAndPart_besideFeaturesOrHwcaps_enableNamedTargets() {
        CpuProfile n1 = json("{\"arch\":\"aarch64\",\"vendor\":\"0x41\",\"part\":\"0xD0C\",\"hwcap\":\"0x"
                + Long.toHexString(0x1fffL | 1L << 15 | 1L << 16 | 1L << 20) + "\"}");
        assertThat(n1.vendor()).isEqualTo("ARM");
        assertThat(n1.parts()).containsExactly("0xd0c");
        assertThat(Corpus.RESOLVER.resolve(n1, Policy.NATIVE).target().id()).isEqualTo("aarch64-neoverse_n1");
        CpuProfile zen = json("{\"arch\":\"x86_64\",\"vendor\":\"AuthenticAMD\",\"features\":[\"avx2\",\"bmi1\","
                + "\"bmi2\",\"fma\",\"f16c\",\"abm\",\"movbe\",\"xsave\",\"avx\",\"sse4_2\",\"sse4_1\",\"ssse3\","
                + "\"sse3\",\"popcnt\",\"cx16\",\"lahf_lm\"]}");
        assertThat(Corpus.RESOLVER.resolve(zen, Policy.NATIVE).target().id()).isEqualTo("x86_64-v3");
        assertThat(code(() -> json("{\"arch\":\"aarch64\",\"part\":\"d0c; rm\",\"hwcap\":1}")))
                .isEqualTo("fingerprint.unparseable");
    }

    @Test
    void hwcapForAnotherArch_isRefused() {
        assertThat(code(() -> json("{\"arch\":\"armv7\",\"hwcap\":\"0x1\"}"))).isEqualTo("fingerprint.unparseable");
    }

    @Test
    void unknownArchitectures_andMissingArch_are400UnknownArch() {
        assertThat(code(() -> json("{\"arch\":\"mips64\",\"features\":[]}"))).isEqualTo("fingerprint.unknown_arch");
        assertThat(code(() -> json("{\"features\":[\"sse2\"]}"))).isEqualTo("fingerprint.unknown_arch");
        assertThat(code(() -> FingerprintParser.parseCompact("mips:fpu"))).isEqualTo("fingerprint.unknown_arch");
        assertThat(code(() -> FingerprintParser.parse("text/plain", "x86_64:sse2".getBytes(), "sparc")))
                .isEqualTo("fingerprint.unknown_arch");
    }

    @Test
    void garbage_binary_empty_andHugeBodies_areRefusedWithStableCodes() {
        assertThat(code(() -> FingerprintParser.parse("text/plain", "hello world".getBytes(), null)))
                .isEqualTo("fingerprint.unparseable");
        assertThat(code(() -> FingerprintParser.parse("text/plain", new byte[] {0x7f, 'E', 'L', 'F', 0, 1}, null)))
                .isEqualTo("fingerprint.unparseable");
        assertThat(code(() -> FingerprintParser.parse("text/plain", new byte[] {(byte) 0xc3, (byte) 0x28}, null)))
                .isEqualTo("fingerprint.unparseable");
        assertThat(code(() -> FingerprintParser.parse("text/plain", new byte[0], null)))
                .isEqualTo("fingerprint.missing");
        assertThat(code(() -> FingerprintParser.parse("text/plain", new byte[FingerprintParser.MAX_BODY_BYTES + 1],
                null))).isEqualTo("request.too_large");
        assertThat(code(() -> FingerprintParser.parse("application/octet-stream", "x86_64:sse2".getBytes(), null)))
                .isEqualTo("fingerprint.unsupported_media_type");
        assertThat(code(() -> json("[1,2,3]"))).isEqualTo("fingerprint.unparseable");
        assertThat(code(() -> json("{\"arch\":\"x86_64\",\"features\":" + "[".repeat(50) + "]".repeat(50) + "}")))
                .isEqualTo("fingerprint.unparseable");
        assertThat(code(() -> Policy.parse("fastest"))).isEqualTo("fingerprint.bad_policy");
    }
}
