package dev.tailor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;

/** {@code tailor}: the service from a terminal or a CI job. */
@Command(name = "tailor", mixinStandardHelpOptions = true, version = "tailor 0.1.0",
        description = "Push app bundles to Tailor, release and build them, resolve CPUs and boot images.",
        subcommands = {LoginCommand.class, PushCommand.class, ReleaseCommand.class, BuildCommand.class,
            ResolveCommand.class, BootCommand.class, TargetsCommand.class, BuildsCommand.class, LogsCommand.class,
            PayoffCommand.class},
        footer = {"", "Exit status: 0 done, 1 the build or guest failed, 2 usage or local input, 3 the service is "
            + "unreachable or unavailable (retry later), 4 the service refused the request, 5 verification failed.",
            "TAILOR_URL and TAILOR_TOKEN override what tailor login kept."})
public final class TailorCli {

    final Env env;

    @Option(names = "--url", scope = ScopeType.INHERIT, description = "The service's base URL (default: TAILOR_URL, "
            + "else the one tailor login kept).")
    URI url;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the service's JSON instead of tables.")
    boolean json;

    TailorCli(Env env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(Env.system(), args));
    }

    /** Runs one command line; never throws, answers the exit status. */
    public static int run(Env env, String... args) {
        CommandLine cli = new CommandLine(new TailorCli(env));
        cli.setOut(new PrintWriter(env.out(), true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(env.err(), true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            env.out().flush();
            if (e instanceof CliException c) {
                env.err().println("tailor: " + c.getMessage());
                return c.status();
            }
            env.err().println("tailor: unexpected " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return CliException.FAILED;
        });
        return cli.execute(args);
    }

    Settings settings() {
        return new Settings(env.configDir());
    }

    /** The service: --url, else TAILOR_URL, else the login's; the token: TAILOR_TOKEN, else the login's. */
    Api api() {
        Settings.Login login = settings().login();
        URI base = url != null ? url : env.var("TAILOR_URL") != null ? URI.create(env.var("TAILOR_URL"))
                : login.url() != null ? URI.create(login.url()) : null;
        if (base == null) {
            throw new CliException(CliException.USAGE, "no service URL: run tailor login --url URL --token-file FILE, "
                    + "or set TAILOR_URL");
        }
        String token = env.var("TAILOR_TOKEN") != null ? env.var("TAILOR_TOKEN") : login.token();
        return new Api(withSlash(base), token);
    }

    static URI withSlash(URI base) {
        String s = base.toString();
        if (!s.startsWith("http://") && !s.startsWith("https://")) {
            throw new CliException(CliException.USAGE, "the URL must start with http:// or https://: " + s);
        }
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    /** --json: the document as the service sent it. */
    void printJson(JsonNode node) {
        env.out().println(Settings.JSON.writeValueAsString(node));
    }

    /** A file's text, or standard input for "-". */
    String readInput(String source) {
        try {
            if (source.equals("-")) {
                return new String(env.in().readAllBytes(), StandardCharsets.UTF_8);
            }
            Path p = Path.of(source);
            if (Files.size(p) > 256 * 1024) {
                throw new CliException(CliException.USAGE, source + " is larger than a fingerprint can be (256 KiB)");
            }
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot read " + source + ": " + e.getMessage());
        }
    }
}
