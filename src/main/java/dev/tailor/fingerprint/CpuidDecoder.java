package dev.tailor.fingerprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.tailor.catalog.Arch;

/**
 * Turns raw x86 CPUID leaves into Linux flag names, with the kernel's bit assignments. A unikernel reads CPUID
 * itself and enables the state it needs, so the hardware bits are the truth here (no OS masking to undo).
 */
final class CpuidDecoder {

    /** leaf key "leaf.subleaf.register" to the flag names of bits 0..31 (null = nothing a compiler uses). */
    private static final Map<String, String[]> BITS = Map.ofEntries(
            Map.entry("1.0.edx", names("fpu vme de pse tsc msr pae mce cx8 apic - sep mtrr pge mca cmov pat pse36 pn clflush - "
                    + "dts acpi mmx fxsr sse sse2 ss ht tm ia64 pbe")),
            Map.entry("1.0.ecx", names("sse3 pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 cid sdbg fma cx16 xtpr pdcm "
                    + "- pcid dca sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave osxsave avx f16c "
                    + "rdrand hypervisor")),
            Map.entry("7.0.ebx", names("fsgsbase tsc_adjust sgx bmi1 hle avx2 - smep bmi2 erms invpcid rtm cqm - mpx rdt_a "
                    + "avx512f avx512dq rdseed adx smap avx512ifma - clflushopt clwb intel_pt avx512pf avx512er "
                    + "avx512cd sha_ni avx512bw avx512vl")),
            Map.entry("7.0.ecx", names("- avx512vbmi umip pku ospke waitpkg avx512_vbmi2 - gfni vaes vpclmulqdq avx512_vnni "
                    + "avx512_bitalg tme avx512_vpopcntdq - la57 - - - - - rdpid - bus_lock_detect cldemote - "
                    + "movdiri movdir64b enqcmd sgx_lc -")),
            Map.entry("7.0.edx", names("- - avx512_4vnniw avx512_4fmaps fsrm - - - avx512_vp2intersect - md_clear - - - "
                    + "serialize - tsxldtrk - pconfig arch_lbr ibt - amx_bf16 avx512_fp16 amx_tile amx_int8 - - - - - "
                    + "-")),
            Map.entry("7.1.eax", names("sha512 sm3 sm4 - avx_vnni avx512_bf16 - cmpccxadd - - - - - - - - - - - - - amx_fp16 "
                    + "- avx_ifma - - - - - - - -")),
            Map.entry("7.1.edx", names("- - - - avx_vnni_int8 avx_ne_convert - - - - avx_vnni_int16 - - - - - - - - - - - "
                    + "- - - - - - - - - -")),
            Map.entry("d.1.eax", names("xsaveopt xsavec xgetbv1 xsaves - - - - - - - - - - - - - - - - - - - - - - - - - - - "
                    + "-")),
            Map.entry("80000001.0.ecx", names("lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch "
                    + "osvw ibs xop skinit wdt - lwp fma4 tce - nodeid_msr - tbm topoext perfctr_core perfctr_nb - "
                    + "bpext ptsc perfctr_llc mwaitx - -")),
            Map.entry("80000001.0.edx", names("- - - - - - - - - - - syscall - - - - - - - mp nx - mmxext - - fxsr_opt pdpe1gb "
                    + "rdtscp - lm 3dnowext 3dnow")),
            Map.entry("80000008.0.ebx", names("clzero irperf xsaveerptr - rdpru - - - - wbnoinvd - - - - - - - - - - - - - - "
                    + "- - - - - - - -")));

    private CpuidDecoder() {
    }

    private static String[] names(String spaced) {
        String[] n = spaced.split(" ");
        if (n.length != 32) {
            throw new IllegalStateException("a register has 32 bits, not " + n.length + ": " + spaced);
        }
        return n;
    }

    /**
     * The flag name of one bit, as {@link #decode} reads it, if Tailor decodes that bit; {@code leaf} is a
     * {@link #leafKey}, {@code register} one of eax, ebx, ecx, edx. The probe's table must agree (a test checks it).
     */
    static Optional<String> bitName(String leaf, String register, int bit) {
        String[] names = BITS.get(leaf + "." + register);
        return names == null || names[bit].equals("-") ? Optional.empty() : Optional.of(names[bit]);
    }

