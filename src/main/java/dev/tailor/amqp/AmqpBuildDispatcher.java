package dev.tailor.amqp;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

import dev.tailor.builds.BuildDispatcher;
import dev.tailor.builds.BuildExecutor;
import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildListener;
import dev.tailor.builds.BuildQueueFullException;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.Priority;
import dev.tailor.catalog.Arch;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds through RabbitMQ, wiring the roles: {@link Topology} declares one durable, bounded priority queue per
 * architecture ({@code <prefix>.builds.<arch>}), a dead-letter queue and the events exchange; {@link JobPublisher}
 * publishes persistent jobs and waits for the broker's confirm, so a dispatch returns once the job is safe and a full
 * queue answers {@link BuildQueueFullException}; on a worker, {@link JobConsumer} builds one job at a time, acks it
 * after it is stored, and counts failures up to the dead-letter queue; {@link EventSender} fans a build's events out
 * from its worker, and {@link EventReceiver} hands them to this replica's listeners, whichever worker ran the build.
 *
 * <p>{@link #prioritize} republishes the job at the higher priority; the first copy to run builds, and the later one
 * is dropped by a worker that remembers the key, or answered from the store by the {@code alreadyBuilt} check (first
 * image write wins, so a duplicate never yields a second image).
 */
public final class AmqpBuildDispatcher implements BuildDispatcher {

    private static final Logger log = LoggerFactory.getLogger(AmqpBuildDispatcher.class);

    /**
     * @param prefix         names of the queues and the exchange
     * @param capacity       jobs that may wait per architecture (x-max-length); fixed when a queue is first declared
     * @param maxDeliveries  failed deliveries (worker died, executor threw) before a job is dead-lettered
     * @param confirmTimeout the longest a dispatch waits for the broker's confirm before answering unavailable
     */
    public record Settings(String prefix, int capacity, int maxDeliveries, Duration confirmTimeout) {
        public Settings {
            if (capacity < 0 || maxDeliveries < 1) {
                throw new IllegalArgumentException("capacity must be >= 0 and max-deliveries >= 1");
            }
        }

        String queue(Arch arch) {
            return prefix + ".builds." + arch.id();
        }

        String deadLetters() {
            return prefix + ".builds.dead";
        }

        String events() {
            return prefix + ".events";
        }
    }

    /**
     * The worker side: which architectures' queues this process consumes.
     *
     * @param alreadyBuilt the stored succeeded record of a job's key, if any: reported instead of building again
     */
    public record Worker(BuildExecutor executor, Set<Arch> archs, int consumersPerArch,
                         Function<BuildJob, Optional<BuildRecord>> alreadyBuilt, Clock clock) {
        public Worker {
            archs = Set.copyOf(archs);
            if (consumersPerArch < 1) {
                throw new IllegalArgumentException("need at least one consumer per architecture");
            }
        }
    }

    private final ConnectionFactory connections;
    private final RabbitTemplate template;
    private final Settings settings;
    private final JobPublisher jobs;
    private final EventSender events;
    private final List<BuildListener> listeners = new CopyOnWriteArrayList<>();
    private final List<SimpleMessageListenerContainer> containers = new CopyOnWriteArrayList<>();
    /** Jobs this replica dispatched and has not heard finish: what prioritize republishes. */
    private final Map<String, BuildJob> dispatched = new ConcurrentHashMap<>();
    /** Keys whose lower-priority copy still waits in a queue after prioritize, per architecture, for queueDepth. */
    private final Map<Arch, Set<String>> superseded = new EnumMap<>(Arch.class);

    /**
     * @param connections a factory with correlated publisher confirms
     * @param worker      null for a process that only dispatches (the API mode)
     * @param listen      whether this replica hears build events (API replicas do; pure workers need not)
     */
    public AmqpBuildDispatcher(ConnectionFactory connections, ObjectMapper json, Settings settings, Worker worker,
                               boolean listen) {
        if (connections instanceof CachingConnectionFactory caching && !caching.isPublisherConfirms()) {
            throw new IllegalArgumentException("the RabbitMQ connection factory needs correlated publisher confirms "
                    + "(spring.rabbitmq.publisher-confirm-type=correlated)");
        }
        this.connections = connections;
        this.settings = settings;
        for (Arch arch : Arch.values()) {
            superseded.put(arch, ConcurrentHashMap.newKeySet());
        }
        this.template = new RabbitTemplate(connections);
        this.jobs = new JobPublisher(template, json, settings);
        this.events = new EventSender(template, json, settings.events(), settings.confirmTimeout());
        String eventQueue = listen ? settings.events() + "." + UUID.randomUUID() : null;
        declareOnEveryConnection(new Topology(settings, eventQueue));
        if (listen) {
            EventReceiver receiver = new EventReceiver(json, listeners, dispatched::remove,
                    key -> superseded.values().forEach(s -> s.remove(key)));
            SimpleMessageListenerContainer c = container(eventQueue, 1, AcknowledgeMode.NONE);
            c.setMessageListener(receiver::onMessage);
            c.start();
        }
        if (worker != null) {
            JobConsumer consumer = new JobConsumer(worker, json, jobs, events, settings);
            for (Arch arch : worker.archs()) {
                SimpleMessageListenerContainer c = container(settings.queue(arch), worker.consumersPerArch(),
                        AcknowledgeMode.MANUAL);
                c.setPrefetchCount(1);
                c.setMessageListener(consumer);
                c.start();
            }
        }
    }

    /** Connecting lazily lets the service start while the broker is down; builds answer 503 meanwhile. */
    private void declareOnEveryConnection(Topology topology) {
        connections.addConnectionListener(topology::declare);
        try {
            connections.createConnection().close(); // declares now if the broker is up
        } catch (AmqpException e) {
            log.warn("RabbitMQ is not reachable yet ({}); builds answer 503 until it is", e.getMessage());
        }
    }

    private SimpleMessageListenerContainer container(String queue, int consumers, AcknowledgeMode ack) {
        SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(connections);
        c.setQueueNames(queue);
        c.setConcurrentConsumers(consumers);
        c.setAcknowledgeMode(ack);
        c.setMissingQueuesFatal(false);
        c.setRecoveryInterval(1000);
        // a running build is abandoned at close: its unacked job returns to the queue for another worker
        c.setShutdownTimeout(500);
        containers.add(c);
        return c;
    }

    @Override
    public void dispatch(BuildJob job) {
        dispatched.put(job.key(), job);
        try {
            jobs.enqueue(job, 0);
        } catch (RuntimeException e) {
            dispatched.remove(job.key(), job);
            throw e;
        }
    }

    /** Best effort: a copy at the higher priority; whichever copy runs second finds the key built and is dropped. */
    @Override
    public void prioritize(String key, Priority priority) {
        BuildJob job = dispatched.get(key);
        if (job == null || job.priority().compareTo(priority) <= 0) {
            return;
        }
        BuildJob raised = job.withPriority(priority);
        try {
            jobs.enqueue(raised, 0);
            dispatched.put(key, raised);
            superseded.get(JobPublisher.arch(job)).add(key);
        } catch (RuntimeException e) {
            log.warn("cannot move build {} ahead: {}", key, e.getMessage());
        }
    }

    @Override
    public void subscribe(BuildListener listener) {
        listeners.add(listener);
    }

    /** Ready messages in the queue (a passive declare), less the copies prioritize left behind. */
    @Override
    public int queueDepth(Arch arch) {
        try {
            Integer ready = template.execute(ch -> ch.queueDeclarePassive(settings.queue(arch)).getMessageCount());
            return Math.max(0, (ready == null ? 0 : ready) - superseded.get(arch).size());
        } catch (AmqpException e) {
            log.debug("queue depth of {} unknown: {}", arch.id(), e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        containers.forEach(SimpleMessageListenerContainer::stop);
        events.close();
    }
}
