package dev.tailor.amqp;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;

import dev.tailor.build.BuildDispatchUnavailableException;
import dev.tailor.build.BuildDispatcher;
import dev.tailor.build.BuildExecutor;
import dev.tailor.build.BuildJob;
import dev.tailor.build.BuildListener;
import dev.tailor.build.BuildQueueFullException;
import dev.tailor.build.BuildRecord;
import dev.tailor.build.Priority;
import dev.tailor.target.Arch;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds through RabbitMQ. Per architecture one durable priority queue ({@code <prefix>.builds.<arch>}), bounded
 * with {@code x-max-length} and {@code x-overflow: reject-publish}, so a full queue nacks the publish and
 * {@link #dispatch} throws {@link BuildQueueFullException}. A dispatch returns once the broker confirmed the
 * persistent message. Workers take one job at a time (prefetch 1) and ack only after {@link BuildExecutor#execute}
 * returned, that is after the image and its record are stored; a worker that dies leaves its job unacked and the
 * broker delivers it again.
 *
 * <p>Repeated failure: classic queues (RabbitMQ 3.10) do not count deliveries, so the message carries the count
 * ({@value #FAILURES} header). A delivery flagged {@code redelivered} means the previous holder died or lost the
 * broker: the worker republishes the job with the count raised and acks the old copy instead of building at once
 * (the new copy goes to the back of its priority). An executor exception counts the same, after a pause that
 * grows with the count (the worker takes nothing else meanwhile, which is what a store outage calls for). At
 * {@code maxDeliveries} failures the job goes to {@code <prefix>.builds.dead} and a failed record is reported.
 *
 * <p>Events (started, log lines, image stored, finished) go to the fanout exchange {@code <prefix>.events}; every
 * replica that listens binds its own exclusive auto-delete queue, so each replica's waiting requests finish
 * whichever worker ran the build. {@link #prioritize} republishes the job at the higher priority; the first copy to
 * run builds, and the later one is dropped by a worker that remembers the key, or answered from the store by the
 * {@code alreadyBuilt} check (first image write wins, so a duplicate never yields a second image).
 */
public final class AmqpBuildDispatcher implements BuildDispatcher {

    private static final Logger log = LoggerFactory.getLogger(AmqpBuildDispatcher.class);
    static final String FAILURES = "x-tailor-failures";
    static final String DEAD_REASON = "x-tailor-dead-reason";
    private static final int REMEMBERED = 10_000;
    /** Times the failure count: the pause before a job that made its executor throw is tried again. */
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

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
                         Function<BuildJob, Optional<BuildRecord>> alreadyBuilt) {
        public Worker {
            archs = Set.copyOf(archs);
            if (consumersPerArch < 1) {
                throw new IllegalArgumentException("need at least one consumer per architecture");
            }
        }
    }

    /** What travels on the events exchange; {@code kind} says which fields are set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Event(String kind, BuildJob job, Instant at, String key, String line, BuildRecord record) {
    }

    private final ConnectionFactory connections;
    private final RabbitTemplate template;
    private final ObjectMapper json;
    private final Settings settings;
    private final Worker worker;
    private final Clock clock = Clock.systemUTC();
    private final String eventQueue;
    private final List<BuildListener> listeners = new CopyOnWriteArrayList<>();
    private final List<SimpleMessageListenerContainer> containers = new CopyOnWriteArrayList<>();
    /** Jobs this replica dispatched and has not heard finish: what prioritize republishes. */
    private final Map<String, BuildJob> dispatched = new ConcurrentHashMap<>();
    /** Keys whose lower-priority copy still waits in a queue after prioritize, per architecture, for queueDepth. */
    private final Map<Arch, Set<String>> superseded = new EnumMap<>(Arch.class);
    /** Keys this worker built, with their attempt: a later copy of the same job is dropped. */
    private final Map<String, Integer> built = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    });
    /** One thread publishes events, so a build's events leave in the order they happened. */
    private final ExecutorService eventPublisher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "amqp-events");
        t.setDaemon(true);
        return t;
    });

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
        this.json = json;
        this.settings = settings;
        this.worker = worker;
        this.eventQueue = settings.events() + "." + UUID.randomUUID();
        for (Arch arch : Arch.values()) {
            superseded.put(arch, ConcurrentHashMap.newKeySet());
        }
        this.template = new RabbitTemplate(connections);
        // Declared on every (re)connection: after a broker restart the exclusive event queue is gone and the
        // durable ones may be new; connecting lazily also lets the service start while the broker is down.
        ConnectionListener declare = connection -> declareTopology(connection, listen);
        connections.addConnectionListener(declare);
        try {
            connections.createConnection().close(); // declares now if the broker is up
        } catch (AmqpException e) {
            log.warn("RabbitMQ is not reachable yet ({}); builds answer 503 until it is", e.getMessage());
        }
        if (listen) {
            SimpleMessageListenerContainer c = container(eventQueue, 1, AcknowledgeMode.NONE);
            c.setMessageListener(this::onEvent);
            c.start();
        }
        if (worker != null) {
            for (Arch arch : worker.archs()) {
                SimpleMessageListenerContainer c = container(settings.queue(arch), worker.consumersPerArch(),
                        AcknowledgeMode.MANUAL);
                c.setPrefetchCount(1);
                c.setMessageListener((ChannelAwareMessageListener) this::onJob);
                c.start();
            }
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

    /**
     * Each declaration on its own channel: a queue that exists with other arguments (an earlier capacity) fails its
     * declare and closes that channel, and must not keep the rest (this replica's event queue above all) undeclared.
     */
    private void declareTopology(Connection connection, boolean listen) {
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
        if (listen) {
            declare(connection, "queue " + eventQueue, ch -> {
                ch.queueDeclare(eventQueue, false, true, true, null);
                ch.queueBind(eventQueue, settings.events(), "");
            });
        }
    }

    private interface Declaration {
        void on(Channel channel) throws IOException;
    }

    private static void declare(Connection connection, String what,
                                Declaration declaration) {
        Channel ch = connection.createChannel(false);
        try {
            declaration.on(ch);
        } catch (IOException e) {
            log.error("cannot declare the {} on RabbitMQ: {}", what, rootMessage(e));
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

    @Override
    public void dispatch(BuildJob job) {
        Arch arch = arch(job);
        dispatched.put(job.key(), job);
        try {
            publish(settings.queue(arch), job, 0, null);
        } catch (RuntimeException e) {
            dispatched.remove(job.key(), job);
            throw e;
        }
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

    /** Best effort: a copy at the higher priority; whichever copy runs second finds the key built and is dropped. */
    @Override
    public void prioritize(String key, Priority priority) {
        BuildJob job = dispatched.get(key);
        if (job == null || job.priority().compareTo(priority) <= 0) {
            return;
        }
        BuildJob raised = job.withPriority(priority);
        try {
            publish(settings.queue(arch(job)), raised, 0, null);
            dispatched.put(key, raised);
            superseded.get(arch(job)).add(key);
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
        eventPublisher.shutdown();
        try {
            eventPublisher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the worker side

    private void onJob(Message message, Channel channel) throws IOException {
        long tag = message.getMessageProperties().getDeliveryTag();
        BuildJob job;
        try {
            job = json.readValue(message.getBody(), BuildJob.class);
        } catch (RuntimeException e) {
            log.error("dead-lettering an unreadable build message: {}", e.toString());
            template.send("", settings.deadLetters(), message);
            channel.basicAck(tag, false);
            return;
        }
        Object header = message.getMessageProperties().getHeaders().get(FAILURES);
        int failures = header instanceof Number n ? n.intValue() : 0;
        if (Boolean.TRUE.equals(message.getMessageProperties().isRedelivered())) {
            // its previous worker died (or lost the broker) holding it
            log.warn("build {} is back from a worker that stopped while holding it (failure {} of {})", job.key(),
                    failures + 1, settings.maxDeliveries());
            failAndRequeue(job, failures + 1, "the worker running it stopped", tag, channel);
            return;
        }
        Integer builtAttempt = built.get(job.key());
        if (builtAttempt != null && builtAttempt >= job.attempt()) {
            log.debug("build {} already ran here; dropping this copy", job.key());
            publishEvent(new Event("dropped", null, null, job.key(), null, null));
            channel.basicAck(tag, false);
            return;
        }
        Optional<BuildRecord> done = alreadyBuilt(job);
        if (done.isPresent()) {
            log.info("build {} had already succeeded; reporting it", job.key());
            publishEvent(new Event("dropped", null, null, job.key(), null, null));
            finish(done.get(), tag, channel);
            return;
        }
        log.info("building {} ({} for {}, {}) from {}", job.key(), job.app(), job.target(),
                job.priority().name().toLowerCase(), message.getMessageProperties().getConsumerQueue());
        BuildRecord record;
        try {
            record = worker.executor().execute(job, events());
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
        awaitPublished(publishEvent(new Event("finished", null, null, record.id(), null, record)));
        channel.basicAck(tag, false);
    }

    private void failAndRequeue(BuildJob job, int failures, String reason, long tag, Channel channel)
            throws IOException {
        try {
            if (failures < settings.maxDeliveries()) {
                publish(settings.queue(arch(job)), job, failures, null);
                channel.basicAck(tag, false);
                return;
            }
            log.error("build {} failed {} times ({}); dead-lettered to {}", job.key(), failures, reason,
                    settings.deadLetters());
            publish(settings.deadLetters(), job, failures, reason);
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

    private BuildListener events() {
        return new BuildListener() {
            @Override
            public void started(BuildJob job, Instant at) {
                publishEvent(new Event("started", job, at, job.key(), null, null));
            }

            @Override
            public void log(String key, String line) {
                publishEvent(new Event("log", null, null, key, line, null));
            }

            @Override
            public void imageStored(BuildRecord record) {
                publishEvent(new Event("stored", null, null, record.id(), null, record));
            }

            @Override
            public void finished(BuildRecord record) {
                // the dispatcher reports the end itself, after the executor returned
            }
        };
    }

    private Future<?> publishEvent(Event event) {
        byte[] body = json.writeValueAsBytes(event);
        return eventPublisher.submit(() -> {
            try {
                MessageProperties props = new MessageProperties();
                props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
                template.send(settings.events(), "", new Message(body, props));
            } catch (AmqpException e) {
                log.warn("cannot publish the {} event of build {}: {}", event.kind(), event.key(), e.getMessage());
            }
        });
    }

    private void awaitPublished(Future<?> f) {
        try {
            f.get(settings.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("the finished event may not have left: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the listening side

    private void onEvent(Message message) {
        Event e;
        try {
            e = json.readValue(message.getBody(), Event.class);
        } catch (RuntimeException ex) {
            log.warn("ignoring an unreadable build event: {}", ex.toString());
            return;
        }
        switch (e.kind()) {
            case "started" -> listeners.forEach(l -> safely(() -> l.started(e.job(), e.at())));
            case "log" -> listeners.forEach(l -> safely(() -> l.log(e.key(), e.line())));
            case "stored" -> listeners.forEach(l -> safely(() -> l.imageStored(e.record())));
            case "finished" -> {
                dispatched.remove(e.key());
                listeners.forEach(l -> safely(() -> l.finished(e.record())));
            }
            case "dropped" -> superseded.values().forEach(s -> s.remove(e.key()));
            default -> log.debug("ignoring build event {}", e.kind());
        }
    }

    private static int priority(Priority p) {
        return Priority.values().length - 1 - p.ordinal(); // BOOT highest
    }

    private static Arch arch(BuildJob job) {
        return Arch.parse(job.arch()).orElseThrow(() -> new IllegalArgumentException("unknown arch " + job.arch()));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("a build listener failed", e);
        }
    }
}
