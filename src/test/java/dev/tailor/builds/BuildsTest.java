package dev.tailor.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.bundle.Archives;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.bundle.TestBundles;
import dev.tailor.store.DataDir;
import dev.tailor.store.Digest;
import dev.tailor.store.Documents;
import dev.tailor.store.FileSystemBlobStore;
import dev.tailor.testsupport.SettableClock;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.problem.TailorException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rules of {@link Builds} with a stand-in worker whose outcome and timing the test controls (real builds are
 * in SandboxedBuildTest): one build per key, failed stays failed until retried, refusals leave nothing behind.
 */
class BuildsTest {

    @TempDir
    Path tmp;

    static final TargetCatalog CATALOG = TargetCatalog.load();
    static final Target X86 = CATALOG.find("x86_64-v2").orElseThrow();

    BundleService bundles;
    BuildRecords records;
    final AtomicInteger executions = new AtomicInteger();
    final List<Priority> prioritized = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile boolean fail;
    InProcessDispatcher dispatcher;
    Builds builds;
    BundleDocument bundle;
    final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T00:00:00Z"));

    @BeforeEach
    void setUp() {
        Documents documents = new Documents(new FileSystemBlobStore(tmp.resolve("blobs")), JsonMapper.builder().build(),
                Duration.ofSeconds(10), 1000);
        bundles = new BundleService(documents, TestBundles.defaultLimits(), new DataDir(tmp), clock);
        records = new BuildRecords(documents);
        builds = builds(1);
        bundle = TestBundles.ingest(bundles, "app", Archives.hello("app"));
    }

    /** Builds over a dispatcher whose stand-in worker counts runs, waits at the gate, then succeeds or fails. */
    Builds builds(int capacity) {
        dispatcher = new InProcessDispatcher((job, events) -> {
            executions.incrementAndGet();
            events.started(job, Instant.now());
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            BuildRecord r = fail
                    ? BuildRecord.failed(job, Instant.now(), Instant.now(),
                            new BuildRecord.BuildError("build.compile_error", "no", null), null)
                    : BuildRecord.succeeded(job, Instant.now(), Instant.now(),
                            BuildRecord.Image.of(new Digest("ef".repeat(32)), 1), List.of());
            records.write(r);
            return r;
        }, 1, capacity, clock);
        BuildDispatcher watched = new BuildDispatcher() {
            @Override
            public void dispatch(BuildJob job) {
                dispatcher.dispatch(job);
            }

            @Override
            public void prioritize(String key, Priority priority) {
                prioritized.add(priority);
                dispatcher.prioritize(key, priority);
            }

            @Override
            public void subscribe(BuildListener listener) {
                dispatcher.subscribe(listener);
            }

            @Override
            public int queueDepth(dev.tailor.catalog.Arch arch) {
                return dispatcher.queueDepth(arch);
            }

            @Override
            public void close() {
                dispatcher.close();
            }
        };
        return new Builds(records, watched, bundles, CATALOG, t -> "sha256:toolchain", new BuildMetrics(new SimpleMeterRegistry()),
                clock);
    }

    @AfterEach
    void tearDown() {
        dispatcher.close();
    }

