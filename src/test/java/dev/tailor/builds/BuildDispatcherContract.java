package dev.tailor.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tailor.store.Digest;
import dev.tailor.catalog.Arch;

/**
 * What every {@link BuildDispatcher} must do, run against each implementation (the in-process pools now, a
 * message broker later). The executor here is a stand-in for a worker whose timing the test controls; real
 * builds are the worker's tests.
 */
public abstract class BuildDispatcherContract {

    /** A dispatcher running jobs with this executor, with the given workers and waiting capacity per architecture. */
    protected abstract BuildDispatcher create(BuildExecutor executor, int workersPerArch, int capacity);

    private final List<BuildDispatcher> created = new CopyOnWriteArrayList<>();
    private static final AtomicInteger KEYS = new AtomicInteger();
    static final Digest BUNDLE = new Digest("ab".repeat(32));

    private BuildDispatcher dispatcher(BuildExecutor executor, int workers, int capacity) {
        BuildDispatcher d = create(executor, workers, capacity);
        created.add(d);
        return d;
    }

    @AfterEach
    void closeAll() {
        created.forEach(BuildDispatcher::close);
    }

    protected static BuildJob job(Arch arch, Priority priority) {
        String key = BuildKey.of(BUNDLE, "t" + KEYS.incrementAndGet(), "tc").hex();
        return new BuildJob(key, BUNDLE, "app", arch.id() + "-test", arch.id(), "sha256:tc", priority, 1, Instant.now());
    }

    static BuildRecord ok(BuildJob job) {
        Instant now = Instant.now();
        return BuildRecord.succeeded(job, now, now, BuildRecord.Image.of(new Digest("cd".repeat(32)), 1), List.of());
    }

    /** Records what the subscriber hears. */
    static final class Heard implements BuildListener {
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<BuildRecord> stored = new CopyOnWriteArrayList<>();
        final List<BuildRecord> finished = new CopyOnWriteArrayList<>();

        @Override
        public void imageStored(BuildRecord record) {
            stored.add(record);
        }

        @Override
        public void started(BuildJob job, Instant at) {
            started.add(job.key());
        }

        @Override
        public void log(String key, String line) {
            lines.add(key + " " + line);
        }

        @Override
        public void finished(BuildRecord record) {
            finished.add(record);
        }
    }

