package dev.tailor.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.tailor.builds.BuildDispatcher;
import dev.tailor.builds.BuildExecutor;
import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildKey;
import dev.tailor.builds.BuildListener;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.Priority;
import dev.tailor.catalog.Arch;
import dev.tailor.store.Digest;
import dev.tailor.testsupport.RabbitMqServer;
import dev.tailor.toolchain.Flavor;

/**
 * Payoff runs travel the per-architecture queues as a job type of their own, on a real RabbitMQ node: a worker takes
 * only the architectures it serves, so an aarch64 payoff run waits for an aarch64 worker (an x86_64 machine could
 * only time it under an emulator), and the job arrives as a payoff run, not a build.
 */
class AmqpPayoffRoutingTest {

    private final String prefix = "payoff-" + UUID.randomUUID();
    private final List<CachingConnectionFactory> factories = new ArrayList<>();
    private final List<BuildDispatcher> dispatchers = new ArrayList<>();
    /** Which worker ran which job, as which flavor. */
    private final ConcurrentHashMap<String, String> ran = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        dispatchers.forEach(BuildDispatcher::close);
        factories.forEach(CachingConnectionFactory::destroy);
    }

    private AmqpBuildDispatcher dispatcher(String name, Arch... archs) {
        CachingConnectionFactory f = Rabbit.connections(RabbitMqServer.shared());
        factories.add(f);
        AmqpBuildDispatcher.Worker worker = archs.length == 0 ? null : new AmqpBuildDispatcher.Worker(
                executor(name), EnumSet.of(archs[0], archs), 1, job -> Optional.empty(), Clock.systemUTC());
        var d = new AmqpBuildDispatcher(f, Rabbit.JSON, new AmqpBuildDispatcher.Settings(prefix, 10, 3,
                Duration.ofSeconds(5)), worker, worker == null);
        dispatchers.add(d);
        return d;
    }

    private BuildExecutor executor(String name) {
        return (job, events) -> {
            ran.put(job.key(), name + " " + job.arch() + " " + job.flavor());
            return BuildRecord.succeeded(job, Instant.now(), Instant.now(), null, null);
        };
    }

    private static BuildJob payoffJob(Arch arch, String baseline) {
        Digest bundle = new Digest("ab".repeat(32));
        return new BuildJob(BuildKey.of(bundle, baseline, Flavor.PAYOFF, "tc").hex(), bundle, "app", baseline,
                arch.id(), "tc", Priority.API, 1, Instant.now(), Flavor.PAYOFF);
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void anAarch64PayoffRun_isNotTakenByAnX86Worker_andWaitsForAnAarch64One() throws Exception {
        AmqpBuildDispatcher api = dispatcher("api");
        List<BuildRecord> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
        api.subscribe(new BuildListener() {
            @Override
            public void finished(BuildRecord record) {
                finished.add(record);
            }
        });
        dispatcher("x86-worker", Arch.X86_64);
        BuildJob x86 = payoffJob(Arch.X86_64, "x86_64-v1");
        BuildJob arm = payoffJob(Arch.AARCH64, "aarch64-v8.0");

        api.dispatch(arm);
        api.dispatch(x86);
        await(() -> ran.containsKey(x86.key()), "the x86_64 run is taken");
        // the x86 worker is idle now, and the aarch64 run still waits in its own queue
        Thread.sleep(1000);
        assertThat(ran).doesNotContainKey(arm.key());
        assertThat(api.queueDepth(Arch.AARCH64)).isEqualTo(1);

        dispatcher("arm-worker", Arch.AARCH64);
        await(() -> ran.containsKey(arm.key()), "an aarch64 worker takes the aarch64 run");
        assertThat(ran.get(x86.key())).isEqualTo("x86-worker x86_64 payoff");
        assertThat(ran.get(arm.key())).isEqualTo("arm-worker aarch64 payoff");
        await(() -> finished.size() == 2, "both runs' ends reach the API replica");
        assertThat(finished).allSatisfy(r -> assertThat(r.flavor()).isEqualTo(Flavor.PAYOFF));
    }
}