    BuildRecord await(CompletableFuture<BuildRecord> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theList_isNewestFirst_perAppOrAll_filtered_limited_andShowsARetriedBuildOnce() throws Exception {
        BundleDocument other = TestBundles.ingest(bundles, "other", Archives.hello("other"));
        Target v3 = CATALOG.find("x86_64-v3").orElseThrow();
        fail = true;
        BuildRecord first = await(builds.submit(bundle.digest(), X86, Priority.API));
        fail = false;
        clock.advance(Duration.ofMillis(5)); // index names have millisecond precision
        BuildRecord second = await(builds.submit(other.digest(), X86, Priority.API));
        clock.advance(Duration.ofMillis(5));
        BuildRecord third = await(builds.submit(bundle.digest(), v3, Priority.API));
        clock.advance(Duration.ofMillis(5));
        BuildRecord retried = await(builds.retry(first.key(), Priority.API));

        assertThat(builds.list(null, null, r -> true, 10)).extracting(BuildRecord::id)
                .containsExactly(retried.id(), third.id(), second.id());
        assertThat(retried.id()).isEqualTo(first.id());
        assertThat(builds.list("app", null, r -> true, 10)).extracting(BuildRecord::id)
                .containsExactly(first.id(), third.id());
        assertThat(builds.list(null, null, r -> true, 2)).hasSize(2);
        assertThat(builds.list(null, BuildRecord.Status.SUCCEEDED, r -> !r.app().equals("other"), 10))
                .extracting(BuildRecord::id).containsExactly(first.id(), third.id());
        assertThat(builds.list("nobody", null, r -> true, 10)).isEmpty();
    }

    @Test
    void concurrentRequestsFromApiBootsAndPrebuilds_shareOneBuild_andABootJoiningRaisesItsPriority() throws Exception {
        gate = new CountDownLatch(1);
        List<CompletableFuture<BuildRecord>> all = new ArrayList<>();
        all.add(builds.submit(bundle.digest(), X86, Priority.PREBUILD));
        for (Priority p : List.of(Priority.API, Priority.BOOT, Priority.PREBUILD, Priority.BOOT)) {
            all.add(builds.submit(bundle.digest(), X86, p));
        }
        assertThat(builds.find(builds.key(bundle.digest(), X86)).orElseThrow().status().isFinal()).isFalse();
        gate.countDown();

        for (CompletableFuture<BuildRecord> f : all) {
            assertThat(await(f).status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
        }
        assertThat(executions).hasValue(1);
        assertThat(prioritized).containsExactly(Priority.API, Priority.BOOT);
        assertThat(await(builds.submit(bundle.digest(), X86, Priority.BOOT)).status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
        assertThat(builds.succeeded(bundle.digest(), X86)).isPresent();
        assertThat(executions).as("a succeeded key is never built again").hasValue(1);
    }

    @Test
    void aCallerThatGivesUp_neverCancelsTheBuildForTheOthers() throws Exception {
        gate = new CountDownLatch(1);
        CompletableFuture<BuildRecord> impatient = builds.submit(bundle.digest(), X86, Priority.BOOT);
        CompletableFuture<BuildRecord> patient = builds.submit(bundle.digest(), X86, Priority.BOOT);
        impatient.cancel(true); // as a boot's timeout does when it falls back to the baseline
        gate.countDown();
        assertThat(await(patient).status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
        assertThat(await(builds.submit(bundle.digest(), X86, Priority.BOOT)).status())
                .isEqualTo(BuildRecord.Status.SUCCEEDED);
        assertThat(executions).hasValue(1);
    }

    @Test
    void failedBuild_staysFailed_untilAnExplicitRetry_whichCountsTheAttempt() throws Exception {
        fail = true;
        BuildRecord first = await(builds.submit(bundle.digest(), X86, Priority.API));
        assertThat(first.status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(await(builds.submit(bundle.digest(), X86, Priority.API))).isEqualTo(first);
        assertThat(executions).hasValue(1);

        fail = false;
        BuildRecord retried = await(builds.retry(first.key(), Priority.API));

        assertThat(retried.status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(executions).hasValue(2);
        assertThatThrownBy(() -> builds.retry(first.key(), Priority.API)).isInstanceOfSatisfying(TailorException.class,
                e -> assertThat(e.code()).isEqualTo("build.not_failed"));
    }

    @Test
    void fullQueue_refuses_andLeavesNoRecordNorFlight_soALaterRequestBuilds() throws Exception {
        dispatcher.close();
        builds = builds(0);
        BuildKey key = builds.key(bundle.digest(), X86);

        assertThatThrownBy(() -> builds.submit(bundle.digest(), X86, Priority.API))
                .isInstanceOf(BuildQueueFullException.class);
        assertThat(builds.find(key)).isEmpty();
        assertThat(records.read(key)).isEmpty();

        dispatcher.close();
        builds = builds(1);
        assertThat(await(builds.submit(bundle.digest(), X86, Priority.API)).status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
    }

    @Test
    void unknownBundle_andUnsupportedArchitecture_areRefusedWithTheirCodes() {
        assertThatThrownBy(() -> builds.submit(new Digest("00".repeat(32)), X86, Priority.API))
                .isInstanceOfSatisfying(TailorException.class, e -> assertThat(e.code()).isEqualTo("bundle.not_found"));
        BundleDocument armOnly = TestBundles.ingest(bundles, "arm", Archives.of()
                .file("tailor.yaml", "name: arm\nversion: 1.0.0\nsources: [src/*.c]\narchs: [aarch64]\n")
                .file("src/main.c", "int main(void) { return 0; }\n"));
        assertThatThrownBy(() -> builds.submit(armOnly.digest(), X86, Priority.API))
                .isInstanceOfSatisfying(TailorException.class, e -> assertThat(e.code()).isEqualTo("build.arch_unsupported"));
        assertThat(executions).hasValue(0);
    }

    @Test
    void jobAndRecord_roundTripThroughJson_asAQueueMessageAndAnOutcomeWould() {
        JsonMapper json = JsonMapper.builder().build();
        BuildJob job = new BuildJob(builds.key(bundle.digest(), X86).hex(), bundle.digest(), "app", X86.id(), "x86_64",
                "sha256:toolchain", Priority.BOOT, 3, Instant.parse("2026-01-02T03:04:05.678Z"));
        BuildRecord failed = BuildRecord.failed(job, job.queuedAt(), job.queuedAt().plusMillis(5),
                new BuildRecord.BuildError("build.compile_error", "Compilation failed",
                        List.of(new BuildRecord.Diagnostic("src/main.c", 3, 15, "error", "expected expression"))),
                List.of("-O2"));

        assertThat(json.readValue(json.writeValueAsBytes(job), BuildJob.class)).isEqualTo(job);
        assertThat(json.readValue(json.writeValueAsBytes(failed), BuildRecord.class)).isEqualTo(failed);
        assertThat(json.writeValueAsString(failed)).contains("\"status\":\"failed\"", "\"durationMs\":5",
                "\"queuedAt\":\"2026-01-02T03:04:05.678Z\"").doesNotContain("\"image\":"); // no image; its flavor is "image"
    }

    @Test
    void recordOfAProcessThatDied_readsInterrupted_andIsBuiltAgainOnRequest() throws Exception {
        BuildKey key = builds.key(bundle.digest(), X86);
        BuildJob job = new BuildJob(key.hex(), bundle.digest(), "app", X86.id(), "x86_64", "sha256:toolchain",
                Priority.API, 1, Instant.now());
        records.write(BuildRecord.queued(job));

        assertThat(builds.find(key).orElseThrow().error().code()).isEqualTo("build.interrupted");
        assertThat(builds.succeeded(bundle.digest(), X86)).isEmpty();
        BuildRecord rebuilt = await(builds.submit(bundle.digest(), X86, Priority.API));

        assertThat(rebuilt.status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
        assertThat(rebuilt.attempt()).isEqualTo(2);
    }
}
