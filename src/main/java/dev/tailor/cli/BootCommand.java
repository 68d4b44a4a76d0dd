package dev.tailor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "boot", description = "Do what a device does: resolve this CPU, download the image (resuming a "
        + "partial download), verify its digest and its signature against the pinned keys, write it; with --run, "
        + "boot it in QEMU with the catalog's settings.")
final class BootCommand implements Callable<Integer> {

    private static final Pattern IMAGE = Pattern.compile("/v1/images/sha256/([0-9a-f]{64})$");

    @ParentCommand
    TailorCli root;

    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "CHANNEL")
    String channel;

    @Option(names = "--cpu", paramLabel = "FILE|COMPACT", description = "The fingerprint to boot as (default: "
            + "${DEFAULT-VALUE}).")
    String cpu = "/proc/cpuinfo";

    @Option(names = "--policy", description = "portable, level, native or auto (default: the service's, auto).")
    String policy;

    @Option(names = "--output", paramLabel = "PATH", description = "Where the verified image goes (default: "
            + "APP-CHANNEL.img).")
    Path output;

    @Option(names = "--key", paramLabel = "PEM", description = "Verify with this Ed25519 public key instead of the "
            + "keys tailor login pinned.")
    Path key;

    @Option(names = "--wait", description = "Seconds the service may spend building the image before answering.")
    Integer waitSeconds;

    @Option(names = "--run", description = "Boot the image in QEMU and print its console.")
    boolean run;

    @Option(names = "--timeout", description = "With --run: seconds before the guest is stopped (default: "
            + "${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<ImageSignature.Key> keys = key != null ? List.of(ImageSignature.read(key)) : ImageSignature.pinned(root.settings());
        Api api = root.api();
        FingerprintInput fingerprint = FingerprintInput.of(root, cpu);
        String fingerprintKey = HexFormat.of().formatHex(sha256(fingerprint.text().getBytes(StandardCharsets.UTF_8)));
        String known = fingerprint.compact() ? null : root.settings().canonical(fingerprintKey);
        if (known != null) {
            root.env.err().println("asking with this CPU's canonical fingerprint " + known + " (edges answer it)");
            fingerprint = new FingerprintInput(known, null);
        }
        HttpResponse<InputStream> answer = api.send(bootRequest(api, fingerprint));
        for (int hops = 0; answer.statusCode() == 307 && hops < 3; hops++) {
            // a GET with a fingerprint that is not canonical is sent to the canonical URL, which edges cache
            answer.body().close();
            answer = api.send(api.request(api.base().resolve(answer.headers().firstValue("Location").orElseThrow()))
                    .GET().build());
        }
        if (answer.statusCode() != 302) {
            throw answer.statusCode() / 100 == 2 ? new CliException(CliException.UNAVAILABLE, "the service answered "
                    + answer.statusCode() + " instead of a redirect to the image") : Api.problem(answer);
        }
        answer.body().close();
        String location = answer.headers().firstValue("Location").orElse("");
        Matcher m = IMAGE.matcher(URI.create(location).getPath() == null ? "" : URI.create(location).getPath());
        if (!m.find()) {
            throw new CliException(CliException.UNAVAILABLE, "the boot answer leads to no image: " + location);
        }
        String hex = m.group(1);
        String target = answer.headers().firstValue("Tailor-Target").orElse("?");
        Path out = (output != null ? output : Path.of(app + "-" + channel + ".img")).toAbsolutePath();
        URI image = api.base().resolve(location);
        Path part = out.resolveSibling(out.getFileName() + "." + hex.substring(0, 16) + ".part");
        Downloads.fetch(api, image, part, new Progress(root.env), target);
        verify(api, image, part, hex, keys);
        Settings.replace(part, out);
        root.env.out().println("sha256:" + hex + "  " + target + "  " + Progress.size(Files.size(out)) + "  " + out);
        String canonical = canonicalHeader(answer);
        if (canonical != null && known == null && !fingerprint.compact()) {
            root.settings().rememberCanonical(fingerprintKey, canonical);
        }
        return run ? QemuRun.boot(root, api, target, out, timeoutSeconds) : 0;
    }

    private static String canonicalHeader(HttpResponse<?> answer) {
        return answer.headers().firstValue("Tailor-CPU-Canonical").orElse(null);
    }

    private HttpRequest bootRequest(Api api, FingerprintInput fp) {
        StringBuilder q = new StringBuilder("v1/boot/" + Api.encode(app) + "/" + Api.encode(channel) + "?");
        if (fp.compact()) {
            q.append("cpu=").append(Api.encode(fp.text())).append('&');
        }
        if (policy != null) {
            q.append("policy=").append(Api.encode(policy)).append('&');
        }
        if (waitSeconds != null) {
            q.append("wait=").append(waitSeconds).append('&');
        }
        String uri = q.substring(0, q.length() - 1);
        return fp.compact() ? api.request(uri).GET().build()
                : api.request(uri).header("Content-Type", fp.contentType())
                        .POST(HttpRequest.BodyPublishers.ofString(fp.text())).build();
    }

    /** The digest the URL names and a signature by a pinned key, or the download is thrown away. */
    private static void verify(Api api, URI image, Path part, String hex, List<ImageSignature.Key> keys)
            throws IOException {
        byte[] bytes = Files.readAllBytes(part);
        String actual = HexFormat.of().formatHex(sha256(bytes));
        if (!actual.equals(hex)) {
            Files.deleteIfExists(part);
            throw new CliException(CliException.UNVERIFIED, "the image's digest is sha256:" + actual + ", not sha256:"
                    + hex + ": refused and deleted");
        }
        HttpResponse<InputStream> sig = Api.refuseUnlessOk(api.send(api.request(URI.create(image + ".sig")).GET()
                .build()));
        byte[] signature;
        try (InputStream in = sig.body()) {
            signature = in.readNBytes(1024);
        }
        String by = ImageSignature.verifiedBy(keys, bytes, signature);
        if (by == null) {
            Files.deleteIfExists(part);
            throw new CliException(CliException.UNVERIFIED, "the signature of sha256:" + hex
                    + " verifies with no pinned key: refused and deleted");
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
