package dev.tailor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * One kept-alive HTTP/1.1 connection carries request after request, whatever the previous answer was: a fingerprint
 * POST with a body, a 404, a bodiless POST refused 401. With reactor-netty 1.3.6 (Spring Boot 4.0.7's) a request
 * arriving while the previous one was still finishing was sometimes never read until the client gave up
 * (reactor/reactor-netty#4361); this sequence hung within a few hundred rounds, and CI runs stalled on it twice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeepAliveTest {

    private static final int ROUNDS = 300;

    @LocalServerPort
    int port;

    @Test
    void everyRequestOnAKeptAliveConnection_isAnswered() throws Exception {
        // one client, one request at a time: the JDK client keeps reusing the same connection
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String cpuinfo = "processor : 0\nvendor_id : GenuineIntel\nflags : fpu cx8 cmov mmx fxsr sse sse2\n";
        URI base = URI.create("http://127.0.0.1:" + port);
        List<HttpRequest> round = List.of(
                HttpRequest.newBuilder(base.resolve("/v1/fingerprints/resolve?policy=native"))
                        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(cpuinfo)).build(),
                HttpRequest.newBuilder(base.resolve("/v1/targets/nope")).GET().build(),
                HttpRequest.newBuilder(base.resolve("/v1/admin/gc?dryRun=true")).header("Authorization", "Bearer nope")
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
        List<Integer> expected = List.of(200, 404, 401);
        for (int i = 0; i < ROUNDS; i++) {
            for (int r = 0; r < round.size(); r++) {
                HttpRequest request = HttpRequest.newBuilder(round.get(r), (n, v) -> true).timeout(Duration.ofSeconds(10)).build();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("round %d, %s %s", i, request.method(), request.uri())
                        .isEqualTo(expected.get(r));
            }
        }
    }
}
