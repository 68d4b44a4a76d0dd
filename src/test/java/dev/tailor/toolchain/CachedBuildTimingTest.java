package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.tailor.target.Target;

/** Measures, without asserting, how long a small app takes to build once its target's runtime is cached. */
class CachedBuildTimingTest {

    @Test
    void hello_withRuntimeCached_buildTimeIsReported() {
        Target t = target("x86_64-v3");
        TestToolchain.build(TestToolchain.example("hello"), t); // warms the runtime cache and the JIT
        TestToolchain.build(TestToolchain.example("hello"), t);

        long best = Long.MAX_VALUE;
        CompileResult last = null;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            last = TestToolchain.build(TestToolchain.example("hello"), t);
            best = Math.min(best, System.nanoTime() - start);
        }

        assertThat(last.runtimeCached()).isTrue();
        assertThat(last.runtimeTime()).isEqualTo(Duration.ZERO);
        System.out.printf("TIMING cached hello build for %s: best of 5 %.1f ms (last: compile %d ms, link %d ms)%n",
                t.id(), best / 1e6, last.compileTime().toMillis(), last.linkTime().toMillis());
    }
}
