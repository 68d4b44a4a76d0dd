package dev.tailor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One running service for the API tests (Spring caches the context across classes with the same setup), with a
 * fresh data directory and two extra tokens: {@code publisher-token} (publish, app hello only) and
 * {@code builder-token} (build, every app).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
public abstract class ApiTestBase {

    protected static final Path DATA_DIR = dev.tailor.testsupport.TempDirs.create("tailor-api-test");
    public static final String PUBLISHER_TOKEN = "publisher-token";
    public static final String BUILDER_TOKEN = "builder-token";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tailor.data-dir", DATA_DIR::toString);
        registry.add("tailor.bundles.max-upload", () -> "2MB");
        registry.add("tailor.limits.management-per-minute", () -> "1000000"); // LimitsApiTest tests the limits
        registry.add("tailor.limits.builds-per-minute", () -> "1000000");
        registry.add("tailor.limits.waiting-boots-per-client", () -> "1000"); // herds of devices from 127.0.0.1
        registry.add("tailor.payoff.run-timeout", () -> "10s"); // the apps tested run in milliseconds, or forever
        registry.add("tailor.auth.tokens[0].name", () -> "publisher");
        registry.add("tailor.auth.tokens[0].sha256", () -> sha256(PUBLISHER_TOKEN));
        registry.add("tailor.auth.tokens[0].roles", () -> "publish");
        registry.add("tailor.auth.tokens[0].apps", () -> "hello");
        registry.add("tailor.auth.tokens[1].name", () -> "builder");
        registry.add("tailor.auth.tokens[1].sha256", () -> sha256(BUILDER_TOKEN));
        registry.add("tailor.auth.tokens[1].roles", () -> "build");
        registry.add("tailor.auth.tokens[1].apps", () -> "*");
    }

    @Autowired
    protected WebTestClient web;

    protected String adminToken;

    @BeforeEach
    void readAdminToken() throws IOException {
        adminToken = Files.readString(DATA_DIR.resolve("admin-token")).trim();
        web = web.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
    }

    protected WebTestClient.RequestHeadersSpec<?> authed(WebTestClient.RequestHeadersSpec<?> spec) {
        return spec.header("Authorization", "Bearer " + adminToken);
    }

    public static String sha256(String s) {
        return java.util.HexFormat.of().formatHex(dev.tailor.store.Digest.sha256()
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
