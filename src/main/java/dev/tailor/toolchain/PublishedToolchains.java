package dev.tailor.toolchain;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;
import dev.tailor.store.Documents;
import dev.tailor.store.Layout;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;

/**
 * Toolchain ids as the workers know them, in the store at {@code meta/toolchains/<arch>.json}. A build key names
 * the toolchain, and only a process with clang and ld.lld can compute its id; an API replica without them
 * ({@code tailor.mode=api}) reads what the workers serving each architecture published when they started, so the
 * keys it hands out are the ones its workers build. When workers of one architecture are upgraded, the next to
 * start publishes the new ids, and later requests name the new toolchain.
 */
public final class PublishedToolchains {

    /**
     * One architecture's targets and their toolchain ids, as published by a worker: {@code toolchains} for images,
     * {@code flavors} for the other flavors (absent in documents written before flavors existed).
     */
    record Published(String arch, Map<String, String> toolchains, Instant publishedAt,
                     Map<String, Map<String, String>> flavors) {
    }

    private final Documents documents;
    private final Clock clock;

    public PublishedToolchains(Documents documents, Clock clock) {
        this.documents = documents;
        this.clock = clock;
    }

    static String key(Arch arch) {
        return Layout.toolchains(arch.id());
    }

    /** Called by a worker at start, for the architectures it serves. */
    public void publish(Set<Arch> archs, TargetCatalog catalog, ImageCompiler compiler) {
        for (Arch arch : archs) {
            Map<String, String> ids = new TreeMap<>();
            Map<String, Map<String, String>> flavors = new TreeMap<>();
            for (Target t : catalog.forArch(arch)) {
                ids.put(t.id(), compiler.toolchainId(t));
                for (Flavor f : Flavor.values()) {
                    if (f != Flavor.IMAGE && compiler.supports(t, f)) {
                        flavors.computeIfAbsent(f.id(), k -> new TreeMap<>()).put(t.id(), compiler.toolchainId(t, f));
                    }
                }
            }
            documents.write(key(arch), new Published(arch.id(), ids, clock.instant(), flavors));
        }
    }

    /**
     * @throws NoWorkerException when no worker for the target's architecture has published yet
     */
    public String toolchainId(Target target) {
        return toolchainId(target, Flavor.IMAGE);
    }

    /**
     * @throws NoWorkerException when no worker for the target's architecture has published its toolchain for the
     *                           flavor yet
     */
    public String toolchainId(Target target, Flavor flavor) {
        return documents.read(key(target.arch()), Published.class)
                .map(p -> flavor == Flavor.IMAGE ? p.toolchains()
                        : p.flavors() == null ? null : p.flavors().get(flavor.id()))
                .map(ids -> ids.get(target.id()))
                .orElseThrow(() -> new NoWorkerException(target));
    }

    /** No worker has announced a toolchain for the architecture: builds for it cannot be named, let alone run. */
    public static final class NoWorkerException extends TailorException {
        NoWorkerException(Target target) {
            super(Problem.BUILD_NO_WORKER, "No build worker for this architecture has started yet; retry shortly.",
                    "no worker serving " + target.arch().id() + " has published its toolchain for " + target.id()
                            + " yet", null);
        }
    }
}
