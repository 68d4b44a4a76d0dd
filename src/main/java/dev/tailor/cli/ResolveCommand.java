package dev.tailor.cli;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

@Command(name = "resolve", description = "Which target a CPU gets, why, and what it lacks for the next rung.")
final class ResolveCommand implements Callable<Integer> {

    @ParentCommand
    TailorCli root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-|COMPACT",
            description = "A /proc/cpuinfo or JSON fingerprint, - for standard input, or arch:feature,feature "
                    + "(default: /proc/cpuinfo).")
    String source = "/proc/cpuinfo";

    @Option(names = "--policy", description = "portable, level (default), native or auto.")
    String policy;

    @Option(names = "--arch", description = "A hint for a /proc/cpuinfo that could be either of two architectures.")
    String arch;

    @Override
    public Integer call() {
        JsonNode r = resolve(root, FingerprintInput.of(root, source), policy, arch);
        if (root.json) {
            root.printJson(r);
            return 0;
        }
        JsonNode t = r.path("target");
        var out = root.env.out();
        out.println("target     " + t.path("id").asString() + " (" + t.path("policy").asString() + ", policy "
                + r.path("policy").asString() + ")");
        out.println("cpu        " + r.path("arch").asString() + " " + r.path("vendor").asString("") + " "
                + r.path("model").asString(""));
        out.println("canonical  " + r.path("canonical").asString());
        out.println("reasons");
        r.path("reasons").forEach(reason -> out.println("  - " + reason.asString()));
        JsonNode next = r.path("next");
        if (next.isObject()) {
            List<String> missing = new ArrayList<>();
            next.path("missing").forEach(m -> missing.add(m.asString()));
            out.println("next       " + next.path("id").asString() + " (lacks " + String.join(", ", missing) + ")");
        } else {
            out.println("next       none: the top of the ladder");
        }
        return 0;
    }

    static JsonNode resolve(TailorCli root, FingerprintInput fp, String policy, String arch) {
        Api api = root.api();
        StringBuilder query = new StringBuilder("v1/fingerprints/resolve?");
        if (policy != null) {
            query.append("policy=").append(Api.encode(policy)).append('&');
        }
        if (arch != null) {
            query.append("arch=").append(Api.encode(arch)).append('&');
        }
        HttpRequest.Builder request;
        if (fp.compact()) {
            query.append("cpu=").append(Api.encode(fp.text()));
            request = api.request(query.toString()).POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request = api.request(query.toString()).header("Content-Type", fp.contentType())
                    .POST(HttpRequest.BodyPublishers.ofString(fp.text()));
        }
        return api.json(request.header("Accept", "application/json").build());
    }
}
