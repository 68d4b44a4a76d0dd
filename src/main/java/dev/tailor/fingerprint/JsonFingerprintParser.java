package dev.tailor.fingerprint;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.tailor.catalog.Arch;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON fingerprints: a feature list {@code {"arch","features":[...]}}, raw x86 CPUID leaves
 * {@code {"arch","cpuid":{"1":{"ecx":"0x..."}}}} and the AArch64 and riscv64 auxiliary vectors
 * {@code {"arch":"aarch64","hwcap":"0x...","hwcap2":"0x..."}}, {@code {"arch":"riscv64","hwcap":"0x20112d"}}.
 */
final class JsonFingerprintParser {

    // a fingerprint is small and flat: deep nesting or huge numbers are an attack, not a CPU
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(40)
                    .maxStringLength(64 * 1024).build()).build()).build();

    private static final int MAX_FEATURES = 512;

    private JsonFingerprintParser() {
    }

    static CpuProfile parse(String body, Optional<Arch> hint) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw FingerprintException.unparseable("the JSON fingerprint is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw FingerprintException.unparseable("a JSON fingerprint is an object with an \"arch\"");
        }
        JsonNode archNode = root.get("arch");
        if (archNode == null || !archNode.isString()) {
            if (hint.isEmpty()) {
                throw FingerprintException.unknownArch("the JSON fingerprint has no \"arch\"");
            }
        }
        Arch arch = archNode != null && archNode.isString() ? Arch.parse(archNode.asString())
                .orElseThrow(() -> FingerprintException.unknownArch("unknown architecture \""
                        + clip(archNode.asString()) + "\"; known: " + Arch.known())) : hint.get();
        if (root.has("features")) {
            return identified(features(arch, root.get("features")), root);
        }
        if (root.has("cpuid")) {
            if (arch != Arch.X86_64 && arch != Arch.I686) {
                throw FingerprintException.unparseable("CPUID leaves describe x86 CPUs, not " + arch);
            }
            return CpuidDecoder.decode(arch, leaves(root.get("cpuid")));
        }
        if (root.has("hwcap")) {
            if (arch == Arch.RISCV64) {
                if (root.has("hwcap2")) {
                    throw FingerprintException.unparseable("riscv64 has no AT_HWCAP2; send \"hwcap\" alone");
                }
                return identified(riscvHwcap(number(root.get("hwcap"), "hwcap")), root);
            }
            if (arch != Arch.AARCH64) {
                throw FingerprintException.unparseable("hwcap/hwcap2 are decoded with the AArch64 and riscv64 bit "
                        + "assignments; for " + arch + " send a feature list");
            }
            return identified(hwcap(number(root.get("hwcap"), "hwcap"),
                    root.has("hwcap2") ? number(root.get("hwcap2"), "hwcap2") : 0L), root);
        }
        throw FingerprintException.unparseable("a JSON fingerprint needs \"features\", \"cpuid\" or \"hwcap\"");
    }

    /**
     * Optional identification beside a feature list or hwcaps: {@code "vendor"} (x86 vendor string, or an Arm
     * implementer name or code such as "0x41") and {@code "part"} (Arm CPU part, or a list of them for big.LITTLE;
     * on riscv64 the core's archspec name, such as "u74mc"),
     * which the native policy needs to name a microarchitecture.
     */
    private static CpuProfile identified(CpuProfile p, JsonNode root) {
        String vendor = p.vendor();
        JsonNode v = root.get("vendor");
        if (v != null && !v.isNull()) {
            if (!v.isString() || !v.asString().matches("[\\x20-\\x7e]{1,40}")) {
                throw FingerprintException.unparseable("\"vendor\" must be a short printable string");
            }
            String raw = v.asString().strip();
            vendor = (p.arch() == Arch.RISCV64 ? CpuinfoParser.RISCV_VENDORS : CpuinfoParser.ARM_VENDORS)
                    .getOrDefault(raw.toLowerCase(Locale.ROOT), raw);
        }
        List<String> parts = new ArrayList<>(p.parts());
        JsonNode part = root.get("part");
        if (part != null && !part.isNull()) {
            for (JsonNode n : part.isArray() ? part : List.of(part)) {
                String norm = n.isString() ? n.asString().toLowerCase(Locale.ROOT) : "";
                if (!CpuProfile.isPart(p.arch(), norm) || parts.size() >= 16) {
                    throw FingerprintException.unparseable(p.arch() == Arch.RISCV64
                            ? "\"part\" must name a RISC-V core as archspec does, like \"u74mc\", or be a list"
                            : "\"part\" must be a CPU part like \"0xd0c\", or a list");
                }
                if (!parts.contains(norm)) {
                    parts.add(norm);
                }
            }
        }
        return new CpuProfile(p.arch(), vendor, p.model(), parts, p.features(), p.notes());
    }

    static CpuProfile features(Arch arch, JsonNode list) {
        if (!list.isArray()) {
            throw FingerprintException.unparseable("\"features\" must be an array of names");
        }
        if (list.size() > MAX_FEATURES) {
            throw FingerprintException.unparseable("more than " + MAX_FEATURES + " feature names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode n : list) {
            if (!n.isString()) {
                throw FingerprintException.unparseable("\"features\" must contain only strings");
            }
            names.add(n.asString());
        }
        return fromNames(arch, names);
    }

    /** Shared with the compact form: fold names, report the ones dropped. */
    static CpuProfile fromNames(Arch arch, List<String> names) {
        List<String> unknown = new ArrayList<>();
        TreeSet<String> features = FeatureNames.fold(arch, names, unknown);
        List<String> notes = new ArrayList<>();
        if (!unknown.isEmpty()) {
            notes.add("ignored unknown feature names: " + FeatureNames.abbreviate(unknown, 12));
        }
        return CpuProfile.of(arch, FeatureNames.withImplied(arch, features, notes), notes);
    }

    static CpuProfile hwcap(long hwcap, long hwcap2) {
        TreeSet<String> features = new TreeSet<>();
        List<String> notes = new ArrayList<>();
        List<Integer> unknownBits = new ArrayList<>();
        bits(hwcap, FeatureNames.AARCH64_HWCAP, features, unknownBits, 0);
        bits(hwcap2, FeatureNames.AARCH64_HWCAP2, features, unknownBits, 64);
        if (!unknownBits.isEmpty()) {
            notes.add("ignored hwcap bits Tailor does not know (hwcap2 bits counted from 64): " + unknownBits);
        }
        return CpuProfile.of(Arch.AARCH64, features, notes);
    }

    /**
     * Linux riscv AT_HWCAP: bit n is the single-letter extension 'a' + n. It cannot show multi-letter extensions
     * (Zba, Zbb...: the kernel reports those through riscv_hwprobe or the isa line of /proc/cpuinfo), so a device
     * that sends only hwcap resolves no higher than its letters allow.
     */
    static CpuProfile riscvHwcap(long hwcap) {
        TreeSet<String> features = new TreeSet<>();
        List<String> notes = new ArrayList<>();
        List<Integer> unknownBits = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((hwcap >>> bit & 1) != 0) {
                String name = bit < FeatureNames.RISCV64_HWCAP.size() ? FeatureNames.RISCV64_HWCAP.get(bit) : null;
                if (name != null) {
                    features.add(name);
                } else {
                    unknownBits.add(bit);
                }
            }
        }
        if (!unknownBits.isEmpty()) {
            notes.add("ignored hwcap bits that are not single-letter extensions Tailor compiles for: " + unknownBits);
        }
        notes.add("riscv64 AT_HWCAP lists only single-letter extensions: multi-letter ones (zba, zbb, zbs...) need "
                + "the isa line of /proc/cpuinfo or a feature list");
        return CpuProfile.of(Arch.RISCV64, features, notes);
    }

    private static void bits(long value, List<String> names, TreeSet<String> out, List<Integer> unknown, int base) {
        for (int bit = 0; bit < 64; bit++) {
            if ((value >>> bit & 1) != 0) {
                if (bit < names.size()) {
                    out.add(names.get(bit));
                } else {
                    unknown.add(base + bit);
                }
            }
        }
    }

    private static Map<String, Map<String, Long>> leaves(JsonNode cpuid) {
        if (cpuid == null || !cpuid.isObject() || cpuid.size() > 64) {
            throw FingerprintException.unparseable("\"cpuid\" must be an object of at most 64 leaves");
        }
        Map<String, Map<String, Long>> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> leaf : cpuid.properties()) {
            if (!leaf.getValue().isObject()) {
                throw FingerprintException.unparseable("CPUID leaf " + clip(leaf.getKey()) + " must be an object of "
                        + "registers");
            }
            Map<String, Long> regs = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> reg : leaf.getValue().properties()) {
                String r = reg.getKey().toLowerCase(Locale.ROOT);
                if (!r.matches("e[abcd]x")) {
                    throw FingerprintException.unparseable("unknown CPUID register " + clip(reg.getKey()));
                }
                regs.put(r, number(reg.getValue(), "cpuid " + clip(leaf.getKey()) + "." + r) & 0xffff_ffffL);
            }
            out.put(leaf.getKey(), regs);
        }
        return out;
    }

    /** Registers arrive as "0x..." strings (JSON numbers lose bits in some clients) or as plain numbers. */
    static long number(JsonNode node, String what) {
        try {
            if (node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
                return node.asLong();
            }
            if (node != null && node.isString()) {
                String s = node.asString().trim().toLowerCase(Locale.ROOT).replace("_", "");
                BigInteger v = s.startsWith("0x") ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
                if (v.signum() >= 0 && v.bitLength() <= 64) {
                    return v.longValue();
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the problem below
        }
        throw FingerprintException.unparseable(what + " must be an unsigned 64-bit number, e.g. \"0x1f\"");
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
