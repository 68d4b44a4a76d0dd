package dev.tailor.cli;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

@Command(name = "push", description = "Pack an app directory reproducibly and upload it; print the bundle's digest. "
        + "The same files always give the same digest.")
final class PushCommand implements Callable<Integer> {

    private static final int CHUNK = 16 * 1024;

    @ParentCommand
    TailorCli root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The app directory (default: .).")
    Path dir = Path.of(".");

    @Option(names = "--app", description = "The app (default: the name in DIR/tailor.yaml).")
    String app;

    @Override
    public Integer call() {
        Path source = dir.toAbsolutePath().normalize();
        Packer.Packed packed = Packer.pack(source);
        String name = app != null ? app : appName(source);
        Api api = root.api();
        Progress progress = new Progress(root.env);
        byte[] archive = packed.archive();
        HttpRequest request = api.request("v1/apps/" + Api.encode(name) + "/bundles")
                .header("Content-Type", "application/gzip").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofByteArrays(chunks(archive, progress, "pushing " + name)),
                        archive.length))
                .build();
        JsonNode bundle;
        try {
            bundle = api.json(request);
        } finally {
            progress.done();
        }
        String digest = bundle.path("digest").asString();
        root.settings().rememberPush(name, digest);
        if (root.json) {
            root.printJson(bundle);
        } else {
            root.env.out().println(digest);
            root.env.err().println("pushed " + name + ": " + packed.files() + " file(s), " + Progress.size(archive.length)
                    + " packed");
        }
        return 0;
    }

    /** The archive in chunks, drawing the bar as the client takes each one to send. */
    private static Iterable<byte[]> chunks(byte[] archive, Progress progress, String label) {
        List<byte[]> chunks = new ArrayList<>();
        for (int at = 0; at < archive.length; at += CHUNK) {
            chunks.add(Arrays.copyOfRange(archive, at, Math.min(archive.length, at + CHUNK)));
        }
        return () -> new java.util.Iterator<>() {
            private int next;
            private long sent;

            @Override
            public boolean hasNext() {
                return next < chunks.size();
            }

            @Override
            public byte[] next() {
                byte[] c = chunks.get(next++);
                sent += c.length;
                progress.bytes(label, sent, archive.length);
                return c;
            }
        };
    }

    static String appName(Path dir) {
        try {
            JsonNode manifest = YAMLMapper.builder().build().readTree(Files.readString(dir.resolve("tailor.yaml")));
            String name = manifest.path("name").asString("");
            if (name.isEmpty()) {
                throw new CliException(CliException.USAGE, dir.resolve("tailor.yaml") + " names no app: add name:, "
                        + "or pass --app");
            }
            return name;
        } catch (IOException | JacksonException e) {
            throw new CliException(CliException.USAGE, "cannot read " + dir.resolve("tailor.yaml") + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
