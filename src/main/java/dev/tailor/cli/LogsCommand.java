package dev.tailor.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "logs", description = "A build's log; a running build's streams until it ends.")
final class LogsCommand implements Callable<Integer> {

    @ParentCommand
    TailorCli root;

    @Parameters(index = "0", paramLabel = "BUILD", description = "The build id, or a unique prefix of it (as tailor "
            + "builds shows).")
    String build;

    @Override
    public Integer call() {
        Api api = root.api();
        String id = fullId(api, build);
        String end = LogStream.follow(api, id, root.env.out());
        return end == null || end.equals("succeeded") ? 0 : CliException.FAILED;
    }

    static String fullId(Api api, String prefix) {
        if (!prefix.matches("[0-9a-f]{4,64}")) {
            throw new CliException(CliException.USAGE, "a build id is lowercase hex: " + prefix);
        }
        if (prefix.length() == 64) {
            return prefix;
        }
        List<String> matches = new ArrayList<>();
        api.get("v1/builds?limit=500").forEach(b -> {
            if (b.path("id").asString().startsWith(prefix)) {
                matches.add(b.path("id").asString());
            }
        });
        if (matches.size() != 1) {
            throw new CliException(CliException.USAGE, matches.isEmpty() ? "no recent build starts with " + prefix
                    : prefix + " is ambiguous: " + matches.size() + " builds start with it");
        }
        return matches.get(0);
    }
}
