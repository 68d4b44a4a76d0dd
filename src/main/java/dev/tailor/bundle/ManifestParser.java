package dev.tailor.bundle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import dev.tailor.problem.Problem;
import dev.tailor.catalog.Arch;
import dev.tailor.problem.TailorException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and validates {@code tailor.yaml}. Unknown keys are errors rather than silently ignored, so a typo such
 * as {@code source:} is reported instead of producing an empty build. All problems are collected and reported
 * together in the problem document's {@code errors}.
 */
final class ManifestParser {

    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}");
    private static final Pattern DEFINE_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
    private static final Pattern DEFINE_VALUE = Pattern.compile("[\\x20-\\x7e]{0,256}");
    private static final Pattern HEAP = Pattern.compile("(\\d{1,10})\\s*([KMG]i?B?|B)?", Pattern.CASE_INSENSITIVE);
    private static final Set<String> KEYS = Set.of("name", "version", "sources", "include", "archs", "optimize",
            "defines", "heap", "payoff");
    static final long MAX_HEAP = 512L * 1024 * 1024;

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private ManifestParser() {
    }

    static Manifest parse(byte[] yaml, String app) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw Problem.MANIFEST_MALFORMED.because("tailor.yaml is not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw Problem.MANIFEST_MALFORMED.because("tailor.yaml must be a YAML mapping");
        }
        List<String> errors = new ArrayList<>();
        for (Iterator<String> it = root.propertyNames().iterator(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                errors.add("unknown key '" + clip(key) + "' (allowed: " + String.join(", ", sorted(KEYS)) + ")");
            }
        }
        String name = text(root, "name", errors, true);
        if (name != null && !Names.valid(name)) {
            errors.add("name must match " + Names.rule());
        }
        String version = text(root, "version", errors, true);
        if (version != null && !VERSION.matcher(version).matches()) {
            errors.add("version must match " + VERSION.pattern());
        }
        List<String> sources = strings(root, "sources", errors);
        if (root.has("sources") && sources.isEmpty()) {
            errors.add("sources must list at least one glob");
        } else if (!root.has("sources")) {
            errors.add("sources is required");
        }
        sources.forEach(g -> checkRelative("sources", g, errors));
        List<String> include = strings(root, "include", errors);
        include.forEach(d -> checkRelative("include", d, errors));
        List<Arch> archs = archs(root, errors);
        Manifest.Optimize optimize = optimize(root, errors);
        Map<String, String> defines = defines(root, errors);
        long heap = heap(root, errors);
        boolean payoff = payoff(root, errors);
        if (!errors.isEmpty()) {
            throw Problem.MANIFEST_INVALID.because("tailor.yaml is invalid: " + String.join("; ", errors))
                    .with("errors", errors);
        }
        if (!name.equals(app)) {
            throw Problem.MANIFEST_NAME_MISMATCH.because("tailor.yaml names the app '" + name + "' but the bundle was uploaded to '" + app + "'");
        }
        return new Manifest(name, version, sources, include, archs, optimize, defines, heap, payoff);
    }

    private static String text(JsonNode root, String key, List<String> errors, boolean required) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(key + " is required");
            }
            return null;
        }
        if (!n.isValueNode() || n.isBinary()) {
            errors.add(key + " must be a string");
            return null;
        }
        return n.asString();
    }

    private static List<String> strings(JsonNode root, String key, List<String> errors) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.isString()) {
            return List.of(n.asString());
        }
        if (!n.isArray()) {
            errors.add(key + " must be a list of strings");
            return List.of();
        }
        if (n.size() > 256) {
            errors.add(key + " lists more than 256 entries");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isString() || item.asString().isBlank()) {
                errors.add(key + " must be a list of non-empty strings");
                return List.of();
            }
            out.add(item.asString());
        }
        return out;
    }

    private static void checkRelative(String key, String path, List<String> errors) {
        if (path.length() > 256 || path.startsWith("/") || path.contains("\\") || path.matches("^[A-Za-z]:.*")
                || Arrays.asList(path.split("/")).contains("..") || path.chars().anyMatch(c -> c < 0x20)) {
            errors.add(key + " entry '" + clip(path) + "' must be a relative path inside the bundle");
        }
    }

    private static List<Arch> archs(JsonNode root, List<String> errors) {
        if (!root.has("archs") || root.get("archs").isNull()) {
            return java.util.Arrays.stream(Arch.values()).filter(Arch::isMachine).toList(); // wasm32 only when listed
        }
        Set<Arch> out = new LinkedHashSet<>();
        for (String a : strings(root, "archs", errors)) {
            Optional<Arch> arch = Arch.parse(a);
            if (arch.isEmpty()) {
                errors.add("archs: unknown architecture '" + clip(a) + "' (known: " + Arch.known() + ")");
            } else {
                out.add(arch.get());
            }
        }
        if (out.isEmpty() && errors.isEmpty()) {
            errors.add("archs must list at least one architecture");
        }
        return List.copyOf(out);
    }

    private static boolean payoff(JsonNode root, List<String> errors) {
        JsonNode v = root.get("payoff");
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            errors.add("payoff must be true or false");
            return false;
        }
        return v.asBoolean();
    }

    private static Manifest.Optimize optimize(JsonNode root, List<String> errors) {
        String v = text(root, "optimize", errors, false);
        if (v == null) {
            return Manifest.Optimize.SPEED;
        }
        try {
            return Manifest.Optimize.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add("optimize must be 'speed' or 'size'");
            return Manifest.Optimize.SPEED;
        }
    }

    private static Map<String, String> defines(JsonNode root, List<String> errors) {
        JsonNode n = root.get("defines");
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            errors.add("defines must be a mapping of NAME: value");
            return Map.of();
        }
        if (n.size() > 128) {
            errors.add("defines lists more than 128 names");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String value = e.getValue().isValueNode() ? e.getValue().asString() : null;
            if (!DEFINE_NAME.matcher(e.getKey()).matches()) {
                errors.add("defines: name '" + clip(e.getKey()) + "' must match " + DEFINE_NAME.pattern());
            } else if (value == null || !DEFINE_VALUE.matcher(value).matches()) {
                errors.add("defines: value of " + e.getKey() + " must be printable ASCII, at most 256 characters");
            } else {
                out.put(e.getKey(), value);
            }
        }
        return out;
    }

    private static long heap(JsonNode root, List<String> errors) {
        String v = text(root, "heap", errors, false);
        if (v == null) {
            return Manifest.DEFAULT_HEAP;
        }
        Matcher m = HEAP.matcher(v.trim());
        if (!m.matches()) {
            errors.add("heap must be a size such as 512K, 4M or 1G");
            return Manifest.DEFAULT_HEAP;
        }
        String unit = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
        long scale = unit.startsWith("K") ? 1024 : unit.startsWith("M") ? 1024 * 1024
                : unit.startsWith("G") ? 1024L * 1024 * 1024 : 1;
        long bytes = Long.parseLong(m.group(1)) * scale;
        if (bytes < 64 * 1024 || bytes > MAX_HEAP) {
            errors.add("heap must be between 64K and 512M");
        }
        return bytes;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static String clip(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "..." : printable;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return clip(nl >= 0 ? s.substring(0, nl) : s);
    }
}
