package dev.tailor.fingerprint;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.tailor.catalog.Arch;

/**
 * The canonical feature vocabulary per architecture (Linux {@code /proc/cpuinfo} flag names) and the aliases devices
 * and people use for them. Anything outside the vocabulary is dropped by the parsers, so a name a device invents can
 * never reach a compiler command line.
 */
public final class FeatureNames {

    /** Instruction-set flags the x86 kernels print, plus what archspec's x86 targets name. Others (vme, tsc...) are
     * system facilities a compiler never uses. */
    private static final Set<String> X86 = Set.of(
            "fpu", "cx8", "cmov", "mmx", "fxsr", "sse", "sse2", "clflush", "lm", "nx", "syscall", "rdtscp",
            "sse3", "pclmulqdq", "ssse3", "fma", "cx16", "sse4_1", "sse4_2", "movbe", "popcnt", "aes", "xsave",
            "avx", "f16c", "rdrand", "lahf_lm", "abm", "sse4a", "misalignsse", "3dnowprefetch", "xop", "fma4",
            "tbm", "lwp", "mwaitx", "3dnow", "3dnowext", "mmxext", "fsgsbase", "tsc_adjust", "bmi1", "hle", "avx2",
            "bmi2", "erms", "invpcid", "rtm", "mpx", "avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512ifma",
            "clflushopt", "clwb", "avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw", "avx512vl",
            "avx512vbmi", "umip", "pku", "waitpkg", "avx512_vbmi2", "gfni", "vaes", "vpclmulqdq", "avx512_vnni",
            "avx512_bitalg", "avx512_vpopcntdq", "rdpid", "cldemote", "movdiri", "movdir64b", "enqcmd",
            "avx512_4vnniw", "avx512_4fmaps", "fsrm", "avx512_vp2intersect", "serialize", "tsxldtrk", "amx_bf16",
            "avx512_fp16", "amx_tile", "amx_int8", "avx_vnni", "avx512_bf16", "cmpccxadd", "amx_fp16", "avx_ifma",
            "avx_vnni_int8", "avx_vnni_int16", "avx_ne_convert", "sha512", "sm3", "sm4", "xsaveopt", "xsavec",
            "xsaves", "xgetbv1", "clzero", "wbnoinvd", "flush_l1d", "ptwrite");

    /** Linux arm64 AT_HWCAP and AT_HWCAP2 bits 0.., named as /proc/cpuinfo prints them (SME_FA64 is "smefa64");
     * the HWCAP parser relies on the order. */
    static final List<String> AARCH64_HWCAP = List.of(
            "fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32", "atomics", "fphp", "asimdhp",
            "cpuid", "asimdrdm", "jscvt", "fcma", "lrcpc", "dcpop", "sha3", "sm3", "sm4", "asimddp", "sha512", "sve",
            "asimdfhm", "dit", "uscat", "ilrcpc", "flagm", "ssbs", "sb", "paca", "pacg");
    static final List<String> AARCH64_HWCAP2 = List.of(
            "dcpodp", "sve2", "sveaes", "svepmull", "svebitperm", "svesha3", "svesm4", "flagm2", "frint", "svei8mm",
            "svef32mm", "svef64mm", "svebf16", "i8mm", "bf16", "dgh", "rng", "bti", "mte", "ecv", "afp", "rpres",
            "mte3", "sme", "smei16i64", "smef64f64", "smei8i32", "smef16f32", "smeb16f32", "smef32f32", "smefa64",
            "wfxt", "ebf16", "sveebf16", "cssc", "rprfm", "sve2p1", "sme2", "sme2p1", "smei16i32", "smebi32i32",
            "smeb16b16", "smef16f16", "mops", "hbc", "sveb16b16", "lrcpc3", "lse128");

    /** Linux arm (32-bit) hwcap and hwcap2 names. */
    private static final Set<String> ARMV7 = Set.of(
            "swp", "half", "thumb", "26bit", "fastmult", "fpa", "vfp", "edsp", "java", "iwmmxt", "crunch", "thumbee",
            "neon", "vfpv3", "vfpv3d16", "tls", "vfpv4", "idiva", "idivt", "vfpd32", "lpae", "evtstrm", "aes",
            "pmull", "sha1", "sha2", "crc32");

