package dev.tailor.amqp;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;

import dev.tailor.builds.Priority;
import dev.tailor.catalog.Arch;

/**
 * The queues and the exchange, declared on every (re)connection: after a broker restart the exclusive event queue is
 * gone and the durable ones may be new. Per architecture one durable priority queue, bounded with
 * {@code x-max-length} and {@code x-overflow: reject-publish} (a full queue nacks the publish); one dead-letter
 * queue; one fanout exchange for events, to which each listening replica binds its own exclusive queue.
 */
final class Topology {

    private static final Logger log = LoggerFactory.getLogger(Topology.class);

    private final AmqpBuildDispatcher.Settings settings;
    /** This replica's own event queue, or null where it does not listen. */
    private final String eventQueue;

    Topology(AmqpBuildDispatcher.Settings settings, String eventQueue) {
        this.settings = settings;
        this.eventQueue = eventQueue;
    }

    /**
     * Each declaration on its own channel: a queue that exists with other arguments (an earlier capacity) fails its
     * declare and closes that channel, and must not keep the rest (this replica's event queue above all) undeclared.
     */
    void declare(Connection connection) {
        for (Arch arch : Arch.values()) {
            Map<String, Object> args = new HashMap<>();
            args.put("x-max-priority", Priority.values().length - 1);
            args.put("x-max-length", settings.capacity());
            args.put("x-overflow", "reject-publish");
            declare(connection, "queue " + settings.queue(arch) + " (x-max-length " + settings.capacity()
                    + "; a queue declared earlier with another capacity keeps it until deleted)",
                    ch -> ch.queueDeclare(settings.queue(arch), true, false, false, args));
        }
        declare(connection, "queue " + settings.deadLetters(),
                ch -> ch.queueDeclare(settings.deadLetters(), true, false, false, null));
        declare(connection, "exchange " + settings.events(), ch -> ch.exchangeDeclare(settings.events(), "fanout", true));
        if (eventQueue != null) {
            declare(connection, "queue " + eventQueue, ch -> {
                ch.queueDeclare(eventQueue, false, true, true, null);
                ch.queueBind(eventQueue, settings.events(), "");
            });
        }
    }

    private interface Declaration {
        void on(Channel channel) throws IOException;
    }

    private static void declare(Connection connection, String what, Declaration declaration) {
        Channel ch = connection.createChannel(false);
        try {
            declaration.on(ch);
        } catch (IOException e) {
            log.error("cannot declare the {} on RabbitMQ: {}", what, JobPublisher.rootMessage(e));
        } finally {
            try {
                if (ch.isOpen()) {
                    ch.close();
                }
            } catch (IOException | TimeoutException | AlreadyClosedException e) {
                // the failed declare closed it already
            }
        }
    }
}
