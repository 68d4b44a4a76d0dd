package dev.tailor.builds;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import dev.tailor.store.Digest;
import dev.tailor.toolchain.Flavor;

/**
 * One build's state, as {@code GET /v1/builds/{id}} shows it and as {@code builds/<key>.json} stores it.
 *
 * @param id      the build key (hex)
 * @param image   set once succeeded
 * @param flags   the clang flags the app's sources were compiled with
 * @param attempt 1 for the first build of the key, +1 per explicit retry of a failed one
 * @param flavor  image (also for records stored before flavors existed) or linux
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildRecord(String id, Status status, Digest bundle, String app, String target, String toolchain,
                          Image image, List<String> flags, Instant queuedAt, Instant startedAt, Instant finishedAt,
                          Long durationMs, BuildError error, String arch, int attempt, Flavor flavor) {

    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }

        public boolean isFinal() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    public record Image(Digest digest, long size, String url) {
        public static Image of(Digest digest, long size) {
            return new Image(digest, size, "/v1/images/" + digest.path());
        }
    }

    /** @param diagnostics what clang or ld.lld reported, paths relative to the bundle root; empty for other failures */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BuildError(String code, String detail, List<Diagnostic> diagnostics) {
        public BuildError {
            diagnostics = diagnostics == null ? List.of() : List.copyOf(diagnostics);
        }
    }

    /** @param file null for messages about no file (the linker's undefined symbols) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Diagnostic(String file, Integer line, Integer column, String severity, String message) {
    }

    public BuildRecord {
        BuildKey.parse(id).orElseThrow(() -> new IllegalArgumentException("bad build id"));
        flags = flags == null ? null : List.copyOf(flags);
        flavor = flavor == null ? Flavor.IMAGE : flavor;
    }

    public BuildKey key() {
        return new BuildKey(id);
    }

    static BuildRecord queued(BuildJob job) {
        return new BuildRecord(job.key(), Status.QUEUED, job.bundle(), job.app(), job.target(), job.toolchain(), null,
                null, job.queuedAt(), null, null, null, null, job.arch(), job.attempt(), job.flavor());
    }

    public static BuildRecord running(BuildJob job, Instant startedAt) {
        return new BuildRecord(job.key(), Status.RUNNING, job.bundle(), job.app(), job.target(), job.toolchain(), null,
                null, job.queuedAt(), startedAt, null, null, null, job.arch(), job.attempt(), job.flavor());
    }

    public static BuildRecord succeeded(BuildJob job, Instant startedAt, Instant finishedAt, Image image,
                                        List<String> flags) {
        return new BuildRecord(job.key(), Status.SUCCEEDED, job.bundle(), job.app(), job.target(), job.toolchain(),
                image, flags, job.queuedAt(), startedAt, finishedAt, millis(startedAt, finishedAt), null, job.arch(),
                job.attempt(), job.flavor());
    }

    public static BuildRecord failed(BuildJob job, Instant startedAt, Instant finishedAt, BuildError error,
                                     List<String> flags) {
        return new BuildRecord(job.key(), Status.FAILED, job.bundle(), job.app(), job.target(), job.toolchain(), null,
                flags, job.queuedAt(), startedAt, finishedAt, startedAt == null ? null : millis(startedAt, finishedAt),
                error, job.arch(), job.attempt(), job.flavor());
    }

    /** What a stale record (its process died before finishing) is reported as: failed, and retryable. */
    BuildRecord interrupted() {
        return new BuildRecord(id, Status.FAILED, bundle, app, target, toolchain, null, flags, queuedAt, startedAt,
                null, null, new BuildError("build.interrupted",
                "The process running this build stopped before it finished; ask for it again or retry it", null),
                arch, attempt, flavor);
    }

    private static Long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }
}