    private static final Set<String> I686 = X86;

    /**
     * RISC-V unprivileged extensions as the ISA string and Linux's {@code isa} line spell them (lower case, no
     * version): the single letters and the multi-letter Z names. Supervisor-level (S*, Sv*), hypervisor (H) and
     * vendor (X*) extensions are not instructions user code is compiled for; they are dropped like x86's system
     * flags.
     */
    private static final Set<String> RISCV64 = Set.of(
            "i", "m", "a", "f", "d", "q", "c", "v",
            "zicsr", "zifencei", "zicntr", "zihpm", "zicbom", "zicbop", "zicboz", "zicond", "zihintpause",
            "zihintntl", "zimop", "zawrs", "zacas", "zabha", "zaamo", "zalrsc", "zama16b", "zfa", "zfh", "zfhmin",
            "zfbfmin", "zca", "zcb", "zcd", "zcf", "zcmop", "zba", "zbb", "zbc", "zbs", "zbkb", "zbkc", "zbkx",
            "zknd", "zkne", "zknh", "zkr", "zksed", "zksh", "zkt", "ztso", "zve32x", "zve32f", "zve64x", "zve64f",
            "zve64d", "zvfh", "zvfhmin", "zvfbfmin", "zvfbfwma", "zvbb", "zvbc", "zvkb", "zvkg", "zvkned", "zvknha",
            "zvknhb", "zvksed", "zvksh", "zvkt", "zvl32b", "zvl64b", "zvl128b", "zvl256b", "zvl512b", "zvl1024b");

    /** Linux riscv AT_HWCAP: bit (letter - 'a') for each single-letter extension; the HWCAP parser relies on it. */
    static final List<String> RISCV64_HWCAP;

