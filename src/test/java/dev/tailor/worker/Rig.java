package dev.tailor.worker;

import java.time.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.tailor.builds.BuildMetrics;
import dev.tailor.builds.BuildRecords;
import dev.tailor.builds.Builds;
import dev.tailor.builds.InProcessDispatcher;
import dev.tailor.bundle.Archives;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.bundle.TestBundles;
import dev.tailor.signing.Signer;
import dev.tailor.signing.SigningProperties;
import dev.tailor.store.BlobStore;
import dev.tailor.store.DataDir;
import dev.tailor.store.Documents;
import dev.tailor.store.FileSystemBlobStore;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.toolchain.ImageCompiler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The build pipeline as the service wires it, without Spring: a data directory, its store, the real compiler,
 * sandbox and signer, an in-process dispatcher. Builds are real; limits are small so hostile cases end fast.
 */
final class Rig implements AutoCloseable {

    static final Path SHARED_CACHE = Path.of("target", "tailor-build-test-cache").toAbsolutePath();
    static final TargetCatalog CATALOG = TargetCatalog.load();
    static final SandboxLimits LIMITS = new SandboxLimits(Duration.ofSeconds(8), 2L << 30, 16L << 20, 32L << 20, 64);

    final Path dataDir;
    final BlobStore store;
    final Documents documents;
    final BundleService bundles;
    final BuildRecords records;
    final ImageCompiler compiler;
    final Signer signer;
    final SandboxWorker worker;
    final InProcessDispatcher dispatcher;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BuildMetrics metrics = new BuildMetrics(registry);
    final Builds builds;

    /** @param cacheDir the compiler's runtime cache: shared between tests, or fresh to prove independence */
    Rig(Path dataDir, Path cacheDir) {
        this(dataDir, cacheDir, LIMITS);
    }

    Rig(Path dataDir, Path cacheDir, SandboxLimits limits) {
        this.dataDir = dataDir;
        JsonMapper json = JsonMapper.builder().build();
        store = new FileSystemBlobStore(dataDir.resolve("blobs"));
        documents = new Documents(store, json, Duration.ofSeconds(10), 10_000);
        bundles = new BundleService(documents, TestBundles.defaultLimits(), new DataDir(dataDir), Clock.systemUTC());
        records = new BuildRecords(documents);
        compiler = ImageCompiler.local(cacheDir);
        signer = Signer.load(new SigningProperties(null, null), dataDir);
        worker = new SandboxWorker(records, store, bundles, CATALOG, compiler, signer, json, limits, true,
                dataDir.resolve("work/builds"), 1, Clock.systemUTC());
        dispatcher = new InProcessDispatcher(worker, 2, 100, Clock.systemUTC());
        builds = new Builds(records, dispatcher, bundles, CATALOG, (t, f) -> compiler.toolchainId(t, f), metrics,
                Clock.systemUTC());
    }

    static Rig fresh(Path dataDir) {
        return new Rig(dataDir, SHARED_CACHE);
    }

    BundleDocument upload(String app, Archives archive) {
        return TestBundles.ingest(bundles, app, archive);
    }

    /** A one-source app with the given main.c (or .S file when the name says so). */
    static Archives app(String app, String file, String source) {
        return Archives.of().file("tailor.yaml", "name: " + app + "\nversion: 1.0.0\nsources: [src/" + file + "]\n")
                .file("src/" + file, source);
    }

    static Archives hello(String app) {
        try {
            String src = Files.readString(Path.of("examples/hello/src/hello.c"));
            return Archives.of().file("tailor.yaml", "name: " + app + "\nversion: 1.0.0\nsources: [src/*.c]\n"
                    + "optimize: size\ndefines: {EXIT_CODE: \"3\"}\n").file("src/hello.c", src);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        dispatcher.close();
        worker.close();
        compiler.close();
    }
}
