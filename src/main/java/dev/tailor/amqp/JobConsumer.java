package dev.tailor.amqp;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

import com.rabbitmq.client.Channel;

import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildRecord;
import tools.jackson.databind.ObjectMapper;

/**
 * A worker taking jobs from its queues, one at a time (prefetch 1), acking only after {@code execute} returned, that
 * is after the image and its record are stored; a worker that dies leaves its job unacked and the broker delivers it
 * again.
 *
 * <p>Repeated failure: a delivery flagged {@code redelivered} means the previous holder died or lost the broker: the
 * job is republished with its failure count raised and the old copy acked instead of building at once (the new copy
 * goes to the back of its priority). An executor exception counts the same, after a pause that grows with the count
 * (the worker takes nothing else meanwhile, which is what a store outage calls for). At {@code maxDeliveries}
 * failures the job goes to the dead-letter queue and a failed record is reported. A copy of a job this worker built
 * already is dropped; one whose key the store knows built is answered from the store.
 */
final class JobConsumer implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(JobConsumer.class);
    private static final int REMEMBERED = 10_000;
    /** Times the failure count: the pause before a job that made its executor throw is tried again. */
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final AmqpBuildDispatcher.Worker worker;
    private final ObjectMapper json;
    private final JobPublisher jobs;
    private final EventSender events;
    private final AmqpBuildDispatcher.Settings settings;
    private final Clock clock;
    /** Keys this worker built, with their attempt: a later copy of the same job is dropped. */
    private final Map<String, Integer> built = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    });

    JobConsumer(AmqpBuildDispatcher.Worker worker, ObjectMapper json, JobPublisher jobs, EventSender events,
                AmqpBuildDispatcher.Settings settings) {
        this.clock = worker.clock();
        this.worker = worker;
        this.json = json;
        this.jobs = jobs;
        this.events = events;
        this.settings = settings;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        long tag = message.getMessageProperties().getDeliveryTag();
        BuildJob job;
        try {
            job = json.readValue(message.getBody(), BuildJob.class);
        } catch (RuntimeException e) {
            log.error("dead-lettering an unreadable build message: {}", e.toString());
            jobs.deadLetter(message);
            channel.basicAck(tag, false);
            return;
        }
        Object header = message.getMessageProperties().getHeaders().get(JobPublisher.FAILURES);
        int failures = header instanceof Number n ? n.intValue() : 0;
        if (Boolean.TRUE.equals(message.getMessageProperties().isRedelivered())) {
            // its previous worker died (or lost the broker) holding it
            log.warn("build {} is back from a worker that stopped while holding it (failure {} of {})", job.key(),
                    failures + 1, settings.maxDeliveries());
            failAndRequeue(job, failures + 1, "the worker running it stopped", tag, channel);
            return;
        }
        if (answeredWithoutBuilding(job, tag, channel)) {
            return;
        }
        log.info("building {} ({} for {}, {}) from {}", job.key(), job.app(), job.target(),
                job.priority().name().toLowerCase(), message.getMessageProperties().getConsumerQueue());
        build(job, failures, tag, channel);
    }

    /** A copy of a job built already, here or (as the store says) elsewhere: dropped, or answered from the store. */
    private boolean answeredWithoutBuilding(BuildJob job, long tag, Channel channel) throws IOException {
        Integer builtAttempt = built.get(job.key());
        if (builtAttempt != null && builtAttempt >= job.attempt()) {
            log.debug("build {} already ran here; dropping this copy", job.key());
            events.dropped(job.key());
            channel.basicAck(tag, false);
            return true;
        }
        Optional<BuildRecord> done = alreadyBuilt(job);
        if (done.isPresent()) {
            log.info("build {} had already succeeded; reporting it", job.key());
            events.dropped(job.key());
            finish(done.get(), tag, channel);
            return true;
        }
        return false;
    }

    private void build(BuildJob job, int failures, long tag, Channel channel) throws IOException {
        BuildRecord record;
        try {
            record = worker.executor().execute(job, events.duringBuild());
        } catch (RuntimeException | Error e) {
            log.error("build {} failed unexpectedly (failure {} of {})", job.key(), failures + 1,
                    settings.maxDeliveries(), e);
            // a store outage fails every build alike: pause before the next try instead of spending them all at once
            if (failures + 1 < settings.maxDeliveries()) {
                pause(RETRY_BACKOFF.multipliedBy(failures + 1));
            }
            failAndRequeue(job, failures + 1, "the worker failed unexpectedly", tag, channel);
            return;
        }
        built.put(job.key(), job.attempt());
        finish(record, tag, channel);
    }

    /** The stored succeeded record of the key, if the store can say; if it cannot, the build finds out. */
    private Optional<BuildRecord> alreadyBuilt(BuildJob job) {
        try {
            return worker.alreadyBuilt().apply(job).filter(r -> r.status() == BuildRecord.Status.SUCCEEDED);
        } catch (RuntimeException e) {
            log.warn("cannot tell whether build {} already succeeded: {}", job.key(), e.toString());
            return Optional.empty();
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reports the end, then acks: a worker dying between the two builds again (to the same bytes), never loses it. */
    private void finish(BuildRecord record, long tag, Channel channel) throws IOException {
        events.finished(record);
        channel.basicAck(tag, false);
    }

    private void failAndRequeue(BuildJob job, int failures, String reason, long tag, Channel channel)
            throws IOException {
        try {
            if (failures < settings.maxDeliveries()) {
                jobs.enqueue(job, failures);
                channel.basicAck(tag, false);
                return;
            }
            log.error("build {} failed {} times ({}); dead-lettered to {}", job.key(), failures, reason,
                    settings.deadLetters());
            jobs.deadLetter(job, failures, reason);
        } catch (RuntimeException e) {
            // cannot move it (broker trouble, or its queue is full): it stays, to be delivered again later
            log.warn("cannot requeue build {}: {}", job.key(), e.getMessage());
            channel.basicReject(tag, true);
            return;
        }
        BuildRecord failed = BuildRecord.failed(job, null, clock.instant(), new BuildRecord.BuildError(
                "build.internal", "The build failed " + failures + " times without a result (" + reason
                + "); the failure has been logged", null), null);
        finish(failed, tag, channel);
    }
}
