package dev.tailor.fingerprint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;


import dev.tailor.problem.Problem;
import dev.tailor.catalog.Arch;

/**
 * Reads a Linux {@code /proc/cpuinfo} (x86, arm64, 32-bit arm, including what a 32-bit process sees on an arm64
 * kernel, and riscv64, whose {@code isa} line is an ISA string). Every {@code flags}/{@code Features} line describes one core, or all of them on old single-block kernels;
 * an image may be scheduled on any core, so only features every listed line has count.
 */
final class CpuinfoParser {

    /** Names only the 32-bit arm kernel prints; their presence means a 32-bit view of the CPU. */
    private static final Set<String> ARM32_ONLY = Set.of("swp", "half", "thumb", "26bit", "fastmult", "fpa", "vfp",
            "edsp", "java", "iwmmxt", "crunch", "thumbee", "neon", "vfpv3", "vfpv3d16", "tls", "tlsi", "vfpv4",
            "idiva", "idivt", "vfpd32", "lpae");

    /** Names an arm64 kernel prints and a 32-bit one never does. */
    private static final Set<String> AARCH64_ONLY = Set.of("fp", "asimd", "atomics", "fphp", "asimdhp", "cpuid",
            "asimdrdm", "jscvt", "fcma", "lrcpc", "dcpop", "asimddp", "sve");

    /** JEP 106 implementer codes, spelled as archspec spells them (its vendor names are what named targets use). */
    static final Map<String, String> ARM_VENDORS = Map.ofEntries(Map.entry("0x41", "ARM"),
            Map.entry("0x42", "Broadcom"), Map.entry("0x43", "Cavium"), Map.entry("0x44", "DEC"),
            Map.entry("0x46", "Fujitsu"), Map.entry("0x48", "HiSilicon"), Map.entry("0x49", "Infineon Technologies AG"),
            Map.entry("0x4d", "Motorola"), Map.entry("0x4e", "Nvidia"), Map.entry("0x50", "APM"),
            Map.entry("0x51", "Qualcomm"), Map.entry("0x53", "Samsung"), Map.entry("0x56", "Marvell"),
            Map.entry("0x61", "Apple"), Map.entry("0x66", "Faraday"), Map.entry("0x68", "HXT"),
            Map.entry("0x69", "Intel"), Map.entry("0xc0", "Ampere"));

    private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("0x[0-9a-f]{1,4}");

    private CpuinfoParser() {
    }

    /**
     * @param hint the architecture the caller says the device runs, if any; without it a 32-bit view (even of a
     *             64-bit core) resolves to armv7, because that is the userland the device runs today
     */
    static CpuProfile parse(String text, Optional<Arch> hint) {
        Fields f = Fields.read(text);
        if (!f.flags.isEmpty()) {
            return x86(f, hint);
        }
        if (!f.features.isEmpty()) {
            return arm(f, hint);
        }
        if (!f.isas.isEmpty()) {
            return riscv(f, hint);
        }
        throw FingerprintException.unparseable("no 'flags' (x86), 'Features' (arm) or 'isa' (riscv) line: this does "
                + "not look like a Linux /proc/cpuinfo");
    }

    /** The lines of interest, in order of appearance; keys are lower-cased. */
    private static final class Fields {
        final List<List<String>> flags = new ArrayList<>();
        final List<List<String>> features = new ArrayList<>();
        final Set<String> vendorIds = new LinkedHashSet<>();
        final Set<String> modelNames = new LinkedHashSet<>();
        final Set<String> implementers = new LinkedHashSet<>();
        final Set<String> parts = new LinkedHashSet<>();
        final Set<String> architectures = new LinkedHashSet<>();
        final List<String> processorNumbers = new ArrayList<>();
        /** riscv: the isa lines (per processor block, or the common one) and the per-hart "hart isa" lines. */
        final List<String> isas = new ArrayList<>();
        final Set<String> uarchs = new LinkedHashSet<>();
        final Set<String> mmus = new LinkedHashSet<>();
        final Set<String> mvendorids = new LinkedHashSet<>();
        final Set<String> marchids = new LinkedHashSet<>();
        String family;
        String model;

