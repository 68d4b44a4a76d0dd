package dev.tailor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.bundle.Archives;
import dev.tailor.testsupport.ServiceProcess;

/**
 * The data directory on a small tmpfs that really fills up: uploads and builds answer 507 {@code store.full},
 * nothing half-written is left or listed, and everything works again once space is freed. Mounting needs root (CI
 * runs as root); elsewhere the test is skipped.
 */
class DiskFullTest {

    @TempDir
    Path tmp;

    private Path mount;
    private ServiceProcess service;

    @AfterEach
    void unmount() throws Exception {
        if (service != null) {
            service.kill();
        }
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void aFullDisk_answers507_keepsNothingHalfWritten_andRecoversWhenSpaceReturns() throws Exception {
        mount = tmp.resolve("small");
        Files.createDirectories(mount);
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeThat(m.waitFor()).as("mounting a tmpfs needs root: " + new String(m.getInputStream().readAllBytes()))
                .isZero();
        Path data = mount.resolve("data");
        service = ServiceProcess.launch("full", tmp.resolve("full.log"), List.of("--tailor.data-dir=" + data,
                "--tailor.worker.ready=0")).awaitHealthy(Duration.ofSeconds(90));
        Client client = new Client(service.base(), data);

        String first = client.upload("full", Archives.hello("full").tar()).json().path("digest").asString();
        assertThat(client.build(first, "x86_64-v1", 60).json().path("status").asString()).isEqualTo("succeeded");

        Path filler = mount.resolve("filler");
        fill(filler);
        byte[] second = Archives.hello("full").file("src/more.c", "int more[64];\n".repeat(2000)).tar();

        Client.Answer upload = client.upload("full", second);
        assertThat(upload.status()).as(upload.body()).isEqualTo(507);
        assertThat(upload.json().path("code").asString()).isEqualTo("store.full");
        assertThat(upload.body()).contains("nothing of this request was kept");
        Client.Answer build = client.build(first, "x86_64-v2", 60);
        assertThat(build.status()).as(build.body()).isEqualTo(507);
        assertThat(build.json().path("code").asString()).isEqualTo("store.full");

        assertThat(client.get("/v1/apps/full/bundles").json().size()).isEqualTo(1);
        assertThat(regularFiles(data.resolve("work/uploads"))).isEmpty();
        assertThat(regularFiles(data.resolve("work/ingest"))).isEmpty();
        Path blobs = data.resolve("blobs");
        assertThat(regularFiles(blobs).stream().map(p -> blobs.relativize(p).toString()))
                .as("no temporary file of a failed write is left").noneMatch(p -> p.startsWith(".tmp/"))
                .as("nothing of the refused upload").noneMatch(p -> p.startsWith("bundles/") && !p.contains(first.substring(7)));
        // what was there still serves
        assertThat(client.get("/v1/apps/full/bundles/" + first.replace(':', '/')).status()).isEqualTo(200);

        Files.delete(filler);
        Client.Answer again = client.upload("full", second);
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        Client.Answer rebuilt = client.build(first, "x86_64-v2", 60);
        assertThat(rebuilt.status()).as(rebuilt.body()).isEqualTo(200);
        assertThat(rebuilt.json().path("status").asString()).isEqualTo("succeeded");
        assertThat(client.get("/v1/apps/full/bundles").json().size()).isEqualTo(2);
    }

    /** Writes until the file system refuses another byte. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int size = chunk.length; size >= 1; ) {
                try {
                    out.write(chunk, 0, size);
                    out.flush();
                } catch (IOException full) {
                    size /= 2;
                }
            }
        } catch (IOException closing) {
            // the last buffered bytes did not fit either
        }
    }

    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
