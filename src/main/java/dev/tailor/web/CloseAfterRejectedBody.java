package dev.tailor.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * When a request with a body is refused (401, 413, 415...), the body is usually left unread; answering with
 * {@code Connection: close} keeps those bytes from being parsed as the next request on a kept-alive connection,
 * and spares the server from reading an upload it has already refused.
 */
@Component
class CloseAfterRejectedBody implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (hasBody(request)) {
            ServerHttpResponse response = exchange.getResponse();
            response.beforeCommit(() -> {
                if (response.getStatusCode() != null && response.getStatusCode().isError()) {
                    response.getHeaders().set(HttpHeaders.CONNECTION, "close");
                }
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    private static boolean hasBody(ServerHttpRequest request) {
        HttpHeaders h = request.getHeaders();
        return h.getContentLength() > 0 || h.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }
}
