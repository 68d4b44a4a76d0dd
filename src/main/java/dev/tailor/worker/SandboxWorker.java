package dev.tailor.worker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tailor.builds.BuildExecutor;
import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildListener;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.BuildRecords;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.bundle.Manifest;
import dev.tailor.signing.Signer;
import dev.tailor.store.BlobStore;
import dev.tailor.store.Digest;
import dev.tailor.store.Directories;
import dev.tailor.store.Layout;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.toolchain.CompileFailedException;
import dev.tailor.toolchain.CompileRequest;
import dev.tailor.toolchain.CompileResult;
import dev.tailor.toolchain.Flavor;
import dev.tailor.payoff.PayoffReport;
import dev.tailor.payoff.PayoffStore;
import dev.tailor.toolchain.ImageCompiler;
import dev.tailor.toolchain.Optimize;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs a build: bundle from the store, unpacked into a private directory, compiled in the sandbox, then the image,
 * its signature and provenance stored (first write of an image key wins), then the log, then the final record.
 * Every failure of the build becomes a failed record with its own code, never an exception.
 */
public final class SandboxWorker implements BuildExecutor {

    private static final Logger log = LoggerFactory.getLogger(SandboxWorker.class);
    private static final long MAX_UNPACKED = 256L * 1024 * 1024;
    /** A one-source app runs three commands: the per-build runtime unit and the source side by side, then the link. */
    private static final int SANDBOXES_AHEAD = 3;