        static Fields read(String text) {
            Fields f = new Fields();
            for (String line : text.split("\r?\n|\r")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
                String value = line.substring(colon + 1).trim();
                switch (key) {
                    case "flags" -> f.flags.add(tokens(value));
                    case "features" -> f.features.add(tokens(value));
                    case "vendor_id" -> f.vendorIds.add(JsonFingerprintParser.clip(value));
                    case "model name", "processor" -> {
                        if (key.equals("processor") && value.matches("\\d{1,6}")) {
                            f.processorNumbers.add(value);
                        } else if (!value.isEmpty()) {
                            f.modelNames.add(clip(value));
                        }
                    }
                    case "cpu family" -> f.family = f.family == null ? clip(value) : f.family;
                    case "model" -> f.model = f.model == null ? clip(value) : f.model;
                    case "cpu implementer" -> {
                        if (f.implementers.size() < 16) {
                            f.implementers.add(JsonFingerprintParser.clip(value.toLowerCase(Locale.ROOT)));
                        }
                    }
                    case "cpu part" -> {
                        // some big.LITTLE kernels print one line for both clusters: "0xc07 & 0xc0f"
                        java.util.regex.Matcher m = HEX.matcher(value.toLowerCase(Locale.ROOT));
                        while (m.find() && f.parts.size() < 16) {
                            f.parts.add(m.group());
                        }
                    }
                    case "cpu architecture" -> f.architectures.add(value.toLowerCase(Locale.ROOT));
                    case "isa", "hart isa" -> {
                        if (f.isas.size() < 1024) {
                            f.isas.add(value.toLowerCase(Locale.ROOT));
                        }
                    }
                    case "uarch" -> addClipped(f.uarchs, value.toLowerCase(Locale.ROOT));
                    case "mmu" -> addClipped(f.mmus, value.toLowerCase(Locale.ROOT));
                    case "mvendorid" -> addClipped(f.mvendorids, value.toLowerCase(Locale.ROOT));
                    case "marchid" -> addClipped(f.marchids, value.toLowerCase(Locale.ROOT));
                    default -> {
                        // bogomips, cache sizes, bugs, power management...: nothing a compiler could use
                    }
                }
            }
            return f;
        }

        private static void addClipped(Set<String> set, String value) {
            if (set.size() < 16 && !value.isEmpty()) {
                set.add(JsonFingerprintParser.clip(value));
            }
        }

        private static List<String> tokens(String value) {
            return value.isEmpty() ? List.of() : List.of(value.toLowerCase(Locale.ROOT).split("\\s+"));
        }
    }

    private static String clip(String s) {
        return s.length() > 120 ? s.substring(0, 120) : s;
    }

    private static CpuProfile x86(Fields f, Optional<Arch> hint) {
        List<String> notes = new ArrayList<>();
        blocksNote(f, f.flags.size(), notes);
        Set<String> common = intersection(f.flags);
        Arch arch = common.contains("lm") ? Arch.X86_64 : Arch.I686;
        if (hint.isPresent()) {
            if (hint.get() == Arch.I686) {
                arch = Arch.I686;
            } else if (hint.get() != arch) {
                throw mismatch(hint.get(), "this /proc/cpuinfo describes a "
                        + (arch == Arch.X86_64 ? "64-bit x86" : "32-bit x86 (no 'lm' flag)") + " CPU");
            }
        }
        if (arch == Arch.I686 && common.contains("lm")) {
            notes.add("64-bit capable CPU resolved as i686 because the request asked for i686");
        }
        TreeSet<String> ignored = new TreeSet<>();
        TreeSet<String> features = FeatureNames.fold(arch, common, ignored);
        lostToOtherCores(f.flags, common, arch, notes);
        if (!ignored.isEmpty()) {
            notes.add("ignored " + ignored.size() + " kernel flags that are not instruction-set features: "
                    + FeatureNames.abbreviate(ignored, 12));
        }
        String vendor = f.vendorIds.isEmpty() ? null : f.vendorIds.iterator().next();
        String model = f.modelNames.isEmpty() ? null : f.modelNames.iterator().next();
        if (f.family != null && f.model != null) {
            model = (model == null ? "" : model + " ") + "(family " + f.family + " model " + f.model + ")";
        }
        return new CpuProfile(arch, vendor, model, List.of(), features, notes);
    }

