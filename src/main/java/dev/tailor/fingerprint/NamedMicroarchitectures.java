package dev.tailor.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The identification half of archspec's data ({@code compiler-workers/archspec/microarchitectures.json}, Apache-2.0
 * OR MIT): vendor, CPU part and ancestry of each named microarchitecture. The compile half (features, flags) lives in
 * the target catalog, generated from the same file.
 */
@Component
public class NamedMicroarchitectures {

    public static final String RESOURCE = "compiler-workers/archspec/microarchitectures.json";

    /**
     * @param cpuPart    archspec's {@code cpupart} ("" when it has none; "Unknown" matches no device part)
     * @param ancestors  every ancestor, nearest first
     * @param features   how many features archspec lists (its tie-breaker between equally deep candidates)
     */
    public record Uarch(String name, String vendor, String cpuPart, List<String> ancestors, int features) {
        public Uarch {
            ancestors = List.copyOf(ancestors);
        }

        boolean isGeneric() {
            return vendor.equals("generic");
        }
    }

    private final Map<String, Uarch> byName;

    public NamedMicroarchitectures() {
        try (InputStream in = NamedMicroarchitectures.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            this.byName = read(JsonMapper.builder().build().readTree(in).get("microarchitectures"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Uarch> read(JsonNode all) {
        Map<String, List<String>> parents = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : all.properties()) {
            List<String> from = new ArrayList<>();
            e.getValue().get("from").forEach(n -> from.add(n.asString()));
            parents.put(e.getKey(), from);
        }
        Map<String, Uarch> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : all.properties()) {
            JsonNode u = e.getValue();
            List<String> ancestors = new ArrayList<>();
            List<String> todo = new ArrayList<>(parents.get(e.getKey()));
            while (!todo.isEmpty()) {
                String a = todo.remove(0);
                if (!ancestors.contains(a)) {
                    ancestors.add(a);
                    todo.addAll(parents.getOrDefault(a, List.of()));
                }
            }
            JsonNode part = u.get("cpupart");
            out.put(e.getKey(), new Uarch(e.getKey(), u.get("vendor").asString(),
                    part == null ? "" : part.asString().toLowerCase(java.util.Locale.ROOT), ancestors,
                    u.get("features").size()));
        }
        return Map.copyOf(out);
    }

    public Optional<Uarch> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
