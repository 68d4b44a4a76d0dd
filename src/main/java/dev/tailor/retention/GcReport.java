package dev.tailor.retention;

import java.time.Instant;
import java.util.List;

import dev.tailor.store.Digest;

/**
 * What a collection deleted (or, in a dry run, would delete).
 *
 * @param bundlesKept bundles that stay: released lately, younger than the grace period, or with a build in flight
 * @param skipped     bundles that would go but stay because a build of theirs is queued or running
 * @param images      the build outputs deleted (with their signatures and provenance)
 * @param bytesFreed  the bytes of every object deleted (would be, in a dry run)
 */
public record GcReport(boolean dryRun, Instant at, int apps, int bundlesKept, List<Bundle> deleted,
                       List<Skipped> skipped, int buildRecords, List<Digest> images, int payoffReports,
                       long bytesFreed) {

    public GcReport {
        deleted = List.copyOf(deleted);
        images = List.copyOf(images);
        skipped = List.copyOf(skipped);
    }

    public record Bundle(String app, Digest bundle, long size, Instant createdAt) {
    }

    public record Skipped(String app, Digest bundle, String why) {
    }
}
