package dev.tailor.fingerprint;

import java.util.List;

import dev.tailor.catalog.Arch;

/**
 * The compact form {@code <arch>:<feature>,<feature>,...} of the {@code cpu=} query and the {@code Tailor-CPU}
 * header, which is also what the probe images print; the canonical form may name the CPU's vendor and (Arm) parts
 * too, where named microarchitectures need them: {@code x86_64@GenuineIntel:avx,avx2,...},
 * {@code aarch64@ARM/0xd0c:asimd,...}, {@code riscv64@SiFive/u74mc:a,c,...} (a RISC-V core by its name).
 */
final class CompactParser {

    static final int MAX_LENGTH = 8 * 1024;

    private CompactParser() {
    }

    static CpuProfile parse(String compact) {
        String s = compact.strip();
        if (s.length() > MAX_LENGTH) {
            throw FingerprintException.unparseable("the compact fingerprint is longer than " + MAX_LENGTH + " characters");
        }
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw FingerprintException.unparseable("the compact fingerprint is <arch>:<feature>,<feature>,...");
        }
        String head = s.substring(0, colon);
        int at = head.indexOf('@');
        String archName = at < 0 ? head : head.substring(0, at);
        Arch arch = Arch.parse(archName).orElseThrow(() -> FingerprintException.unknownArch("unknown architecture \""
                + JsonFingerprintParser.clip(archName) + "\"; known: " + Arch.known()));
        String rest = s.substring(colon + 1).strip();
        List<String> names = rest.isEmpty() ? List.of() : List.of(rest.split("[,\\s]+"));
        CpuProfile p = JsonFingerprintParser.fromNames(arch, names);
        return at < 0 ? p : identified(p, head.substring(at + 1));
    }

    private static final java.util.regex.Pattern IDENTITY =
            java.util.regex.Pattern.compile("([A-Za-z0-9_.-]{1,32})((?:/[a-z0-9]{1,16}){0,16})");

    /** {@code vendor[/part...]}, as {@link #canonical} writes it. */
    private static CpuProfile identified(CpuProfile p, String identity) {
        java.util.regex.Matcher m = IDENTITY.matcher(identity);
        if (!m.matches()) {
            throw FingerprintException.unparseable("after '@' the compact fingerprint names the vendor and, for Arm "
                    + "and riscv64, its parts: <arch>@<vendor>[/0x<part>...]:<features> (riscv64: /<core>)");
        }
        List<String> parts = m.group(2).isEmpty() ? List.of() : List.of(m.group(2).substring(1).split("/"));
        if (!parts.stream().allMatch(part -> CpuProfile.isPart(p.arch(), part))) {
            throw FingerprintException.unparseable(p.arch() == Arch.RISCV64
                    ? "a riscv64 part names the core as archspec does: riscv64@<vendor>/<core>:<features>, e.g. "
                    + "riscv64@SiFive/u74mc:..."
                    : "a part is a CPU part number: <arch>@<vendor>/0x<part>:<features>, e.g. aarch64@ARM/0xd0c:...");
        }
        return new CpuProfile(p.arch(), m.group(1), p.model(), parts, p.features(), p.notes());
    }

    /** The compact form of a profile: {@code arch[@vendor[/part...]]:features}, features as given (sorted). */
    static String write(Arch arch, String vendor, List<String> parts, java.util.Collection<String> features) {
        StringBuilder b = new StringBuilder(arch.id());
        if (vendor != null) {
            b.append('@').append(vendor);
            parts.forEach(part -> b.append('/').append(part));
        }
        return b.append(':').append(String.join(",", features)).toString();
    }

    /** True when a text body is one compact line rather than a /proc/cpuinfo. */
    static boolean looksCompact(String text) {
        String s = text.strip();
        int colon = s.indexOf(':');
        return colon > 0 && s.indexOf('\n') < 0 && Arch.parse(s.substring(0, colon)).isPresent();
    }
}
