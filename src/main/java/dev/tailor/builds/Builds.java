package dev.tailor.builds;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tailor.problem.Problem;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.store.Digest;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.toolchain.Flavor;
import dev.tailor.problem.TailorException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Starts builds, once per key: concurrent requests for one (bundle, target, toolchain), whether they come from the
 * API, a device boot or a prebuild, join one flight. A succeeded build is never built again; a failed one only on
 * an explicit {@link #retry}.
 *
 * <p>Crash safety rests on the order of writes: the record is written queued before the job is dispatched, the
 * worker stores the image, its signature and provenance before the succeeded record, and a non-final record with
 * no flight in this process is stale (its process died): it reads as failed ({@code build.interrupted}) and a new
 * request builds it again. With several API replicas (a distributed dispatcher fans events out to each), a replica
 * that hears a build start which it did not dispatch follows it as a flight of its own, so its requests for that key
 * join the build instead of taking the queued record for a stale one; a replica that missed the start builds the key
 * again, which wastes a compile but yields the same image (the first image write wins, equal inputs give equal bytes).
 */
public class Builds {

    private static final Logger log = LoggerFactory.getLogger(Builds.class);
    /** A followed flight (started by another replica) not heard finishing by then is forgotten: its worker is gone. */
    private static final long FOLLOW_LIMIT_NANOS = java.util.concurrent.TimeUnit.HOURS.toNanos(1);
    /** Records read at most by one listing. */
    static final int MAX_SCAN = 5000;
    /** Live log lines kept per flight for late followers; the stored log is complete. */
    private static final int LIVE_LINES = 10_000;

    private final BuildRecords records;
    private final BuildDispatcher dispatcher;
    private final BundleService bundles;
    private final TargetCatalog catalog;
    private final BiFunction<Target, Flavor, String> toolchainIds;
    private final BuildMetrics metrics;
    private final Clock clock;
    private final ConcurrentMap<String, Flight> flights = new ConcurrentHashMap<>();
    /** Bounded in size and time: a record not asked for in an hour is read from the store again. */
    private final Cache<String, BuildRecord> succeeded = Caffeine.newBuilder().maximumSize(20_000)
            .expireAfterAccess(java.time.Duration.ofHours(1)).build();

    /** One build in progress in this process, and everyone waiting for it. */
    private static final class Flight {
        final CompletableFuture<BuildRecord> done = new CompletableFuture<>();
        final Sinks.Many<String> log = Sinks.many().replay().limit(LIVE_LINES);
        volatile BuildRecord record;
        volatile Priority priority;
        /** Set under the flight's lock once the final record is stored; guarded by the flight's monitor. */
        boolean ended;
        /** Started by another replica: this one only hears about it. */
        final boolean followed;
        final long since = System.nanoTime();

        Flight(BuildRecord record, Priority priority) {
            this(record, priority, false);
        }

        Flight(BuildRecord record, Priority priority, boolean followed) {
            this.record = record;
            this.priority = priority;
            this.followed = followed;
        }
    }

    /** With one toolchain id per target, whatever the flavor (tests that never look at the toolchain). */
    public Builds(BuildRecords records, BuildDispatcher dispatcher, BundleService bundles, TargetCatalog catalog,
                  Function<Target, String> toolchainIds, BuildMetrics metrics, Clock clock) {
        this(records, dispatcher, bundles, catalog, (t, f) -> toolchainIds.apply(t), metrics, clock);
    }

    public Builds(BuildRecords records, BuildDispatcher dispatcher, BundleService bundles, TargetCatalog catalog,
                  BiFunction<Target, Flavor, String> toolchainIds, BuildMetrics metrics, Clock clock) {
        this.clock = clock;
        this.catalog = catalog;
        this.records = records;
        this.dispatcher = dispatcher;
        this.bundles = bundles;
        this.toolchainIds = toolchainIds;
        this.metrics = metrics;
        metrics.gaugeQueues(dispatcher);
        dispatcher.subscribe(new BuildListener() {
            @Override
            public void started(BuildJob job, Instant at) {
                onStarted(job, at);
            }

            @Override
            public void log(String key, String line) {
                Flight f = flights.get(key);
                if (f != null) {
                    f.log.tryEmitNext(line);
                }
            }

            @Override
            public void imageStored(BuildRecord record) {
                onImageStored(record);
            }

            @Override
            public void finished(BuildRecord record) {
                onFinished(record);
            }
        });
    }

    public BuildKey key(Digest bundle, Target target) {
        return key(bundle, target, Flavor.IMAGE);
    }

    /** @throws TailorException 422 when the target's architecture has no such flavor (wasm32 as linux) */
    public BuildKey key(Digest bundle, Target target, Flavor flavor) {
        if (flavor != Flavor.IMAGE && !target.arch().isMachine()) {
            throw Problem.BUILD_FLAVOR_UNSUPPORTED.because("The target " + target.id() + " builds a WebAssembly module: it has no linux flavor");
        }
        return BuildKey.of(bundle, target.id(), flavor, toolchainIds.apply(target, flavor));
    }

    /** The succeeded build of (bundle, target) if there is one: the warm-boot fast path, answered from memory. */
    public Optional<BuildRecord> succeeded(Digest bundle, Target target) {
        BuildKey key = key(bundle, target);
        BuildRecord hit = succeeded.getIfPresent(key.hex());
        if (hit != null) {
            return Optional.of(hit);
        }
        Optional<BuildRecord> stored = records.read(key).filter(r -> r.status() == BuildRecord.Status.SUCCEEDED);
        stored.ifPresent(r -> succeeded.put(key.hex(), r));
        return stored;
    }

    /**
     * Starts the build or joins the one running. The future completes with the final record, succeeded or
     * failed (a failed build stays failed until {@link #retry}). Each caller gets its own view of the shared
     * build, so a caller that gives up (cancels, times out) never cancels it for the others.
     *
     * @throws TailorException        404 for an unknown bundle, 422 for an architecture the bundle does not support
     * @throws BuildQueueFullException when the architecture's queue is full
     */
    public CompletableFuture<BuildRecord> submit(Digest bundle, Target target, Priority priority) {
        return submit(bundle, target, Flavor.IMAGE, priority);
    }

    /** Like {@link #submit(Digest, Target, Priority)}, for a flavor. */
    public CompletableFuture<BuildRecord> submit(Digest bundle, Target target, Flavor flavor, Priority priority) {
        BuildKey key = key(bundle, target, flavor);
        Flight flight = flight(key.hex());
        if (flight != null) {
            return join(key, flight, priority);
        }
        Optional<BuildRecord> stored = records.read(key);
        if (stored.isPresent() && stored.get().status().isFinal()) {
            if (stored.get().status() == BuildRecord.Status.SUCCEEDED) {
                succeeded.put(key.hex(), stored.get());
            }
            return CompletableFuture.completedFuture(stored.get());
        }
        return start(key, bundle, target, flavor, priority, stored.orElse(null), false);
    }

    /**
     * Builds a failed (or interrupted) build again; joins it if it is running. A payoff run may run again whatever
     * its outcome: a new measurement, perhaps on another worker's CPU.
     */
    public CompletableFuture<BuildRecord> retry(BuildKey key, Priority priority) {
        Flight flight = flight(key.hex());
        if (flight != null && flight.record.status() != BuildRecord.Status.SUCCEEDED) {
            return flight.done.copy();
        }
        BuildRecord stored = find(key).orElseThrow(() -> notFound(key));
        if (stored.status() != BuildRecord.Status.FAILED && stored.flavor() != Flavor.PAYOFF) {
            throw Problem.BUILD_NOT_FAILED.because("Build " + key + " is " + stored.status().id() + "; only a failed build can be retried");
        }
        Target target = catalog.find(stored.target()).filter(t -> key(stored.bundle(), t, stored.flavor()).equals(key))
                .orElseThrow(() -> Problem.BUILD_OUTDATED.because("The toolchain or target of build " + key + " has changed since; request the build again"));
        return start(key, stored.bundle(), target, stored.flavor(), priority, stored, true);
    }

    private CompletableFuture<BuildRecord> start(BuildKey key, Digest bundle, Target target, Flavor flavor,
                                                 Priority priority, BuildRecord previous, boolean retry) {
        BundleDocument doc = bundles.find(bundle).orElseThrow(() -> Problem.BUNDLE_NOT_FOUND.because("There is no bundle " + bundle));
        if (!doc.manifest().archs().contains(target.arch())) {
            throw Problem.BUILD_ARCH_UNSUPPORTED.because("The bundle's manifest does not list the architecture " + target.arch().id() + " (archs: "
                            + doc.manifest().archs() + ")");
        }
        String toolchain = toolchainIds.apply(target, flavor);
        int attempt = previous == null ? 1 : previous.attempt() + 1;
        BuildJob job = new BuildJob(key.hex(), bundle, doc.app(), target.id(), target.arch().id(), toolchain,
                priority, attempt, clock.instant(), flavor);
        Flight mine = new Flight(BuildRecord.queued(job), priority);
        Flight raced = flights.putIfAbsent(key.hex(), mine);
        if (raced != null) {
            return join(key, raced, priority);
        }
        // A build of this key may have ended between our read and our claim: never build a key twice.
        Optional<BuildRecord> now = records.read(key);
        if (now.isPresent() && now.get().status().isFinal() && (!retry || now.get().attempt() >= attempt)) {
            flights.remove(key.hex(), mine);
            mine.done.complete(now.get());
            return mine.done.copy();
        }
        try {
            dispatcher.dispatch(job);
        } catch (RuntimeException e) {
            flights.remove(key.hex(), mine);
            mine.log.tryEmitComplete();
            mine.done.completeExceptionally(e);
            throw e;
        }
        // Written after dispatching, so the store's latency overlaps the compile instead of preceding it. Under the
        // flight's lock: onFinished takes it too, so a final record this write overtook is written again there.
        synchronized (mine) {
            if (!mine.ended) {
                records.write(mine.record);
            }
        }
        try {
            records.index(mine.record);
        } catch (RuntimeException e) {
            log.warn("build {} is missing from the build list: {}", key, e.toString());
        }
        log.debug("build {} queued: {} for {} ({})", key, bundle, target.id(), priority);
        return mine.done.copy();
    }

    /** A device boot joining a queued prebuild must not wait behind every other prebuild. */
    private CompletableFuture<BuildRecord> join(BuildKey key, Flight flight, Priority priority) {
        if (priority.compareTo(flight.priority) < 0) {
            flight.priority = priority;
            dispatcher.prioritize(key.hex(), priority);
        }
        return flight.done.copy();
    }

    /** The build's current state: in flight here, else as stored (a stale non-final record reads as interrupted). */
    public Optional<BuildRecord> find(BuildKey key) {
        Flight f = flight(key.hex());
        if (f != null) {
            return Optional.of(f.record);
        }
        return records.read(key).map(r -> r.status().isFinal() || flights.containsKey(key.hex()) ? r : r.interrupted());
    }

    /** The future of a build in flight in this process, to wait on. */
    public Optional<CompletableFuture<BuildRecord>> whenDone(BuildKey key) {
        return Optional.ofNullable(flight(key.hex())).map(f -> f.done.copy());
    }

    /** The log so far and what follows until the build ends, or empty when it is not running here. */
    public Optional<Flux<String>> liveLog(BuildKey key) {
        return Optional.ofNullable(flight(key.hex())).map(f -> f.log.asFlux());
    }

    public Optional<String> log(BuildKey key) {
        return records.log(key);
    }

    /**
     * Recent builds, newest queued first, of one app or (null) all, in a status or (null) any, that the caller may
     * see: the index's names, then only the records shown, or at most {@value #MAX_SCAN} read when filters skip many.
     */
    public List<BuildRecord> list(String app, BuildRecord.Status status, Predicate<BuildRecord> visible, int limit) {
        List<BuildRecord> out = new ArrayList<>();
        int read = 0;
        for (BuildKey key : records.recent(app)) {
            if (out.size() >= limit || read++ >= MAX_SCAN) {
                break;
            }
            try {
                find(key).filter(r -> status == null || r.status() == status).filter(visible).ifPresent(out::add);
            } catch (dev.tailor.store.CorruptDocumentException e) {
                // a damaged record is left out of listings; GET /v1/builds/{id} names it
            }
        }
        return out;
    }

    private void onStarted(BuildJob job, Instant at) {
        metrics.started(job.arch(), job.target());
        BuildRecord running = BuildRecord.running(job, at);
        flights.computeIfAbsent(job.key(), k -> new Flight(running, job.priority(), true)).record = running;
    }

    /** The flight of a key, forgetting a followed one that never ended (its worker and the job's events are gone). */
    private Flight flight(String key) {
        Flight f = flights.get(key);
        if (f != null && f.followed && System.nanoTime() - f.since > FOLLOW_LIMIT_NANOS && flights.remove(key, f)) {
            f.log.tryEmitComplete();
            return null;
        }
        return f;
    }

    /** Answers waiters as soon as the image is durable; the flight stays until the record is stored. */
    private void onImageStored(BuildRecord record) {
        Flight f = flights.get(record.id());
        if (f != null && record.status() == BuildRecord.Status.SUCCEEDED) {
            f.record = record;
            succeeded.put(record.id(), record);
            f.done.complete(record);
        }
    }

    private void onFinished(BuildRecord record) {
        Flight flight = flights.get(record.id());
        synchronized (flight != null ? flight : new Object()) {
            try {
                // The worker stores its own final record; this covers a worker that died with an exception, and a
                // queued record written after the worker's final one.
                BuildRecord stored = records.read(record.key()).orElse(null);
                if (stored == null || !stored.status().isFinal() || stored.attempt() < record.attempt()) {
                    records.write(record);
                }
            } catch (RuntimeException e) {
                log.warn("cannot store the record of build {}", record.id(), e);
            }
            if (flight != null) {
                flight.ended = true;
            }
        }
        metrics.finished(record);
        if (record.status() == BuildRecord.Status.SUCCEEDED) {
            succeeded.put(record.id(), record);
        }
        Flight f = flights.remove(record.id());
        if (f != null) {
            f.record = record;
            f.log.tryEmitComplete();
            f.done.complete(record);
        }
    }

    private static TailorException notFound(BuildKey key) {
        return Problem.BUILD_NOT_FOUND.because("There is no build " + key);
    }
}
