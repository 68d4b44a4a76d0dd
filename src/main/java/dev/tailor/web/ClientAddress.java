package dev.tailor.web;

import java.net.InetSocketAddress;
import java.util.Optional;

import org.springframework.http.server.reactive.ServerHttpRequest;

/** The address a request came from (the peer of the connection: behind a CDN, the edge's). */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static Optional<String> of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? Optional.empty()
                : Optional.of(remote.getAddress().getHostAddress());
    }
}