    private static CpuProfile arm(Fields f, Optional<Arch> hint) {
        List<String> notes = new ArrayList<>();
        blocksNote(f, f.features.size(), notes);
        boolean v8 = armv8Core(f);
        ArmView view = armView(f, hint, v8, notes);
        if (f.architectures.contains("7") && v8) {
            notes.add("kernel prints 'CPU architecture: 7' but the core is ARMv8 (" + String.join(", ", f.parts)
                    + "): a 32-bit kernel");
        }
        if (f.implementers.contains("0x41") && f.parts.stream().anyMatch(p -> p.startsWith("0xb"))) {
            notes.add("ARM11 core (part " + String.join(", ", f.parts) + ") is ARMv6 whatever 'CPU architecture' "
                    + "says");
        }
        Set<String> common = intersection(view.lines());
        TreeSet<String> ignored = new TreeSet<>();
        // kernels before 2.6.37 print no 'tls': an ARMv7-only name stands for it (the ARMv6 rung requires it)
        TreeSet<String> features = FeatureNames.withImplied(view.arch(),
                FeatureNames.fold(view.arch(), common, ignored), notes);
        ignored.removeAll(Set.of("wp")); // printed by some vendor arm64 kernels; means nothing to a compiler
        lostToOtherCores(view.lines(), common, view.arch(), notes);
        if (!ignored.isEmpty()) {
            notes.add("ignored unknown feature names: " + FeatureNames.abbreviate(ignored, 12));
        }
        return armProfile(f, view.arch(), features, notes);
    }

    /** The architecture a /proc/cpuinfo of an Arm CPU is read as, and each core's feature names in its terms. */
    private record ArmView(Arch arch, List<List<String>> lines) {
    }

    private static ArmView armView(Fields f, Optional<Arch> hint, boolean v8, List<String> notes) {
        boolean any32 = f.features.stream().anyMatch(l -> l.stream().anyMatch(ARM32_ONLY::contains));
        boolean any64 = f.features.stream().anyMatch(l -> l.stream().anyMatch(AARCH64_ONLY::contains));
        if (!any32) {
            if (hint.isPresent() && hint.get() != Arch.AARCH64) {
                throw mismatch(hint.get(), "this is an AArch64 view of the CPU, which does not say whether the "
                        + "core can run 32-bit code");
            }
            if (!f.features.stream().allMatch(l -> l.contains("cpuid"))) {
                notes.add("no 'cpuid' or 'evtstrm' flag from an older kernel: they are kernel services, not "
                        + "instructions, so no target requires them");
            }
            return new ArmView(Arch.AARCH64, new ArrayList<>(f.features));
        }
        if (hint.orElse(Arch.ARMV7) == Arch.ARMV7) {
            if (any64) {
                notes.add("32-bit process on an arm64 kernel: 'Features' mixes AArch64 and AArch32 names; only the "
                        + "AArch32 names count, and the device resolves to armv7 (the userland it runs) unless "
                        + "the request says arch=aarch64");
            } else if (v8) {
                notes.add("32-bit view of an ARMv8 core: resolved to armv7 (the userland it runs) unless the "
                        + "request says arch=aarch64");
            }
            return new ArmView(Arch.ARMV7, f.features.stream().map(CpuinfoParser::aarch32Half).toList());
        }
        if (hint.get() == Arch.AARCH64) {
            if (!v8 && !any64) {
                throw mismatch(hint.get(), "this 32-bit view does not show an ARMv8 core");
            }
            notes.add(any64 ? "32-bit view on an arm64 kernel: used its AArch64 names because the request says "
                    + "arch=aarch64" : "AArch64 features inferred from a 32-bit view of an ARMv8 core (neon -> asimd, "
                    + "vfp -> fp, crypto and crc32 kept) because the request says arch=aarch64");
            return new ArmView(Arch.AARCH64, f.features.stream()
                    .map(line -> any64 ? aarch64Half(line) : compatToAarch64(line)).toList());
        }
        throw mismatch(hint.get(), "this /proc/cpuinfo describes an Arm CPU");
    }

