package dev.tailor.amqp;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildListener;
import dev.tailor.builds.BuildRecord;
import tools.jackson.databind.ObjectMapper;

/**
 * A worker's side of the events exchange. One thread publishes, so a build's events leave in the order they
 * happened; only the end of a build is waited for (its job is acked after it), the rest is best effort.
 */
final class EventSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventSender.class);

    private final RabbitTemplate template;
    private final ObjectMapper json;
    private final String exchange;
    private final Duration finishTimeout;
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "amqp-events");
        t.setDaemon(true);
        return t;
    });

    /** @param finishTimeout the longest {@link #finished} waits for its event to leave */
    EventSender(RabbitTemplate template, ObjectMapper json, String exchange, Duration finishTimeout) {
        this.template = template;
        this.json = json;
        this.exchange = exchange;
        this.finishTimeout = finishTimeout;
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
        Future<?> sent = send(BuildEvent.finished(record));
        try {
            sent.get(finishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("the finished event may not have left: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Future<?> send(BuildEvent event) {
        byte[] body = json.writeValueAsBytes(event);
        return publisher.submit(() -> {
            try {
                MessageProperties props = new MessageProperties();
                props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
                template.send(exchange, "", new Message(body, props));
            } catch (AmqpException e) {
                log.warn("cannot publish the {} event of build {}: {}", event.kind(), event.key(), e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        publisher.shutdown();
        try {
            publisher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
