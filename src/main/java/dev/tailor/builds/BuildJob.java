package dev.tailor.builds;

import java.time.Instant;
import java.util.Objects;

import dev.tailor.store.Digest;
import dev.tailor.toolchain.Flavor;

/**
 * What a worker needs to run one build: small, made of strings, so it travels as a queue message as easily as
 * through a method call. The worker reads the bundle and its manifest from the store.
 *
 * @param flavor what to build; a message without one (from a replica older than flavors) is an image
 */
public record BuildJob(String key, Digest bundle, String app, String target, String arch, String toolchain,
                       Priority priority, int attempt, Instant queuedAt, Flavor flavor) {

    /** An image build. */
    public BuildJob(String key, Digest bundle, String app, String target, String arch, String toolchain,
                    Priority priority, int attempt, Instant queuedAt) {
        this(key, bundle, app, target, arch, toolchain, priority, attempt, queuedAt, Flavor.IMAGE);
    }

    public BuildJob {
        BuildKey.parse(key).orElseThrow(() -> new IllegalArgumentException("bad build key"));
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(toolchain, "toolchain");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(queuedAt, "queuedAt");
        flavor = flavor == null ? Flavor.IMAGE : flavor;
    }

    public BuildJob withPriority(Priority p) {
        return new BuildJob(key, bundle, app, target, arch, toolchain, p, attempt, queuedAt, flavor);
    }
}
