package dev.tailor.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

import org.springframework.stereotype.Component;

/**
 * What happened to each app's deliveries, minute by minute, over the last hour: images devices were sent to, boot
 * requests answered, edge purges. In memory, per replica, gone at a restart: a view for the dashboard, not a record
 * (the Prometheus counters are the durable, summed view). Each app has a ring of {@link #BUCKETS} per-minute
 * buckets; a bucket is reused, and zeroed, when its minute comes round again.
 */
@Component
class DeliveryTimeline {

    static final int BUCKET_SECONDS = 60;
    static final int BUCKETS = 60;
    /** Apps tracked at most: memory stays bounded whatever names the traffic carries. */
    private static final int MAX_APPS = 10_000;

    /** What is counted, in the order of a bucket's counters. */
    enum Kind { IMAGE_SERVED, BOOT_ANSWERED, EDGE_PURGE }

    /** One minute: when it began and what happened in it. */
    record Point(Instant at, long imagesServed, long bootAnswers, long edgePurges) {
    }

    /** An app's last hour, oldest minute first, the current one last. */
    record Timeline(String app, int bucketSeconds, List<Point> points) {
    }

    private final Clock clock;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();

    DeliveryTimeline(Clock clock) {
        this.clock = clock;
    }

    void imageServed(String app) {
        count(app, Kind.IMAGE_SERVED);
    }

    void bootAnswered(String app) {
        count(app, Kind.BOOT_ANSWERED);
    }

    void edgePurged(String app) {
        count(app, Kind.EDGE_PURGE);
    }

    void count(String app, Kind kind) {
        Ring ring = rings.get(app);
        if (ring == null) {
            if (rings.size() >= MAX_APPS) {
                return;
            }
            ring = rings.computeIfAbsent(app, a -> new Ring());
        }
        ring.add(minute(clock.instant()), kind);
    }

    /** The app's last {@link #BUCKETS} minutes, zeros where nothing happened (or the app is unknown). */
    Timeline of(String app) {
        long now = minute(clock.instant());
        Ring ring = rings.get(app);
        List<Point> points = new ArrayList<>(BUCKETS);
        for (long m = now - BUCKETS + 1; m <= now; m++) {
            long[] c = ring == null ? new long[Kind.values().length] : ring.counts(m);
            points.add(new Point(Instant.ofEpochSecond(m * BUCKET_SECONDS), c[0], c[1], c[2]));
        }
        return new Timeline(app, BUCKET_SECONDS, List.copyOf(points));
    }

    private static long minute(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), BUCKET_SECONDS);
    }

    /**
     * One app's buckets. Counting is lock-free within a minute (the warm boot path counts here); the first count
     * of a new minute takes the lock to zero the bucket it reuses.
     */
    private static final class Ring {
        private static final int KINDS = Kind.values().length;
        private final AtomicLongArray minutes = new AtomicLongArray(BUCKETS);
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS * KINDS);

        Ring() {
            for (int i = 0; i < BUCKETS; i++) {
                minutes.set(i, Long.MIN_VALUE);
            }
        }

        void add(long minute, Kind kind) {
            int slot = (int) Math.floorMod(minute, (long) BUCKETS);
            if (minutes.get(slot) != minute) {
                synchronized (this) {
                    long held = minutes.get(slot);
                    if (held > minute) {
                        return; // a count from a minute the ring has moved past (a clock stepping back)
                    }
                    if (held != minute) {
                        for (int k = 0; k < KINDS; k++) {
                            counts.set(slot * KINDS + k, 0);
                        }
                        minutes.set(slot, minute);
                    }
                }
            }
            counts.incrementAndGet(slot * KINDS + kind.ordinal());
        }

        long[] counts(long minute) {
            int slot = (int) Math.floorMod(minute, (long) BUCKETS);
            long[] c = new long[KINDS];
            if (minutes.get(slot) == minute) {
                for (int k = 0; k < KINDS; k++) {
                    c[k] = counts.get(slot * KINDS + k);
                }
            }
            return c;
        }
    }
}