    private final BuildRecords records;
    private final BlobStore store;
    private final BundleService bundles;
    private final TargetCatalog catalog;
    private final ImageCompiler compiler;
    private final Signer signer;
    private final ObjectMapper json;
    private final SandboxLimits limits;
    private final boolean isolate;
    private final Workspaces workspaces;
    private final Clock clock;
    /** Null in a worker that takes no payoff runs (tests of builds alone). */
    private final PayoffRunner payoff;
    private final PayoffStore reports;
    /**
     * The machine, shared: builds hold it shared, a payoff run's timing holds it alone, so no compile of this worker
     * runs beside the runs being timed. Fair: a timing waiting for running builds is not starved by new ones.
     */
    private final ReentrantReadWriteLock machine = new ReentrantReadWriteLock(true);
    /** Store writes of one build run side by side: they only wait for the disk. */
    private final ExecutorService writers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "build-store-writer");
        t.setDaemon(true);
        return t;
    });

    /** The signed statement stored beside each image: what went in, how, and when. */
    public record Provenance(String type, BuildRecord.Image image, String build, Digest bundle, String app,
                             String target, String arch, String toolchain, List<String> flags, Instant startedAt,
                             Instant finishedAt, Long durationMs, String keyId) {
    }

    /** A failure of the build's inputs or limits, carried to the one place that writes the failed record. */
    static final class BuildFailure extends Exception {
        final BuildRecord.BuildError error;

        BuildFailure(String code, String detail, List<BuildRecord.Diagnostic> diagnostics) {
            super(detail, null, false, false);
            this.error = new BuildRecord.BuildError(code, detail, diagnostics);
        }
    }

    /**
     * @param isolate  false compiles without bubblewrap (machines without it; trusted bundles only)
     * @param workRoot private build directories are made here, and it is emptied now: leftovers of a crash
     * @param ready    build directories kept ready with sandboxes started ahead (0 for a process that never builds)
     */
    public SandboxWorker(BuildRecords records, BlobStore store, BundleService bundles, TargetCatalog catalog,
                         ImageCompiler compiler, Signer signer, ObjectMapper json, SandboxLimits limits,
                         boolean isolate, Path workRoot, int ready, Clock clock) {
        this(records, store, bundles, catalog, compiler, signer, json, limits, isolate, workRoot, ready, clock, null,
                null);
    }

    /**
     * @param payoff  runs payoff jobs (null: they fail)
     * @param reports where their reports go
     */
    SandboxWorker(BuildRecords records, BlobStore store, BundleService bundles, TargetCatalog catalog,
                  ImageCompiler compiler, Signer signer, ObjectMapper json, SandboxLimits limits,
                  boolean isolate, Path workRoot, int ready, Clock clock, PayoffRunner payoff, PayoffStore reports) {
        this.payoff = payoff;
        this.reports = reports;
        this.clock = clock;
        this.records = records;
        this.store = store;
        this.bundles = bundles;
        this.catalog = catalog;
        this.compiler = compiler;
        this.signer = signer;
        this.json = json;
        this.limits = limits;
        this.isolate = isolate;
        Directories.delete(workRoot.toAbsolutePath().normalize());
        this.workspaces = new Workspaces(workRoot, compiler.cacheDir(), limits, ready, isolate ? SANDBOXES_AHEAD : 0);
        if (!isolate) {
            log.warn("builds run WITHOUT a sandbox (tailor.worker.sandbox=none): only for trusted bundles");
        }
    }

    /** Stops the sandboxes started ahead and the store-writer threads. */
    public void close() {
        workspaces.close();
        writers.shutdown();
    }

    @Override
    public BuildRecord execute(BuildJob job, BuildListener events) {
        Instant started = clock.instant();
        // No running record is written here: the queued one already marks the key as claimed (and stale after a
        // crash), the started event tells every replica, and a store write would only delay the compile.
        events.started(job, started);
        BuildLog buildLog = new BuildLog(line -> events.log(job.key(), line));
        buildLog.add("# tailor build " + job.key() + ": " + job.app() + " " + job.bundle() + " for " + job.target()
                + " (attempt " + job.attempt() + ", " + job.priority().name().toLowerCase() + ")");
        Workspace workspace = workspaces.acquire();
        BuildRecord result;
        machine.readLock().lock();
        try {
            result = build(job, started, workspace, buildLog);
            events.imageStored(result);
        } catch (BuildFailure f) {
            buildLog.add("# failed: " + f.error.code() + ": " + f.error.detail());
            result = BuildRecord.failed(job, started, clock.instant(), f.error, null);
        } finally {
            machine.readLock().unlock();
            workspaces.release(workspace);
        }
        // The log and the record side by side: the live log serves readers until the dispatcher reports the end.
        BuildRecord done = result;
        join(CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> records.writeLog(done.key(), buildLog.text()), writers),
                CompletableFuture.runAsync(() -> records.write(done), writers)));
        return result;
    }

    private BuildRecord build(BuildJob job, Instant started, Workspace workspace, BuildLog buildLog) throws BuildFailure {
        Target target = buildableTarget(job);
        BundleDocument bundle = bundles.find(job.bundle()).orElseThrow(() -> new BuildFailure("build.bundle_missing",
                "The bundle " + job.bundle() + " is not in the store", null));
        unpack(job, workspace.src);
        buildLog.add("# unpacked in " + java.time.Duration.between(started, clock.instant()).toMillis() + " ms");
        CompileRequest request = request(bundle.manifest(), workspace.src, job);
        buildLog.add("# sources: " + String.join(" ", request.sources()));
        if (job.flavor() == Flavor.PAYOFF) {
            return measure(job, started, request, workspace, buildLog);
        }
        CompileResult compiled = compile(job, request, target, workspace, buildLog);
        return signAndStore(job, started, compiled, readImage(compiled), buildLog);
    }

    /** A payoff run: every rung this CPU runs, timed; the report stored before the record, as an image is. */
    private BuildRecord measure(BuildJob job, Instant started, CompileRequest request, Workspace workspace,
                                BuildLog buildLog) throws BuildFailure {
        if (payoff == null) {
            throw new BuildFailure("build.flavor_unsupported", "This worker takes no payoff runs", null);
        }
        PayoffReport report = payoff.run(job, request, workspace, buildLog::add, machine);
        reports.write(report);
        buildLog.add("# payoff report stored: " + report.results().size() + " rungs measured on " + report.measuredOn());
        return BuildRecord.succeeded(job, started, clock.instant(), null, null);
    }

    /** The job's target, if this worker can build it as asked, with the very toolchain the job names. */
    private Target buildableTarget(BuildJob job) throws BuildFailure {
        Target target = catalog.find(job.target())
                .orElseThrow(() -> new BuildFailure("build.unknown_target", "This worker has no target " + job.target(), null));
        if (!compiler.supports(target, job.flavor())) {
            throw new BuildFailure("build.flavor_unsupported", "This worker cannot build " + target.id() + " as "
                    + job.flavor(), null);
        }
        String toolchain = compiler.toolchainId(target, job.flavor());
        if (!toolchain.equals(job.toolchain())) {
            // a worker with another compiler or runtime would store an image under a key that names other inputs
            throw new BuildFailure("build.toolchain_mismatch", "This worker's toolchain for " + target.id() + " ("
                    + job.flavor() + ") is " + toolchain + ", not " + job.toolchain(), null);
        }
        return target;
    }

    private void unpack(BuildJob job, Path src) throws BuildFailure {
        try {
            Optional<InputStream> archive = bundles.openArchive(job.bundle());
            if (archive.isEmpty()) {
                throw new BuildFailure("build.bundle_missing", "The archive of bundle " + job.bundle() + " is missing", null);
            }
            try (InputStream in = archive.get()) {
                BundleUnpacker.unpack(in, src, MAX_UNPACKED);
            }
        } catch (IOException e) {
            throw new BuildFailure("build.bad_bundle", "The bundle could not be unpacked: " + e.getMessage(), null);
        }
    }

    /** Compiles and links in the sandbox; a limit the sandbox hit says more than the compiler's own failure. */
    private CompileResult compile(BuildJob job, CompileRequest request, Target target, Workspace workspace,
                                  BuildLog buildLog) throws BuildFailure {
        SandboxedRunner runner = new SandboxedRunner(isolate, limits, workspace, buildLog::add);
        try {
            return compiler.compile(request, target, job.flavor(), workspace.out, runner);
        } catch (CompileFailedException e) {
            Optional<SandboxedRunner.Hit> hit = runner.hit();
            if (hit.isPresent()) {
                throw new BuildFailure(hit.get().code, capitalise(hit.get().detail) + limitsText(), null);
            }
            boolean link = e.getMessage() != null && e.getMessage().startsWith("link");
            throw new BuildFailure(link ? "build.link_error" : "build.compile_error",
                    link ? "Linking failed" : "Compilation failed", Diagnostics.parse(e.diagnostics()));
        } catch (RuntimeException e) {
            log.error("build {} failed in the toolchain", job.key(), e);
            throw new BuildFailure("build.toolchain_error", "The toolchain failed: " + e.getClass().getSimpleName(), null);
        }
    }

    private byte[] readImage(CompileResult compiled) throws BuildFailure {
        try {
            if (Files.size(compiled.image()) > limits.outputBytes()) {
                throw new BuildFailure("build.output_too_large", "The image is larger than the output limit" + limitsText(), null);
            }
            return Files.readAllBytes(compiled.image());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The image is written while it and its provenance are signed (two signatures, side by side), then the
     * signature: the three are stored at once (each write waits for its fsync), all before (in execute) the record,
     * so a record claiming success always finds its image. The first write of an image key wins, and equal inputs
     * give equal bytes anyway.
     */
    private BuildRecord signAndStore(BuildJob job, Instant started, CompileResult compiled, byte[] image,
                                     BuildLog buildLog) {
        Digest digest = Digest.of(Digest.sha256().digest(image));
        Instant compiledAt = clock.instant();
        CompletableFuture<Void> imageWrite = write(Layout.image(digest), () -> image);
        BuildRecord.Image img = BuildRecord.Image.of(digest, image.length);
        BuildRecord ok = BuildRecord.succeeded(job, started, compiledAt, img, compiled.appFlags());
        Provenance p = new Provenance("https://tailor.dev/provenance/v1", img, job.key(), job.bundle(), job.app(),
                job.target(), job.arch(), job.toolchain(), compiled.appFlags(), started, compiledAt, ok.durationMs(),
                signer.keyId());
        CompletableFuture<Void> provenanceWrite = write(Layout.provenance(digest),
                () -> signer.envelope(Signer.PROVENANCE_TYPE, json.writeValueAsBytes(p)));
        byte[] signature = signer.sign(image);
        CompletableFuture<Void> signatureWrite = write(Layout.signature(digest), () -> signature);
        buildLog.add("# image " + digest + " (" + image.length + " bytes), signed by key " + signer.keyId() + ", "
                + ok.durationMs() + " ms");
        join(CompletableFuture.allOf(imageWrite, signatureWrite, provenanceWrite));
        buildLog.add("# compiled in " + java.time.Duration.between(started, compiledAt).toMillis() + " ms; image stored in "
                + java.time.Duration.between(compiledAt, clock.instant()).toMillis() + " ms");
        return ok;
    }

    private String limitsText() {
        return " (limits: " + limits.wallClock().toSeconds() + " s per command, " + limits.memoryBytes() / (1024 * 1024)
                + " MiB memory, " + limits.fileBytes() / (1024 * 1024) + " MiB per file, "
                + limits.outputBytes() / (1024 * 1024) + " MiB output)";
    }

    /** The manifest's globs expanded against the unpacked bundle, in the driver's terms. */
    private static CompileRequest request(Manifest m, Path src, BuildJob job) throws BuildFailure {
        List<String> sources = new ArrayList<>();
        List<String> files;
        try (Stream<Path> walk = Files.walk(src)) {
            files = walk.filter(Files::isRegularFile).map(p -> src.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String glob : m.sources()) {
            PathMatcher pm = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            files.stream().filter(f -> pm.matches(Path.of(f))).filter(f -> f.endsWith(".c") || f.endsWith(".S"))
                    .forEach(sources::add);
        }
        if (sources.isEmpty()) {
            throw new BuildFailure("build.no_sources", "No .c or .S file matches the manifest's sources " + m.sources(), null);
        }
        Map<String, String> defines = new LinkedHashMap<>(m.defines());
        try {
            return new CompileRequest(src, sources, m.include(), defines, Optimize.valueOf(m.optimize().name()),
                    m.heapBytes(), m.name(), job.key());
        } catch (IllegalArgumentException e) {
            throw new BuildFailure("build.bad_bundle", "The bundle cannot be built: " + e.getMessage(), null);
        }
    }

    /** Makes the bytes and stores them on a writer thread. */
    private CompletableFuture<Void> write(String key, Supplier<byte[]> bytes) {
        return CompletableFuture.runAsync(() -> store.putIfAbsent(key, new ByteArrayInputStream(bytes.get())), writers);
    }

    private static void join(CompletableFuture<Void> writes) {
        try {
            writes.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
