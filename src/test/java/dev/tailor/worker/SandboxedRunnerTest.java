package dev.tailor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.toolchain.CommandRunner;

/** What a command inside the sandbox can see and do, checked with ordinary tools. */
class SandboxedRunnerTest {

    @TempDir
    Path tmp;

    final List<String> transcript = new CopyOnWriteArrayList<>();

    SandboxedRunner runner(boolean isolate) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.c"), "int x;\n");
        return new SandboxedRunner(isolate, Rig.LIMITS, src, Files.createDirectories(tmp.resolve("out")),
                Files.createDirectories(tmp.resolve("cache")), transcript::add);
    }

    @Test
    void theSandboxHoldsOnlyUsrTheRuntimeTheBundleAndTheOutput_withNoNetwork() throws Exception {
        SandboxedRunner r = runner(true);

        CommandRunner.Result root = r.run(List.of("ls", "-A", "/"), tmp.resolve("src"), Duration.ofSeconds(10));
        assertThat(root.stdout().split("\n")).containsExactlyInAnyOrder("bin", "etc", "lib", "lib64", "out", "src",
                "tailor", "tmp", "usr");
        assertThat(r.run(List.of("ls", "-A", "/etc"), tmp.resolve("src"), Duration.ofSeconds(10)).stdout())
                .as("of /etc only the loader's cache").isEqualTo("ld.so.cache\n");
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> connect = List.of("python3", "-c", "import socket; socket.create_connection(('127.0.0.1', "
                    + listening.getLocalPort() + "), 2)");
            SandboxedRunner outside = new SandboxedRunner(false, Rig.LIMITS, tmp, tmp, tmp, line -> { });
            assertThat(outside.run(connect, tmp, Duration.ofSeconds(10)).succeeded()).as("outside").isTrue();
            assertThat(r.run(connect, tmp.resolve("src"), Duration.ofSeconds(10)).succeeded()).as("inside").isFalse();
        }
        assertThat(r.run(List.of("ls", "/sys/class/net"), tmp.resolve("src"), Duration.ofSeconds(10)).succeeded()).isFalse();
        assertThat(r.run(List.of("sh", "-c", "echo x > /src/b.c"), tmp.resolve("src"), Duration.ofSeconds(10))
                .succeeded()).as("the bundle is read-only").isFalse();
        assertThat(r.run(List.of("sh", "-c", "echo x > /out/o"), tmp.resolve("out"), Duration.ofSeconds(10))
                .succeeded()).as("the output is writable").isTrue();
        assertThat(Files.readString(tmp.resolve("out/o"))).isEqualTo("x\n");
        assertThat(r.run(List.of("pwd"), tmp.resolve("src"), Duration.ofSeconds(10)).stdout()).isEqualTo("/src\n");
        assertThat(String.join("", transcript)).contains("$ cd /src && ls -A /").doesNotContain(tmp.toString());
    }

    @Test
    void aCommandPastTheWallClock_isKilled_andEverythingAfterIsRefused() throws Exception {
        SandboxedRunner r = runner(true);

        CommandRunner.Result slow = r.run(List.of("sleep", "30"), tmp.resolve("src"), Duration.ofMillis(500));

        assertThat(slow.timedOut()).isTrue();
        assertThat(r.hit()).contains(SandboxedRunner.Hit.TIMEOUT);
        assertThat(r.run(List.of("true"), tmp.resolve("src"), Duration.ofSeconds(10)).succeeded()).isFalse();
    }

    @Test
    void commandsStartedTogether_runSideBySide() throws Exception {
        SandboxedRunner r = runner(true);
        // the first waits for a file only the second writes: run one after the other, the first would time out
        List<CommandRunner.Running> both = r.startAll(List.of(
                new CommandRunner.Command(List.of("sh", "-c", "while [ ! -e /out/second ]; do sleep 0.01; done; echo first"),
                        tmp.resolve("out")),
                new CommandRunner.Command(List.of("sh", "-c", "echo > /out/second; echo second"), tmp.resolve("out"))),
                Duration.ofSeconds(10));

        CommandRunner.Result first = both.get(0).await();
        CommandRunner.Result second = both.get(1).await();

        assertThat(first.succeeded()).isTrue();
        assertThat(first.stdout()).isEqualTo("first\n");
        assertThat(second.stdout()).isEqualTo("second\n");
        assertThat(String.join("", transcript)).contains("$ cd /out && sh -c").doesNotContain(tmp.toString());
    }

    @Test
    void filesComingAndGoingInTheOutput_whileACommandEnds_neverFailIt() throws Exception {
        SandboxedRunner r = runner(true);
        // clang writes its object under a temporary name and renames it; another command of the build ending
        // meanwhile measures the output directory, where a file it lists can be gone when it looks at it
        CommandRunner.Running churn = r.start(List.of("sh", "-c",
                "i=0; while [ $i -lt 300 ]; do echo x > /out/t$i; mv /out/t$i /out/u$i; rm /out/u$i; i=$((i+1)); done"),
                tmp.resolve("out"), Duration.ofSeconds(60));

        for (int i = 0; i < 40; i++) {
            assertThat(r.run(List.of("true"), tmp.resolve("out"), Duration.ofSeconds(10)).succeeded()).isTrue();
        }
        CommandRunner.Result churned = churn.await();
        assertThat(churned.succeeded()).as(churned.toString()).isTrue();
    }

    @Test
    void withoutIsolation_commandsRunOnTheHostPaths() throws Exception {
        SandboxedRunner r = runner(false);

        CommandRunner.Result pwd = r.run(List.of("pwd"), tmp.resolve("src"), Duration.ofSeconds(10));

        assertThat(pwd.stdout().strip()).isEqualTo(tmp.resolve("src").toString());
    }
}
