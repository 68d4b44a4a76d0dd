package dev.tailor.delivery;

import java.net.URI;

import org.springframework.core.Ordered;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.tailor.channel.ChannelService;
import dev.tailor.fingerprint.TargetStats;
import reactor.core.publisher.Mono;

/**
 * The warm boot: a device repeating a fingerprint boot that was answered before. Answered here, before handler
 * mapping, argument resolution and fingerprint parsing, from {@link WarmBoots}, once the channel is confirmed to
 * point at the same bundle. Everything else goes on to {@link BootController}, which owns the rules.
 */
@Component
class BootFastPath implements WebFilter, Ordered {

    private static final String PREFIX = "/v1/boot/";
    private static final String PATTERN = "/v1/boot/{app}/{channel}";

    private final WarmBoots warm;
    private final long edgeMaxAge;
    private final ChannelService channels;
    private final TargetStats stats;
    private final DeliveryTimeline timeline;

    BootFastPath(WarmBoots warm, ChannelService channels, TargetStats stats, DeliveryProperties props,
            DeliveryTimeline timeline) {
        this.timeline = timeline;
        this.edgeMaxAge = props.bootEdgeMaxAge().toSeconds();
        this.warm = warm;
        this.channels = channels;
        this.stats = stats;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().value();
        if (request.getMethod() != HttpMethod.GET || !path.startsWith(PREFIX)
                || path.indexOf('/', PREFIX.length()) != path.lastIndexOf('/')) {
            return chain.filter(exchange);
        }
        String key = WarmBoots.key(request);
        WarmBoots.Answer answer = key == null ? null : warm.get(key);
        if (answer == null) {
            return chain.filter(exchange);
        }
        String channel = path.substring(path.lastIndexOf('/') + 1);
        // Only what is in memory (this is the event loop): when the channel's document has expired from the
        // cache, the controller reads it again off the loop, and a release shows within the cache's lifetime.
        var cached = channels.cached(answer.app(), channel);
        if (cached.isEmpty()) {
            return chain.filter(exchange);
        }
        if (!cached.get().bundle().equals(answer.bundle())) {
            warm.forget(key);
            return chain.filter(exchange);
        }
        stats.record(answer.app(), answer.target());
        timeline.bootAnswered(answer.app());
        timeline.imageServed(answer.app());
        ServerRequestObservationContext.findCurrent(exchange.getAttributes()).ifPresent(c -> c.setPathPattern(PATTERN));
        // Read the (empty) request to its end before answering, as the controller path does: a kept-alive
        // connection must not be left with an unread request when the response completes.
        return request.getBody().then(Mono.defer(() -> answer(exchange, answer, channel)));
    }

    private Mono<Void> answer(ServerWebExchange exchange, WarmBoots.Answer answer, String channel) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.FOUND);
        HttpHeaders h = response.getHeaders();
        h.setLocation(URI.create(answer.location()));
        if (answer.edge()) {
            h.setCacheControl("public, max-age=0, s-maxage=" + edgeMaxAge);
            SurrogateKeys.tag(h, answer.app(), channel);
        } else {
            h.setCacheControl(CacheControl.noStore());
        }
        h.set(BootController.CANONICAL, answer.canonical());
        h.set("Tailor-Target", answer.target());
        h.set("Tailor-Bundle", answer.bundle().toString());
        h.set("Tailor-Build", answer.build());
        return response.setComplete();
    }
}
