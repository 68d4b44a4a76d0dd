package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.tailor.store.Layout;
import dev.tailor.ApiTestBase;
import dev.tailor.store.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;

/**
 * Runs the device client {@code examples/device/tailor-boot.sh} with sh, curl and openssl against the service. Until
 * /v1/boot exists, an nginx started here answers the boot POSTs with redirects to images the test stored and signed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootScriptTest extends ApiTestBase {

    static final Path SCRIPT = Path.of("examples/device/tailor-boot.sh");

    @Autowired
    BlobStore store;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int originPort;

    @AutoClose
    EdgeProcesses.Nginx boot;
    Path dir;
    Path key;
    Path cpuinfo;
    TestImages.Stored good;
    /** What the stand-in answers a GET with the canonical fingerprint (an edge's copy, say). */
    TestImages.Stored viaCanonical;
    TestImages.Stored tampered;

    record Run(int exit, String stdout, String stderr) {
    }

    @BeforeAll
    void setUp() throws Exception {
        dir = EdgeProcesses.openDir("tailor-device");
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        key = dir.resolve("key.pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse sse2 avx2\n");

        good = TestImages.put(store, 700_000);
        sign(good, pair.getPrivate(), false);
        viaCanonical = TestImages.put(store, 300_000);
        sign(viaCanonical, pair.getPrivate(), false);
        tampered = TestImages.put(store, 50_000);
        sign(tampered, pair.getPrivate(), true);

        String origin = "http://127.0.0.1:" + originPort;
        int port = EdgeProcesses.freePort();
        boot = EdgeProcesses.Nginx.start(port, """
                server {
                    listen 127.0.0.1:%d;
                    location = /v1/boot/hello/stable { return 302 %s%s; }
                    location = /v1/boot/learn/stable {
                        add_header Tailor-CPU-Canonical "x86_64:avx2,sse,sse2" always;
                        if ($arg_cpu = "x86_64:avx2,sse,sse2") { return 302 %s%s; }
                        return 302 %s%s;
                    }
                    location = /v1/boot/tampered/stable { return 302 %s%s; }
                    location = /v1/boot/gone/stable { return 302 %s/v1/images/%s; }
                    location / { return 404; }
                }
                """.formatted(port, origin, good.url(), origin, viaCanonical.url(), origin, good.url(), origin, tampered.url(),
                        origin, TestImages.unknown().path()));
    }

    void sign(TestImages.Stored image, PrivateKey privateKey, boolean tamper) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(image.bytes());
        byte[] signature = s.sign();
        if (tamper) {
            signature[10] ^= 1;
        }
        store.put(Layout.signature(image.digest()), new ByteArrayInputStream(signature));
    }

    Run run(Path output, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", SCRIPT.toString(), "--url", "http://127.0.0.1:" + boot.port(),
                "--key", key.toString(), "--cpuinfo", cpuinfo.toString(), "--output", output.toString(),
                "--retries", "2"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.strip(), Files.readString(dir.resolve("stderr")));
    }

    double originPartials() {
        return Search.in(meters).name("tailor.images.served").tag("outcome", "partial").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void success_writesTheExactVerifiedBytes_andPrintsTheDigest() throws Exception {
        Path out = dir.resolve("ok.img");
        Run r = run(out, "hello", "stable");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(good.digest().toString());
        assertThat(Files.readAllBytes(out)).isEqualTo(good.bytes());
        assertThat(dir.resolve("ok.img.tailor")).doesNotExist();
    }

    @Test
    void theCanonicalFingerprint_isLearnedFromTheFirstAnswer_andLaterBootsAskWithIt() throws Exception {
        Path out = dir.resolve("learn.img");
        Run first = run(out, "learn", "stable");
        assertThat(first.exit()).as(first.stderr()).isZero();
        assertThat(first.stdout()).isEqualTo(good.digest().toString());
        assertThat(Files.readString(dir.resolve("learn.img.cpu")).strip()).isEqualTo("x86_64:avx2,sse,sse2");

        Run second = run(out, "learn", "stable");

        assertThat(second.exit()).as(second.stderr()).isZero();
        assertThat(second.stdout()).as("the GET with the canonical form was answered").isEqualTo(
                viaCanonical.digest().toString());
        assertThat(Files.readAllBytes(out)).isEqualTo(viaCanonical.bytes());
    }

    @Test
    void tamperedSignature_exits5_andWritesNothing() throws Exception {
        Path out = dir.resolve("tampered.img");
        Run r = run(out, "tampered", "stable");
        assertThat(r.exit()).as(r.stderr()).isEqualTo(5);
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("tampered.img.tailor/" + tampered.digest().hex() + ".part")).doesNotExist();
    }

    @Test
    void interruptedDownload_resumesFromThePartialFile() throws Exception {
        Path out = dir.resolve("resumed.img");
        Path part = dir.resolve("resumed.img.tailor/" + good.digest().hex() + ".part");
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(good.bytes(), 123_456));
        double partialsBefore = originPartials();

        Run r = run(out, "hello", "stable");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(good.bytes());
        assertThat(originPartials() - partialsBefore).as("one ranged request for the rest").isEqualTo(1);
    }

    @Test
    void aCompletePartialFile_isVerifiedAndInstalled() throws Exception {
        Path out = dir.resolve("complete.img");
        Path part = dir.resolve("complete.img.tailor/" + good.digest().hex() + ".part");
        Files.createDirectories(part.getParent());
        Files.write(part, good.bytes());
        Run r = run(out, "hello", "stable");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(good.bytes());
    }

    @Test
    void aCorruptPartialFile_failsVerification_andIsDiscarded() throws Exception {
        Path out = dir.resolve("corrupt.img");
        Path part = dir.resolve("corrupt.img.tailor/" + good.digest().hex() + ".part");
        Files.createDirectories(part.getParent());
        byte[] wrong = Arrays.copyOf(good.bytes(), 1000);
        wrong[0] ^= 1;
        Files.write(part, wrong);

        assertThat(run(out, "hello", "stable").exit()).isEqualTo(5);
        assertThat(out).doesNotExist();
        assertThat(part).doesNotExist();
        assertThat(run(out, "hello", "stable").exit()).as("the next boot starts afresh").isZero();
    }

    @Test
    void unknownImageOrApp_exits4() throws Exception {
        assertThat(run(dir.resolve("gone.img"), "gone", "stable").exit()).isEqualTo(4);
        assertThat(run(dir.resolve("nothing.img"), "nothing", "stable").exit()).isEqualTo(4);
        assertThat(dir.resolve("gone.img")).doesNotExist();
    }

    @Test
    void unreachableService_exits3_andBadUsage_exits2() throws Exception {
        Path out = dir.resolve("down.img");
        List<String> cmd = List.of("sh", SCRIPT.toString(), "--url", "http://127.0.0.1:" + EdgeProcesses.freePort(),
                "--key", key.toString(), "--cpuinfo", cpuinfo.toString(), "--output", out.toString(), "hello",
                "stable");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);

        assertThat(run(out, "only-an-app").exit()).isEqualTo(2);
    }
}
