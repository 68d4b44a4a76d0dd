package dev.tailor.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.bundle.Archives;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as its own JVM, killed with SIGKILL in the middle of a compile, then started again on the same data
 * directory: nothing claims success, no compiler survives, and the same request builds.
 */
class KilledServiceTest {

    @TempDir
    Path tmp;

    static final JsonMapper JSON = JsonMapper.builder().build();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void killedMidCompile_leavesNoImageNoSuccessNoProcess_andTheSameRequestBuildsAfterRestart() throws Exception {
        Path data = tmp.resolve("data");
        String src = HostileSources.macroBomb(24);
        byte[] bundle = Archives.of().file("tailor.yaml", "name: crash\nversion: 1.0.0\nsources: [src/killme.c]\n")
                .file("src/killme.c", src).tar();

        String id;
        Service first = Service.start(data, tmp.resolve("first.log"));
        try {
            String digest = first.send("POST", "/v1/apps/crash/bundles", "application/x-tar", bundle, 201)
                    .get("digest").asString();
            JsonNode build = first.send("POST", "/v1/builds", "application/json",
                    ("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}").getBytes(), 202);
            id = build.get("id").asString();
            await().atMost(Duration.ofSeconds(30)).until(() -> compilers().size() > 0);
        } finally {
            first.kill();
        }

        await("the sandboxed compiler dies with the service").atMost(Duration.ofSeconds(10))
                .until(() -> compilers().isEmpty());
        assertThat(files(data.resolve("blobs/images"))).as("no image").isEmpty();
        String record = Files.readString(data.resolve("blobs/builds/" + id + ".json"));
        assertThat(record).doesNotContain("succeeded");

        Service second = Service.start(data, tmp.resolve("second.log"));
        try {
            JsonNode seen = second.send("GET", "/v1/builds/" + id, null, null, 200);
            assertThat(seen.get("status").asString()).isEqualTo("failed");
            assertThat(seen.at("/error/code").asString()).isEqualTo("build.interrupted");

            String digest = seen.get("bundle").asString();
            JsonNode rebuilt = second.send("POST", "/v1/builds?wait=120", "application/json",
                    ("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}").getBytes(), 200);
            assertThat(rebuilt.get("id").asString()).isEqualTo(id);
            assertThat(rebuilt.get("status").asString()).as(rebuilt.toString()).isEqualTo("succeeded");
            assertThat(rebuilt.get("attempt").asInt()).isEqualTo(2);
        } finally {
            second.kill();
        }
    }

    private static List<ProcessHandle> compilers() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("killme.c")).toList();
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** The application in a child JVM on this test's classpath, listening on 127.0.0.1 only. */
    private record Service(Process process, int port, Path data, HttpClient http) {

        static Service start(Path data, Path log) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "dev.tailor.TailorApplication", "--server.port=" + port, "--server.address=127.0.0.1",
                    "--tailor.data-dir=" + data, "--spring.main.banner-mode=off")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Service service = new Service(p, port, data, HttpClient.newHttpClient());
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("the service died: " + Files.readString(log));
                    }
                    try {
                        return service.http.send(HttpRequest.newBuilder(URI.create(service.base() + "/actuator/health"))
                                .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
            } catch (RuntimeException e) {
                service.kill();
                throw e;
            }
            return service;
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }

        JsonNode send(String method, String path, String type, byte[] body, int status) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(150))
                    .header("Authorization", "Bearer " + Files.readString(data.resolve("admin-token")).strip());
            if (type != null) {
                b.header("Content-Type", type);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
            return JSON.readTree(r.body());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
