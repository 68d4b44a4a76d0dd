package dev.tailor.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

@Command(name = "login", description = "Check a token against the service and keep it with the URL in the config "
        + "directory (mode 0600); pin the service's signing keys, which tailor boot verifies images with.")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    TailorCli root;

    @Option(names = "--token-file", required = true, paramLabel = "FILE",
            description = "A file holding the token (- for standard input).")
    String tokenFile;

    @Override
    public Integer call() {
        String token = root.readInput(tokenFile).trim();
        if (token.isEmpty() || token.contains("\n")) {
            throw new CliException(CliException.USAGE, tokenFile + " must hold one token on one line");
        }
        if (root.url == null && root.env.var("TAILOR_URL") == null) {
            throw new CliException(CliException.USAGE, "login needs --url URL");
        }
        Api api = new Api(TailorCli.withSlash(root.url != null ? root.url
                : java.net.URI.create(root.env.var("TAILOR_URL"))), token);
        JsonNode apps = api.get("v1/apps");
        List<Settings.PinnedKey> keys = new ArrayList<>();
        api.get("v1/keys").forEach(k -> keys.add(new Settings.PinnedKey(k.path("id").asString(),
                k.path("publicKeyPem").asString())));
        if (keys.isEmpty()) {
            throw new CliException(CliException.REFUSED, "the service publishes no signing key at /v1/keys");
        }
        Settings settings = root.settings();
        settings.saveLogin(new Settings.Login(api.base().toString(), token, keys));
        root.env.out().println("logged in to " + api.base() + " (" + apps.size() + " app(s) visible); pinned "
                + keys.size() + " signing key(s): " + String.join(", ", keys.stream().map(Settings.PinnedKey::id).toList()));
        root.env.out().println("kept in " + settings.configFile());
        return 0;
    }
}
