package dev.tailor.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tailor.builds.BuildRecord.Diagnostic;

/**
 * Reads clang's and ld.lld's messages into structured diagnostics. Clang names files as they were given (relative
 * to {@code /src}, the bundle root); anything under the sandbox's runtime directory is shown as
 * {@code <runtime>/...}, and {@code /src/} prefixes are dropped, so every path is relative to the bundle.
 */
final class Diagnostics {

    private static final Pattern CLANG = Pattern.compile(
            "(?m)^(?<file>[^:\\n]+):(?<line>\\d+):(?:(?<col>\\d+):)? (?<sev>fatal error|error|warning|note): (?<msg>.*)$");
    private static final Pattern LLD = Pattern.compile("(?m)^(?:ld\\.lld|wasm-ld): (?<sev>error|warning): (?<msg>.*)$");
    static final int MAX = 100;

    private Diagnostics() {
    }

    static List<Diagnostic> parse(String output) {
        List<Diagnostic> out = new ArrayList<>();
        Matcher m = CLANG.matcher(output);
        while (m.find() && out.size() < MAX) {
            String sev = m.group("sev").equals("fatal error") ? "error" : m.group("sev");
            out.add(new Diagnostic(relative(m.group("file")), Integer.parseInt(m.group("line")),
                    m.group("col") == null ? null : Integer.parseInt(m.group("col")), sev, m.group("msg").strip()));
        }
        Matcher l = LLD.matcher(output);
        while (l.find() && out.size() < MAX) {
            out.add(new Diagnostic(null, null, null, l.group("sev"), l.group("msg").strip()));
        }
        return out;
    }

    private static String relative(String file) {
        if (file.startsWith(Workspace.SRC + "/")) {
            return file.substring(Workspace.SRC.length() + 1);
        }
        if (file.startsWith(Workspace.CACHE + "/")) {
            return "<runtime>/" + file.replaceFirst("^.*/compiler-workers/", "");
        }
        return file.startsWith("./") ? file.substring(2) : file;
    }
}
