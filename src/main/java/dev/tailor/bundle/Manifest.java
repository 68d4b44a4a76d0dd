package dev.tailor.bundle;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import dev.tailor.catalog.Arch;

/**
 * The validated {@code tailor.yaml} of a bundle. Everything in it has passed {@link ManifestParser}'s checks, so
 * later stages (builds, command lines) can use it without re-validating.
 *
 * @param sources   the globs as written
 * @param include   include directories, relative to the bundle root
 * @param archs     the architectures the app supports (all, when the manifest does not say)
 * @param heapBytes the heap the runtime gives the app
 * @param payoff    every release of the app is measured (a payoff run per architecture) so the auto policy and
 *                  prebuilds know which rungs pay
 */
public record Manifest(String name, String version, List<String> sources, List<String> include, List<Arch> archs,
                       Optimize optimize, Map<String, String> defines, long heapBytes, boolean payoff) {

    public static final String FILE = "tailor.yaml";
    public static final long DEFAULT_HEAP = 1024 * 1024;

    public enum Optimize {
        SPEED, SIZE;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        static Optimize fromJson(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** A manifest that does not ask for payoff runs. */
    public Manifest(String name, String version, List<String> sources, List<String> include, List<Arch> archs,
                    Optimize optimize, Map<String, String> defines, long heapBytes) {
        this(name, version, sources, include, archs, optimize, defines, heapBytes, false);
    }

    public Manifest {
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
        sources = List.copyOf(sources);
        include = List.copyOf(include);
        archs = List.copyOf(archs);
        Objects.requireNonNull(optimize);
        defines = Map.copyOf(defines);
    }
}
