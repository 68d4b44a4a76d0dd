package dev.tailor.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Stands in for the builds-backed {@code GET /v1/boot/{app}/{channel}/{target}} in edge tests: the same headers
 * (302, {@code public, max-age=60}, surrogate keys), a Location the test sets, and a count of the requests that
 * reached the origin. Target {@code short} answers with {@code max-age=1}, to watch an expired copy in grace.
 */
@TestConfiguration(proxyBeanMethods = false)
class BootStandIn {

    final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    final Map<String, String> locations = new ConcurrentHashMap<>();

    int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    @Bean
    RouterFunction<ServerResponse> bootStandInRoute() {
        return RouterFunctions.route().GET("/v1/boot/{app}/{channel}/{target}", request -> {
            String app = request.pathVariable("app");
            String channel = request.pathVariable("channel");
            String target = request.pathVariable("target");
            hits.computeIfAbsent(request.path(), k -> new AtomicInteger()).incrementAndGet();
            String location = locations.getOrDefault(app + "/" + channel,
                    "/v1/images/sha256/" + "0".repeat(64));
            return ServerResponse.status(HttpStatus.FOUND)
                    .header(HttpHeaders.LOCATION, location)
                    .header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + (target.equals("short") ? 1 : 60))
                    .headers(h -> SurrogateKeys.tag(h, app, channel))
                    .build();
        }).build();
    }
}
