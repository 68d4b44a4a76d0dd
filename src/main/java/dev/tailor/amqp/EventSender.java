package dev.tailor.amqp;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildListener;
import dev.tailor.builds.BuildRecord;
import tools.jackson.databind.ObjectMapper;

/**
 * A worker's side of the events exchange. One thread publishes, on one channel (a scoped operation of the
 * template), so a build's events arrive in the order they happened: the template alone would take a channel from
 * the cache for each send, and RabbitMQ orders messages per channel only. Only the end of a build is waited for (its
 * job is acked after it); the rest is best effort.
 */
final class EventSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventSender.class);
    private static final long POLL_MILLIS = 100;

    private final RabbitTemplate template;
    private final ObjectMapper json;
    private final String exchange;
    private final Duration finishTimeout;
    private final BlockingQueue<Outgoing> outgoing = new LinkedBlockingQueue<>();
    private final Thread publisher;
    private volatile boolean closing;

    private record Outgoing(BuildEvent event, byte[] body, CompletableFuture<Void> sent) {
    }

    /** @param finishTimeout the longest {@link #finished} waits for its event to leave */
    EventSender(RabbitTemplate template, ObjectMapper json, String exchange, Duration finishTimeout) {
        this.template = template;
        this.json = json;
        this.exchange = exchange;
        this.finishTimeout = finishTimeout;
        this.publisher = new Thread(this::publishAll, "amqp-events");
        publisher.setDaemon(true);
        publisher.start();
    }

    /** What the executor reports while it builds, sent on; the end is sent by the consumer, after it. */
    BuildListener duringBuild() {
        return new BuildListener() {
            @Override
            public void started(BuildJob job, Instant at) {
                send(BuildEvent.started(job, at));
            }

            @Override
            public void log(String key, String line) {
                send(BuildEvent.log(key, line));
            }

            @Override
            public void imageStored(BuildRecord record) {
                send(BuildEvent.stored(record));
            }

            @Override
            public void finished(BuildRecord record) {
                // the consumer reports the end itself, after the executor returned
            }
        };
    }

    void dropped(String key) {
        send(BuildEvent.dropped(key));
    }

    /** Sends the end of a build and waits (a bounded while) until it has left. */
    void finished(BuildRecord record) {
        CompletableFuture<Void> sent = send(BuildEvent.finished(record));
        try {
            sent.get(finishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the finished event may not have left: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<Void> send(BuildEvent event) {
        Outgoing o = new Outgoing(event, json.writeValueAsBytes(event), new CompletableFuture<>());
        if (closing) {
            log.warn("the {} event of build {} was not sent: closing", event.kind(), event.key());
            o.sent().complete(null);
        } else {
            outgoing.add(o);
        }
        return o.sent();
    }

    /** The publisher thread: holds one channel while it can, and takes another when the broker broke that one. */
    private void publishAll() {
        while (!closing || !outgoing.isEmpty()) {
            try {
                template.invoke(ops -> {
                    for (Outgoing o; (o = next()) != null || !closing; ) {
                        if (o != null) {
                            publish(ops, o);
                        }
                    }
                    return null;
                });
            } catch (AmqpException e) {
                dropWaiting(e);
                pause(); // the broker is away: wait a little for it before taking a channel again
            }
        }
    }

    /** Without a broker the events waiting are dropped, as each would fail: they must not pile up meanwhile. */
    private void dropWaiting(AmqpException e) {
        for (Outgoing o; (o = outgoing.poll()) != null; ) {
            log.warn("cannot publish the {} event of build {}: {}", o.event().kind(), o.event().key(), e.getMessage());
            o.sent().complete(null);
        }
    }

    private Outgoing next() {
        try {
            return outgoing.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            closing = true;
            return null;
        }
    }

    /** Best effort: an event that cannot be sent is logged and dropped; the channel is given up (rethrown). */
    private void publish(RabbitOperations ops, Outgoing o) {
        try {
            MessageProperties props = new MessageProperties();
            props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
            ops.send(exchange, "", new Message(o.body(), props));
        } catch (AmqpException e) {
            log.warn("cannot publish the {} event of build {}: {}", o.event().kind(), o.event().key(), e.getMessage());
            throw e;
        } finally {
            o.sent().complete(null);
        }
    }

    private void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            closing = true;
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            publisher.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
