package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tailor.catalog.Target;

class ReproducibilityTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-v3", "armv7-vfpv3d16"})
    void sameBundleAndTarget_builtInTwoDirectoriesWithTwoCaches_areByteIdentical(String targetId) throws IOException {
        Target t = target(targetId);
        Path first = copy(TestToolchain.examples().resolve("compute"), tmp.resolve("a/bundle"));
        Path second = copy(TestToolchain.examples().resolve("compute"), tmp.resolve("elsewhere/deeper/copy"));
        ImageCompiler other = ImageCompiler.local(tmp.resolve("other-cache"));

        CompileResult one = TestToolchain.COMPILER.compile(TestToolchain.example(first, "key-1"), t, tmp.resolve("w1"));
        CompileResult two = other.compile(TestToolchain.example(second, "key-1"), t, tmp.resolve("w/2"));

        assertThat(two.runtimeCached()).as("the second cache starts empty").isFalse();
        assertThat(Files.readAllBytes(two.image())).isEqualTo(Files.readAllBytes(one.image()));
        assertThat(two.toolchainId()).isEqualTo(one.toolchainId());
    }

    @Test
    void differentBuildKeys_giveDifferentImages() throws IOException {
        Target t = target("x86_64-v1");
        CompileResult one = TestToolchain.build(TestToolchain.example(TestToolchain.examples().resolve("hello"), "k1"), t);
        CompileResult two = TestToolchain.build(TestToolchain.example(TestToolchain.examples().resolve("hello"), "k2"), t);
        assertThat(Files.readAllBytes(two.image())).isNotEqualTo(Files.readAllBytes(one.image()));
    }

    @Test
    void toolchainId_differsPerTarget_andIsStable() {
        String v1 = TestToolchain.COMPILER.toolchainId(target("x86_64-v1"));
        assertThat(TestToolchain.COMPILER.toolchainId(target("x86_64-v2"))).isNotEqualTo(v1);
        assertThat(ImageCompiler.local(TestToolchain.CACHE).toolchainId(target("x86_64-v1"))).isEqualTo(v1);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return to;
    }
}
