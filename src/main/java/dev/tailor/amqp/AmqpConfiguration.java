package dev.tailor.amqp;

import java.time.Duration;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.tailor.builds.BuildDispatcher;
import dev.tailor.builds.BuildExecutor;
import dev.tailor.builds.BuildKey;
import dev.tailor.builds.BuildRecords;
import dev.tailor.builds.Deployment;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.toolchain.ImageCompiler;
import dev.tailor.toolchain.PublishedToolchains;
import tools.jackson.databind.ObjectMapper;

/** The RabbitMQ dispatcher, for {@code tailor.dispatch.type=amqp}, in the roles {@link Deployment} names. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tailor.dispatch.type", havingValue = "amqp")
class AmqpConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AmqpConfiguration.class);

    /**
     * @param prefix         of the queue and exchange names ({@code <prefix>.builds.<arch>}, {@code <prefix>.events})
     * @param maxDeliveries  failed deliveries of a job (its worker died, or failed unexpectedly) before it is
     *                       dead-lettered to {@code <prefix>.builds.dead}
     * @param confirmTimeout the longest a build request waits for the broker to confirm its job; past it, 503
     */
    @ConfigurationProperties("tailor.dispatch.amqp")
    record AmqpProperties(@DefaultValue("tailor") String prefix, @DefaultValue("3") int maxDeliveries,
                          @DefaultValue("5s") Duration confirmTimeout) {
    }

    @Bean(destroyMethod = "close")
    BuildDispatcher buildDispatcher(Deployment deployment, ConnectionFactory connections, ObjectMapper json,
                                    AmqpProperties props, BuildExecutor executor, BuildRecords records,
                                    PublishedToolchains toolchains, TargetCatalog catalog, ImageCompiler compiler,
                                    Environment env, java.time.Clock clock) {
        // the same keys as the in-process pools: tailor.builds.queue-capacity and .workers-per-arch
        int capacity = env.getProperty("tailor.builds.queue-capacity", Integer.class, 100);
        int consumers = env.getProperty("tailor.builds.workers-per-arch", Integer.class, 2);
        var settings = new AmqpBuildDispatcher.Settings(props.prefix(), capacity, props.maxDeliveries(),
                props.confirmTimeout());
        AmqpBuildDispatcher.Worker worker = null;
        if (!deployment.workerArchs().isEmpty()) {
            WorkerToolchains.require(compiler.toolchains(), deployment.workerArchs(),
                    !"none".equals(env.getProperty("tailor.worker.sandbox", "bwrap")));
            // before consuming: API replicas name builds with these ids (they have no clang to compute them)
            toolchains.publish(deployment.workerArchs(), catalog, compiler);
            worker = new AmqpBuildDispatcher.Worker(executor, deployment.workerArchs(), consumers,
                    job -> records.read(new BuildKey(job.key())), clock);
            log.info("tailor.mode={}: worker serving the queues {} ({} at a time each)",
                    deployment.mode().name().toLowerCase(), deployment.workerArchs().stream().sorted()
                            .map(settings::queue).collect(Collectors.joining(", ")), consumers);
        } else {
            log.info("tailor.mode={}: no local workers; builds go to the workers over RabbitMQ",
                    deployment.mode().name().toLowerCase());
        }
        return new AmqpBuildDispatcher(connections, json, settings, worker, deployment.servesApi());
    }
}
