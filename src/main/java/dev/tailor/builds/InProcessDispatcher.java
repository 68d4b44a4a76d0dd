package dev.tailor.builds;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tailor.catalog.Arch;

/**
 * The embedded default: per architecture, a fixed pool of worker threads fed from a priority queue. The queue
 * itself is unbounded (a priority queue cannot be bounded), so a counter of waiting jobs enforces the capacity.
 */
public final class InProcessDispatcher implements BuildDispatcher {

    private static final Logger log = LoggerFactory.getLogger(InProcessDispatcher.class);

    private final BuildExecutor executor;
    private final int capacity;
    private final Map<Arch, ThreadPoolExecutor> pools = new EnumMap<>(Arch.class);
    private final Map<Arch, AtomicInteger> waiting = new EnumMap<>(Arch.class);
    private final List<BuildListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Task> queued = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Clock clock;
    private final BuildListener fanout = new BuildListener() {
        @Override
        public void started(BuildJob job, Instant at) {
            listeners.forEach(l -> safely(() -> l.started(job, at)));
        }

        @Override
        public void log(String key, String line) {
            listeners.forEach(l -> safely(() -> l.log(key, line)));
        }

        @Override
        public void imageStored(BuildRecord record) {
            listeners.forEach(l -> safely(() -> l.imageStored(record)));
        }

        @Override
        public void finished(BuildRecord record) {
            listeners.forEach(l -> safely(() -> l.finished(record)));
        }
    };

    /**
     * @param workersPerArch builds that run at once per architecture
     * @param capacity       jobs that may wait per architecture before dispatch refuses more
     */
    public InProcessDispatcher(BuildExecutor executor, int workersPerArch, int capacity, Clock clock) {
        this.clock = clock;
        if (workersPerArch < 1 || capacity < 0) {
            throw new IllegalArgumentException("need at least one worker and a non-negative capacity");
        }
        this.executor = executor;
        this.capacity = capacity;
        for (Arch arch : Arch.values()) {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(workersPerArch, workersPerArch, 0, TimeUnit.SECONDS,
                    new PriorityBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "build-" + arch.id() + "-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pools.put(arch, pool);
            waiting.put(arch, new AtomicInteger());
        }
    }

    @Override
    public void dispatch(BuildJob job) {
        Arch arch = Arch.parse(job.arch()).orElseThrow(() -> new IllegalArgumentException("unknown arch " + job.arch()));
        AtomicInteger w = waiting.get(arch);
        if (w.incrementAndGet() > capacity) {
            w.decrementAndGet();
            throw new BuildQueueFullException(arch.id(), capacity);
        }
        Task task = new Task(job, sequence.incrementAndGet(), w);
        queued.put(job.key(), task);
        try {
            pools.get(arch).execute(task);
        } catch (RuntimeException e) {
            queued.remove(job.key(), task);
            w.decrementAndGet();
            throw e;
        }
    }

    /** Replaces the waiting task by one of higher priority; the old one, if a worker still takes it, does nothing. */
    @Override
    public void prioritize(String key, Priority priority) {
        Task old = queued.get(key);
        if (old == null || old.job.priority().compareTo(priority) <= 0 || !old.claimed.compareAndSet(false, true)) {
            return;
        }
        Task moved = new Task(old.job.withPriority(priority), old.seq, old.waitingOfArch);
        queued.put(key, moved);
        ThreadPoolExecutor pool = pools.get(Arch.parse(old.job.arch()).orElseThrow());
        pool.getQueue().remove(old);
        pool.execute(moved);
    }

    @Override
    public void subscribe(BuildListener listener) {
        listeners.add(listener);
    }

    @Override
    public int queueDepth(Arch arch) {
        return waiting.get(arch).get();
    }

    @Override
    public void close() {
        pools.values().forEach(ThreadPoolExecutor::shutdownNow);
    }

    private final class Task implements Runnable, Comparable<Task> {
        private final BuildJob job;
        private final long seq;
        private final AtomicInteger waitingOfArch;
        /** Set by whoever takes this task first: a worker running it, or prioritize replacing it. */
        private final AtomicBoolean claimed = new AtomicBoolean();

        Task(BuildJob job, long seq, AtomicInteger waitingOfArch) {
            this.job = job;
            this.seq = seq;
            this.waitingOfArch = waitingOfArch;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return; // replaced by a higher-priority copy
            }
            queued.remove(job.key(), this);
            waitingOfArch.decrementAndGet();
            BuildRecord record;
            try {
                record = executor.execute(job, fanout);
            } catch (RuntimeException | Error e) {
                // a bug in the worker must still end the build, or every caller waiting on it waits forever
                log.error("build {} failed unexpectedly", job.key(), e);
                record = BuildRecord.failed(job, null, clock.instant(), new BuildRecord.BuildError("build.internal",
                        "The worker failed unexpectedly; the failure has been logged", null), null);
            }
            fanout.finished(record);
        }

        @Override
        public int compareTo(Task o) {
            int c = job.priority().compareTo(o.job.priority());
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("a build listener failed", e);
        }
    }
}
