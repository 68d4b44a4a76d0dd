package dev.tailor.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tailor.store.Directories;

/**
 * A private RabbitMQ node for tests, from Debian's {@code rabbitmq-server} package
 * ({@code scripts/install-test-services.sh} installs it): its own node name, data, logs, config, Erlang cookie
 * and epmd port under a temporary directory, listening only on 127.0.0.1 on free ports, so it neither needs nor
 * disturbs a system RabbitMQ or another engineer's node. {@link #shared()} starts one per JVM and a shutdown hook
 * stops it; {@link #start()} gives a private one to close.
 */
public final class RabbitMqServer implements AutoCloseable {

    public static final String USER = "guest";
    public static final String PASSWORD = "guest";
    private static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    private static final Path CTL = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static RabbitMqServer shared;

    private final Path dir;
    private final String node;
    private final int amqpPort;
    private final int distPort;
    private final int epmdPort;
    private Process process;

    private RabbitMqServer(Path dir) {
        this.dir = dir;
        this.amqpPort = Ports.free();
        this.distPort = Ports.free();
        this.epmdPort = Ports.free();
        this.node = "tailor-test-" + ProcessHandle.current().pid() + "-" + amqpPort + "@localhost";
    }

    /** True when the Debian package is installed; tests that need RabbitMQ should assume it. */
    public static boolean available() {
        return Files.isExecutable(SERVER) && Files.isExecutable(CTL);
    }

    public static synchronized RabbitMqServer shared() {
        if (shared == null) {
            RabbitMqServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "rabbitmq-stop"));
            shared = server;
        }
        return shared;
    }

    public static RabbitMqServer start() {
        if (!available()) {
            throw new IllegalStateException("rabbitmq-server is not installed: run scripts/install-test-services.sh");
        }
        try {
            RabbitMqServer server = new RabbitMqServer(Files.createTempDirectory("tailor-rabbitmq"));
            server.boot();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return amqpPort;
    }

    public String node() {
        return node;
    }

    private void boot() throws IOException {
        Path config = dir.resolve("rabbitmq.conf");
        Files.writeString(config, String.join("\n",
                "listeners.tcp.default = 127.0.0.1:" + amqpPort,
                "distribution.listener.interface = 127.0.0.1",
                "default_user = " + USER,
                "default_pass = " + PASSWORD,
                "log.console = false",
                "log.file.level = info",
                ""));
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Files.writeString(dir.resolve("rabbitmq-env.conf"), "");
        Files.createDirectories(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(SERVER.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile());
        pb.environment().putAll(environment());
        process = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            // the AMQP listener opens last, once the broker has booted
            while (!Ports.accepting(amqpPort)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("rabbitmq-server exited at start (" + process.exitValue()
                            + "); see " + dir.resolve("console.log") + " and " + dir.resolve("log"));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("RabbitMQ did not listen within " + START_TIMEOUT + "; see "
                            + dir.resolve("log"));
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while starting RabbitMQ", e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Everything that makes this node private: the Debian defaults would use /var/lib/rabbitmq and port 5672. */
    private Map<String, String> environment() {
        return Map.ofEntries(
                Map.entry("HOME", dir.resolve("home").toString()), // the Erlang cookie lives here
                Map.entry("RABBITMQ_NODENAME", node),
                Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_NODE_PORT", String.valueOf(amqpPort)),
                Map.entry("RABBITMQ_DIST_PORT", String.valueOf(distPort)),
                Map.entry("ERL_EPMD_PORT", String.valueOf(epmdPort)),
                Map.entry("ERL_EPMD_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString()),
                Map.entry("RABBITMQ_LOG_BASE", dir.resolve("log").toString()),
                Map.entry("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString()),
                Map.entry("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString()),
                Map.entry("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString()),
                Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString()),
                Map.entry("RABBITMQ_PID_FILE", dir.resolve("rabbitmq.pid").toString()));
    }

    /** Starts the stopped node again on the same ports and data: durable queues and persistent messages survive. */
    public synchronized void resume() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            boot();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the node (rabbitmqctl stop, then signals) and the private epmd it started. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            run(List.of(CTL.toString(), "-n", node, "stop"), 30);
        }
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        // epmd daemonizes itself, so it is no descendant of ours; it listens on our private port only
        run(List.of("epmd", "-port", String.valueOf(epmdPort), "-kill"), 10);
        process = null;
    }

    @Override
    public synchronized void close() {
        stop();
        Directories.delete(dir);
    }

    private void run(List<String> command, int timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("control.log").toFile()));
            pb.environment().putAll(environment());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // best effort: the signals below still stop the node
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
