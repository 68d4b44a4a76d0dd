package dev.tailor.toolchain;

import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The driver as beans. The runtime cache lives under {@code <tailor.data-dir>/toolchains}; a sandboxing
 * {@link CommandRunner} bean (the builds feature) replaces the local one.
 */
@Configuration(proxyBeanMethods = false)
class ToolchainConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CommandRunner commandRunner() {
        return new LocalCommandRunner();
    }

    @Bean
    ImageCompiler imageCompiler(CommandRunner runner, @Value("${tailor.data-dir:cache}") Path dataDir) {
        return ImageCompiler.create(Toolchains.load(), runner, dataDir.resolve("toolchains"));
    }

    @Bean
    Qemu qemu(ImageCompiler compiler, CommandRunner runner) {
        return new Qemu(compiler.toolchains(), runner);
    }
}
