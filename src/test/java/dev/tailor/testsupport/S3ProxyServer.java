package dev.tailor.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.tailor.store.Directories;

/**
 * An S3-compatible endpoint for tests: S3Proxy's standalone jar (fetched by Maven into
 * {@code target/s3proxy/s3proxy.jar}, kept off the test classpath) on a free 127.0.0.1 port, storing objects in a
 * temporary directory. {@link #shared()} gives one instance per JVM, stopped by a shutdown hook; tests that need
 * to break the store (outages) start a private one with {@link #start()} and {@link #close()} it.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "tailor-test";
    public static final String SECRET_KEY = "tailor-test-secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static S3ProxyServer shared;

    private final Path dir;
    private final int port;
    private Process process;

    private S3ProxyServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The JVM-wide instance; started on first use. Tests must use their own buckets or key prefixes. */
    public static synchronized S3ProxyServer shared() {
        if (shared == null) {
            S3ProxyServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3proxy-stop"));
            shared = server;
        }
        return shared;
    }

    /** A private instance; the caller closes it. */
    public static S3ProxyServer start() {
        try {
            S3ProxyServer server = new S3ProxyServer(Files.createTempDirectory("tailor-s3proxy"), Ports.free());
            server.resume();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts (again) on the same port and directory, so clients configured before an outage reconnect. */
    public synchronized void resume() {
        if (running()) {
            return;
        }
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=" + endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + data,
                    ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                    jar().toString(), "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
                    .start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!Ports.accepting(port)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("S3Proxy exited at start; see " + dir.resolve("s3proxy.log"));
                }
                if (System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException("S3Proxy did not listen within " + START_TIMEOUT);
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while starting S3Proxy", e);
        }
    }

    /** Stops the server but keeps its data, like an outage of the store. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public synchronized void close() {
        stop();
        Directories.delete(dir);
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("tailor.s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: Maven's generate-test-resources "
                    + "phase copies it there (mvn test does; so does mvn generate-test-resources)");
        }
        return jar;
    }
}
