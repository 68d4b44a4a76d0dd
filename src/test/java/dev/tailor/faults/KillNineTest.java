package dev.tailor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.bundle.Archives;
import dev.tailor.testsupport.ServiceProcess;
import tools.jackson.databind.JsonNode;

/**
 * SIGKILL at the worst moments (a build's is in KilledServiceTest): in the middle of an upload's body, amid a stream
 * of releases, and while statistics are flushed every 50 ms. After a restart on the same data directory nothing is
 * half-visible: no bundle of the cut upload, a channel that points at one of the released bundles and reads whole,
 * statistics that parse.
 */
class KillNineTest {

    @TempDir
    Path tmp;

    private ServiceProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.kill();
        }
    }

    private Client start(Path data) {
        service = ServiceProcess.launch("killed", tmp.resolve("killed.log"), List.of("--tailor.data-dir=" + data,
                "--tailor.worker.ready=0", "--tailor.stats.persist-every=PT0.05S"))
                .awaitHealthy(Duration.ofSeconds(90));
        return new Client(service.base(), data);
    }

    @Test
    void killedMidUpload_leavesNoBundle_andTheSameUploadWorksAfterRestart() throws Exception {
        Path data = tmp.resolve("data");
        Client client = start(data);
        byte[] noise = new byte[1 << 20];
        new java.util.Random(3).nextBytes(noise);
        byte[] tar = Archives.hello("cut").file("data.bin", noise).tar();

        CountDownLatch halfSent = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            private int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= tar.length / 2) {
                    halfSent.countDown();
                    try {
                        Thread.sleep(60_000); // the service dies meanwhile
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return -1;
                }
                int n = Math.min(len, Math.min(8192, tar.length / 2 - at));
                System.arraycopy(tar, at, b, off, n);
                at += n;
                return n;
            }
        };
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> upload = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(service.base() + "/v1/apps/cut/bundles"))
                .header("Authorization", "Bearer " + client.token()).header("Content-Type", "application/x-tar")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> slow),
                        tar.length)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(halfSent.await(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300); // let the half reach the spool file
        assertThat(files(data.resolve("work/uploads"))).as("the upload is being spooled").isNotEmpty();
        service.kill();
        upload.cancel(true);

        service.restart().awaitHealthy(Duration.ofSeconds(90));
        assertThat(client.get("/v1/apps/cut/bundles").status()).isEqualTo(404);
        assertThat(files(data.resolve("work/uploads"))).as("the spool is cleared").isEmpty();
        assertThat(files(data.resolve("blobs/bundles"))).isEmpty();
        Client.Answer again = client.upload("cut", tar);
        assertThat(again.status()).as(again.body()).isEqualTo(201);
    }

    @Test
    void killedAmidReleases_leavesTheChannelOnOneOfThem_whole() throws Exception {
        Path data = tmp.resolve("data");
        Client client = start(data);
        String a = client.upload("flip", Archives.hello("flip").file("src/a.c", "int a;\n").tar()).json()
                .path("digest").asString();
        String b = client.upload("flip", Archives.hello("flip").file("src/b.c", "int b;\n").tar()).json()
                .path("digest").asString();
        AtomicBoolean go = new AtomicBoolean(true);
        AtomicInteger released = new AtomicInteger();
        Thread releaser = new Thread(() -> {
            for (int i = 0; go.get(); i++) {
                try {
                    if (client.release("flip", "stable", i % 2 == 0 ? a : b).status() == 200) {
                        released.incrementAndGet();
                    }
                } catch (IOException | InterruptedException e) {
                    return; // the service is gone
                }
            }
        });
        releaser.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> released.get() >= 20);
        service.kill();
        go.set(false);
        releaser.join(10_000);

        service.restart().awaitHealthy(Duration.ofSeconds(90));
        Client.Answer channel = client.get("/v1/apps/flip/channels/stable");
        assertThat(channel.status()).as(channel.body()).isEqualTo(200);
        JsonNode c = channel.json();
        assertThat(c.path("bundle").asString()).isIn(a, b);
        assertThat(c.path("history").size()).isBetween(1, 100);
        assertThat(c.path("history").get(0).path("bundle").asString()).isEqualTo(c.path("bundle").asString());
        // no half-written document anywhere in the store
        try (Stream<Path> s = Files.walk(data.resolve("blobs/meta"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                Client.JSON.readTree(Files.readString(p));
            }
        }
        assertThat(client.release("flip", "stable", a).status()).isEqualTo(200);
    }

    @Test
    void killedAmidStatisticsFlushes_leavesStatisticsThatRead() throws Exception {
        Path data = tmp.resolve("data");
        Client client = start(data);
        String digest = client.upload("counted", Archives.hello("counted").tar()).json().path("digest").asString();
        client.release("counted", "stable", digest);
        HttpClient http = HttpClient.newHttpClient();
        AtomicBoolean go = new AtomicBoolean(true);
        AtomicInteger boots = new AtomicInteger();
        Thread booter = new Thread(() -> {
            String[] cpus = {"x86_64:sse3", "x86_64:sse3,ssse3,sse4_1,sse4_2,popcnt,cx16", "x86_64:"};
            for (int i = 0; go.get(); i++) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create(service.base() + "/v1/fingerprints/resolve?app=counted&cpu="
                            + cpus[i % cpus.length])).POST(HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.discarding());
                    boots.incrementAndGet();
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        booter.start();
        Path stats = data.resolve("blobs/stats/targets.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> boots.get() > 200 && Files.exists(stats));
        service.kill();
        go.set(false);
        booter.join(10_000);

        JsonNode stored = Client.JSON.readTree(Files.readString(stats));
        assertThat(stored.path("apps").path("counted").size()).isPositive();
        service.restart().awaitHealthy(Duration.ofSeconds(90));
        Client.Answer read = client.get("/v1/apps/counted/stats/targets");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("targets").size()).isPositive();
    }

    private static Set<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return Set.copyOf(s.filter(Files::isRegularFile).toList());
        }
    }
}
