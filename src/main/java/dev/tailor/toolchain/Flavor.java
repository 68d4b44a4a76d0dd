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
 *
 * <p>{@code payoff} is a job of its own kind that travels the same queues: a payoff run of an app on one architecture
 * (its target is the architecture's baseline) builds the {@code linux} flavor of every rung the worker's CPU can run,
 * times each natively, and stores a report instead of an image. It uses the {@code linux} toolchain.
 */
public enum Flavor {
    IMAGE, LINUX, PAYOFF;

    /** The flavor whose toolchain builds this one's executables. */
    public Flavor toolchainFlavor() {
        return this == PAYOFF ? LINUX : this;
    }

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
