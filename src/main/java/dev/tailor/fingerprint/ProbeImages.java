package dev.tailor.fingerprint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;

import dev.tailor.store.BlobStore;
import dev.tailor.store.DataDir;
import dev.tailor.store.Digest;
import dev.tailor.store.Directories;
import dev.tailor.store.Layout;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.toolchain.ImageCompiler;

/**
 * The probe image of each architecture: the runtime's CPU probe built for the baseline target, so it boots on
 * every device of that architecture and prints {@code tailor-cpu: <arch>:<features>} for devices that have no
 * {@code /proc/cpuinfo}. Built once per process on first request (a few hundred milliseconds) and also stored as
 * an ordinary content-addressed image.
 */
@Service
public class ProbeImages {

    /** A built probe: small enough (tens of KiB) to keep in memory. */
    public record Probe(Arch arch, String target, Digest digest, byte[] bytes) {
    }

    private final ImageCompiler compiler;
    private final TargetCatalog catalog;
    private final BlobStore store;
    private final Path work;
    private final Map<Arch, CompletableFuture<Probe>> probes = new ConcurrentHashMap<>();

    ProbeImages(ImageCompiler compiler, TargetCatalog catalog, BlobStore store, DataDir dataDir) {
        this.compiler = compiler;
        this.catalog = catalog;
        this.store = store;
        this.work = dataDir.path().resolve("work/probes");
    }

    /** The probe for the architecture; concurrent first requests share one build. */
    public Probe forArch(Arch arch) {
        CompletableFuture<Probe> mine = new CompletableFuture<>();
        CompletableFuture<Probe> existing = probes.putIfAbsent(arch, mine);
        if (existing != null) {
            return existing.join();
        }
        try {
            mine.complete(build(arch));
        } catch (RuntimeException e) {
            probes.remove(arch, mine);
            mine.completeExceptionally(e);
        }
        return mine.join();
    }

    private Probe build(Arch arch) {
        var target = catalog.baseline(arch);
        Path dir = work.resolve(arch.id() + "-" + UUID.randomUUID());
        try {
            var result = compiler.compile(compiler.probeRequest("probe"), target, dir);
            byte[] bytes = Files.readAllBytes(result.image());
            Digest digest = Digest.of(Digest.sha256().digest(bytes));
            store.putIfAbsent(Layout.image(digest), result.image());
            return new Probe(arch, target.id(), digest, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Directories.delete(dir);
        }
    }
}
