package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.tailor.bundle.Archives;
import dev.tailor.catalog.Arch;
import dev.tailor.toolchain.Qemu;
import io.micrometer.core.instrument.search.Search;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Devices booting through a real Varnish edge in front of the service: the whole path a device takes, and a
 * thousand boots that the edge, not the origin, mostly answers.
 */
class EdgeBootEndToEndTest extends EdgeTestBase<EdgeProcesses.Varnish> {

    static final Pattern CPU_LINE = Pattern.compile("(?m)^tailor-cpu: (\\S+)$");
    static final String COMPUTE_OUTPUT = "checksum sha256=d2aa06b6 crc32=d6cbb471 vector=7d85f41bbe63a8bb";

    @Autowired
    Qemu qemu;

    Path keyPem;

    @TempDir
    Path dir;

    EdgeBootEndToEndTest() {
        super(origin -> EdgeProcesses.Varnish.start(VARNISH_PORT, origin));
    }

    @BeforeAll
    void releaseBundles() throws Exception {
        adminToken = Files.readString(DATA_DIR.resolve("admin-token")).trim();
        releaseBundle("compute", Archives.directory(Path.of("examples/compute")));
        releaseBundle("fleet", Archives.hello("fleet").file("src/fleet.c", "int fleet = 1000;\n"));
        JsonNode keys = JsonMapper.builder().build().readTree(get(VARNISH_PORT, "/v1/keys").body());
        keyPem = Files.createTempFile("tailor-key", ".pem");
        Files.writeString(keyPem, keys.get(0).get("publicKeyPem").asString());
    }

    @AfterAll
    void deleteKey() throws Exception {
        Files.deleteIfExists(keyPem);
    }

