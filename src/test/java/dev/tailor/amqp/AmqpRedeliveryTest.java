package dev.tailor.amqp;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.tailor.builds.BuildExecutor;
import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildKey;
import dev.tailor.builds.BuildListener;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.Priority;
import dev.tailor.store.Digest;
import dev.tailor.catalog.Arch;
import dev.tailor.testsupport.RabbitMqServer;

/**
 * What only a broker-backed dispatcher has to get right, with dispatchers in one JVM standing for separate
 * processes (each its own connection, so closing one is that process dying): a job held by a worker that dies
 * comes back and runs once elsewhere; a job that keeps failing ends in the dead-letter queue with a failed record;
 * a key already built is reported, not built again.
 */
class AmqpRedeliveryTest {

    private static final Digest BUNDLE = new Digest("ef".repeat(32));
    private final String prefix = "redelivery-" + UUID.randomUUID();
    private final List<CachingConnectionFactory> factories = new ArrayList<>();
    private final List<AmqpBuildDispatcher> dispatchers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private int capacity = 10;

    @AfterEach
    void close() {
        release.countDown();
        dispatchers.forEach(AmqpBuildDispatcher::close);
        factories.forEach(CachingConnectionFactory::destroy);
    }

    private CachingConnectionFactory connections() {
        CachingConnectionFactory f = Rabbit.connections(RabbitMqServer.shared());
        factories.add(f);
        return f;
    }

    private AmqpBuildDispatcher api() {
        return add(new AmqpBuildDispatcher(connections(), Rabbit.JSON, settings(), null, true));
    }

    private AmqpBuildDispatcher worker(CachingConnectionFactory f, BuildExecutor executor,
                                       Function<BuildJob, Optional<BuildRecord>> alreadyBuilt) {
        return add(new AmqpBuildDispatcher(f, Rabbit.JSON, settings(), new AmqpBuildDispatcher.Worker(executor,
                Set.of(Arch.X86_64), 1, alreadyBuilt, Clock.systemUTC()), false));
    }

    private AmqpBuildDispatcher.Settings settings() {
        return new AmqpBuildDispatcher.Settings(prefix, capacity, 3, Duration.ofSeconds(5));
    }

    private AmqpBuildDispatcher add(AmqpBuildDispatcher d) {
        dispatchers.add(d);
        return d;
    }

    private static BuildJob job() {
        String key = BuildKey.of(BUNDLE, "x86_64-v1", UUID.randomUUID().toString()).hex();
        return new BuildJob(key, BUNDLE, "app", "x86_64-v1", "x86_64", "sha256:tc", Priority.API, 1, Instant.now());
    }

    private static BuildRecord ok(BuildJob job) {
        return BuildRecord.succeeded(job, Instant.now(), Instant.now(),
                BuildRecord.Image.of(new Digest("cd".repeat(32)), 1), List.of());
    }

    private static List<BuildRecord> finished(AmqpBuildDispatcher d) {
        List<BuildRecord> heard = new CopyOnWriteArrayList<>();
        d.subscribe(new BuildListener() {
            @Override
            public void finished(BuildRecord record) {
                heard.add(record);
            }
        });
        return heard;
    }

    @Test
    void aJobHeldByAWorkerThatDies_comesBackToAnotherWorker_andEndsOnce() throws Exception {
        AmqpBuildDispatcher api = api();
        List<BuildRecord> heard = finished(api);
        CountDownLatch running = new CountDownLatch(1);
        CachingConnectionFactory dying = connections();
        worker(dying, (job, events) -> {
            running.countDown();
            block(release);
            return ok(job);
        }, job -> Optional.empty());
        BuildJob job = job();

        api.dispatch(job);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        dying.destroy(); // its connection closes with the job unacked, as when the process is killed
        List<BuildJob> ran = new CopyOnWriteArrayList<>();
        worker(connections(), (j, events) -> {
            ran.add(j);
            return ok(j);
        }, j -> Optional.empty());

        await().atMost(Duration.ofSeconds(15)).until(() -> heard.size() == 1);
        assertThat(ran).containsExactly(job);
        assertThat(heard.get(0).status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
        Thread.sleep(500);
        assertThat(heard).hasSize(1);
        assertThat(api.queueDepth(Arch.X86_64)).isZero();
    }

    @Test
    void aJobThatKeepsFailing_isDeadLettered_afterMaxDeliveries_andEndsAsAFailedRecord() {
        AmqpBuildDispatcher api = api();
        List<BuildRecord> heard = finished(api);
        List<BuildJob> tries = new CopyOnWriteArrayList<>();
        worker(connections(), (job, events) -> {
            tries.add(job);
            throw new IllegalStateException("crashes every time");
        }, job -> Optional.empty());
        BuildJob job = job();

        api.dispatch(job);

        await().atMost(Duration.ofSeconds(15)).until(() -> heard.size() == 1);
        assertThat(tries).hasSize(3);
        assertThat(heard.get(0).status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(heard.get(0).error().code()).isEqualTo("build.internal");
        Message dead = new RabbitTemplate(connections()).receive(prefix + ".builds.dead", 5000);
        assertThat(dead).isNotNull();
        assertThat(dead.getMessageProperties().getMessageId()).isEqualTo(job.key());
        assertThat((Object) dead.getMessageProperties().getHeader(JobPublisher.FAILURES)).isEqualTo(3);
        assertThat((Object) dead.getMessageProperties().getHeader(JobPublisher.DEAD_REASON)).isNotNull();
    }

    @Test
    void aWorkerFindingTheKeyAlreadyBuilt_reportsThatRecord_withoutBuilding() {
        AmqpBuildDispatcher api = api();
        List<BuildRecord> heard = finished(api);
        List<BuildJob> ran = new CopyOnWriteArrayList<>();
        BuildJob job = job();
        BuildRecord stored = ok(job);
        worker(connections(), (j, events) -> {
            ran.add(j);
            return ok(j);
        }, j -> j.key().equals(job.key()) ? Optional.of(stored) : Optional.empty());

        api.dispatch(job);

        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
        assertThat(heard.get(0)).isEqualTo(stored);
        assertThat(ran).isEmpty();
    }

    @Test
    void aReplicaConfiguredWithAnotherCapacity_thanTheQueuesWereDeclaredWith_stillHearsItsBuilds() {
        worker(connections(), (job, events) -> ok(job), job -> Optional.empty());
        capacity = 20; // the queues exist with x-max-length 10: this replica's declare of them fails
        AmqpBuildDispatcher api = api();
        List<BuildRecord> heard = finished(api);

        api.dispatch(job());

        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
