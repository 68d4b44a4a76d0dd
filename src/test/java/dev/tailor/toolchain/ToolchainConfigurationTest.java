package dev.tailor.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ToolchainConfigurationTest {

    @TempDir
    Path dataDir;

    @Test
    void context_providesACompilerWhoseCacheIsUnderTheDataDir() {
        new ApplicationContextRunner().withUserConfiguration(ToolchainConfiguration.class)
                .withPropertyValues("tailor.data-dir=" + dataDir)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(ImageCompiler.class).hasSingleBean(Qemu.class);
                    ImageCompiler compiler = ctx.getBean(ImageCompiler.class);
                    compiler.toolchainId(TestToolchain.target("armv7-vfpv3d16"));
                    assertThat(dataDir.resolve("toolchains/sources")).isDirectory();
                });
    }
}
