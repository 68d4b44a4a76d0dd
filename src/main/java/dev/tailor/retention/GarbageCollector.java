package dev.tailor.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.tailor.builds.BuildKey;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.BuildRecords;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.channel.ChannelDocument;
import dev.tailor.channel.ChannelService;
import dev.tailor.store.BlobInfo;
import dev.tailor.store.CorruptDocumentException;
import dev.tailor.store.Digest;
import dev.tailor.store.Documents;
import dev.tailor.store.Layout;

/**
 * Deletes what no channel needs. Per app: every bundle a channel points at now or pointed at in its last
 * {@code keep-releases} releases stays, and so does every bundle younger than {@code grace}; of the rest, a bundle
 * with a build queued or running stays too (it is reported as skipped). A deleted bundle takes its build records,
 * logs, index entries, payoff reports, and the images (with signatures and provenance) no kept build shares.
 *
 * <p>Order makes a crash harmless: builds and images go first, then the bundle's listing and document, the archive
 * last; a crash leaves at most an archive nothing lists, which an upload of the same files adopts again. Just before a
 * bundle goes, the app's channels are read again, so a release during the collection keeps its bundle (a release in
 * the few milliseconds between that check and the delete is the one window left). Works on any {@code BlobStore}.
 */
@Component
public class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    private final BundleService bundles;
    private final ChannelService channels;
    private final BuildRecords records;
    private final Documents documents;
    private final RetentionProperties props;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final boolean scheduled;
    private final ReentrantLock running = new ReentrantLock();

    public GarbageCollector(BundleService bundles, ChannelService channels, BuildRecords records, Documents documents,
                            RetentionProperties props, Clock clock, ApplicationEventPublisher events, Environment env) {
        this.bundles = bundles;
        this.channels = channels;
        this.records = records;
        this.documents = documents;
        this.props = props;
        this.clock = clock;
        this.events = events;
        // workers hold no schedule of their own: the API processes collect
        this.scheduled = props.scheduled() && !"worker".equalsIgnoreCase(env.getProperty("tailor.mode", "all"));
    }

    @Scheduled(fixedDelayString = "${tailor.retention.every:6h}", initialDelayString = "${tailor.retention.every:6h}")
    void onSchedule() {
        if (scheduled) {
            GcReport r = collect(false, "scheduler");
            log.info("garbage collection: {} bundles deleted, {} bytes freed", r.deleted().size(), r.bytesFreed());
        }
    }

    /** One collection at a time in this process; a second caller waits for the first. */
    public GcReport collect(boolean dryRun, String by) {
        running.lock();
        try {
            GcReport report = run(dryRun);
            if (!dryRun) {
                events.publishEvent(new GarbageCollected(report, by));
            }
            return report;
        } finally {
            running.unlock();
        }
    }

    private GcReport run(boolean dryRun) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(props.grace());
        Map<String, List<String>> indexNames = indexNamesByBuild();
        Tally tally = new Tally();
        List<String> apps = bundles.apps();
        for (String app : apps) {
            collectApp(app, cutoff, dryRun, indexNames, tally);
        }
        return new GcReport(dryRun, now, apps.size(), tally.kept, tally.deleted, tally.skipped, tally.records,
                tally.images, tally.payoff, tally.bytes);
    }

    private static final class Tally {
        int kept;
        int records;
        final List<Digest> images = new ArrayList<>();
        int payoff;
        long bytes;
        final List<GcReport.Bundle> deleted = new ArrayList<>();
        final List<GcReport.Skipped> skipped = new ArrayList<>();
    }

    private void collectApp(String app, Instant cutoff, boolean dryRun, Map<String, List<String>> indexNames,
                            Tally tally) {
        Set<Digest> released;
        try {
            released = released(app);
        } catch (CorruptDocumentException e) {
            // what the damaged channel points at is unknown: keep every bundle of the app
            log.warn("garbage collection skips app {}: {}", app, e.getMessage());
            return;
        }
        List<BundleDocument> all = bundles.list(app);
        List<BundleDocument> candidates = all.stream()
                .filter(b -> !released.contains(b.digest()) && b.createdAt().isBefore(cutoff)).toList();
        tally.kept += all.size() - candidates.size();
        if (candidates.isEmpty()) {
            return;
        }
        Map<Digest, List<BuildRecord>> builds = new HashMap<>();
        for (BuildKey key : records.recent(app)) {
            try {
                records.read(key).ifPresent(r -> builds.computeIfAbsent(r.bundle(), d -> new ArrayList<>()).add(r));
            } catch (CorruptDocumentException e) {
                // a damaged record names no bundle this collection can act on: it stays
            }
        }
        Set<Digest> going = new HashSet<>();
        for (BundleDocument b : candidates) {
            boolean inFlight = builds.getOrDefault(b.digest(), List.of()).stream()
                    .anyMatch(r -> r.status() == BuildRecord.Status.QUEUED || r.status() == BuildRecord.Status.RUNNING);
            if (inFlight) {
                tally.kept++;
                tally.skipped.add(new GcReport.Skipped(app, b.digest(), "a build of it is queued or running"));
            } else {
                going.add(b.digest());
            }
        }
        Set<Digest> imagesKept = new HashSet<>();
        builds.forEach((bundle, rs) -> {
            if (!going.contains(bundle)) {
                rs.stream().filter(r -> r.image() != null).forEach(r -> imagesKept.add(r.image().digest()));
            }
        });
        for (BundleDocument b : candidates) {
            if (!going.contains(b.digest())) {
                continue;
            }
            if (!dryRun && released(app).contains(b.digest())) {
                tally.kept++;
                tally.skipped.add(new GcReport.Skipped(app, b.digest(), "released during the collection"));
                continue;
            }
            for (BuildRecord r : builds.getOrDefault(b.digest(), List.of())) {
                tally.bytes += size(Layout.buildRecord(r.id())) + size(Layout.buildLog(r.id()));
                tally.records++;
                if (!dryRun) {
                    records.delete(r, app, indexNames.getOrDefault(r.id(), List.of()));
                }
                if (r.image() != null && imagesKept.add(r.image().digest())) { // each shared image once
                    tally.images.add(r.image().digest());
                    for (String key : List.of(Layout.image(r.image().digest()), Layout.signature(r.image().digest()),
                            Layout.provenance(r.image().digest()))) {
                        tally.bytes += remove(key, dryRun);
                    }
                }
            }
            for (BlobInfo report : documents.store().list(Layout.payoffReports(b.digest()))) {
                tally.payoff++;
                tally.bytes += remove(report.key(), dryRun);
            }
            tally.bytes += remove(Layout.appBundle(app, b.digest()), dryRun);
            tally.bytes += remove(Layout.bundleDocument(b.digest()), dryRun);
            tally.bytes += remove(Layout.bundleArchive(b.digest()), dryRun);
            tally.deleted.add(new GcReport.Bundle(app, b.digest(), b.size(), b.createdAt()));
        }
    }

    /** The bundles the app's channels point at, and pointed at in their last keep-releases releases. */
    private Set<Digest> released(String app) {
        Set<Digest> kept = new HashSet<>();
        for (ChannelDocument c : channels.listStrict(app)) {
            kept.add(c.bundle());
            c.history().stream().limit(props.keepReleases()).forEach(r -> kept.add(r.bundle()));
        }
        return kept;
    }

    /** The all-builds index names per build key: one listing per collection, not one per build. */
    private Map<String, List<String>> indexNamesByBuild() {
        String prefix = Layout.buildIndex(null);
        Map<String, List<String>> names = new HashMap<>();
        for (BlobInfo i : documents.store().list(prefix)) {
            String name = i.key().substring(prefix.length());
            int dash = name.indexOf('-');
            if (dash > 0) {
                names.computeIfAbsent(name.substring(dash + 1), k -> new ArrayList<>()).add(name);
            }
        }
        return names;
    }

    private long size(String key) {
        return documents.store().head(key).map(BlobInfo::size).orElse(0L);
    }

    private long remove(String key, boolean dryRun) {
        Optional<BlobInfo> info = documents.store().head(key);
        if (info.isEmpty()) {
            return 0;
        }
        if (!dryRun) {
            documents.delete(key);
        }
        return info.get().size();
    }
}
