package dev.tailor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.toolchain.CommandRunner;

/** Build directories kept ready with sandboxes started ahead: reuse must never carry anything over. */
class WorkspacesTest {

    @TempDir
    Path tmp;

    Workspaces pool(int keep) throws Exception {
        return new Workspaces(tmp.resolve("work"), Files.createDirectories(tmp.resolve("cache")), Rig.LIMITS, keep, 3);
    }

    @Test
    void aReleasedWorkspace_isEmptied_andComesBackWithItsSandboxesStartedAhead() throws Exception {
        try (Workspaces pool = pool(1)) {
            await(() -> pool.ready() == 1);
            Workspace first = pool.acquire();
            assertThat(first.ready()).isEqualTo(3);
            Files.writeString(first.src.resolve("secret.c"), "int secret;\n");
            Files.createDirectories(first.out.resolve("obj/deep"));
            Files.writeString(first.out.resolve("obj/deep/left.o"), "x");
            SandboxedRunner r = new SandboxedRunner(true, Rig.LIMITS, first, line -> { });
            assertThat(r.run(List.of("cat", "/src/secret.c"), first.src, Duration.ofSeconds(10)).stdout())
                    .as("a sandbox started before the file was written sees it").isEqualTo("int secret;\n");

            pool.release(first);
            await(() -> pool.ready() == 1);
            Workspace second = pool.acquire();

            assertThat(second.src).isEqualTo(first.src);
            assertThat(second.ready()).isEqualTo(3);
            try (var left = Files.list(second.src); var out = Files.list(second.out)) {
                assertThat(left).isEmpty();
                assertThat(out).isEmpty();
            }
            SandboxedRunner next = new SandboxedRunner(true, Rig.LIMITS, second, line -> { });
            CommandRunner.Result ls = next.run(List.of("ls", "-A", "/src", "/out"), second.src, Duration.ofSeconds(10));
            assertThat(ls.stdout()).doesNotContain("secret").doesNotContain("obj");
        }
    }

    @Test
    void beyondTheKeptNumber_releasedWorkspacesAreDeleted() throws Exception {
        try (Workspaces pool = pool(1)) {
            await(() -> pool.ready() == 1);
            Workspace a = pool.acquire();
            Workspace b = pool.acquire(); // none ready: a new one, with no sandbox started
            assertThat(b.ready()).isZero();
            pool.release(a);
            await(() -> pool.ready() == 1);
            pool.release(b);

            assertThat(b.src).doesNotExist();
            assertThat(a.src).exists();
        }
    }

    @Test
    void aSandboxThatDiedWhileWaiting_isReplaced() throws Exception {
        try (Workspaces pool = pool(1)) {
            await(() -> pool.ready() == 1);
            Workspace w = pool.acquire();
            ProcessHandle.current().children()
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(w.src.toString())).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
            await(() -> ProcessHandle.current().children().noneMatch(p -> p.info().arguments()
                    .map(a -> String.join(" ", a).contains(w.src.toString())).orElse(false)));

            SandboxedRunner r = new SandboxedRunner(true, Rig.LIMITS, w, line -> { });

            assertThat(r.run(List.of("pwd"), w.src, Duration.ofSeconds(10)).stdout()).isEqualTo("/src\n");
        }
    }

    @Test
    void theTimeLimitCountsFromTheCommand_notFromTheSandboxStart() throws Exception {
        try (Workspaces pool = pool(1)) {
            await(() -> pool.ready() == 1);
            Workspace w = pool.acquire();
            Thread.sleep(1500);
            SandboxedRunner r = new SandboxedRunner(true, Rig.LIMITS, w, line -> { });

            CommandRunner.Result quick = r.run(List.of("sleep", "0.2"), w.src, Duration.ofSeconds(1));

            assertThat(quick.timedOut()).isFalse();
            assertThat(quick.succeeded()).isTrue();
        }
    }

    @Test
    void closing_stopsEverySandboxStartedAhead() throws Exception {
        Workspaces pool = pool(2);
        await(() -> pool.ready() == 2);
        assertThat(sandboxesUnder(tmp)).isEqualTo(6);
        assertThat(filesUnder(tmp.resolve("work"))).as("the waiting sandboxes' output files, kept in the work root "
                + "(which a restart empties), not in the system's temporary directory").hasSize(12);

        pool.close();

        await(() -> sandboxesUnder(tmp) == 0);
        assertThat(filesUnder(tmp.resolve("work"))).isEmpty();
    }

    private static List<Path> filesUnder(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static long sandboxesUnder(Path dir) {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString())).orElse(false))
                .count();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
