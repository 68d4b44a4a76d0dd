package dev.tailor.amqp;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;

import dev.tailor.builds.BuildDispatcher;
import dev.tailor.builds.BuildDispatcherContract;
import dev.tailor.builds.BuildExecutor;
import dev.tailor.catalog.Arch;
import dev.tailor.testsupport.RabbitMqServer;

/** The same contract as the in-process pools, on a real RabbitMQ node; each dispatcher gets its own queues. */
class AmqpBuildDispatcherTest extends BuildDispatcherContract {

    private static final List<org.springframework.amqp.rabbit.connection.CachingConnectionFactory> FACTORIES =
            new CopyOnWriteArrayList<>();

    @Override
    protected BuildDispatcher create(BuildExecutor executor, int workersPerArch, int capacity) {
        var factory = Rabbit.connections(RabbitMqServer.shared());
        FACTORIES.add(factory);
        var settings = new AmqpBuildDispatcher.Settings("test-" + UUID.randomUUID(), capacity, 3, Duration.ofSeconds(5));
        return new AmqpBuildDispatcher(factory, Rabbit.JSON, settings, new AmqpBuildDispatcher.Worker(executor,
                EnumSet.allOf(Arch.class), workersPerArch, job -> Optional.empty(), Clock.systemUTC()), true);
    }

    @AfterAll
    static void closeConnections() {
        FACTORIES.forEach(f -> f.destroy());
    }
}
