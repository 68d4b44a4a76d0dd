package dev.tailor.payoff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

import dev.tailor.builds.Builds;
import dev.tailor.builds.Priority;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.channel.ChannelReleased;
import dev.tailor.fingerprint.TargetResolver;
import dev.tailor.fingerprint.TargetStats;

/**
 * What a release builds ahead of the devices, at the lowest priority: the baseline of every architecture the
 * manifest lists (so any device can boot at once), then the rungs the app's devices will be served, ranked by
 * demand (the fleet statistics) times the measured gain.
 *
 * <p>With a payoff report, each requested target is first mapped to the rung the auto policy would serve instead
 * (the lowest that keeps its speed for this app), and a rung that does not pay over the baseline is not built. A
 * bundle measured on release ({@code payoff: true}) is ranked once its measurement lands; without any measurement,
 * the most requested targets are built, as before payoff runs existed.
 */
class Prebuilds {

    private static final Logger log = LoggerFactory.getLogger(Prebuilds.class);

    private final Builds builds;
    private final TargetCatalog catalog;
    private final TargetStats stats;
    private final TargetResolver resolver;
    private final PayoffStore reports;
    private final BundleService bundles;
    private final double minGain;
    private final int top;

    /** A rung worth building: the devices it would serve and its measured gain over the baseline (1 when unknown). */
    record Ranked(Target target, long devices, double gain) {
        double value() {
            return devices * gain;
        }
    }

    Prebuilds(Builds builds, TargetCatalog catalog, TargetStats stats, TargetResolver resolver, PayoffStore reports,
              BundleService bundles, double minGain, int top) {
        this.builds = builds;
        this.catalog = catalog;
        this.stats = stats;
        this.resolver = resolver;
        this.reports = reports;
        this.bundles = bundles;
        this.minGain = minGain;
        this.top = top;
    }

    @EventListener
    void onRelease(ChannelReleased event) {
        BundleDocument bundle = event.bundle();
        boolean measuredLater = bundle.manifest().payoff() && reports.reports(bundle.digest()).isEmpty();
        submit(bundle, measuredLater ? baselines(bundle) : targets(bundle));
    }

    /** The measurement of a bundle landed: its tuned rungs can now be ranked by what they buy. */
    @EventListener
    void onMeasured(PayoffMeasured event) {
        bundles.find(event.bundle()).ifPresent(b -> submit(b, targets(b)));
    }

    private void submit(BundleDocument bundle, Set<Target> targets) {
        for (Target t : targets) {
            try {
                builds.submit(bundle.digest(), t, Priority.PREBUILD);
            } catch (RuntimeException e) {
                // a full queue drops prebuilds: devices will ask for them anyway
                log.info("prebuild of {} for {} not started: {}", bundle.digest(), t.id(), e.getMessage());
            }
        }
    }

    private Set<Target> baselines(BundleDocument bundle) {
        Set<Target> targets = new LinkedHashSet<>();
        for (Arch arch : bundle.manifest().archs()) {
            targets.add(catalog.baseline(arch));
        }
        return targets;
    }

    Set<Target> targets(BundleDocument bundle) {
        Set<Target> targets = baselines(bundle);
        ranked(bundle).stream().limit(top).map(Ranked::target).forEach(targets::add);
        return targets;
    }

    /** Every rung the app's devices would be served beyond the baselines, most valuable first. */
    List<Ranked> ranked(BundleDocument bundle) {
        List<PayoffReport> measured = reports.reports(bundle.digest());
        Map<Target, Long> devices = new LinkedHashMap<>();
        for (TargetStats.TargetCount c : stats.top(bundle.app(), Integer.MAX_VALUE)) {
            Optional<Target> asked = catalog.find(c.target()).filter(t -> bundle.manifest().archs().contains(t.arch()));
            if (asked.isEmpty()) {
                continue;
            }
            Target served = nearest(measured, asked.get())
                    .map(r -> resolver.stepDown(asked.get(), r.times(), minGain, new ArrayList<>()))
                    .orElse(asked.get());
            devices.merge(served, c.count(), Long::sum);
        }
        List<Ranked> ranked = new ArrayList<>();
        devices.forEach((t, n) -> {
            if (t.equals(catalog.baseline(t.arch()))) {
                return;
            }
            Optional<PayoffReport> r = nearest(measured, t);
            Optional<Double> gain = r.flatMap(x -> x.result(t.id())).map(PayoffReport.Result::speedupVsBaseline);
            if (gain.isPresent() && gain.get() < minGain) {
                return; // measured, and it does not pay over the baseline: worth neither a build nor an edge object
            }
            ranked.add(new Ranked(t, n, gain.orElse(1.0)));
        });
        ranked.sort(Comparator.comparingDouble(Ranked::value).reversed().thenComparing(r -> r.target().id()));
        return ranked;
    }

    /** The target's architecture's report measured on the CPU nearest it: its native answer, else one timing it. */
    private static Optional<PayoffReport> nearest(List<PayoffReport> reports, Target t) {
        List<PayoffReport> ofArch = reports.stream().filter(r -> r.arch().equals(t.arch().id())).toList();
        return ofArch.stream().filter(r -> t.id().equals(r.measuredOn().nativeTarget())).findFirst()
                .or(() -> ofArch.stream().filter(r -> r.result(t.id()).map(PayoffReport.Result::measured)
                        .orElse(false)).findFirst())
                .or(() -> ofArch.stream().findFirst());
    }
}
