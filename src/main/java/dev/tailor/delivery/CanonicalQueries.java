package dev.tailor.delivery;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The canonical boot queries this process answered edge-cacheably, per channel: the fingerprint-boot URLs an edge
 * may hold. Open-source nginx cannot purge by surrogate key, so its purge refreshes each of them (Varnish purges
 * by key and needs none of this). Bounded per channel: the oldest are forgotten first (their copies expire within
 * {@code tailor.delivery.boot-edge-max-age} anyway).
 */
@Component
class CanonicalQueries {

    static final int MAX_PER_CHANNEL = 10_000;

    private final Map<String, Set<String>> byChannel = new ConcurrentHashMap<>();

    void answered(String app, String channel, String query) {
        Set<String> queries = byChannel.computeIfAbsent(app + "/" + channel,
                k -> Collections.synchronizedSet(new LinkedHashSet<>()));
        synchronized (queries) {
            if (queries.add(query) && queries.size() > MAX_PER_CHANNEL) {
                queries.remove(queries.iterator().next());
            }
        }
    }

    List<String> of(String app, String channel) {
        Set<String> queries = byChannel.get(app + "/" + channel);
        if (queries == null) {
            return List.of();
        }
        synchronized (queries) {
            return List.copyOf(queries);
        }
    }
}
