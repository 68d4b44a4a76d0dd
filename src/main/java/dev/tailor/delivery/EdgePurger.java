package dev.tailor.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.tailor.channel.ChannelReleased;
import dev.tailor.catalog.TargetCatalog;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Drops a released channel's cached boot redirects at every configured edge. Purges run asynchronously with
 * bounded timeouts and only ever log failures: an unreachable edge must not fail or slow a release, and the
 * redirects it keeps expire within their short max-age anyway.
 */
@Component
class EdgePurger {

    private static final Logger log = LoggerFactory.getLogger(EdgePurger.class);
    static final String XKEY_PURGE = "xkey-purge";
    static final String REFRESH = "Tailor-Refresh";

    /** One edge's answer to one purge. */
    record Outcome(URI edge, boolean ok, String detail) {
    }

    private final DeliveryProperties props;
    private final TargetCatalog catalog;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final dev.tailor.channel.ChannelService channels;
    private final CanonicalQueries canonicalQueries;
    private final DeliveryTimeline timeline;

    EdgePurger(DeliveryProperties props, TargetCatalog catalog, MeterRegistry meters,
               dev.tailor.channel.ChannelService channels, CanonicalQueries canonicalQueries,
               DeliveryTimeline timeline) {
        this.timeline = timeline;
        this.channels = channels;
        this.canonicalQueries = canonicalQueries;
        this.props = props;
        this.catalog = catalog;
        this.meters = meters;
        this.http = HttpClient.newBuilder()
                .connectTimeout(props.purgeTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @EventListener
    void onRelease(ChannelReleased event) {
        try {
            purge(event.channel().app(), event.channel().channel());
        } catch (RuntimeException e) {
            log.warn("edge purge for {}/{} not started: {}", event.channel().app(), event.channel().channel(),
                    e.toString());
        }
    }

    /** New payoff measurements may change the auto answers of every channel of the app: its edge copies go. */
    @EventListener
    void onMeasured(dev.tailor.payoff.PayoffMeasured event) {
        try {
            channels.list(event.app()).forEach(c -> purge(event.app(), c.channel()));
        } catch (RuntimeException e) {
            log.warn("edge purge for {} after its payoff measurement not started: {}", event.app(), e.toString());
        }
    }

    /** Purges the app's and the channel's keys everywhere; completes (never exceptionally) when all edges answered. */
    CompletableFuture<List<Outcome>> purge(String app, String channel) {
        List<CompletableFuture<Outcome>> all = new ArrayList<>();
        for (DeliveryProperties.Edge edge : props.edges()) {
            CompletableFuture<Outcome> one = switch (edge.type()) {
                case VARNISH -> purgeVarnish(edge, app, channel);
                case NGINX -> refreshNginx(edge, app, channel);
            };
            all.add(one.exceptionally(e -> new Outcome(edge.url(), false, e.toString())).thenApply(o -> {
                record(edge, o, app, channel);
                return o;
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<Outcome> purgeVarnish(DeliveryProperties.Edge edge, String app, String channel) {
        HttpRequest request = HttpRequest.newBuilder(edge.resolve("/"))
                .method("PURGE", HttpRequest.BodyPublishers.noBody())
                .header(XKEY_PURGE, SurrogateKeys.of(app, channel))
                .timeout(props.purgeTimeout())
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Outcome(edge.url(),
                r.statusCode() == 200, r.statusCode() + " " + r.body().strip()));
    }

    /**
     * Open-source nginx has no purge by tag, so each target-path redirect the channel can have is fetched again
     * through the edge with a header its config turns into proxy_cache_bypass: the fresh answer replaces the old.
     */
    private CompletableFuture<Outcome> refreshNginx(DeliveryProperties.Edge edge, String app, String channel) {
        List<String> paths = new ArrayList<>();
        catalog.all().forEach(t -> paths.add("/v1/boot/" + app + "/" + channel + "/" + t.id()));
        // and every canonical fingerprint boot this process answered edge-cacheably for the channel
        canonicalQueries.of(app, channel).forEach(q -> paths.add("/v1/boot/" + app + "/" + channel + "?" + q));
        List<CompletableFuture<Integer>> refreshes = new ArrayList<>();
        for (String path : paths) {
            HttpRequest request = HttpRequest.newBuilder(edge.resolve(path))
                    .header(REFRESH, "1")
                    .timeout(path.contains("?") ? props.maxBootWait().plus(props.purgeTimeout()) : props.purgeTimeout())
                    .build();
            refreshes.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(HttpResponse::statusCode));
        }
        return CompletableFuture.allOf(refreshes.toArray(CompletableFuture[]::new)).thenApply(v -> {
            long failed = refreshes.stream().map(CompletableFuture::join).filter(s -> s >= 500).count();
            return new Outcome(edge.url(), failed == 0, "refreshed " + refreshes.size() + " boot answers, "
                    + failed + " failed");
        });
    }

    private void record(DeliveryProperties.Edge edge, Outcome o, String app, String channel) {
        meters.counter("tailor.edge.purges", "edge", edge.url().toString(), "outcome", o.ok() ? "ok" : "failed")
                .increment();
        timeline.edgePurged(app);
        if (o.ok()) {
            log.info("purged {}/{} at {}: {}", app, channel, edge.url(), o.detail());
        } else {
            log.warn("purge of {}/{} at {} failed: {}", app, channel, edge.url(), o.detail());
        }
    }
}
