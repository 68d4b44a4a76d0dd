package dev.tailor.amqp;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.tailor.builds.BuildDispatcher;
import dev.tailor.builds.BuildMetrics;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.BuildRecords;
import dev.tailor.builds.Builds;
import dev.tailor.builds.Priority;
import dev.tailor.bundle.Archives;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.bundle.TestBundles;
import dev.tailor.store.DataDir;
import dev.tailor.store.Digest;
import dev.tailor.store.Documents;
import dev.tailor.store.FileSystemBlobStore;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.testsupport.RabbitMqServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Two API replicas ({@link Builds} over their own AMQP dispatcher and document cache, one shared store) and one
 * worker, on a real RabbitMQ node: a request to the second replica for a key the first one dispatched joins that
 * build (it heard it start) instead of building it again, and both answer with the same record.
 */
class AmqpReplicasTest {

    @TempDir
    Path tmp;

    private static final TargetCatalog CATALOG = TargetCatalog.load();
    private static final Target X86 = CATALOG.find("x86_64-v2").orElseThrow();
    private final String prefix = "replicas-" + UUID.randomUUID();
    private final List<CachingConnectionFactory> factories = new ArrayList<>();
    private final List<BuildDispatcher> dispatchers = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void close() {
        gate.countDown();
        dispatchers.forEach(BuildDispatcher::close);
        factories.forEach(CachingConnectionFactory::destroy);
    }

    private AmqpBuildDispatcher dispatcher(AmqpBuildDispatcher.Worker worker) {
        CachingConnectionFactory f = Rabbit.connections(RabbitMqServer.shared());
        factories.add(f);
        var d = new AmqpBuildDispatcher(f, Rabbit.JSON, new AmqpBuildDispatcher.Settings(prefix, 10, 3,
                Duration.ofSeconds(5)), worker, worker == null);
        dispatchers.add(d);
        return d;
    }

    /** What one process sees of the shared store: its own document cache. */
    private Documents documents(FileSystemBlobStore store) {
        return new Documents(store, Rabbit.JSON, Duration.ofSeconds(10), 1000);
    }

    @Test
    void aReplicaThatHeardABuildStart_joinsIt_insteadOfBuildingTheKeyAgain() throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(tmp.resolve("blobs"));
        BundleService bundlesA = new BundleService(documents(store), TestBundles.defaultLimits(), new DataDir(tmp), Clock.systemUTC());
        BundleDocument bundle = TestBundles.ingest(bundlesA, "app", Archives.hello("app"));
        BuildRecords workerRecords = new BuildRecords(documents(store));
        AtomicInteger executions = new AtomicInteger();
        dispatcher(new AmqpBuildDispatcher.Worker((job, events) -> {
            executions.incrementAndGet();
            events.started(job, Instant.now());
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            BuildRecord ok = BuildRecord.succeeded(job, Instant.now(), Instant.now(),
                    BuildRecord.Image.of(new Digest("cd".repeat(32)), 1), List.of());
            workerRecords.write(ok);
            return ok;
        }, Set.of(Arch.X86_64), 1, job -> workerRecords.read(new dev.tailor.builds.BuildKey(job.key())), Clock.systemUTC()));
        Builds a = replica(store, bundlesA);
        Builds b = replica(store, new BundleService(documents(store), TestBundles.defaultLimits(), new DataDir(tmp), Clock.systemUTC()));

        CompletableFuture<BuildRecord> first = a.submit(bundle.digest(), X86, Priority.API);
        var key = a.key(bundle.digest(), X86);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.find(key).map(r -> r.status() == BuildRecord.Status.RUNNING).orElse(false));
        CompletableFuture<BuildRecord> second = b.submit(bundle.digest(), X86, Priority.BOOT);
        gate.countDown();

        BuildRecord one = first.get(10, TimeUnit.SECONDS);
        BuildRecord two = second.get(10, TimeUnit.SECONDS);
        assertThat(one.status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
        assertThat(two).isEqualTo(one);
        Thread.sleep(500); // a duplicate dispatch would have run by now
        assertThat(executions).hasValue(1);
    }

    private Builds replica(FileSystemBlobStore store, BundleService bundles) {
        return new Builds(new BuildRecords(documents(store)), dispatcher(null), bundles, CATALOG, t -> "sha256:tc",
                new BuildMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    }
}