    /** Vendor (the implementer's name) and model (the model name and the implementer and part ids). */
    private static CpuProfile armProfile(Fields f, Arch arch, TreeSet<String> features, List<String> notes) {
        String implementer = f.implementers.isEmpty() ? null : f.implementers.iterator().next();
        String vendor = implementer == null ? null : ARM_VENDORS.getOrDefault(implementer, implementer);
        if (f.implementers.size() > 1) {
            notes.add("cores from several implementers: " + String.join(", ", f.implementers));
        }
        String name = f.modelNames.isEmpty() ? null : f.modelNames.iterator().next();
        String ids = implementer == null && f.parts.isEmpty() ? null
                : "implementer " + implementer + ", part " + String.join("/", f.parts);
        String model = name == null ? ids : ids == null ? name : name + " (" + ids + ")";
        return new CpuProfile(arch, vendor, model, List.copyOf(f.parts), features, notes);
    }

    /** RISC-V JEDEC vendor ids (mvendorid) and device-tree vendor prefixes, spelled as archspec's vendors. */
    static final Map<String, String> RISCV_VENDORS = Map.ofEntries(Map.entry("0x489", "SiFive"),
            Map.entry("sifive", "SiFive"), Map.entry("0x710", "SpacemiT"), Map.entry("spacemit", "SpacemiT"),
            Map.entry("0x5b7", "T-Head"), Map.entry("thead", "T-Head"), Map.entry("0x31e", "Andes"),
            Map.entry("andestech", "Andes"));

    /**
     * riscv: every {@code isa} line is an ISA string ({@code rv64imafdc_zicsr_zifencei_zba_zbb}); kernels before 6.8
     * print one per processor block, later ones one common line plus a {@code hart isa} line per hart. Only the
     * extensions every line has count. The vendor comes from {@code mvendorid} or {@code uarch}'s prefix.
     */
    private static CpuProfile riscv(Fields f, Optional<Arch> hint) {
        List<String> notes = new ArrayList<>();
        blocksNote(f, f.processorNumbers.isEmpty() ? f.isas.size() : f.processorNumbers.size(), notes);
        List<List<String>> lines = new ArrayList<>();
        for (String isa : f.isas) {
            int width = RiscvIsa.width(isa);
            if (width != 64) {
                throw FingerprintException.unparseable(width == 0 ? "the 'isa' line is not a RISC-V ISA string "
                        + "(rv64...)" : "this /proc/cpuinfo describes a " + width + "-bit RISC-V CPU (rv" + width
                        + "); Tailor builds for riscv64 only");
            }
            lines.add(RiscvIsa.extensions(isa));
        }
        if (hint.isPresent() && hint.get() != Arch.RISCV64) {
            throw mismatch(hint.get(), "this /proc/cpuinfo describes a 64-bit RISC-V CPU");
        }
        Set<String> common = intersection(lines);
        TreeSet<String> ignored = new TreeSet<>();
        TreeSet<String> features = FeatureNames.fold(Arch.RISCV64, common, ignored);
        lostToOtherCores(lines, common, Arch.RISCV64, notes);
        if (!ignored.isEmpty()) {
            notes.add("ignored " + ignored.size() + " ISA extensions user code is not compiled for (supervisor, "
                    + "hypervisor, vendor or unknown): " + FeatureNames.abbreviate(ignored, 12));
        }
        String uarch = f.uarchs.isEmpty() ? null : f.uarchs.iterator().next();
        String mvendorid = f.mvendorids.isEmpty() ? null : f.mvendorids.iterator().next();
        String vendor = mvendorid == null ? null : RISCV_VENDORS.get(mvendorid);
        if (vendor == null && uarch != null && uarch.indexOf(',') > 0) {
            vendor = RISCV_VENDORS.get(uarch.substring(0, uarch.indexOf(',')));
        }
        List<String> ids = new ArrayList<>();
        if (!f.mmus.isEmpty()) {
            ids.add("mmu " + String.join("/", f.mmus));
        }
        if (mvendorid != null) {
            ids.add("mvendorid " + mvendorid);
        }
        if (!f.marchids.isEmpty()) {
            ids.add("marchid " + String.join("/", f.marchids));
        }
        String model = uarch == null ? (ids.isEmpty() ? null : String.join(", ", ids))
                : ids.isEmpty() ? uarch : uarch + " (" + String.join(", ", ids) + ")";
        List<String> cores = f.uarchs.stream().map(CpuinfoParser::riscvCore).filter(java.util.Objects::nonNull)
                .distinct().limit(16).toList();
        return new CpuProfile(Arch.RISCV64, vendor, model, cores, features, notes);
    }

