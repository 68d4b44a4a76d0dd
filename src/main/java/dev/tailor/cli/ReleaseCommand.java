package dev.tailor.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

@Command(name = "release", description = "Point a channel at a bundle (default: the one tailor push sent last for the "
        + "app). Devices booting from the channel get it next.")
final class ReleaseCommand implements Callable<Integer> {

    @ParentCommand
    TailorCli root;

    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "CHANNEL")
    String channel;

    @Parameters(index = "2", arity = "0..1", paramLabel = "DIGEST", description = "sha256:<hex> of a pushed bundle.")
    String digest;

    @Override
    public Integer call() {
        String bundle = digest != null ? digest : root.settings().pushed(app);
        if (bundle == null) {
            throw new CliException(CliException.USAGE, "nothing pushed for " + app + " from here: name the DIGEST, or "
                    + "tailor push first");
        }
        JsonNode c = root.api().putJson("v1/apps/" + Api.encode(app) + "/channels/" + Api.encode(channel),
                Map.of("bundle", bundle));
        if (root.json) {
            root.printJson(c);
        } else {
            root.env.out().println(app + "/" + channel + " -> " + c.path("bundle").asString() + " (released "
                    + c.path("releasedAt").asString() + ")");
        }
        return 0;
    }
}
