package dev.tailor.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

@Command(name = "targets", description = "The catalog: each rung with its parent and the features it adds.")
final class TargetsCommand implements Callable<Integer> {

    @ParentCommand
    TailorCli root;

    @Option(names = "--arch", description = "Only this architecture's targets.")
    String arch;

    @Override
    public Integer call() {
        JsonNode all = root.api().get("v1/targets");
        List<JsonNode> chosen = new ArrayList<>();
        all.forEach(t -> {
            if (arch == null || t.path("arch").asString().equals(arch)) {
                chosen.add(t);
            }
        });
        if (arch != null && chosen.isEmpty()) {
            throw new CliException(CliException.USAGE, "no targets for the architecture " + arch);
        }
        if (root.json) {
            root.printJson(Settings.JSON.valueToTree(chosen));
            return 0;
        }
        Map<String, List<String>> features = new HashMap<>();
        all.forEach(t -> features.put(t.path("id").asString(), strings(t.path("features"))));
        Table table = new Table("TARGET", "ARCH", "PARENT", "POLICY", "ADDS");
        chosen.forEach(t -> {
            List<String> adds = new ArrayList<>(strings(t.path("features")));
            adds.removeAll(features.getOrDefault(t.path("parent").asString(""), List.of()));
            table.row(t.path("id").asString(), t.path("arch").asString(), t.path("parent").asString(null),
                    t.path("policy").asString(), String.join(",", adds));
        });
        table.print(root.env.out());
        return 0;
    }

    static List<String> strings(JsonNode array) {
        List<String> s = new ArrayList<>();
        array.forEach(n -> s.add(n.asString()));
        return s;
    }
}
