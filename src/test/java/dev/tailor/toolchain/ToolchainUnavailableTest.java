package dev.tailor.toolchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.tailor.testsupport.ServiceProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A machine without clang, lld or bubblewrap: the service starts (with one warning), builds and boots for it answer
 * 503 {@code build.toolchain_unavailable} naming the tool and how to install it instead of a 500, the health
 * endpoint's {@code toolchains} component is DOWN per architecture, and what needs no compiler still works. A real
 * service process whose PATH has none of the tools.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolchainUnavailableTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    Path dir;

    ServiceProcess service;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("tailor-no-tools");
        Path empty = Files.createDirectories(dir.resolve("empty-path"));
        service = ServiceProcess.launch("no-tools", dir.resolve("service.log"),
                List.of("--tailor.data-dir=" + dir.resolve("data")), Map.of("PATH", empty.toString()));
        await("the service answers").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    try {
                        return get("/actuator/health").statusCode() > 0;
                    } catch (java.io.IOException e) {
                        assertThat(service.handle().isAlive()).as(service.log()).isTrue();
                        return false;
                    }
                });
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.kill();
        }
        dev.tailor.store.Directories.delete(dir);
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void builds_answer503NamingTheTool_healthIsDown_andTheRestWorks() throws Exception {
        String token = Files.readString(dir.resolve("data/admin-token")).strip();
        HttpResponse<String> health = get("/actuator/health");
        JsonNode h = JsonMapper.builder().build().readTree(health.body());
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(h.at("/components/toolchains/status").asString()).isEqualTo("DOWN");
        assertThat(h.at("/components/toolchains/components/x86_64/status").asString()).isEqualTo("DOWN");
        assertThat(h.at("/components/store/status").asString()).isEqualTo("UP");
        assertThat(service.log()).contains("This machine cannot build for").contains("clang is not on the PATH");

        byte[] bundle = dev.tailor.bundle.Archives.hello("notools").tarGz();
        HttpResponse<String> upload = send(HttpRequest.newBuilder(URI.create(service.base()
                + "/v1/apps/notools/bundles")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/gzip").POST(HttpRequest.BodyPublishers.ofByteArray(bundle)));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String digest = JsonMapper.builder().build().readTree(upload.body()).get("digest").asString();

        HttpResponse<String> build = send(HttpRequest.newBuilder(URI.create(service.base() + "/v1/builds"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v2\"}")));
        assertThat(build.statusCode()).as(build.body()).isEqualTo(503);
        JsonNode problem = JsonMapper.builder().build().readTree(build.body());
        assertThat(problem.get("code").asString()).isEqualTo("build.toolchain_unavailable");
        assertThat(problem.get("detail").asString()).contains("clang is not on the PATH")
                .contains("install-toolchains.sh");
        assertThat(build.headers().firstValue("Retry-After")).isPresent();

        // what needs no compiler still works
        HttpResponse<String> resolve = send(HttpRequest.newBuilder(URI.create(service.base()
                + "/v1/fingerprints/resolve?cpu=x86_64:sse4_2,popcnt")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(resolve.statusCode()).isEqualTo(200);
        assertThat(get("/v1/targets").statusCode()).isEqualTo(200);
    }
}
