package dev.tailor.toolchain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The form a build takes for its target: the bootable unikernel ({@code image}, a module for wasm32), or the same app
 * and runtime as a static Linux executable locked down by seccomp ({@code linux}), which is how speed is measured
 * natively. Part of the build key: the same bundle and target in two flavors are two builds.
 */
public enum Flavor {
    IMAGE, LINUX;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static Flavor fromJson(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException("unknown flavor " + name));
    }

    public static Optional<Flavor> parse(String name) {
        return name == null ? Optional.empty()
                : Arrays.stream(values()).filter(f -> f.id().equals(name.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    @Override
    public String toString() {
        return id();
    }
}