    void releaseBundle(String app, Archives files) {
        String digest = authed(web.post().uri("/v1/apps/{app}/bundles", app)
                .contentType(MediaType.parseMediaType("application/gzip")).bodyValue(files.tarGz()))
                .exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class).returnResult()
                .getResponseBody().get("digest").asString();
        authed(web.put().uri("/v1/apps/{app}/channels/stable", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"bundle\":\"" + digest + "\"}")).exchange().expectStatus().isOk();
    }

    /** Boots through the edge: the redirect, then the image, both fetched from Varnish. */
    static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "boot-watchdog");
                t.setDaemon(true);
                return t;
            });

    /** A boot stuck for 15 s: show what the service's threads are doing (the origin runs in this JVM). */
    static void dumpThreads(String cpu) {
        StringBuilder sb = new StringBuilder("stuck boot for " + cpu + "\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            String text = java.util.Arrays.stream(stack).map(String::valueOf).collect(java.util.stream.Collectors.joining("\n    "));
            if (text.contains("dev.tailor") || t.getName().contains("reactor") || t.getName().contains("bounded")) {
                sb.append(t.getName()).append(' ').append(t.getState()).append("\n    ").append(text).append('\n');
            }
        });
        System.out.println(sb);
    }

    final java.util.concurrent.atomic.AtomicLong slowest = new java.util.concurrent.atomic.AtomicLong();

    String bootThroughEdge(String app, String cpu) throws Exception {
        long t0 = System.nanoTime();
        var watchdog = WATCHDOG.schedule(() -> dumpThreads(cpu), 15, java.util.concurrent.TimeUnit.SECONDS);
        HttpResponse<byte[]> redirect;
        try {
            redirect = get(VARNISH_PORT, "/v1/boot/" + app + "/stable?wait=30&cpu=" + cpu);
        } finally {
            watchdog.cancel(false);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        slowest.accumulateAndGet(ms, Math::max);
        if (ms > 5000) {
            System.out.println("slow boot " + ms + " ms: " + cpu + " -> " + redirect.statusCode() + " " + redirect.headers().map());
        }
        assertThat(redirect.statusCode()).as(new String(redirect.body())).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Cache-Control")).contains("no-store");
        return redirect.headers().firstValue("Location").orElseThrow();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
            "x86_64, qemu64", "x86_64, Haswell",
            "i686, pentium3", "i686, qemu32",
            "aarch64, cortex-a53", "aarch64, cortex-a76",
            "armv7, cortex-a15", "armv7, 'cortex-a15,neon=off'",
            "riscv64, sifive-u54", "riscv64, 'rv64,v=true,vlen=128'"})
    void device_probesBootsVerifiesAndRunsItsImage_allThroughTheEdge(String arch, String model) throws Exception {
        Arch a = Arch.parse(arch).orElseThrow();
        Path probe = Files.write(dir.resolve("probe-" + arch), get(VARNISH_PORT, "/v1/probes/" + arch).body());
        Qemu.Boot probed = qemu.boot(a, model, probe, Duration.ofSeconds(30));
        Matcher m = CPU_LINE.matcher(probed.console());
        assertThat(m.find()).as(probed.console()).isTrue();

        String location = bootThroughEdge("compute", m.group(1));
        Path image = Files.write(dir.resolve("image"), get(VARNISH_PORT, location).body());
        Path sig = Files.write(dir.resolve("image.sig"), get(VARNISH_PORT, location + ".sig").body());
        Process verify = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", keyPem.toString(),
                "-rawin", "-in", image.toString(), "-sigfile", sig.toString()).redirectErrorStream(true).start();
        String verdict = new String(verify.getInputStream().readAllBytes());
        assertThat(verify.waitFor()).as(verdict).isZero();
        assertThat(verdict).contains("Signature Verified Successfully");

        Qemu.Boot booted = qemu.boot(a, model, image, Duration.ofSeconds(30));
        assertThat(booted.console()).contains(COMPUTE_OUTPUT);
        assertThat(booted.exitCode()).as(booted.console()).isZero();
    }

    @Test
    void thousandBoots_fromTwentyFingerprints_buildEachTargetOnce_andAreMostlyEdgeHits() throws Exception {
        List<String> fingerprints = twentyFingerprints();
        assertThat(new HashSet<>(fingerprints)).hasSize(20);
        double startedBefore = started();
        double imagesBefore = originImages("full");
        long hitsBefore = edge.stat("MAIN.cache_hit");

        int boots = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Map<String, String> targetOf = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < boots; i++) {
                String cpu = fingerprints.get(i % fingerprints.size());
                calls.add(() -> {
                    String location = bootThroughEdge("fleet", cpu);
                    HttpResponse<byte[]> image = get(VARNISH_PORT, location);
                    assertThat(image.statusCode()).isEqualTo(200);
                    targetOf.put(location, cpu);
                    return location;
                });
            }
            Set<String> images = new HashSet<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                images.add(f.get());
            }
            int distinct = images.size();
            assertThat(distinct).isBetween(8, 20);
            Map<String, Double> perTarget = startedPerTarget();
            assertThat(perTarget.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1.0));
            assertThat(started() - startedBefore).as("builds").isLessThanOrEqualTo(distinct);
            assertThat(originImages("full") - imagesBefore).as("images fetched from the origin")
                    .isLessThanOrEqualTo(distinct);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(edge.stat("MAIN.cache_hit") - hitsBefore).isGreaterThanOrEqualTo(boots - distinct));
            System.out.printf("%d boots, %d distinct images: %.0f builds, %.0f origin image fetches, %d edge hits%n",
                    boots, distinct, started() - startedBefore, originImages("full") - imagesBefore,
                    edge.stat("MAIN.cache_hit") - hitsBefore);
        } finally {
            pool.shutdownNow();
        }
    }

    Map<String, Double> startedNow = new HashMap<>();

    Map<String, Double> startedPerTarget() {
        Map<String, Double> delta = new HashMap<>();
        Search.in(meters).name("tailor.builds.started").counters().forEach(c -> {
            String target = c.getId().getTag("target");
            delta.merge(target, c.count() - startedNow.getOrDefault(target, 0.0), Double::sum);
        });
        return delta;
    }

    double started() {
        startedNow.clear();
        Search.in(meters).name("tailor.builds.started").counters()
                .forEach(c -> startedNow.merge(c.getId().getTag("target"), c.count(), Double::sum));
        return startedNow.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Twenty distinct fingerprints, as a fleet sends them: several CPUs per rung, four architectures. */
    static List<String> twentyFingerprints() {
        String v1 = "fpu,cx8,cmov,mmx,fxsr,sse,sse2";
        String v2 = v1 + ",cx16,lahf_lm,popcnt,sse3,ssse3,sse4_1,sse4_2";
        String v3 = v2 + ",avx,avx2,bmi1,bmi2,f16c,fma,abm,movbe,xsave";
        String v4 = v3 + ",avx512f,avx512bw,avx512cd,avx512dq,avx512vl";
        String a80 = "fp,asimd";
        String a81 = a80 + ",crc32,atomics,asimdrdm";
        String a82 = a81 + ",fphp,asimdhp,asimddp,lrcpc";
        String crypto = ",aes,pmull,sha1,sha2";
        return List.of(
                "x86_64:" + v1, "x86_64:" + v1 + ",sse3", "x86_64:" + v2, "x86_64:" + v2 + ",aes,pclmulqdq",
                "x86_64:" + v3, "x86_64:" + v3 + ",rdrand", "x86_64:" + v4, "x86_64:" + v4 + ",avx512vnni",
                "i686:fpu,cx8,cmov", "i686:fpu,cx8,cmov,mmx,fxsr,sse", "i686:fpu,cx8,cmov,mmx,fxsr,sse,sse2",
                "aarch64:" + a80, "aarch64:" + a80 + crypto, "aarch64:" + a81, "aarch64:" + a81 + crypto,
                "aarch64:" + a82, "aarch64:" + a82 + crypto, "aarch64:" + a82 + crypto + ",sha3",
                "armv7:vfp,vfpv3,vfpv3d16", "armv7:vfp,vfpv3,vfpv4,neon,idiva");
    }
}
