package dev.tailor.builds;

import java.util.LinkedHashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.tailor.bundle.BundleDocument;
import dev.tailor.channel.ChannelReleased;
import dev.tailor.fingerprint.TargetStats;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;

/**
 * A release prebuilds, at the lowest priority, the baseline of every architecture the manifest lists (so any
 * device can boot at once) and the app's most requested targets (so most devices boot tuned at once).
 */
@Component
class Prebuilds {

    private static final Logger log = LoggerFactory.getLogger(Prebuilds.class);

    private final Builds builds;
    private final TargetCatalog catalog;
    private final TargetStats stats;
    private final int top;

    Prebuilds(Builds builds, TargetCatalog catalog, TargetStats stats, BuildConfiguration.BuildProperties props) {
        this.builds = builds;
        this.catalog = catalog;
        this.stats = stats;
        this.top = props.prebuildTop();
    }

    @EventListener
    void onRelease(ChannelReleased event) {
        BundleDocument bundle = event.bundle();
        for (Target t : targets(bundle)) {
            try {
                builds.submit(bundle.digest(), t, Priority.PREBUILD);
            } catch (RuntimeException e) {
                // a full queue drops prebuilds: devices will ask for them anyway
                log.info("prebuild of {} for {} not started: {}", bundle.digest(), t.id(), e.getMessage());
            }
        }
    }

    Set<Target> targets(BundleDocument bundle) {
        Set<Target> targets = new LinkedHashSet<>();
        for (Arch arch : bundle.manifest().archs()) {
            targets.add(catalog.baseline(arch));
        }
        // the top N among the targets this bundle can be built for, not the top N of all that were asked for
        stats.top(bundle.app(), Integer.MAX_VALUE).stream()
                .flatMap(c -> catalog.find(c.target()).stream())
                .filter(t -> bundle.manifest().archs().contains(t.arch()))
                .limit(top).forEach(targets::add);
        return targets;
    }
}
