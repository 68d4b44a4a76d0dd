package dev.tailor.amqp;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.tailor.builds.BuildDispatchUnavailableException;
import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildQueueFullException;
import dev.tailor.builds.Priority;
import dev.tailor.catalog.Arch;
import tools.jackson.databind.ObjectMapper;

/**
 * Puts jobs on queues as persistent messages and waits for the broker's confirm, so a publish that returned is on
 * disk at the broker. The message carries its failure count ({@value #FAILURES}): classic queues do not count
 * deliveries themselves.
 */
final class JobPublisher {

    static final String FAILURES = "x-tailor-failures";
    static final String DEAD_REASON = "x-tailor-dead-reason";

    private final RabbitTemplate template;
    private final ObjectMapper json;
    private final AmqpBuildDispatcher.Settings settings;

    JobPublisher(RabbitTemplate template, ObjectMapper json, AmqpBuildDispatcher.Settings settings) {
        this.template = template;
        this.json = json;
        this.settings = settings;
    }

    /** To the job's architecture queue, to be (tried again) by a worker. */
    void enqueue(BuildJob job, int failures) {
        publish(settings.queue(arch(job)), job, failures, null);
    }

    /** To the dead-letter queue, with the reason it failed for good. */
    void deadLetter(BuildJob job, int failures, String reason) {
        publish(settings.deadLetters(), job, failures, reason);
    }

    /** A message that is not a job at all, as it came: no confirm awaited, nothing to report it to. */
    void deadLetter(Message unreadable) {
        template.send("", settings.deadLetters(), unreadable);
    }

    /** Publishes a job and waits for the broker's confirm. */
    private void publish(String queue, BuildJob job, int failures, String deadReason) {
        MessageProperties props = new MessageProperties();
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setPriority(priority(job.priority()));
        props.setMessageId(job.key());
        props.setHeader(FAILURES, failures);
        if (deadReason != null) {
            props.setHeader(DEAD_REASON, deadReason);
        }
        Message message = new Message(json.writeValueAsBytes(job), props);
        CorrelationData confirm = new CorrelationData(UUID.randomUUID().toString());
        CorrelationData.Confirm answer;
        try {
            template.send("", queue, message, confirm);
            answer = confirm.getFuture().get(settings.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (AmqpException | ExecutionException e) {
            throw new BuildDispatchUnavailableException("RabbitMQ is unavailable: " + rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new BuildDispatchUnavailableException("RabbitMQ did not confirm the build within "
                    + settings.confirmTimeout().toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildDispatchUnavailableException("interrupted while waiting for RabbitMQ", e);
        }
        if (!answer.ack()) {
            // reject-publish nacks without a reason; a closed channel nacks the confirms it still owed with one
            if (answer.reason() == null) {
                throw new BuildQueueFullException(job.arch(), settings.capacity());
            }
            throw new BuildDispatchUnavailableException("RabbitMQ refused the build: " + answer.reason(), null);
        }
    }

    private static int priority(Priority p) {
        return Priority.values().length - 1 - p.ordinal(); // BOOT highest
    }

    static Arch arch(BuildJob job) {
        return Arch.parse(job.arch()).orElseThrow(() -> new IllegalArgumentException("unknown arch " + job.arch()));
    }

    /** The innermost cause's message: what the broker or the socket actually said. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
