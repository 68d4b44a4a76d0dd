package dev.tailor.fingerprint;

import java.util.List;

import dev.tailor.catalog.Arch;

/** The compact form {@code <arch>:<feature>,<feature>,...} of the {@code cpu=} query and the {@code Tailor-CPU}
 * header, which is also what the probe images print. */
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
        String archName = s.substring(0, colon);
        Arch arch = Arch.parse(archName).orElseThrow(() -> FingerprintException.unknownArch("unknown architecture \""
                + JsonFingerprintParser.clip(archName) + "\"; known: " + Arch.known()));
        String rest = s.substring(colon + 1).strip();
        List<String> names = rest.isEmpty() ? List.of() : List.of(rest.split("[,\\s]+"));
        return JsonFingerprintParser.fromNames(arch, names);
    }

    /** True when a text body is one compact line rather than a /proc/cpuinfo. */
    static boolean looksCompact(String text) {
        String s = text.strip();
        int colon = s.indexOf(':');
        return colon > 0 && s.indexOf('\n') < 0 && Arch.parse(s.substring(0, colon)).isPresent();
    }
}
