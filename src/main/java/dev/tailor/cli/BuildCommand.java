package dev.tailor.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

@Command(name = "build", description = "Build an app for a target, or for the CPU a fingerprint describes. Shows "
        + "progress (with --follow the live log), prints compiler diagnostics as file:line:column: error: message, "
        + "and exits 0 only when the build succeeded.")
final class BuildCommand implements Callable<Integer> {

    @ParentCommand
    TailorCli root;

    @Parameters(index = "0", paramLabel = "APP[/CHANNEL]", description = "The channel's bundle, or without a channel "
            + "the bundle tailor push sent last for the app.")
    String appChannel;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Goal goal;

    static final class Goal {
        @Option(names = "--target", paramLabel = "T", description = "A target id (tailor targets lists them).")
        String target;

        @Option(names = "--cpu", paramLabel = "FILE|COMPACT", description = "A fingerprint: a /proc/cpuinfo or JSON "
                + "file, - for standard input, or arch:feature,feature.")
        String cpu;
    }

    @Option(names = "--policy", description = "With --cpu: portable, level, native or auto.")
    String policy;

    @Option(names = "--flavor", description = "image (default) or linux.")
    String flavor;

    @Option(names = "--follow", description = "Print the build's log as it runs.")
    boolean follow;

    @Option(names = "--timeout", description = "Seconds to wait for the end (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 900;

    @Override
    public Integer call() throws InterruptedException {
        Api api = root.api();
        JsonNode record = api.postJson("v1/builds", body());
        String id = record.path("id").asString();
        Progress progress = new Progress(root.env);
        if (follow && !finished(record)) {
            progress.status("build " + id.substring(0, 12) + ": " + record.path("status").asString() + " ("
                    + record.path("target").asString() + ")");
            progress.done();
            LogStream.follow(api, id, root.env.out());
        }
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        while (!finished(record)) {
            if (Instant.now().isAfter(deadline)) {
                progress.done();
                throw new CliException(CliException.FAILED, "build " + id + " is still " + record.path("status")
                        .asString() + " after " + timeoutSeconds + " s; tailor logs " + id.substring(0, 12) + " follows it");
            }
            progress.status(String.format(Locale.ROOT, "build %s: %s %s (%s)", id.substring(0, 12),
                    record.path("status").asString(), elapsed(record), record.path("target").asString()));
            Thread.sleep(300);
            record = api.get("v1/builds/" + id);
        }
        progress.done();
        return report(record);
    }

    private Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        int slash = appChannel.indexOf('/');
        String app = slash < 0 ? appChannel : appChannel.substring(0, slash);
        if (slash >= 0) {
            body.put("app", app);
            body.put("channel", appChannel.substring(slash + 1));
        } else {
            String pushed = root.settings().pushed(app);
            if (pushed == null) {
                throw new CliException(CliException.USAGE, "nothing pushed for " + app + " from here: say " + app
                        + "/CHANNEL, or tailor push first");
            }
            body.put("bundle", pushed);
        }
        if (goal.target != null) {
            body.put("target", goal.target);
        } else {
            FingerprintInput fp = FingerprintInput.of(root, goal.cpu);
            body.put("fingerprint", fp.text());
            if (policy != null) {
                body.put("policy", policy);
            }
        }
        if (flavor != null) {
            body.put("flavor", flavor);
        }
        return body;
    }

    static boolean finished(JsonNode record) {
        String s = record.path("status").asString();
        return s.equals("succeeded") || s.equals("failed");
    }

    private static String elapsed(JsonNode record) {
        String since = record.path("startedAt").asString(record.path("queuedAt").asString(""));
        if (since.isEmpty()) {
            return "";
        }
        Duration d = Duration.between(Instant.parse(since), Instant.now());
        return String.format(Locale.ROOT, "%.1f s", Math.max(0, d.toMillis()) / 1000.0);
    }

    private int report(JsonNode record) {
        if (root.json) {
            root.printJson(record);
        }
        if (record.path("status").asString().equals("succeeded")) {
            if (!root.json) {
                JsonNode image = record.path("image");
                root.env.out().println(String.format(Locale.ROOT, "succeeded  %s  %s  %s  %.1f s", record.path("target")
                        .asString(), image.path("digest").asString(), Progress.size(image.path("size").asLong()),
                        record.path("durationMs").asLong() / 1000.0));
                root.env.out().println(image.path("url").asString());
            }
            return 0;
        }
        JsonNode error = record.path("error");
        error.path("diagnostics").forEach(d -> root.env.err().println(d.path("file").asString() + ":"
                + d.path("line").asInt() + ":" + d.path("column").asInt() + ": " + d.path("severity").asString("error")
                + ": " + d.path("message").asString()));
        throw new CliException(CliException.FAILED, "build " + record.path("id").asString().substring(0, 12)
                + " failed: " + error.path("code").asString() + ": " + error.path("detail").asString());
    }
}