    static CpuProfile decode(Arch arch, Map<String, Map<String, Long>> leaves) {
        TreeSet<String> raw = new TreeSet<>();
        List<String> notes = new ArrayList<>();
        List<String> unknownLeaves = new ArrayList<>();
        String vendor = null;
        String model = null;
        for (Map.Entry<String, Map<String, Long>> leaf : leaves.entrySet()) {
            String key = leafKey(leaf.getKey());
            if (key == null) {
                unknownLeaves.add(JsonFingerprintParser.clip(leaf.getKey()));
                continue;
            }
            if (key.equals("0.0")) {
                vendor = vendor(leaf.getValue());
                continue;
            }
            if (key.equals("1.0") && leaf.getValue().containsKey("eax")) {
                model = familyModel(leaf.getValue().get("eax"));
            }
            boolean used = false;
            for (Map.Entry<String, Long> reg : leaf.getValue().entrySet()) {
                String[] names = BITS.get(key + "." + reg.getKey());
                if (names == null) {
                    continue;
                }
                used = true;
                for (int bit = 0; bit < 32; bit++) {
                    if ((reg.getValue() >>> bit & 1) != 0 && !names[bit].equals("-")) {
                        raw.add(names[bit]);
                    }
                }
            }
            if (!used) {
                unknownLeaves.add(JsonFingerprintParser.clip(leaf.getKey()));
            }
        }
        if (!leaves.keySet().stream().map(CpuidDecoder::leafKey).toList().contains("1.0")) {
            throw FingerprintException.unparseable("CPUID leaf 1 (ecx/edx) is required");
        }
        if (arch == Arch.X86_64 && !raw.contains("lm")) {
            notes.add("leaf 0x80000001 does not show long mode ('lm'): sent as x86_64 anyway");
        }
        if (!unknownLeaves.isEmpty()) {
            notes.add("ignored CPUID leaves Tailor does not decode: " + FeatureNames.abbreviate(unknownLeaves, 8));
        }
        TreeSet<String> ignored = new TreeSet<>();
        TreeSet<String> features = FeatureNames.fold(arch, raw, ignored);
        return new CpuProfile(arch, vendor, model, List.of(), FeatureNames.withImplied(arch, features, notes), notes);
    }

    /** "1", "0x1", "7.0", "0x7.1", "0xd.1", "80000001", "0x80000001" to "leaf.subleaf" in lower-case hex. */
    static String leafKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        String[] parts = k.split("\\.", -1);
        if (parts.length > 2) {
            return null;
        }
        try {
            long leaf = parseLeaf(parts[0]);
            long sub = parts.length == 2 ? parseLeaf(parts[1]) : 0;
            if (leaf < 0 || leaf > 0xffff_ffffL || sub < 0 || sub > 0xffff) {
                return null;
            }
            return Long.toHexString(leaf) + "." + Long.toHexString(sub);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long parseLeaf(String s) {
        if (s.startsWith("0x")) {
            return Long.parseLong(s.substring(2), 16);
        }
        // extended leaves are conventionally written in hex even without the prefix
        if (s.length() == 8 && s.startsWith("8000") || s.matches(".*[a-f].*")) {
            return Long.parseLong(s, 16);
        }
        return Long.parseLong(s);
    }

    /** The display family and model, as /proc/cpuinfo prints them (extended fields folded in). */
    static String familyModel(long eax) {
        long family = eax >>> 8 & 0xf;
        long model = eax >>> 4 & 0xf;
        if (family == 0xf) {
            family += eax >>> 20 & 0xff;
        }
        if (family == 0x6 || family >= 0xf) {
            model |= (eax >>> 16 & 0xf) << 4;
        }
        return "family " + family + " model " + model;
    }

    private static String vendor(Map<String, Long> regs) {
        if (!regs.keySet().containsAll(List.of("ebx", "edx", "ecx"))) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String r : List.of("ebx", "edx", "ecx")) {
            long v = regs.get(r);
            for (int i = 0; i < 4; i++) {
                char c = (char) (v >>> (8 * i) & 0xff);
                if (c < 0x20 || c > 0x7e) {
                    return null;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
