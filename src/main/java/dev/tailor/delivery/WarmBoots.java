package dev.tailor.delivery;

import java.time.Duration;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tailor.payoff.PayoffMeasured;
import dev.tailor.store.Digest;

/**
 * Redirects already given for a fingerprint boot, by the request as the device sends it (path, query and
 * {@code Tailor-CPU}). A fleet repeats the same few requests endlessly; answering a repeat needs only a check that
 * the channel still points at the same bundle. Only final answers (the tuned image) are kept.
 */
@Component
class WarmBoots {

    static final String CPU_HEADER = "Tailor-CPU";

    /** A given redirect: the bundle it was for, and what to answer (edge: cacheable at edges, a canonical query). */
    record Answer(String app, Digest bundle, String target, String location, String build, String canonical,
                  boolean edge) {
    }

    private final Cache<String, Answer> answers = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(30)).build();

    /** The request's identity for this cache; null when it carries a body (a body is parsed every time). */
    static String key(ServerHttpRequest request) {
        if (request.getHeaders().getContentLength() > 0 || request.getHeaders().containsHeader("Transfer-Encoding")) {
            return null;
        }
        String query = request.getURI().getRawQuery();
        String cpu = request.getHeaders().getFirst(CPU_HEADER);
        return request.getPath().value() + '?' + (query == null ? "" : query) + '|' + (cpu == null ? "" : cpu);
    }

    Answer get(String key) {
        return answers.getIfPresent(key);
    }

    void put(String key, Answer answer) {
        if (key != null) {
            answers.put(key, answer);
        }
    }

    void forget(String key) {
        answers.invalidate(key);
    }

    /** New payoff measurements of a bundle may change its auto answers: they are resolved again. */
    @EventListener
    void onMeasured(PayoffMeasured event) {
        answers.asMap().values().removeIf(a -> a.bundle().equals(event.bundle()));
    }
}
