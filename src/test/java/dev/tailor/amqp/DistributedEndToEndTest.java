package dev.tailor.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.tailor.builds.HostileSources;
import dev.tailor.bundle.Archives;
import dev.tailor.store.BlobInfo;
import dev.tailor.store.Directories;
import dev.tailor.store.S3BlobStore;
import dev.tailor.store.S3Settings;
import dev.tailor.testsupport.RabbitMqServer;
import dev.tailor.testsupport.S3ProxyServer;
import dev.tailor.testsupport.ServiceProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The distributed shape as separate JVMs: one API ({@code tailor.mode=api}) and two workers serving different
 * architectures ({@code x86_64,i686} and {@code aarch64,armv7}), all on S3Proxy and a private RabbitMQ node. Every
 * architecture builds on the worker that serves it; a worker killed mid-compile leaves the job to its restarted
 * successor, which completes it once; with RabbitMQ stopped the API answers 503 problems and recovers by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributedEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern IMAGE = Pattern.compile("images/sha256/[0-9a-f]{64}");
    private static final Map<String, String> BASELINES = Map.of("x86_64", "x86_64-v1", "i686", "i586-base",
            "aarch64", "aarch64-v8.0", "armv7", "armv6-vfpv2");

    private static RabbitMqServer rabbit;
    private static S3ProxyServer s3;
    private static S3BlobStore store;
    private static ServiceProcess api;
    private static ServiceProcess x86;
    private static ServiceProcess arm;
    private static Path dir;
    private static String token;
    private static String hello;
    private static KeyPair signingKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startEverything() throws Exception {
        dir = Files.createTempDirectory("tailor-e2e");
        rabbit = RabbitMqServer.start(); // private: one test stops it
        s3 = S3ProxyServer.start();
        String bucket = "tailor-e2e";
        store = S3BlobStore.open(S3Settings.of(s3.endpoint(), bucket, S3ProxyServer.ACCESS_KEY,
                S3ProxyServer.SECRET_KEY));
        signingKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(signingKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        // One signing key for every process: workers sign, the API publishes the key at /v1/keys.
        List<String> common = List.of("--tailor.store.type=s3", "--tailor.store.s3.endpoint=" + s3.endpoint(),
                "--tailor.store.s3.bucket=" + bucket, "--tailor.store.s3.access-key=" + S3ProxyServer.ACCESS_KEY,
                "--tailor.store.s3.secret-key=" + S3ProxyServer.SECRET_KEY, "--tailor.dispatch.type=amqp",
                "--spring.rabbitmq.host=" + rabbit.host(), "--spring.rabbitmq.port=" + rabbit.port(),
                "--tailor.signing.private-key-pem=" + pem, "--tailor.builds.workers-per-arch=1");
        // no compilers on the API's PATH: it names builds with the toolchain ids its workers publish
        Files.createDirectories(dir.resolve("empty-path"));
        api = ServiceProcess.launch("api", dir.resolve("api.log"), with(common, "--tailor.mode=api",
                "--tailor.data-dir=" + dir.resolve("api")), Map.of("PATH", dir.resolve("empty-path").toString()));
        x86 = ServiceProcess.launch("worker-x86", dir.resolve("worker-x86.log"), with(common, "--tailor.mode=worker",
                "--tailor.worker.archs=x86_64,i686", "--tailor.data-dir=" + dir.resolve("worker-x86")));
        arm = ServiceProcess.launch("worker-arm", dir.resolve("worker-arm.log"), with(common, "--tailor.mode=worker",
                "--tailor.worker.archs=aarch64,armv7", "--tailor.data-dir=" + dir.resolve("worker-arm")));
        long start = System.nanoTime();
        for (ServiceProcess p : List.of(api, x86, arm)) {
            p.awaitHealthy(Duration.ofSeconds(120));
        }
        System.out.println("three JVMs healthy in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        token = Files.readString(dir.resolve("api/admin-token")).strip();
    }

    @AfterAll
    static void stopEverything() {
        for (ServiceProcess p : new ServiceProcess[] {api, x86, arm}) {
            if (p != null) {
                p.kill();
            }
        }
        if (store != null) {
            store.close();
        }
        if (rabbit != null) {
            rabbit.close();
        }
        if (s3 != null) {
            s3.close();
        }
        Directories.delete(dir);
    }

    private static List<String> with(List<String> common, String... more) {
        List<String> all = new java.util.ArrayList<>(common);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    @Order(1)
    void everyArchitecture_buildsOnTheWorkerServingIt_andItsImageIsInTheBucket() throws Exception {
        assertThat(x86.log()).contains("worker serving the queues tailor.builds.x86_64, tailor.builds.i686");
        assertThat(arm.log()).contains("worker serving the queues tailor.builds.aarch64, tailor.builds.armv7");
        hello = send("POST", "/v1/apps/e2e/bundles", "application/gzip", Archives.hello("e2e").tarGz(), 201)
                .body().get("digest").asString();

        Map<String, CompletableFuture<Timed>> builds = new HashMap<>();
        BASELINES.forEach((arch, target) -> builds.put(arch, CompletableFuture.supplyAsync(() ->
                build(hello, target, 200))));
        for (var e : builds.entrySet()) {
            Timed t = e.getValue().join();
            JsonNode r = t.body();
            assertThat(r.get("status").asString()).as(r.toString()).isEqualTo("succeeded");
            String digest = r.at("/image/digest").asString();
            assertThat(store.head("images/sha256/" + digest.substring("sha256:".length()))).isPresent();
            ServiceProcess expected = e.getKey().startsWith("a") ? arm : x86;
            ServiceProcess other = expected == arm ? x86 : arm;
            assertThat(expected.log()).contains("building " + r.get("id").asString());
            assertThat(other.log()).doesNotContain(r.get("id").asString());
            System.out.printf("%s: request to succeeded %d ms, build on the worker %d ms, so %d ms around it%n",
                    e.getKey(), t.millis(), r.get("durationMs").asLong(), t.millis() - r.get("durationMs").asLong());
        }
        String x86Build = builds.get("x86_64").join().body().get("id").asString();
        HttpResponse<String> log = raw("GET", "/v1/builds/" + x86Build + "/log", null, null);
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).contains("# tailor build " + x86Build).contains("# image sha256:");
                // one more, alone, for the overhead without four builds sharing two cores
        Timed alone = build(hello, "x86_64-v2", 200);
        System.out.printf("x86_64-v2 alone: request to succeeded %d ms, build on the worker %d ms%n", alone.millis(),
                alone.body().get("durationMs").asLong());
        // signed by the worker with the deployment's key, which the API publishes
        String key = "images/sha256/" + alone.body().at("/image/digest").asString().substring("sha256:".length());
        byte[] image = store.get(key).orElseThrow().readAllBytes();
        assertThat(image).hasSize(alone.body().at("/image/size").asInt());
        Signature verify = Signature.getInstance("Ed25519");
        verify.initVerify(signingKey.getPublic());
        verify.update(image);
        assertThat(verify.verify(store.get(key + ".sig").orElseThrow().readAllBytes())).isTrue();
    }

    @Test
    @Order(2)
    void workerKilledMidCompile_theRestartedWorkerCompletesTheBuildOnce() throws Exception {
        String source = "e2eslow.c"; // a compile of a few seconds, to be caught in the middle
        byte[] bundle = Archives.of().file("tailor.yaml", "name: slow\nversion: 1.0.0\nsources: [src/" + source
                + "]\narchs: [x86_64]\n").file("src/" + source, HostileSources.macroBomb(24)).tar();
        String digest = send("POST", "/v1/apps/slow/bundles", "application/x-tar", bundle, 201).body()
                .get("digest").asString();
        long imagesBefore = images();

        String id = build(digest, "x86_64-v1", 202).body().get("id").asString();
        await("the compile runs on the x86 worker").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> !compilers(source, x86.handle()).isEmpty());
        await("the API heard the build start").atMost(Duration.ofSeconds(10)).until(() ->
                send("GET", "/v1/builds/" + id, null, null, 200).body().get("status").asString().equals("running"));
        x86.kill();
        await("the sandboxed compiler dies with its worker").atMost(Duration.ofSeconds(10))
                .until(() -> compilers(source, null).isEmpty());
        assertThat(images()).isEqualTo(imagesBefore);
        assertThat(send("GET", "/v1/builds/" + id, null, null, 200).body().get("status").asString())
                .isIn("running", "queued");

        int logBefore = x86.log().length();
        x86.restart().awaitHealthy(Duration.ofSeconds(120));
        Timed done = build(digest, "x86_64-v1", 200); // joins the flight, answered when it ends
        JsonNode r = done.body();
        assertThat(r.get("id").asString()).isEqualTo(id);
        assertThat(r.get("status").asString()).as(r.toString()).isEqualTo("succeeded");
        assertThat(r.get("attempt").asInt()).isEqualTo(1);
        assertThat(images()).as("exactly one new image").isEqualTo(imagesBefore + 1);
        assertThat(x86.log().substring(logBefore)).contains("build " + id + " is back from a worker that stopped")
                .containsOnlyOnce("building " + id);
        JsonNode stored = JSON.readTree(store.get("builds/" + id + ".json").orElseThrow().readAllBytes());
        assertThat(stored.get("status").asString()).isEqualTo("succeeded");
        assertThat(stored.at("/image/digest").asString()).isEqualTo(r.at("/image/digest").asString());
        assertThat(messages("tailor.builds.dead")).isZero();
        assertThat(messages("tailor.builds.x86_64")).isZero();
    }

    @Test
    @Order(3)
    void rabbitMqDown_buildsAnswer503Problems_andRecoverWhenItReturns() throws Exception {
        rabbit.stop();
        try {
            long start = System.nanoTime();
            HttpResponse<String> down = raw("POST", "/v1/builds", "application/json",
                    ("{\"bundle\":\"" + hello + "\",\"target\":\"x86_64-v3\"}").getBytes());
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("build request while RabbitMQ is down answered " + down.statusCode() + " in "
                    + millis + " ms");
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(down.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(down.body()).get("code").asString()).isEqualTo("build.dispatch_unavailable");
            assertThat(millis).isLessThan(10_000);
        } finally {
            rabbit.resume();
        }
        long start = System.nanoTime();
        JsonNode r = await("builds work again").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    HttpResponse<String> resp = raw("POST", "/v1/builds?wait=60", "application/json",
                            ("{\"bundle\":\"" + hello + "\",\"target\":\"x86_64-v3\"}").getBytes());
                    return resp.statusCode() == 503 ? null : JSON.readTree(resp.body());
                }, java.util.Objects::nonNull);
        System.out.println("first build after RabbitMQ returned succeeded " + (System.nanoTime() - start) / 1_000_000
                + " ms after it was back");
        assertThat(r.get("status").asString()).as(r.toString()).isEqualTo("succeeded");
    }

    private record Timed(JsonNode body, long millis) {
    }

    private Timed build(String bundle, String target, int status) {
        long start = System.nanoTime();
        try {
            JsonNode body = send("POST", "/v1/builds" + (status == 200 ? "?wait=120" : ""), "application/json",
                    ("{\"bundle\":\"" + bundle + "\",\"target\":\"" + target + "\"}").getBytes(), status).body();
            return new Timed(body, (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Timed send(String method, String path, String type, byte[] body, int status) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = raw(method, path, type, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return new Timed(JSON.readTree(r.body()), (System.nanoTime() - start) / 1_000_000);
    }

    private HttpResponse<String> raw(String method, String path, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + path)).timeout(Duration.ofSeconds(150))
                .header("Authorization", "Bearer " + token);
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long images() {
        return store.list("images/").stream().map(BlobInfo::key).filter(k -> IMAGE.matcher(k).matches()).count();
    }

    /** Compiler processes of this source, under the given process when one is named. */
    private static List<ProcessHandle> compilers(String source, ProcessHandle under) {
        var all = under == null ? ProcessHandle.allProcesses() : under.descendants();
        return all.filter(p -> p.info().commandLine().orElse("").contains(source)).toList();
    }

    private static int messages(String queue) {
        CachingConnectionFactory f = Rabbit.connections(rabbit);
        try {
            Integer n = new RabbitTemplate(f).execute(ch -> ch.queueDeclarePassive(queue).getMessageCount());
            return n == null ? -1 : n;
        } finally {
            f.destroy();
        }
    }
}
