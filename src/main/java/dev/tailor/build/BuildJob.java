package dev.tailor.build;

import java.time.Instant;
import java.util.Objects;

import dev.tailor.store.Digest;

/**
 * What a worker needs to run one build: small, made of strings, so it travels as a queue message as easily as
 * through a method call. The worker reads the bundle and its manifest from the store.
 */
public record BuildJob(String key, Digest bundle, String app, String target, String arch, String toolchain,
                       Priority priority, int attempt, Instant queuedAt) {

    public BuildJob {
        BuildKey.parse(key).orElseThrow(() -> new IllegalArgumentException("bad build key"));
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(toolchain, "toolchain");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(queuedAt, "queuedAt");
    }

    public BuildJob withPriority(Priority p) {
        return new BuildJob(key, bundle, app, target, arch, toolchain, p, attempt, queuedAt);
    }
}
