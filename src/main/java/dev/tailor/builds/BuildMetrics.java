package dev.tailor.builds;

import java.time.Duration;

import dev.tailor.catalog.Arch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Build metrics, at {@code /actuator/prometheus} as {@code tailor_builds_started_total{arch,target}},
 * {@code tailor_builds_finished_total{result,code}}, {@code tailor_builds_duration_seconds{result}} and
 * {@code tailor_builds_queue_depth{arch}}.
 */
public final class BuildMetrics {

    private final MeterRegistry registry;

    public BuildMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void gaugeQueues(BuildDispatcher dispatcher) {
        for (Arch arch : Arch.values()) {
            Gauge.builder("tailor.builds.queue.depth", dispatcher, d -> d.queueDepth(arch)).tag("arch", arch.id())
                    .description("builds waiting for a worker").register(registry);
        }
    }

    void started(String arch, String target) {
        Counter.builder("tailor.builds.started").tag("arch", arch).tag("target", target)
                .description("compiles started").register(registry).increment();
    }

    void finished(BuildRecord record) {
        String result = record.status().id();
        String code = record.error() == null ? "none" : record.error().code();
        Counter.builder("tailor.builds.finished").tag("result", result).tag("code", code)
                .description("builds ended, by result").register(registry).increment();
        if (record.durationMs() != null) {
            Timer.builder("tailor.builds.duration").tag("result", result).description("from start to end of a build")
                    .register(registry).record(Duration.ofMillis(record.durationMs()));
        }
    }

    /** Compiles started so far, over every target: what tests read to count builds. */
    public double startedTotal() {
        return registry.find("tailor.builds.started").counters().stream().mapToDouble(Counter::count).sum();
    }
}
