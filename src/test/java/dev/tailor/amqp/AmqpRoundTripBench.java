package dev.tailor.amqp;

import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.tailor.builds.BuildDispatcher;
import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildListener;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.InProcessDispatcher;
import dev.tailor.testsupport.RabbitMqServer;

/**
 * How long a build that does nothing takes from dispatch to finished through RabbitMQ, beside the in-process pools:
 * a benchmark, not a test (its name keeps it out of the suite). Run it with {@code bench/amqp-roundtrip.sh}.
 */
class AmqpRoundTripBench {

    @Test
    void printTheRoundTrip() throws Exception {
        CachingConnectionFactory f = Rabbit.connections(RabbitMqServer.shared());
        try (BuildDispatcher amqp = AmqpRoundTripTest.overRabbitMq(f);
             BuildDispatcher local = new InProcessDispatcher(AmqpRoundTripTest.NOTHING, 1, 100, Clock.systemUTC())) {
            double[] viaAmqp = median(amqp, 200);
            double[] inProcess = median(local, 200);
            System.out.printf("no-op build, dispatch to finished: RabbitMQ median %.2f ms (p90 %.2f), in-process "
                    + "median %.3f ms (p90 %.3f)%n", viaAmqp[0], viaAmqp[1], inProcess[0], inProcess[1]);
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
            BuildJob job = AmqpRoundTripTest.job();
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiting.put(job.key(), done);
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
