package dev.tailor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.tailor.ApiTestBase;

/**
 * {@code bin/tailor} itself, in a real pseudo-terminal (util-linux {@code script}): the launcher finds the built
 * classes, and a person at a terminal sees the progress bar redrawn in place, while a pipe gets none.
 */
class CliTerminalTest extends ApiTestBase {

    @LocalServerPort
    int port;

    @TempDir
    Path home;

    record Output(int status, String text) {
    }

    /** Runs bin/tailor with the arguments inside a pseudo-terminal; the text is what the terminal showed. */
    Output inTerminal(String arguments) throws IOException, InterruptedException {
        return run(List.of("script", "-qfec", Path.of("bin/tailor").toAbsolutePath() + " " + arguments, "/dev/null"));
    }

    Output run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("TAILOR_URL", "http://127.0.0.1:" + port);
        pb.environment().put("TAILOR_TOKEN", adminToken);
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        pb.environment().put("TERM", "xterm");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    Path bigApp() throws IOException {
        Path dir = home.resolve("cli-pty");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("tailor.yaml"), "name: cli-pty\nversion: 1.0.0\nsources: [src/*.c]\n");
        Files.copy(Path.of("examples/hello/src/hello.c"), dir.resolve("src/hello.c"));
        // incompressible data, so the upload takes many chunks and the bar many steps
        byte[] noise = new byte[200 * 1024];
        new java.util.Random(7).nextBytes(noise);
        Files.write(dir.resolve("data.bin"), noise);
        return dir;
    }

    @Test
    void push_drawsAProgressBarOnATerminal_andNoneIntoAPipe() throws Exception {
        assumeThat(Path.of("/usr/bin/script")).exists();
        Path dir = bigApp();
        Output shown = inTerminal("push " + dir);
        assertThat(shown.status()).as(shown.text()).isZero();
        assertThat(shown.text()).containsPattern("\rpushing cli-pty \\[#*\\.*\\] +\\d+%")
                .contains("\rpushing cli-pty [##############################] 100%")
                .containsPattern("(?m)^sha256:[0-9a-f]{64}\\r?$");
        assertThat(shown.text().chars().filter(c -> c == '\r').count()).isGreaterThan(5);

        Output piped = run(List.of(Path.of("bin/tailor").toAbsolutePath().toString(), "push", dir.toString()));
        assertThat(piped.status()).as(piped.text()).isZero();
        assertThat(piped.text()).doesNotContain("\r").doesNotContain("[#");
        assertThat(piped.text().lines().findFirst().orElseThrow()).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void build_showsItsStateOnATerminal_andTheStatusSaysHowItEnded() throws Exception {
        assumeThat(Path.of("/usr/bin/script")).exists();
        Path dir = bigApp();
        assertThat(run(List.of(Path.of("bin/tailor").toAbsolutePath().toString(), "push", dir.toString())).status())
                .isZero();
        Output build = inTerminal("build cli-pty --target x86_64-v2");
        assertThat(build.status()).as(build.text()).isZero();
        assertThat(build.text()).containsPattern("\rbuild [0-9a-f]{12}: (queued|running)")
                .containsPattern("(?m)^succeeded  x86_64-v2  sha256:");

        Output missing = inTerminal("build cli-pty --target x86_64-v9");
        assertThat(missing.status()).isEqualTo(CliException.REFUSED);
        assertThat(missing.text()).contains("tailor: target.unknown: ").doesNotContain("Exception");
    }
}
