package dev.tailor.fingerprint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.tailor.bundle.Names;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How often each target was resolved per app, so a channel release can prebuild the popular targets. Counting is a
 * hot path of every boot, hence striped counters in memory. Now and then the counts since the last flush are added
 * to the fleet's totals in one small JSON document (read, add, write), so API replicas sharing a store add up their
 * counts rather than overwrite each other's, and each replica ranks by the fleet's totals plus its own new counts.
 * Two replicas flushing in the same instant can lose one's minute of counts, and a crash loses the last minute:
 * fine for a popularity hint.
 */
@Component
public class TargetStats {

    /** Where the fleet's counts are kept. */
    public static final String KEY = dev.tailor.store.Layout.TARGET_STATS;

    private static final Logger log = LoggerFactory.getLogger(TargetStats.class);
    /** Apps arrive from public boot requests: bound the memory an attacker inventing names can take. */
    static final int MAX_APPS = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record TargetCount(String target, long count) {
    }

    /** The stored document of fleet totals. */
    public interface Store {
        Optional<byte[]> read();

        void write(byte[] document);
    }

    /** The fleet's totals as last read or written (app to target to count); replaced whole, never changed. */
    private volatile Map<String, Map<String, Long>> fleet = Map.of();
    /** Counts since the last flush. */
    private final AtomicReference<Map<String, Map<String, LongAdder>>> recent =
            new AtomicReference<>(new ConcurrentHashMap<>());
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile Store store;

    public void record(String app, String targetId) {
        if (!Names.valid(app) || targetId == null) {
            return;
        }
        Map<String, Map<String, LongAdder>> counts = recent.get();
        Map<String, LongAdder> perApp = counts.get(app);
        if (perApp == null) {
            if (counts.size() >= MAX_APPS) {
                return;
            }
            perApp = counts.computeIfAbsent(app, a -> new ConcurrentHashMap<>());
        }
        perApp.computeIfAbsent(targetId, t -> new LongAdder()).increment();
        dirty.set(true);
    }

    /** The app's most resolved targets, most first (ties by id, so answers are stable). */
    public List<TargetCount> top(String app, int n) {
        Map<String, Long> perApp = new HashMap<>(fleet.getOrDefault(app, Map.of()));
        recent.get().getOrDefault(app, Map.of()).forEach((t, c) -> perApp.merge(t, c.sum(), Long::sum));
        return perApp.entrySet().stream().map(e -> new TargetCount(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(TargetCount::count).reversed().thenComparing(TargetCount::target))
                .limit(Math.max(0, n)).toList();
    }

    /** {@code {"apps": {"<app>": {"<target>": count}}}}, the persisted form, of the totals known here. */
    public byte[] snapshot() {
        Map<String, Map<String, Long>> all = new HashMap<>();
        fleet.forEach((app, targets) -> all.put(app, new HashMap<>(targets)));
        add(all, sums(recent.get()));
        return document(all);
    }

    /** Adds stored totals (at startup, before devices boot); bad documents are skipped, not fatal. */
    public void restore(byte[] document) {
        Map<String, Map<String, Long>> all = new HashMap<>();
        fleet.forEach((app, targets) -> all.put(app, new HashMap<>(targets)));
        add(all, parse(document));
        fleet = all;
    }

    /** Where {@link #flush()} adds the counts; until a store is wired they live in memory only. */
    public void persistWith(Store store) {
        this.store = store;
    }

    /** Persists what is left on shutdown, so a clean restart loses no counts. */
    @jakarta.annotation.PreDestroy
    public void close() {
        flush();
    }

    /** Adds the counts since the last flush to the stored totals, and takes those totals as the fleet's. */
    @Scheduled(fixedDelayString = "${tailor.stats.persist-every:PT1M}", initialDelayString = "${tailor.stats.persist-every:PT1M}")
    public synchronized void flush() {
        Store s = store;
        if (s == null || !dirty.getAndSet(false)) {
            return;
        }
        Map<String, Map<String, LongAdder>> taken = recent.getAndSet(new ConcurrentHashMap<>());
        Map<String, Map<String, Long>> added = sums(taken);
        try {
            Map<String, Map<String, Long>> totals = s.read().map(TargetStats::parse).orElseGet(HashMap::new);
            add(totals, added);
            s.write(document(totals));
            fleet = totals;
        } catch (RuntimeException e) {
            added.forEach((app, targets) -> targets.forEach((t, c) -> recent.get()
                    .computeIfAbsent(app, a -> new ConcurrentHashMap<>()).computeIfAbsent(t, k -> new LongAdder()).add(c)));
            dirty.set(true);
            log.warn("could not persist target statistics: {}", e.getMessage());
        }
    }

    List<String> apps() {
        List<String> apps = new ArrayList<>(fleet.keySet());
        recent.get().keySet().stream().filter(a -> !fleet.containsKey(a)).forEach(apps::add);
        return apps;
    }

    private static Map<String, Map<String, Long>> sums(Map<String, Map<String, LongAdder>> counts) {
        Map<String, Map<String, Long>> out = new HashMap<>();
        counts.forEach((app, targets) -> targets.forEach((t, c) -> {
            long n = c.sum();
            if (n > 0) {
                out.computeIfAbsent(app, a -> new HashMap<>()).merge(t, n, Long::sum);
            }
        }));
        return out;
    }

    private static void add(Map<String, Map<String, Long>> into, Map<String, Map<String, Long>> counts) {
        counts.forEach((app, targets) -> targets.forEach((t, c) ->
                into.computeIfAbsent(app, a -> new HashMap<>()).merge(t, c, Long::sum)));
    }

    /** Sorted by app, then by count (most first) and target, so equal totals give equal bytes. */
    private static byte[] document(Map<String, Map<String, Long>> totals) {
        Map<String, Map<String, Long>> apps = new LinkedHashMap<>();
        totals.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, Long> perApp = new LinkedHashMap<>();
            e.getValue().entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(t -> perApp.put(t.getKey(), t.getValue()));
            apps.put(e.getKey(), perApp);
        });
        return JSON.writeValueAsBytes(Map.of("apps", apps));
    }

    /** The counts of a stored document; what is not a valid app with positive counts is skipped. */
    private static Map<String, Map<String, Long>> parse(byte[] document) {
        Map<String, Map<String, Long>> out = new HashMap<>();
        try {
            JsonNode apps = JSON.readTree(document).get("apps");
            if (apps == null || !apps.isObject()) {
                return out;
            }
            for (Map.Entry<String, JsonNode> app : apps.properties()) {
                if (!Names.valid(app.getKey()) || out.size() >= MAX_APPS) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> t : app.getValue().properties()) {
                    if (t.getValue().canConvertToLong() && t.getValue().asLong() > 0) {
                        out.computeIfAbsent(app.getKey(), a -> new HashMap<>()).merge(t.getKey(), t.getValue().asLong(), Long::sum);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("ignoring unreadable target statistics: {}", e.getMessage());
        }
        return out;
    }
}