    @Test
    void dispatchedJob_runsOnce_withTheSameJob_andEveryEventReachesSubscribers() {
        List<BuildJob> received = new CopyOnWriteArrayList<>();
        BuildDispatcher d = dispatcher((job, events) -> {
            received.add(job);
            events.started(job, Instant.now());
            events.log(job.key(), "compiling");
            events.imageStored(ok(job));
            return ok(job);
        }, 1, 10);
        Heard heard = new Heard();
        d.subscribe(heard);
        BuildJob job = job(Arch.X86_64, Priority.API);

        d.dispatch(job);

        await().atMost(Duration.ofSeconds(10)).until(() -> heard.finished.size() == 1);
        assertThat(received).containsExactly(job);
        assertThat(heard.started).containsExactly(job.key());
        assertThat(heard.lines).containsExactly(job.key() + " compiling");
        assertThat(heard.stored).extracting(BuildRecord::id).containsExactly(job.key());
        assertThat(heard.finished.get(0).id()).isEqualTo(job.key());
        assertThat(heard.finished.get(0).status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
    }

    @Test
    void executorThatThrows_stillEndsTheBuild_asAFailedRecord() {
        BuildDispatcher d = dispatcher((job, events) -> {
            throw new IllegalStateException("worker bug");
        }, 1, 10);
        Heard heard = new Heard();
        d.subscribe(heard);
        BuildJob job = job(Arch.AARCH64, Priority.BOOT);

        d.dispatch(job);

        await().atMost(Duration.ofSeconds(10)).until(() -> heard.finished.size() == 1);
        BuildRecord r = heard.finished.get(0);
        assertThat(r.id()).isEqualTo(job.key());
        assertThat(r.status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(r.error().code()).isEqualTo("build.internal");
        assertThat(r.error().detail()).doesNotContain("worker bug");
    }

    /** A dispatcher with one worker per architecture, held on a first job of {@code arch} until released. */
    private final class Held {
        final CountDownLatch release = new CountDownLatch(1);
        final List<BuildJob> ran = new CopyOnWriteArrayList<>();
        final Heard heard = new Heard();
        final BuildDispatcher d;

        Held(Arch arch, int capacity) throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            BuildJob blocker = job(arch, Priority.API);
            d = dispatcher((job, events) -> {
                if (job.key().equals(blocker.key())) {
                    running.countDown();
                    block(release);
                } else {
                    ran.add(job);
                }
                return ok(job);
            }, 1, capacity);
            d.subscribe(heard);
            d.dispatch(blocker);
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void releaseAndAwait(int finished) {
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.finished.size() == finished);
        }
    }

    @Test
    void fullQueue_refusesAtOnce_perArchitecture_andReportsItsDepth() throws Exception {
        Held held = new Held(Arch.X86_64, 2);
        held.d.dispatch(job(Arch.X86_64, Priority.API));
        held.d.dispatch(job(Arch.X86_64, Priority.PREBUILD));
        assertThat(held.d.queueDepth(Arch.X86_64)).isEqualTo(2);

        assertThatThrownBy(() -> held.d.dispatch(job(Arch.X86_64, Priority.BOOT)))
                .isInstanceOfSatisfying(BuildQueueFullException.class, e -> assertThat(e.arch()).isEqualTo("x86_64"));
        held.d.dispatch(job(Arch.ARMV7, Priority.API)); // another architecture's queue is not affected

        held.releaseAndAwait(4);
        assertThat(held.d.queueDepth(Arch.X86_64)).isZero();
    }

    @Test
    void waitingJobs_runByPriority_bootThenApiThenPrebuild_firstComeFirstServedWithin() throws Exception {
        Held held = new Held(Arch.I686, 10);
        BuildJob prebuild = job(Arch.I686, Priority.PREBUILD);
        BuildJob api1 = job(Arch.I686, Priority.API);
        BuildJob boot = job(Arch.I686, Priority.BOOT);
        BuildJob api2 = job(Arch.I686, Priority.API);
        for (BuildJob j : List.of(prebuild, api1, boot, api2)) {
            held.d.dispatch(j);
        }

        held.releaseAndAwait(5);
        assertThat(held.ran).containsExactly(boot, api1, api2, prebuild);
    }

    @Test
    void aWaitingPrebuildJoinedByABoot_movesAhead_andRunsOnce() throws Exception {
        Held held = new Held(Arch.ARMV7, 10);
        BuildJob api = job(Arch.ARMV7, Priority.API);
        BuildJob prebuild = job(Arch.ARMV7, Priority.PREBUILD);
        held.d.dispatch(api);
        held.d.dispatch(prebuild);

        held.d.prioritize(prebuild.key(), Priority.BOOT);
        held.d.prioritize(api.key(), Priority.PREBUILD); // never demotes

        assertThat(held.d.queueDepth(Arch.ARMV7)).isEqualTo(2);
        held.releaseAndAwait(3);
        assertThat(held.ran).extracting(BuildJob::key).containsExactly(prebuild.key(), api.key());
        assertThat(held.d.queueDepth(Arch.ARMV7)).isZero();
    }

    @Test
    void aBusyArchitecture_doesNotDelayAnother() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BuildDispatcher d = dispatcher((job, events) -> {
            if (job.arch().equals("x86_64")) {
                block(release);
            }
            return ok(job);
        }, 1, 10);
        Heard heard = new Heard();
        d.subscribe(heard);
        d.dispatch(job(Arch.X86_64, Priority.BOOT));
        BuildJob arm = job(Arch.AARCH64, Priority.PREBUILD);

        d.dispatch(arm);

        await().atMost(Duration.ofSeconds(10)).until(() -> heard.finished.size() == 1);
        assertThat(heard.finished.get(0).id()).isEqualTo(arm.key());
        release.countDown();
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
