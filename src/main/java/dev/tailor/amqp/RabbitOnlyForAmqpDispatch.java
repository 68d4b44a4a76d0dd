package dev.tailor.amqp;

import java.util.Set;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Drops the RabbitMQ auto-configurations unless {@code tailor.dispatch.type=amqp}. A filter rather than
 * {@code spring.autoconfigure.exclude}, because it is evaluated when the context refreshes and so sees every
 * property source, test ones included, and because no one has to remember to undo an exclusion.
 */
public final class RabbitOnlyForAmqpDispatch implements AutoConfigurationImportFilter, EnvironmentAware {

    static final String DISPATCH_TYPE = "tailor.dispatch.type";
    static final Set<String> RABBIT = Set.of(
            "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
            "org.springframework.boot.amqp.autoconfigure.health.RabbitHealthContributorAutoConfiguration",
            "org.springframework.boot.amqp.autoconfigure.metrics.RabbitMetricsAutoConfiguration");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean amqp = "amqp".equalsIgnoreCase(environment.getProperty(DISPATCH_TYPE, "local").trim());
        boolean[] keep = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = amqp || autoConfigurationClasses[i] == null || !RABBIT.contains(autoConfigurationClasses[i]);
        }
        return keep;
    }
}
