package dev.tailor.fingerprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a RISC-V ISA string ({@code rv64imafdcv_zicsr_zba2p0}, as Linux prints it on its {@code isa} line and as
 * device trees and {@code -march} spell it) into extension names: the single letters after {@code rv64}, then each
 * multi-letter extension, without version numbers ({@code 2p0}). {@code g} is returned as itself (an alias the
 * feature vocabulary expands).
 */
final class RiscvIsa {

    /** The prefix: rv, the width, then the base ({@code i}, {@code e} or {@code g}) and further letters. */
    static final Pattern ISA = Pattern.compile("rv(32|64|128)([a-z].*)");
    private static final Pattern LETTER = Pattern.compile("([a-z])(?:\\d+(?:p\\d+)?)?");
    private static final Pattern VERSION = Pattern.compile("\\d+(?:p\\d+)?$");

    private RiscvIsa() {
    }

    /** The width (32, 64, 128) of an ISA string, or 0 when the text is not one. */
    static int width(String isa) {
        Matcher m = ISA.matcher(isa.trim().toLowerCase(Locale.ROOT));
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The extension names of an ISA string; empty when the text is not one. At most 256 names. */
    static List<String> extensions(String isa) {
        Matcher m = ISA.matcher(isa.trim().toLowerCase(Locale.ROOT));
        List<String> out = new ArrayList<>();
        if (!m.matches()) {
            return out;
        }
        boolean multi = false;
        for (String token : m.group(2).split("_")) {
            if (token.isEmpty() || out.size() >= 256) {
                continue;
            }
            char first = token.charAt(0);
            // once a multi-letter extension appeared, or when the token starts with z, s or x, it names one
            if (multi || first == 'z' || first == 's' || first == 'x') {
                multi = true;
                String name = VERSION.matcher(token).replaceFirst("");
                if (!name.isEmpty() && name.length() <= 40) {
                    out.add(name);
                }
                continue;
            }
            // single letters, each with an optional version: "imafdc", "i2p1", "m2p0"
            Matcher l = LETTER.matcher(token);
            int at = 0;
            while (at < token.length() && l.find(at) && l.start() == at) {
                char c = l.group(1).charAt(0);
                if (c == 'z' || c == 's' || c == 'x') { // "imafdczicsr": a multi-letter name without its '_'
                    String name = VERSION.matcher(token.substring(at)).replaceFirst("");
                    if (name.length() <= 40) {
                        out.add(name);
                    }
                    multi = true;
                    break;
                }
                out.add(l.group(1));
                at = l.end();
            }
        }
        return out;
    }
}
