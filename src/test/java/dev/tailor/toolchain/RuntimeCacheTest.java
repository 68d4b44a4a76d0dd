package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.catalog.Target;

class RuntimeCacheTest {

    @TempDir
    Path tmp;

    @Test
    void concurrentFirstBuilds_shareOneRuntimeCompile_andLeaveNoTemporaryDirectories() throws IOException {
        Target t = target("armv7-neon-vfpv4");
        List<CompletableFuture<CompileResult>> builds = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(4); // the common pool may have one thread here
        try (ImageCompiler compiler = ImageCompiler.local(tmp.resolve("cache"))) {
            for (int i = 0; i < 4; i++) {
                Path work = tmp.resolve("w" + i);
                builds.add(CompletableFuture.supplyAsync(
                        () -> compiler.compile(TestToolchain.example("hello"), t, work), callers));
            }
            List<CompileResult> results = builds.stream().map(CompletableFuture::join).toList();

            byte[] first = Files.readAllBytes(results.get(0).image());
            for (CompileResult r : results) {
                assertThat(Files.readAllBytes(r.image())).isEqualTo(first);
            }
        } finally {
            callers.shutdown();
        }
        try (Stream<Path> entries = Files.list(tmp.resolve("cache/runtime"))) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList())
                    .singleElement().asString().startsWith(t.id() + "-").doesNotContain(".tmp-");
        }
    }

    @Test
    void aSecondCompiler_onTheSameCacheDirectory_findsTheRuntimeCompiled() {
        Target t = target("i686-sse2");
        try (ImageCompiler one = ImageCompiler.local(tmp); ImageCompiler two = ImageCompiler.local(tmp)) {
            assertThat(one.compile(TestToolchain.example("hello"), t, tmp.resolve("a")).runtimeCached()).isFalse();
            CompileResult second = two.compile(TestToolchain.example("hello"), t, tmp.resolve("b"));
            assertThat(second.runtimeCached()).isTrue();
            assertThat(second.log()).contains("# runtime for i686-sse2: cached in ");
        }
    }
}
