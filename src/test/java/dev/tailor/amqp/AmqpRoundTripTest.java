package dev.tailor.amqp;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
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
import dev.tailor.builds.InProcessDispatcher;
import dev.tailor.builds.Priority;
import dev.tailor.store.Digest;
import dev.tailor.catalog.Arch;
import dev.tailor.testsupport.RabbitMqServer;

/**
 * What the broker adds to every build: dispatch (persistent publish, confirmed), delivery to a worker, the
 * started/log/stored/finished events back through the fanout, for a build that does nothing, beside the same with
 * the in-process pools. Printed, and bounded loosely so that a regression to seconds fails.
 */
class AmqpRoundTripTest {

    private static final Digest BUNDLE = new Digest("aa".repeat(32));
    private static final BuildExecutor NOTHING = (job, events) -> {
        events.started(job, Instant.now());
        events.log(job.key(), "one line");
        BuildRecord ok = BuildRecord.succeeded(job, Instant.now(), Instant.now(),
                BuildRecord.Image.of(new Digest("cd".repeat(32)), 1), List.of());
        events.imageStored(ok);
        return ok;
    };

    @Test
    void aBuildThatDoesNothing_takesMillisecondsThroughRabbitMq() throws Exception {
        CachingConnectionFactory f = Rabbit.connections(RabbitMqServer.shared());
        try (BuildDispatcher amqp = new AmqpBuildDispatcher(f, Rabbit.JSON, new AmqpBuildDispatcher.Settings(
                "roundtrip-" + UUID.randomUUID(), 100, 3, Duration.ofSeconds(5)), new AmqpBuildDispatcher.Worker(
                NOTHING, EnumSet.of(Arch.X86_64), 1, job -> Optional.empty(), Clock.systemUTC()), true);
             BuildDispatcher local = new InProcessDispatcher(NOTHING, 1, 100, Clock.systemUTC())) {
            double[] viaAmqp = median(amqp, 200);
            double[] inProcess = median(local, 200);
            System.out.printf("no-op build, dispatch to finished: RabbitMQ median %.2f ms (p90 %.2f), in-process "
                    + "median %.3f ms (p90 %.3f)%n", viaAmqp[0], viaAmqp[1], inProcess[0], inProcess[1]);
            assertThat(viaAmqp[0]).isLessThan(100);
        } finally {
            f.destroy();
        }
    }

    /** Median and 90th percentile in ms, of the second half of n sequential builds (the first half warms up). */
    private static double[] median(BuildDispatcher d, int n) throws Exception {
        var waiting = new ConcurrentHashMap<String, CompletableFuture<Void>>();
        d.subscribe(new BuildListener() {
            @Override
            public void finished(BuildRecord record) {
                Optional.ofNullable(waiting.remove(record.id())).ifPresent(c -> c.complete(null));
            }
        });
        double[] ms = new double[n / 2];
        for (int i = 0; i < n; i++) {
            String key = BuildKey.of(BUNDLE, "x86_64-v1", UUID.randomUUID().toString()).hex();
            BuildJob job = new BuildJob(key, BUNDLE, "app", "x86_64-v1", "x86_64", "sha256:tc", Priority.API, 1,
                    Instant.now());
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiting.put(key, done);
            long start = System.nanoTime();
            d.dispatch(job);
            done.get(10, TimeUnit.SECONDS);
            if (i >= n / 2) {
                ms[i - n / 2] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        return new double[] {ms[ms.length / 2], ms[ms.length * 9 / 10]};
    }
}
