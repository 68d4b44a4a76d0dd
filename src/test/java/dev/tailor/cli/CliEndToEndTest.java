package dev.tailor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.tailor.ApiTestBase;
import tools.jackson.databind.JsonNode;

/**
 * Every command of the client against a real Tailor (real builds with clang, real QEMU boots), including the ways they
 * fail: a bad token, an unreachable server, a syntax error, a tampered image, a key that did not sign.
 */
class CliEndToEndTest extends ApiTestBase {

    @LocalServerPort
    int port;

    @TempDir
    Path home;

    private Map<String, String> vars;

    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void environment() {
        vars = new HashMap<>(Map.of("TAILOR_URL", url(), "TAILOR_TOKEN", adminToken));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Run tailor(String... args) {
        return tailorWithInput("", args);
    }

    Run tailorWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Env env = new Env(vars, home.resolve("config"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false);
        int status = TailorCli.run(env, args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** An app directory like examples/hello under another name, exiting with {@code exitCode}. */
    Path app(String name, int exitCode) throws IOException {
        Path dir = home.resolve(name);
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("tailor.yaml"), "name: " + name + "\nversion: 1.0.0\nsources: [src/*.c]\n"
                + "defines: {EXIT_CODE: \"" + exitCode + "\"}\n");
        Files.copy(Path.of("examples/hello/src/hello.c"), dir.resolve("src/hello.c"));
        return dir;
    }

    String pushAndRelease(Path dir, String app) {
        Run push = tailor("push", dir.toString());
        assertThat(push.status()).as(push.err()).isZero();
        Run release = tailor("release", app, "stable");
        assertThat(release.status()).as(release.err()).isZero();
        return push.out().trim();
    }

    @Test
    void login_keepsAVerifiedTokenPrivately_andRefusesABadOneOrAnUnreachableServer() throws IOException {
        vars.clear();
        Path good = Files.writeString(home.resolve("good"), adminToken + "\n");
        Path bad = Files.writeString(home.resolve("bad"), "not-a-token\n");

        Run refused = tailor("login", "--url", url(), "--token-file", bad.toString());
        assertThat(refused.status()).isEqualTo(CliException.REFUSED);
        assertThat(refused.err()).startsWith("tailor: auth.invalid_token: ").contains("tailor login").doesNotContain("Exception")
                .hasLineCount(1);
        assertThat(home.resolve("config/config.json")).doesNotExist();

        Run unreachable = tailor("login", "--url", "http://127.0.0.1:1", "--token-file", good.toString());
        assertThat(unreachable.status()).isEqualTo(CliException.UNAVAILABLE);
        assertThat(unreachable.err()).isEqualTo("tailor: cannot reach http://127.0.0.1:1/: connection refused\n");

        Run ok = tailor("login", "--url", url(), "--token-file", good.toString());
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("pinned 1 signing key(s)");
        Path config = home.resolve("config/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(config)).contains(adminToken).contains("BEGIN PUBLIC KEY");

        // the login serves later commands without any environment
        Run targets = tailor("targets", "--arch", "x86_64");
        assertThat(targets.status()).as(targets.err()).isZero();
        assertThat(targets.out()).contains("x86_64-v3").contains("avx2");

        // and the environment overrides it, for CI
        vars.put("TAILOR_TOKEN", "wrong");
        Run overridden = tailor("builds");
        assertThat(overridden.status()).isEqualTo(CliException.REFUSED);
        assertThat(overridden.err()).startsWith("tailor: auth.invalid_token");
    }

    @Test
    void push_isReproducible_sameFilesSameDigest_whateverTheirTimes() throws IOException {
        Path dir = app("clipush", 0);
        Run first = tailor("push", dir.toString());
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out().trim()).matches("sha256:[0-9a-f]{64}");
        assertThat(first.err()).contains("pushed clipush: 2 file(s)").doesNotContain("[#");

        Files.setLastModifiedTime(dir.resolve("src/hello.c"), FileTime.fromMillis(1_000_000));
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Run again = tailor("push", dir.toString());
        assertThat(again.out()).isEqualTo(first.out());
        assertThat(Packer.pack(dir).archive()).isEqualTo(Packer.pack(dir).archive());

        Files.writeString(dir.resolve("src/hello.c"), "\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(tailor("push", dir.toString()).out()).isNotEqualTo(first.out());

        Run json = tailor("push", dir.toString(), "--json");
        assertThat(Settings.JSON.readTree(json.out()).path("app").asString()).isEqualTo("clipush");
    }

    @Test
    void push_refusesWhatTheServiceRefuses_inOneLine() throws IOException {
        Path dir = app("clibad", 0);
        Files.writeString(dir.resolve("tailor.yaml"), "name: clibad\nversion: 1.0.0\nsources: []\noptimize: fast\n");
        Run r = tailor("push", dir.toString());
        assertThat(r.status()).isEqualTo(CliException.REFUSED);
        assertThat(r.err()).startsWith("tailor: manifest.invalid: ").contains("sources must list at least one glob")
                .hasLineCount(1);

        Run notAnApp = tailor("push", home.toString());
        assertThat(notAnApp.status()).isEqualTo(CliException.USAGE);
        assertThat(notAnApp.err()).contains("has no tailor.yaml");

        Files.createSymbolicLink(app("clilink", 0).resolve("src/link.c"), Path.of("/etc/passwd"));
        Run link = tailor("push", home.resolve("clilink").toString());
        assertThat(link.status()).isEqualTo(CliException.USAGE);
        assertThat(link.err()).contains("symbolic link src/link.c");
    }

    @Test
    void releaseAndBuild_followTheLogToSuccess() throws IOException {
        String digest = pushAndRelease(app("clibuild", 0), "clibuild");
        JsonNode channel = Settings.JSON.readTree(tailor("--json", "release", "clibuild", "beta", digest).out());
        assertThat(channel.path("bundle").asString()).isEqualTo(digest);
        assertThat(channel.path("history").size()).isEqualTo(1);

        Run build = tailor("build", "clibuild/stable", "--target", "x86_64-v2", "--follow");
        assertThat(build.status()).as(build.err()).isZero();
        assertThat(build.out()).contains("clang").containsPattern("(?m)^succeeded  x86_64-v2  sha256:[0-9a-f]{64}")
                .contains("/v1/images/sha256/");

        Run builds = tailor("builds", "clibuild");
        assertThat(builds.out()).startsWith("BUILD").contains("succeeded").contains("x86_64-v2");
        String id = builds.out().lines().skip(1).findFirst().orElseThrow().substring(0, 12);
        Run logs = tailor("logs", id);
        assertThat(logs.status()).isZero();
        assertThat(logs.out()).contains("clang");
        assertThat(tailor("logs", "zz").status()).isEqualTo(CliException.USAGE);

        // the bundle just pushed, for a CPU named in the compact form
        Run byCpu = tailor("build", "clibuild", "--cpu", "x86_64:sse3,ssse3", "--policy", "level", "--json");
        assertThat(byCpu.status()).as(byCpu.err()).isZero();
        assertThat(Settings.JSON.readTree(byCpu.out()).path("target").asString()).isEqualTo("x86_64-v1");
    }

    @Test
    void aSyntaxError_isPrintedWhereEditorsJumpToIt_andTheStatusSaysFailed() throws IOException {
        Path dir = app("clisyntax", 0);
        Files.writeString(dir.resolve("src/hello.c"), "#include <stdio.h>\n\nint main(void) {\n    int x = 1\n"
                + "    return x;\n}\n");
        tailor("push", dir.toString());
        Run build = tailor("build", "clisyntax", "--target", "x86_64-v1");
        assertThat(build.status()).isEqualTo(CliException.FAILED);
        assertThat(build.err()).containsPattern("(?m)^src/hello\\.c:4:14: error: expected ';'")
                .containsPattern("(?m)^tailor: build [0-9a-f]{12} failed: build.compile_error: ");
    }

    @Test
    void resolve_printsTargetReasonsAndNextRung() throws IOException {
        Path cpuinfo = Path.of("src/test/resources/fingerprints/linux-x86/linux-rhel7-broadwell");
        Run r = tailor("resolve", cpuinfo.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("target     x86_64-v3 (level, policy level)").contains("reasons\n  - ")
                .containsPattern("(?m)^next       x86_64-v4 \\(lacks .*avx512f");
        Run stdin = tailorWithInput("x86_64:sse3", "resolve", "--policy", "portable", "-", "--json");
        assertThat(Settings.JSON.readTree(stdin.out()).path("target").path("id").asString()).isEqualTo("x86_64-v1");
        Run garbage = tailorWithInput("hello world\n", "resolve", "-");
        assertThat(garbage.status()).isEqualTo(CliException.REFUSED);
        assertThat(garbage.err()).startsWith("tailor: fingerprint.");
        assertThat(tailor("resolve", "no such file").status()).isEqualTo(CliException.USAGE);
    }

    @Test
    void boot_downloadsVerifiesAndRunsTheImageInQemu() throws IOException {
        pushAndRelease(app("cliboot", 0), "cliboot");
        login();
        Path image = home.resolve("cliboot.img");
        Run boot = tailor("boot", "cliboot", "stable", "--cpu", "x86_64:sse3", "--policy", "portable", "--wait", "60",
                "--output", image.toString(), "--run");
        assertThat(boot.status()).as(boot.err()).isZero();
        assertThat(boot.out()).containsPattern("(?m)^sha256:[0-9a-f]{64}  x86_64-v1  ")
                .contains("hello from tailor: x86_64-v1 on x86_64");
        assertThat(boot.err()).contains("booting: qemu-system-x86_64 -M microvm").contains("-cpu qemu64");
        assertThat(image).exists();

        // a /proc/cpuinfo is sent whole once; later boots ask with the canonical fingerprint the service answered
        Path cpuinfo = Path.of("src/test/resources/fingerprints/linux-x86/linux-rhel7-broadwell");
        Run whole = tailor("boot", "cliboot", "stable", "--cpu", cpuinfo.toString(), "--wait", "60",
                "--output", image.toString());
        assertThat(whole.status()).as(whole.err()).isZero();
        assertThat(whole.err()).doesNotContain("canonical");
        Run again = tailor("boot", "cliboot", "stable", "--cpu", cpuinfo.toString(), "--output", image.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).containsPattern("asking with this CPU's canonical fingerprint x86_64@GenuineIntel:\\S*avx2");
        assertThat(digestOf(again.out())).isEqualTo(digestOf(whole.out()));

        // a guest that exits non-zero fails the command, saying so
        pushAndRelease(app("cliexit", 3), "cliexit");
        Run three = tailor("boot", "cliexit", "stable", "--cpu", "x86_64:sse3", "--policy", "portable", "--wait", "60",
                "--output", home.resolve("cliexit.img").toString(), "--run");
        assertThat(three.status()).isEqualTo(CliException.FAILED);
        assertThat(three.err()).endsWith("tailor: the app exited with 3\n");
    }

    @Test
    void boot_resumesAPartialDownload_andRefusesATamperedImageOrAForeignKey() throws Exception {
        pushAndRelease(app("clitamper", 0), "clitamper");
        login();
        Path out = home.resolve("clitamper.img");
        Run first = tailor("boot", "clitamper", "stable", "--cpu", "x86_64:sse3", "--policy", "portable", "--wait",
                "60", "--output", out.toString());
        assertThat(first.status()).as(first.err()).isZero();
        String hex = digestOf(first.out());
        byte[] good = Files.readAllBytes(out);

        // a partial download is continued, not restarted: a corrupt first half is kept, so the digest refuses it
        Path part = home.resolve("clitamper.img." + hex.substring(0, 16) + ".part");
        byte[] half = java.util.Arrays.copyOf(good, good.length / 2);
        half[10] ^= 1;
        Files.write(part, half);
        Files.delete(out);
        Run corrupt = tailor("boot", "clitamper", "stable", "--cpu", "x86_64:sse3", "--policy", "portable",
                "--output", out.toString());
        assertThat(corrupt.status()).as(corrupt.err()).isEqualTo(CliException.UNVERIFIED);
        assertThat(corrupt.err()).contains("the image's digest is sha256:").contains("refused and deleted");
        assertThat(part).doesNotExist();
        assertThat(out).doesNotExist();
        // a correct first half is completed with a Range request into the same bytes
        Files.write(part, java.util.Arrays.copyOf(good, good.length / 2));
        Run resumed = tailor("boot", "clitamper", "stable", "--cpu", "x86_64:sse3", "--policy", "portable",
                "--output", out.toString());
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(good);

        // an image that was changed where it is stored is refused
        Path stored = DATA_DIR.resolve("blobs/images/sha256/" + hex);
        byte[] tampered = Files.readAllBytes(stored);
        tampered[tampered.length / 2] ^= 0x40;
        Files.write(stored, tampered);
        try {
            Files.delete(out);
            Run refused = tailor("boot", "clitamper", "stable", "--cpu", "x86_64:sse3", "--policy", "portable",
                    "--output", out.toString());
            assertThat(refused.status()).isEqualTo(CliException.UNVERIFIED);
            assertThat(refused.err()).contains("refused and deleted");
            assertThat(out).doesNotExist();
        } finally {
            Files.write(stored, good);
        }

        // a key that did not sign the image
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        Path foreign = Files.writeString(home.resolve("foreign.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Run wrongKey = tailor("boot", "clitamper", "stable", "--cpu", "x86_64:sse3", "--policy", "portable",
                "--output", out.toString(), "--key", foreign.toString());
        assertThat(wrongKey.status()).isEqualTo(CliException.UNVERIFIED);
        assertThat(wrongKey.err()).contains("verifies with no pinned key");
        assertThat(out).doesNotExist();

        Run unknown = tailor("boot", "nosuchapp", "stable", "--cpu", "x86_64:sse3");
        assertThat(unknown.status()).isEqualTo(CliException.REFUSED);
        assertThat(unknown.err()).startsWith("tailor: channel.not_found");
    }

    @Test
    void payoff_saysWhenNothingWasMeasured() throws IOException {
        pushAndRelease(app("clipayoff", 0), "clipayoff");
        Run r = tailor("payoff", "clipayoff", "--channel", "stable");
        assertThat(r.status()).isEqualTo(CliException.REFUSED);
        assertThat(r.err()).startsWith("tailor: payoff.not_measured: ");
    }

    @Test
    void payoff_measuresNativelyAndPrintsEachRungsSpeedup() throws IOException {
        Path dir = home.resolve("clispeed");
        Files.createDirectories(dir);
        Files.copy(Path.of("examples/auto/flat/main.c"), dir.resolve("main.c"));
        Files.writeString(dir.resolve("tailor.yaml"), "name: clispeed\nversion: 1.0.0\nsources: [main.c]\n"
                + "archs: [x86_64]\noptimize: speed\n");
        assertThat(tailor("push", dir.toString()).status()).isZero();
        Run measured = tailor("payoff", "clispeed", "--measure", "--wait", "600");
        assertThat(measured.status()).as(measured.err()).isZero();
        assertThat(measured.out()).containsPattern("(?m)^bundle sha256:[0-9a-f]{64}, measured on ")
                .containsPattern("(?m)^TARGET +MEDIAN +VS BASELINE +VS PARENT +SPREAD +RUNS$")
                .containsPattern("(?m)^x86_64-v1 +[0-9.]+ ms +1\\.00x ");
        Run read = tailor("payoff", "clispeed", "--json");
        assertThat(read.status()).as(read.err()).isZero();
        assertThat(Settings.JSON.readTree(read.out()).path("results").size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void usageErrors_areOneClearLine() {
        Run r = tailor("build", "x");
        assertThat(r.status()).isEqualTo(CliException.USAGE);
        assertThat(r.err()).contains("--target").doesNotContain("Exception");
        vars.clear();
        Run noUrl = tailor("builds");
        assertThat(noUrl.status()).isEqualTo(CliException.USAGE);
        assertThat(noUrl.err()).isEqualTo("tailor: no service URL: run tailor login --url URL --token-file FILE, or "
                + "set TAILOR_URL\n");
    }

    private void login() throws IOException {
        Path token = Files.writeString(home.resolve("token"), adminToken);
        Run r = tailor("login", "--url", url(), "--token-file", token.toString());
        assertThat(r.status()).as(r.err()).isZero();
    }

    private static String digestOf(String out) {
        Matcher m = Pattern.compile("sha256:([0-9a-f]{64})").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }
}