    /**
     * A RISC-V core's name as archspec spells it, from the {@code uarch} line (the device tree's compatible):
     * {@code sifive,u74-mc} is {@code u74mc}; null for one that does not look like a core name.
     */
    static String riscvCore(String uarch) {
        String name = uarch.substring(uarch.lastIndexOf(',') + 1).replaceAll("[-_.]", "");
        return CpuProfile.isPart(Arch.RISCV64, name) ? name : null;
    }

    /** ARMv8 cores run 32-bit kernels that may print 'CPU architecture: 7'; the part number or the v8-only
     * AArch32 extensions (crc32, crypto) give them away. */
    private static boolean armv8Core(Fields f) {
        if (f.architectures.stream().anyMatch(a -> a.matches("[89]|aarch64"))) {
            return true;
        }
        for (String p : f.parts) {
            if (f.implementers.contains("0x41") && p.startsWith("0xd")
                    || f.implementers.contains("0x51") && Set.of("0x201", "0x205", "0x211", "0x800", "0x801",
                    "0x802", "0x803", "0x804", "0x805", "0xc00").contains(p)) {
                return true;
            }
        }
        return f.features.stream().anyMatch(l -> l.contains("crc32") || l.contains("aes") || l.contains("sha2"));
    }

    /** Old arm64 kernels print the AArch64 names first, then the AArch32 ones. */
    private static List<String> aarch32Half(List<String> line) {
        int first32 = firstArm32(line);
        return first32 < 0 ? line : line.subList(first32, line.size());
    }

    private static List<String> aarch64Half(List<String> line) {
        int first32 = firstArm32(line);
        return first32 < 0 ? line : line.subList(0, first32);
    }

    private static int firstArm32(List<String> line) {
        for (int i = 0; i < line.size(); i++) {
            if (ARM32_ONLY.contains(line.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The AArch32 hwcaps of an ARMv8 core name the same hardware as their AArch64 counterparts. */
    private static List<String> compatToAarch64(List<String> line) {
        List<String> out = new ArrayList<>();
        for (String n : line) {
            switch (n) {
                case "neon" -> out.add("asimd");
                case "vfp" -> out.add("fp");
                case "aes", "pmull", "sha1", "sha2", "crc32", "evtstrm" -> out.add(n);
                default -> {
                    // AArch32-only facilities (thumb, tls, idiv...) say nothing about AArch64
                }
            }
        }
        return out;
    }

    private static Set<String> intersection(List<List<String>> lines) {
        Set<String> common = new LinkedHashSet<>(lines.get(0));
        for (List<String> l : lines.subList(1, lines.size())) {
            common.retainAll(Set.copyOf(l));
        }
        return common;
    }

    private static void lostToOtherCores(List<List<String>> lines, Set<String> common, Arch arch, List<String> notes) {
        TreeSet<String> lost = new TreeSet<>();
        for (List<String> l : lines) {
            for (String n : l) {
                if (!common.contains(n)) {
                    lost.addAll(FeatureNames.canonical(arch, n));
                }
            }
        }
        if (!lost.isEmpty()) {
            notes.add("cores differ (big.LITTLE or mixed steppings): features not on every listed core do not "
                    + "count: " + FeatureNames.abbreviate(lost, 12));
        }
    }

    private static void blocksNote(Fields f, int lines, List<String> notes) {
        if (lines > 1) {
            notes.add(lines + " processor blocks; only features every listed core has count");
        }
        if (!f.processorNumbers.isEmpty() && !f.processorNumbers.get(0).equals("0")) {
            notes.add("listing starts at processor " + f.processorNumbers.get(0)
                    + " (only online cores are listed); the features of the listed cores are used");
        }
        if (f.parts.size() > 1) {
            notes.add("heterogeneous cores: CPU parts " + String.join(", ", f.parts));
        }
    }

    private static FingerprintException mismatch(Arch asked, String why) {
        return new FingerprintException(Problem.FINGERPRINT_ARCH_MISMATCH, "the request asks for " + asked + " but " + why);
    }
}
