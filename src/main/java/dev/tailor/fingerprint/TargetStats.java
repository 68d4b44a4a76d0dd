package dev.tailor.fingerprint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How often each target was resolved per app, so a channel release can prebuild the popular targets. Counting is a
 * hot path of every boot, hence striped counters in memory; the counts are persisted now and then as one small JSON
 * document, and losing the last minute of counts on a crash is fine.
 */
@Component
public class TargetStats {

    /** Where the counts are kept between restarts. */
    public static final String KEY = "stats/targets.json";

    private static final Logger log = LoggerFactory.getLogger(TargetStats.class);
    private static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Apps arrive from public boot requests: bound the memory an attacker inventing names can take. */
    static final int MAX_APPS = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record TargetCount(String target, long count) {
    }

    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile BiConsumer<String, byte[]> sink;

    public static boolean validApp(String app) {
        return app != null && APP.matcher(app).matches();
    }

    public void record(String app, String targetId) {
        if (!validApp(app) || targetId == null) {
            return;
        }
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
        Map<String, LongAdder> perApp = counts.getOrDefault(app, Map.of());
        return perApp.entrySet().stream().map(e -> new TargetCount(e.getKey(), e.getValue().sum()))
                .sorted(Comparator.comparingLong(TargetCount::count).reversed().thenComparing(TargetCount::target))
                .limit(Math.max(0, n)).toList();
    }

    /** {@code {"apps": {"<app>": {"<target>": count}}}}, the persisted form. */
    public byte[] snapshot() {
        Map<String, Map<String, Long>> apps = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, Long> perApp = new LinkedHashMap<>();
            for (TargetCount c : top(e.getKey(), Integer.MAX_VALUE)) {
                perApp.put(c.target(), c.count());
            }
            apps.put(e.getKey(), perApp);
        });
        return JSON.writeValueAsBytes(Map.of("apps", apps));
    }

    /** Adds persisted counts (at startup, before devices boot); bad documents are skipped, not fatal. */
    public void restore(byte[] document) {
        try {
            JsonNode apps = JSON.readTree(document).get("apps");
            if (apps == null || !apps.isObject()) {
                return;
            }
            for (Map.Entry<String, JsonNode> app : apps.properties()) {
                for (Map.Entry<String, JsonNode> t : app.getValue().properties()) {
                    if (validApp(app.getKey()) && t.getValue().canConvertToLong() && t.getValue().asLong() > 0) {
                        counts.computeIfAbsent(app.getKey(), a -> new ConcurrentHashMap<>())
                                .computeIfAbsent(t.getKey(), k -> new LongAdder()).add(t.getValue().asLong());
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("ignoring unreadable target statistics: {}", e.getMessage());
        }
    }

    /** Where {@link #flush()} writes {@link #KEY}; until a store is wired the counts live in memory only. */
    public void persistWith(BiConsumer<String, byte[]> sink) {
        this.sink = sink;
    }

    /** Persists what is left on shutdown, so a clean restart loses no counts. */
    @jakarta.annotation.PreDestroy
    public void close() {
        flush();
    }

    @Scheduled(fixedDelayString = "${tailor.stats.persist-every:PT1M}", initialDelayString = "${tailor.stats.persist-every:PT1M}")
    public void flush() {
        BiConsumer<String, byte[]> s = sink;
        if (s != null && dirty.getAndSet(false)) {
            try {
                s.accept(KEY, snapshot());
            } catch (RuntimeException e) {
                dirty.set(true);
                log.warn("could not persist target statistics: {}", e.getMessage());
            }
        }
    }

    List<String> apps() {
        return new ArrayList<>(counts.keySet());
    }
}
