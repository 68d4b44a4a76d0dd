package dev.tailor.builds;

import java.time.Clock;
import java.util.function.BiFunction;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.tailor.bundle.BundleService;
import dev.tailor.store.Documents;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.toolchain.Flavor;
import dev.tailor.toolchain.ImageCompiler;
import dev.tailor.toolchain.PublishedToolchains;
import io.micrometer.core.instrument.MeterRegistry;

@Configuration(proxyBeanMethods = false)
class BuildConfiguration {

    /**
     * @param workersPerArch builds that run at once per architecture (in-process dispatcher)
     * @param queueCapacity  builds that may wait per architecture before requests get 503
     * @param prebuildTop    how many of the app's most requested targets a release prebuilds, beside the baselines
     * @param maxWait        the longest {@code ?wait=} a POST /v1/builds may ask for, in seconds
     */
    @ConfigurationProperties("tailor.builds")
    record BuildProperties(@DefaultValue("2") int workersPerArch, @DefaultValue("100") int queueCapacity,
                           @DefaultValue("3") int prebuildTop, @DefaultValue("120") int maxWait) {
    }

    @Bean
    BuildRecords buildRecords(Documents documents) {
        return new BuildRecords(documents);
    }

    @Bean
    PublishedToolchains publishedToolchains(Documents documents, Clock clock) {
        return new PublishedToolchains(documents, clock);
    }

    /** Checked before anything builds: a bad combination of mode and dispatch stops the start with a clear message. */
    @Bean
    Deployment deployment(Environment env) {
        return Deployment.from(env);
    }

    /** The embedded default; with {@code tailor.dispatch.type=amqp} the dispatcher comes from {@code dev.tailor.amqp}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "tailor.dispatch.type", havingValue = "local", matchIfMissing = true)
    BuildDispatcher buildDispatcher(BuildExecutor executor, BuildProperties props, Clock clock) {
        return new InProcessDispatcher(executor, props.workersPerArch(), props.queueCapacity(), clock);
    }

    @Bean
    BuildMetrics buildMetrics(MeterRegistry registry) {
        return new BuildMetrics(registry);
    }

    @Bean
    Builds builds(Deployment deployment, BuildRecords records, BuildDispatcher dispatcher, BundleService bundles,
                  TargetCatalog catalog, ImageCompiler compiler, PublishedToolchains published, BuildMetrics metrics,
                  Clock clock) {
        // an API replica needs no clang: it names builds with the toolchain ids its workers published
        BiFunction<Target, Flavor, String> toolchainIds = deployment.mode() == Deployment.Mode.API
                ? published::toolchainId : compiler::toolchainId;
        return new Builds(records, dispatcher, bundles, catalog, toolchainIds, metrics, clock);
    }
}
