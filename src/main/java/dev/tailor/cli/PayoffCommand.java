package dev.tailor.cli;

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

@Command(name = "payoff", description = "What each rung gains for an app, as measured natively on a worker's CPU; "
        + "with --measure, measure it (again).")
final class PayoffCommand implements Callable<Integer> {

    @ParentCommand
    TailorCli root;

    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @ArgGroup(exclusive = true)
    Which which;

    static final class Which {
        @Option(names = "--channel", description = "The channel's bundle.")
        String channel;

        @Option(names = "--bundle", description = "sha256:<hex>.")
        String bundle;
    }

    @Option(names = "--measure", description = "Start a payoff run (a fresh one if measured before) and wait for it.")
    boolean measure;

    @Option(names = "--wait", description = "With --measure: seconds to wait (0..900, default ${DEFAULT-VALUE}).")
    int waitSeconds = 600;

    @Override
    public Integer call() {
        Api api = root.api();
        String path = "v1/apps/" + Api.encode(app) + "/payoff";
        Map<String, Object> source = source();
        JsonNode report;
        if (measure) {
            Map<String, Object> body = new LinkedHashMap<>(source);
            body.put("fresh", true);
            new Progress(root.env).status("measuring " + app + " natively (this takes a while)");
            report = api.postJson(path + "?wait=" + waitSeconds, body);
            new Progress(root.env).done();
        } else {
            Map.Entry<String, Object> e = source.entrySet().iterator().next();
            report = api.get(path + "?" + e.getKey() + "=" + Api.encode(e.getValue().toString()));
        }
        if (root.json) {
            root.printJson(report);
            return 0;
        }
        JsonNode on = report.path("measuredOn");
        root.env.out().println("bundle " + report.path("bundle").asString() + ", measured on " + on.path("vendor")
                .asString("") + " " + on.path("model").asString("") + " (" + on.path("native").asString("") + ")");
        Table table = new Table("TARGET", "MEDIAN", "VS BASELINE", "VS PARENT", "SPREAD", "RUNS");
        report.path("results").forEach(r -> {
            if (r.has("error")) {
                table.row(r.path("target").asString(), null, null, null, r.path("error").asString(), null);
            } else {
                table.row(r.path("target").asString(), ms(r.path("medianNs").asLong()),
                        String.format(Locale.ROOT, "%.2fx", r.path("speedupVsBaseline").asDouble()),
                        String.format(Locale.ROOT, "%.2fx", r.path("speedupVsParent").asDouble()),
                        ms(r.path("minNs").asLong()) + ".." + ms(r.path("maxNs").asLong()), r.path("runs").asInt());
            }
        });
        table.print(root.env.out());
        return 0;
    }

    private Map<String, Object> source() {
        if (which != null && which.channel != null) {
            return Map.of("channel", which.channel);
        }
        String bundle = which != null ? which.bundle : root.settings().pushed(app);
        if (bundle == null) {
            throw new CliException(CliException.USAGE, "say --channel C or --bundle D (nothing pushed for " + app
                    + " from here)");
        }
        return Map.of("bundle", bundle);
    }

    private static String ms(long ns) {
        return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
    }
}
