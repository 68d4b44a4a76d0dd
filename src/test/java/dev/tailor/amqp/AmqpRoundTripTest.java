package dev.tailor.amqp;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.tailor.builds.BuildDispatcher;
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
 * What the broker adds to every build: dispatch (persistent publish, confirmed), delivery to a worker, the
 * started/log/stored/finished events back through the fanout, for a build that does nothing. How long that takes,
 * beside the in-process pools, is measured by {@code bench/amqp-roundtrip.sh} ({@link AmqpRoundTripBench}), not
 * asserted here: a unit test's verdict must not depend on the machine's speed.
 */
class AmqpRoundTripTest {

    static final Digest BUNDLE = new Digest("aa".repeat(32));
    static final BuildExecutor NOTHING = (job, events) -> {
        events.started(job, Instant.now());
        events.log(job.key(), "one line");
        BuildRecord ok = BuildRecord.succeeded(job, Instant.now(), Instant.now(),
                BuildRecord.Image.of(new Digest("cd".repeat(32)), 1), List.of());
        events.imageStored(ok);
        return ok;
    };

    /** A dispatcher that both dispatches and works, on queues of its own. */
    static BuildDispatcher overRabbitMq(CachingConnectionFactory f) {
        return new AmqpBuildDispatcher(f, Rabbit.JSON, new AmqpBuildDispatcher.Settings(
                "roundtrip-" + UUID.randomUUID(), 100, 3, Duration.ofSeconds(5)), new AmqpBuildDispatcher.Worker(
                NOTHING, EnumSet.of(Arch.X86_64), 1, job -> Optional.empty(), Clock.systemUTC()), true);
    }

    static BuildJob job() {
        String key = BuildKey.of(BUNDLE, "x86_64-v1", UUID.randomUUID().toString()).hex();
        return new BuildJob(key, BUNDLE, "app", "x86_64-v1", "x86_64", "sha256:tc", Priority.API, 1, Instant.now());
    }

    @Test
    void aBuildThatDoesNothing_comesBackThroughRabbitMq_withEachEventOnce_inOrder() throws Exception {
        CachingConnectionFactory f = Rabbit.connections(RabbitMqServer.shared());
        try (BuildDispatcher amqp = overRabbitMq(f)) {
            Map<String, List<String>> heard = new ConcurrentHashMap<>();
            var finished = new ConcurrentHashMap<String, CompletableFuture<Void>>();
            amqp.subscribe(new BuildListener() {
                @Override
                public void started(BuildJob job, Instant at) {
                    heard.computeIfAbsent(job.key(), k -> new ArrayList<>()).add("started");
                }

                @Override
                public void log(String key, String line) {
                    heard.computeIfAbsent(key, k -> new ArrayList<>()).add("log " + line);
                }

                @Override
                public void imageStored(BuildRecord record) {
                    heard.computeIfAbsent(record.id(), k -> new ArrayList<>()).add("stored");
                }

                @Override
                public void finished(BuildRecord record) {
                    heard.computeIfAbsent(record.id(), k -> new ArrayList<>()).add("finished " + record.status());
                    Optional.ofNullable(finished.get(record.id())).ifPresent(c -> c.complete(null));
                }
            });
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                BuildJob job = job();
                keys.add(job.key());
                finished.put(job.key(), new CompletableFuture<>());
                amqp.dispatch(job);
            }
            CompletableFuture.allOf(finished.values().toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(heard.keySet()).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(heard.values()).allSatisfy(events -> assertThat(events)
                    .containsExactly("started", "log one line", "stored", "finished SUCCEEDED"));
        } finally {
            f.destroy();
        }
    }
}
