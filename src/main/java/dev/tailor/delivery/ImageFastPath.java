package dev.tailor.delivery;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.tailor.store.Digest;
import reactor.core.publisher.Mono;

/**
 * The hot path of an edge miss or a device download: a whole, already-known image. Answered here, before handler
 * mapping and argument resolution, which cost more CPU per request than the sendfile itself once the JIT is warm
 * and stretch the warm-up. Anything else (first sight of an image, ranges, signatures, errors) goes on to
 * {@link ImageController}, which owns the rules and the problem documents.
 */
@Component
class ImageFastPath implements WebFilter, Ordered {

    private static final String PREFIX = "/v1/images/sha256/";
    private static final String PATTERN = "/v1/images/sha256/{name}";

    private final ImageFiles files;
    private final ImageController controller;

    ImageFastPath(ImageFiles files, ImageController controller) {
        this.files = files;
        this.controller = controller;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpMethod method = request.getMethod();
        String path = request.getPath().value();
        if ((method != HttpMethod.GET && method != HttpMethod.HEAD)
                || path.length() != PREFIX.length() + 64 || !path.startsWith(PREFIX)
                || request.getHeaders().containsHeader(HttpHeaders.RANGE)) {
            return chain.filter(exchange);
        }
        ImageFiles.Image image = Digest.ofHex(path.substring(PREFIX.length())).map(files::cached).orElse(null);
        if (image == null) {
            return chain.filter(exchange);
        }
        // keep http.server.requests tagged as if the controller had answered
        ServerRequestObservationContext.findCurrent(exchange.getAttributes()).ifPresent(c -> c.setPathPattern(PATTERN));
        // Read the (empty) request to its end first, as handler mapping would: a kept-alive connection must not be
        // left with an unread request when the response completes (seen as edge fetches that never got an answer).
        return request.getBody().then(Mono.defer(() -> controller.serve(image, exchange)));
    }
}
