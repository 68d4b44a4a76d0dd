package dev.tailor.toolchain;

import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The driver as beans. The runtime cache lives under {@code <tailor.data-dir>/toolchains}.
 */
@Configuration(proxyBeanMethods = false)
class ToolchainConfiguration {

    /** Runs builds unsandboxed; the builds feature swaps this for its bubblewrap runner. */
    @Bean
    CommandRunner commandRunner() {
        return new LocalCommandRunner();
    }

    @Bean
    ImageCompiler imageCompiler(CommandRunner runner, @Value("${tailor.data-dir:cache}") Path dataDir) {
        return ImageCompiler.create(Toolchains.load(), runner, dataDir.resolve("toolchains"));
    }

    @Bean
    dev.tailor.catalog.BootMachines bootMachines(ImageCompiler compiler) {
        return compiler.toolchains().bootMachines();
    }

    @Bean
    ToolchainAvailability toolchainAvailability(ImageCompiler compiler, org.springframework.core.env.Environment env) {
        return new ToolchainAvailability(compiler, env);
    }

    /** {@code /actuator/health} component {@code toolchains}: each architecture UP, or DOWN with what is missing. */
    @Bean("toolchains")
    org.springframework.boot.health.contributor.CompositeHealthContributor toolchainsHealth(
            ToolchainAvailability availability) {
        return org.springframework.boot.health.contributor.CompositeHealthContributor.fromMap(availability.indicators());
    }

    @Bean
    Qemu qemu(ImageCompiler compiler, CommandRunner runner) {
        return new Qemu(compiler.toolchains(), runner);
    }
}
