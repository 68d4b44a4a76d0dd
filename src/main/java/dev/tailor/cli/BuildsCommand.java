package dev.tailor.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

@Command(name = "builds", description = "Recent builds, newest first.")
final class BuildsCommand implements Callable<Integer> {

    @ParentCommand
    TailorCli root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP")
    String app;

    @Option(names = "--status", description = "queued, running, succeeded or failed.")
    String status;

    @Option(names = "--limit", description = "At most this many (1..500, default ${DEFAULT-VALUE}).")
    int limit = 20;

    @Override
    public Integer call() {
        StringBuilder q = new StringBuilder("v1/builds?limit=" + limit);
        if (app != null) {
            q.append("&app=").append(Api.encode(app));
        }
        if (status != null) {
            q.append("&status=").append(Api.encode(status));
        }
        JsonNode builds = root.api().get(q.toString());
        if (root.json) {
            root.printJson(builds);
            return 0;
        }
        Table table = new Table("BUILD", "STATUS", "APP", "TARGET", "FLAVOR", "QUEUED", "TIME", "ERROR");
        builds.forEach(b -> table.row(b.path("id").asString().substring(0, 12), b.path("status").asString(),
                b.path("app").asString(null), b.path("target").asString(), b.path("flavor").asString("image"),
                b.path("queuedAt").asString(null),
                b.has("durationMs") ? String.format(Locale.ROOT, "%.1fs", b.path("durationMs").asLong() / 1000.0) : null,
                b.path("error").path("code").asString(null)));
        table.print(root.env.out());
        return 0;
    }
}
