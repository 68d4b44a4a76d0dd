package dev.tailor.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tailor.delivery.*}: the edges to purge when a channel moves, e.g.
 * {@code tailor.delivery.edges[0].url=http://127.0.0.1:6081}, {@code tailor.delivery.edges[0].type=varnish}.
 *
 * @param purgeTimeout         how long one purge request may take, connecting included, before it is given up
 * @param bootWait             how long a boot waits for its tuned image by default before falling back
 * @param maxBootWait          the longest {@code wait} a device may ask for
 * @param targetRedirectMaxAge how long edges may keep a target-path boot redirect
 */
@ConfigurationProperties("tailor.delivery")
record DeliveryProperties(List<Edge> edges, @DefaultValue("5s") Duration purgeTimeout,
                          @DefaultValue("5s") Duration bootWait, @DefaultValue("30s") Duration maxBootWait,
                          @DefaultValue("60s") Duration targetRedirectMaxAge,
                          @DefaultValue("300s") Duration bootEdgeMaxAge) {

    DeliveryProperties {
        edges = edges == null ? List.of() : List.copyOf(edges);
    }

    /** How an edge is purged: Varnish by xkey; open-source nginx by refreshing each target-path redirect. */
    enum EdgeType { VARNISH, NGINX }

    record Edge(URI url, @DefaultValue("varnish") EdgeType type) {
        Edge {
            Objects.requireNonNull(url, "tailor.delivery.edges[].url");
        }

        URI resolve(String path) {
            String base = url.toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        }
    }
}
