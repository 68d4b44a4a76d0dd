package dev.tailor.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.tailor.catalog.TargetCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The shared fingerprint corpus (src/test/resources/fingerprints, see its README and LICENSES) and its answers. */
final class Corpus {

    static final TargetCatalog RESOLVER_CATALOG = TargetCatalog.load();
    static final TargetResolver RESOLVER = new TargetResolver(RESOLVER_CATALOG, new NamedMicroarchitectures());

    /** One fingerprint file with what its upstream says the answer is. */
    record Entry(String path, String source, String arch, String expectedMicroarch, String bestGeneric,
                 Map<String, Boolean> expectedIsa, List<String> mismatches) {

        boolean archspec() {
            return source.startsWith("archspec");
        }

        String text() {
            return resource("fingerprints/" + path);
        }

        /** archspec's generic names are our level rungs. */
        String expectedTargetId() {
            if (expectedMicroarch.startsWith("x86_64_v")) {
                return expectedMicroarch.replace("x86_64_v", "x86_64-v");
            }
            return arch + "-" + expectedMicroarch;
        }

        String name() {
            return path.substring(path.indexOf('/') + 1);
        }

        @Override
        public String toString() {
            return path;
        }
    }

    private Corpus() {
    }

    static List<Entry> entries() {
        JsonNode index = JsonMapper.builder().build().readTree(resource("fingerprints/index.json"));
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : index) {
            Map<String, Boolean> isa = null;
            if (e.hasNonNull("expected_isa")) {
                isa = new TreeMap<>();
                for (Map.Entry<String, JsonNode> f : e.get("expected_isa").properties()) {
                    isa.put(f.getKey(), f.getValue().asBoolean());
                }
            }
            List<String> mismatches = new ArrayList<>();
            if (e.hasNonNull("expected_vs_features_line_mismatch")) {
                e.get("expected_vs_features_line_mismatch").forEach(m -> mismatches.add(m.asString()));
            }
            JsonNode archspec = e.get("archspec");
            out.add(new Entry(e.get("path").asString(), e.get("source").asString(), e.get("arch").asString(),
                    e.hasNonNull("expected_microarch") ? e.get("expected_microarch").asString() : null,
                    archspec != null && archspec.hasNonNull("best_generic")
                            ? archspec.get("best_generic").asString() : null, isa, mismatches));
        }
        return out;
    }

    static List<Entry> archspec() {
        return entries().stream().filter(Entry::archspec).toList();
    }

    static List<Entry> pytorch() {
        return entries().stream().filter(e -> !e.archspec()).toList();
    }

    static Entry get(String name) {
        return entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    static String resource(String path) {
        try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
