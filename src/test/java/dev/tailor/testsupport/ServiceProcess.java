package dev.tailor.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application in a child JVM on the test's own classpath (surefire's manifest-only booter jar lists every
 * entry, which a child JVM reads as well), listening on 127.0.0.1. Every process started here is destroyed by a
 * shutdown hook too, so a test that dies early leaves none behind.
 */
public final class ServiceProcess {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "service-processes-stop"));
    }

    private final String name;
    private final List<String> args;
    private final java.util.Map<String, String> env;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private ServiceProcess(String name, List<String> args, java.util.Map<String, String> env, Path log, int port) {
        this.name = name;
        this.args = List.copyOf(args);
        this.env = java.util.Map.copyOf(env);
        this.log = log;
        this.port = port;
    }

    /** Starts the JVM without waiting for it: start several, then {@link #awaitHealthy} each. */
    public static ServiceProcess launch(String name, Path log, List<String> args) {
        return launch(name, log, args, java.util.Map.of());
    }

    /** @param env variables set (over the test's own) in the child's environment */
    public static ServiceProcess launch(String name, Path log, List<String> args, java.util.Map<String, String> env) {
        ServiceProcess s = new ServiceProcess(name, args, env, log, Ports.free());
        s.start();
        return s;
    }

    private void start() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "dev.tailor.TailorApplication",
                "--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
        cmd.addAll(args);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
        LIVE.add(process);
    }

    /** Another JVM with the same arguments and port, after {@link #kill}. */
    public ServiceProcess restart() {
        kill();
        start();
        return this;
    }

    public ServiceProcess awaitHealthy(Duration timeout) {
        await(name + " healthy").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " died: " + Files.readString(log));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL, as a crash or the OOM killer would. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }
}
