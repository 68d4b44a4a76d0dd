package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.catalog.Target;

/** The runtime is compiled once per target; later builds reuse it. Also prints (does not assert) their time. */
class CachedBuildTimingTest {

    @TempDir
    Path tmp;

    @Test
    void runtime_isCompiledForTheFirstBuildOnly_andACachedHelloBuildTimeIsReported() {
        Target t = target("x86_64-v3");
        CompileRequest hello = TestToolchain.example("hello");
        try (ImageCompiler compiler = ImageCompiler.local(tmp.resolve("cache"))) {
            CompileResult first = compiler.compile(hello, t, tmp.resolve("w0"));
            assertThat(first.runtimeCached()).isFalse();
            assertThat(first.runtimeTime()).isPositive();

            long best = Long.MAX_VALUE;
            CompileResult last = null;
            for (int i = 1; i <= 5; i++) {
                long start = System.nanoTime();
                last = compiler.compile(hello, t, tmp.resolve("w" + i));
                best = Math.min(best, System.nanoTime() - start);
                assertThat(last.runtimeCached()).isTrue();
                assertThat(last.runtimeTime()).isEqualTo(Duration.ZERO);
            }
            System.out.printf("TIMING hello for %s: first build (runtime compiled) %d ms; runtime cached: best of 5 "
                    + "%.1f ms (last: compile %d ms, link %d ms)%n", t.id(), first.total().toMillis(), best / 1e6,
                    last.compileTime().toMillis(), last.linkTime().toMillis());
        }
    }
}
