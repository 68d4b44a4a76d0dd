package dev.tailor.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.tailor.testsupport.Ports;

/** Real Varnish and nginx edges, started by tests from the shipped configurations and stopped after them. */
final class EdgeProcesses {

    static final Path SHIPPED_VCL = Paths.get("cdn-config/varnish/tailor.vcl");
    static final Path SHIPPED_NGINX = Paths.get("cdn-config/nginx/tailor.conf");

    private EdgeProcesses() {
    }

    static int freePort() {
        return Ports.free();
    }

    /**
     * A running edge, listening on {@code port}: started by its type's {@code start}, which returns only once it
     * listens, and stopped by {@link #close} (tests hold it in an {@code @AutoClose} field).
     */
    interface Edge extends AutoCloseable {
        int port();

        Process process();

        @Override
        default void close() {
            stop(process());
        }
    }

    /** The edge once it listens; one that exits or never listens is stopped, and the failure names its log. */
    private static <E extends Edge> E listening(E edge, Path log) {
        try {
            awaitPort(edge.port(), edge.process(), log);
            return edge;
        } catch (RuntimeException e) {
            edge.close();
            throw e;
        }
    }

    /** The shipped VCL pointed at another origin port. */
    static String vclFor(int originPort) throws IOException {
        String vcl = Files.readString(SHIPPED_VCL);
        String pointed = vcl.replace(".port = \"8080\";", ".port = \"" + originPort + "\";");
        if (pointed.equals(vcl)) {
            throw new IllegalStateException("the shipped VCL no longer has the origin port line tests substitute");
        }
        return pointed;
    }

    /** A directory the unprivileged users varnishd and nginx switch to can read. */
    static Path openDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    record Varnish(int port, Path dir, Path workdir, Process process) implements Edge {

        static Varnish start(int port, int originPort) throws IOException {
            Path dir = openDir("tailor-varnish");
            Path vcl = dir.resolve("tailor.vcl");
            Files.writeString(vcl, vclFor(originPort));
            Path workdir = dir.resolve("work");
            Process p = new ProcessBuilder("varnishd", "-F", "-a", "127.0.0.1:" + port, "-f", vcl.toString(),
                    "-n", workdir.toString(), "-s", "malloc,64m", "-T", "127.0.0.1:0", "-p", "thread_pool_min=10")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("varnishd.log").toFile()).start();
            return listening(new Varnish(port, dir, workdir, p), dir.resolve("varnishd.log"));
        }

        /** One counter from {@code varnishstat -1}, e.g. {@code MAIN.cache_hit}. */
        long stat(String counter) {
            String out = run(List.of("varnishstat", "-n", workdir.toString(), "-1", "-f", counter));
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals(counter)) {
                    return Long.parseLong(f[1]);
                }
            }
            throw new IllegalStateException("no counter " + counter + " in: " + out);
        }

        String adm(String... args) {
            List<String> cmd = new ArrayList<>(List.of("varnishadm", "-n", workdir.toString()));
            cmd.addAll(List.of(args));
            return run(cmd);
        }

        /** Loads a VCL whose backend is the given port and makes it the active one; the cache is kept. */
        void useOrigin(String name, int originPort) throws IOException {
            Path vcl = dir.resolve(name + ".vcl");
            Files.writeString(vcl, vclFor(originPort));
            adm("vcl.load", name, vcl.toString());
            adm("vcl.use", name);
        }
    }

    record Nginx(int port, Path prefix, Process process) implements Edge {

        /** nginx with the given http-level configuration (listening on {@code port}). */
        static Nginx start(int port, String httpConfig) throws IOException {
            Path prefix = openDir("tailor-nginx");
            Files.createDirectories(prefix.resolve("logs"));
            Files.createDirectories(prefix.resolve("tmp"));
            Files.createDirectories(prefix.resolve("cache"));
            String conf = """
                    user root;
                    worker_processes 1;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/logs/error.log warn;
                    events { worker_connections 512; }
                    http {
                        access_log off;
                        client_body_temp_path %1$s/tmp/body;
                        proxy_temp_path %1$s/tmp/proxy;
                        fastcgi_temp_path %1$s/tmp/fastcgi;
                        uwsgi_temp_path %1$s/tmp/uwsgi;
                        scgi_temp_path %1$s/tmp/scgi;
                    %2$s
                    }
                    """.formatted(prefix, httpConfig);
            Files.writeString(prefix.resolve("nginx.conf"), conf);
            Process p = new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
            return listening(new Nginx(port, prefix, p), prefix.resolve("logs/stdout.log"));
        }

        /** The shipped configuration, pointed at the origin's port and listening on {@code port}. */
        static Nginx shipped(int port, int originPort) throws IOException {
            String conf = Files.readString(SHIPPED_NGINX);
            String pointed = conf.replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + originPort + ";")
                    .replace("listen 127.0.0.1:8081;", "listen 127.0.0.1:" + port + ";");
            if (pointed.equals(conf)) {
                throw new IllegalStateException("the shipped nginx config no longer has the lines tests substitute");
            }
            return start(port, pointed);
        }
    }

    private static void awaitPort(int port, Process p, Path log) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("edge exited " + p.exitValue() + ": " + tail(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                sleep(100);
            }
        }
        throw new IllegalStateException("edge did not listen on " + port + ": " + tail(log));
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(cmd + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
