package dev.tailor.payoff;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;

import dev.tailor.builds.BuildDispatcher;
import dev.tailor.builds.BuildKey;
import dev.tailor.builds.BuildListener;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.Builds;
import dev.tailor.builds.Priority;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.channel.ChannelReleased;
import dev.tailor.channel.ChannelService;
import dev.tailor.fingerprint.MeasurementSource;
import dev.tailor.fingerprint.Measurements;
import dev.tailor.store.Digest;
import dev.tailor.toolchain.Flavor;

/**
 * Payoff runs, started and read. A bundle's payoff run on one architecture is a job of its own kind ({@code payoff}
 * flavor, target = the architecture's baseline) that travels the architecture's queue like a build and shares a
 * build's life: one run per key at a time, a record, a live log, a retry. The worker that takes it measures what its
 * own CPU can run and stores a {@link PayoffReport}; reports from workers of other CPU models are kept beside it.
 */
public class Payoffs implements MeasurementSource {

    private static final Logger log = LoggerFactory.getLogger(Payoffs.class);

    private final Builds builds;
    private final TargetCatalog catalog;
    private final ChannelService channels;
    private final PayoffStore store;
    private final double minGain;
    private final ApplicationEventPublisher events;

    /** One architecture's run: its id, and the record it ends with. */
    public record Run(Arch arch, BuildKey key, CompletableFuture<BuildRecord> done) {
    }

    /** The state of one architecture's latest run, as the API shows it. */
    public record RunState(String arch, String run, BuildRecord.Status status, BuildRecord.BuildError error) {
    }

    public Payoffs(Builds builds, BuildDispatcher dispatcher, TargetCatalog catalog, ChannelService channels,
                   PayoffStore store, double minGain, ApplicationEventPublisher events) {
        this.builds = builds;
        this.catalog = catalog;
        this.channels = channels;
        this.store = store;
        this.minGain = minGain;
        this.events = events;
        // every replica hears every run end: the one that reads the reports next must not read a stale cache
        dispatcher.subscribe(new BuildListener() {
            @Override
            public void finished(BuildRecord record) {
                if (record.flavor() == Flavor.PAYOFF) {
                    store.forget(record.bundle());
                    if (record.status() == BuildRecord.Status.SUCCEEDED) {
                        events.publishEvent(new PayoffMeasured(record.app(), record.bundle()));
                    }
                }
            }
        });
    }

    /** The architectures a bundle's payoff runs cover: the machines its manifest lists (wasm32 runs under Node). */
    public static List<Arch> archs(BundleDocument bundle) {
        return bundle.manifest().archs().stream().filter(Arch::isMachine).toList();
    }

    /**
     * Starts (or joins) the bundle's payoff run on each architecture. A succeeded run is reused unless {@code fresh}
     * asks for a new measurement.
     */
    public List<Run> start(BundleDocument bundle, boolean fresh, Priority priority) {
        List<Run> runs = new ArrayList<>();
        for (Arch arch : archs(bundle)) {
            Target baseline = catalog.baseline(arch);
            BuildKey key = builds.key(bundle.digest(), baseline, Flavor.PAYOFF);
            boolean ended = builds.find(key).map(r -> r.status().isFinal()).orElse(false);
            CompletableFuture<BuildRecord> done = fresh && ended ? builds.retry(key, priority)
                    : builds.submit(bundle.digest(), baseline, Flavor.PAYOFF, priority);
            runs.add(new Run(arch, key, done));
        }
        return runs;
    }

    /** Each architecture's latest run of the bundle, if any. */
    public List<RunState> runs(BundleDocument bundle) {
        List<RunState> states = new ArrayList<>();
        for (Arch arch : archs(bundle)) {
            BuildKey key = builds.key(bundle.digest(), catalog.baseline(arch), Flavor.PAYOFF);
            builds.find(key).ifPresent(r -> states.add(new RunState(arch.id(), r.id(), r.status(), r.error())));
        }
        return states;
    }

    public List<PayoffReport> reports(Digest bundle) {
        return store.reports(bundle);
    }

    public double minGain() {
        return minGain;
    }

    @Override
    public Measurements of(Digest bundle) {
        return new Measurements(store.reports(bundle).stream().map(PayoffReport::times).toList(), minGain);
    }

    @Override
    public Measurements ofChannel(String app, String channel) {
        Optional<Digest> bundle = channels.find(app, channel).map(c -> c.bundle());
        return bundle.map(this::of).orElseGet(Measurements::none);
    }

    /** A manifest with {@code payoff: true} has every release measured, at the lowest priority. */
    @EventListener
    void onRelease(ChannelReleased event) {
        if (!event.bundle().manifest().payoff()) {
            return;
        }
        try {
            start(event.bundle(), false, Priority.PREBUILD);
        } catch (RuntimeException e) {
            log.info("payoff run of {} not started: {}", event.bundle().digest(), e.getMessage());
        }
    }
}