    static {
        List<String> bits = new java.util.ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) {
            String letter = String.valueOf(c);
            bits.add(RISCV64.contains(letter) ? letter : null);
        }
        RISCV64_HWCAP = java.util.Collections.unmodifiableList(bits);
    }

    private static final Map<String, List<String>> X86_ALIASES = Map.ofEntries(
            Map.entry("pni", List.of("sse3")), Map.entry("lzcnt", List.of("abm")),
            Map.entry("lahf", List.of("lahf_lm")), Map.entry("sahf", List.of("lahf_lm")),
            Map.entry("bmi", List.of("bmi1")), Map.entry("sha", List.of("sha_ni")),
            Map.entry("pclmul", List.of("pclmulqdq")), Map.entry("rdrnd", List.of("rdrand")),
            Map.entry("cmpxchg16b", List.of("cx16")), Map.entry("cmpxchg8b", List.of("cx8")),
            Map.entry("fma3", List.of("fma")), Map.entry("sse41", List.of("sse4_1")),
            Map.entry("sse42", List.of("sse4_2")), Map.entry("avx512vnni", List.of("avx512_vnni")),
            Map.entry("avx512bf16", List.of("avx512_bf16")), Map.entry("avx512vbmi2", List.of("avx512_vbmi2")),
            Map.entry("avx512bitalg", List.of("avx512_bitalg")),
            Map.entry("avx512vpopcntdq", List.of("avx512_vpopcntdq")),
            Map.entry("avx512fp16", List.of("avx512_fp16")),
            Map.entry("avx512vp2intersect", List.of("avx512_vp2intersect")),
            Map.entry("avxvnni", List.of("avx_vnni")), Map.entry("avxifma", List.of("avx_ifma")),
            Map.entry("avxvnniint8", List.of("avx_vnni_int8")), Map.entry("avxvnniint16", List.of("avx_vnni_int16")),
            Map.entry("avxneconvert", List.of("avx_ne_convert")), Map.entry("amxtile", List.of("amx_tile")),
            Map.entry("amxint8", List.of("amx_int8")), Map.entry("amxbf16", List.of("amx_bf16")),
            Map.entry("sse4", List.of("sse4_1", "sse4_2")));

    private static final Map<String, List<String>> AARCH64_ALIASES = Map.ofEntries(
            Map.entry("crc", List.of("crc32")), Map.entry("lse", List.of("atomics")),
            Map.entry("rdm", List.of("asimdrdm")), Map.entry("rdma", List.of("asimdrdm")),
            Map.entry("dotprod", List.of("asimddp")), Map.entry("rcpc", List.of("lrcpc")),
            Map.entry("neon", List.of("asimd")), Map.entry("simd", List.of("asimd")),
            Map.entry("advsimd", List.of("asimd")), Map.entry("vfp", List.of("fp")),
            Map.entry("vfpv4", List.of("fp")), Map.entry("fp16", List.of("fphp", "asimdhp")),
            Map.entry("fhm", List.of("asimdfhm")), Map.entry("fp16fml", List.of("asimdfhm")),
            Map.entry("sha256", List.of("sha2")), Map.entry("complxnum", List.of("fcma")),
            Map.entry("jsconv", List.of("jscvt")), Map.entry("pauth", List.of("paca", "pacg")),
            Map.entry("dpb", List.of("dcpop")), Map.entry("dpb2", List.of("dcpodp")),
            Map.entry("crypto", List.of("aes", "pmull", "sha1", "sha2")));

    private static final Map<String, List<String>> ARMV7_ALIASES = Map.ofEntries(
            Map.entry("crc", List.of("crc32")), Map.entry("asimd", List.of("neon")),
            Map.entry("simd", List.of("neon")), Map.entry("fp", List.of("vfp")),
            Map.entry("idiv", List.of("idiva", "idivt")), Map.entry("vfpv3_d16", List.of("vfpv3d16")),
            Map.entry("vfpv3_d32", List.of("vfpd32")), Map.entry("tlsi", List.of("tls")),
            Map.entry("crypto", List.of("aes", "pmull", "sha1", "sha2")));

    /** Bundles of extensions the ISA string and people name by one word. */
    private static final Map<String, List<String>> RISCV64_ALIASES = Map.ofEntries(
            Map.entry("g", List.of("i", "m", "a", "f", "d", "zicsr", "zifencei")),
            Map.entry("b", List.of("zba", "zbb", "zbs")), Map.entry("rvv", List.of("v")),
            Map.entry("vector", List.of("v")), Map.entry("zk", List.of("zbkb", "zbkc", "zbkx", "zkne", "zknd", "zknh", "zkr", "zkt")),
            Map.entry("zkn", List.of("zbkb", "zbkc", "zbkx", "zkne", "zknd", "zknh")),
            Map.entry("zks", List.of("zbkb", "zbkc", "zbkx", "zksed", "zksh")),
            Map.entry("zbitmanip", List.of("zba", "zbb", "zbs")));

    /** What the AMD64 architecture requires of every CPU (the psABI baseline): implied when a list omits it. */
    private static final Set<String> X86_64_IMPLIED = Set.of("fpu", "cx8", "cmov", "mmx", "fxsr", "sse", "sse2");

    private FeatureNames() {
    }

    /**
     * Adds the features the architecture itself guarantees, so {@code x86_64:avx2} means what a person means by it.
     * x86-64 guarantees its psABI baseline. On 32-bit Arm, a name only ARMv7 and later cores have (VFPv3, NEON,
     * LPAE, hardware divide, the ARMv8 AArch32 extensions) implies {@code tls}, the user thread-ID register every
     * ARMv7 core has: the ARMv6 rung requires it to tell ARMv6 from ARMv5 (whose kernels print {@code vfp} without
     * {@code tls} when the core has a VFP9). FP and Advanced SIMD stay optional, as ARMv8-A and ARMv7-A make them.
     */
    static TreeSet<String> withImplied(Arch arch, Set<String> features, List<String> notes) {
        TreeSet<String> out = new TreeSet<>(features);
        if (arch == Arch.X86_64 && !out.containsAll(X86_64_IMPLIED)) {
            TreeSet<String> added = new TreeSet<>(X86_64_IMPLIED);
            added.removeAll(out);
            out.addAll(added);
            notes.add("added " + String.join(", ", added) + ": every x86-64 CPU has them (AMD64 requires them)");
        }
        if (arch == Arch.ARMV7 && !out.contains("tls") && out.stream().anyMatch(ARMV7_ONLY::contains)) {
            out.add("tls");
            notes.add("added tls: " + String.join(", ", out.stream().filter(ARMV7_ONLY::contains).toList())
                    + " exist only on ARMv7 and later cores, which all have the thread-ID register");
        }
        return out;
    }

    /** 32-bit Arm feature names no ARMv6 or older core has. */
    private static final Set<String> ARMV7_ONLY = Set.of("vfpv3", "vfpv3d16", "vfpd32", "vfpv4", "neon", "thumbee",
            "idiva", "idivt", "lpae", "aes", "pmull", "sha1", "sha2", "crc32");

    /** Every canonical name of the architecture. */
    public static Set<String> vocabulary(Arch arch) {
        return switch (arch) {
            case X86_64 -> X86;
            case I686 -> I686;
            case AARCH64 -> AARCH64_SET;
            case ARMV7 -> ARMV7;
            case RISCV64 -> RISCV64;
            case WASM32 -> WASM32;
        };
    }

    /** What a WebAssembly engine may offer beyond the MVP, in the names of clang's -m flags. */
    private static final Set<String> WASM32 = Set.of("simd128");

    private static final Set<String> AARCH64_SET;

    static {
        TreeSet<String> all = new TreeSet<>(AARCH64_HWCAP);
        all.addAll(AARCH64_HWCAP2);
        AARCH64_SET = Set.copyOf(all);
    }

    /**
     * The canonical names one spelling stands for: empty when the name is unknown. Case, and '-' or '.' versus '_'
     * ({@code sse4.2}, {@code amx-tile}), do not matter.
     */
    public static List<String> canonical(Arch arch, String name) {
        if (name == null) {
            return List.of();
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
        if (n.isEmpty() || n.length() > 40) {
            return List.of();
        }
        if (vocabulary(arch).contains(n)) {
            return List.of(n);
        }
        String squashed = n.replace("_", "");
        if (vocabulary(arch).contains(squashed)) {
            return List.of(squashed); // sme_fa64, the uapi macro's spelling, is /proc/cpuinfo's smefa64
        }
        Map<String, List<String>> aliases = switch (arch) {
            case X86_64, I686 -> X86_ALIASES;
            case AARCH64 -> AARCH64_ALIASES;
            case ARMV7 -> ARMV7_ALIASES;
            case RISCV64 -> RISCV64_ALIASES;
            case WASM32 -> Map.of("simd", List.of("simd128"));
        };
        List<String> mapped = aliases.get(n);
        if (mapped == null) {
            mapped = aliases.get(squashed);
        }
        return mapped == null ? List.of() : mapped;
    }

    /** Folds names into canonical ones; names that stand for nothing are collected in {@code unknown}. */
    public static TreeSet<String> fold(Arch arch, Collection<String> names, Collection<String> unknown) {
        TreeSet<String> out = new TreeSet<>();
        for (String name : names) {
            if (arch == Arch.RISCV64 && name != null && RiscvIsa.width(name) == 64) {
                // a whole ISA string ("rv64imafdc_zba_zbb"), as a device or a person may send it
                out.addAll(fold(arch, RiscvIsa.extensions(name), unknown));
                continue;
            }
            List<String> c = canonical(arch, name);
            if (c.isEmpty()) {
                if (name != null && !name.isBlank()) {
                    unknown.add(name.length() > 40 ? name.substring(0, 40) + "..." : name);
                }
            } else {
                out.addAll(c);
            }
        }
        return out;
    }

    /**
     * For reasons: a short rendering of a possibly long list of names, each clipped (they may be a device's
     * invention, as long as its line).
     */
    static String abbreviate(Collection<String> names, int max) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (String n : names) {
            if (i == max) {
                sb.append(" (+").append(names.size() - max).append(" more)");
                break;
            }
            sb.append(i == 0 ? "" : ", ").append(JsonFingerprintParser.clip(n));
            i++;
        }
        return sb.toString();
    }

}
