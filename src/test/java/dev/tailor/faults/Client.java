package dev.tailor.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP to a service process, with the admin token of its data directory. */
final class Client {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Path data;

    Client(String base, Path data) {
        this.base = base;
        this.data = data;
    }

    String token() throws IOException {
        return Files.readString(data.resolve("admin-token")).trim();
    }

    Answer send(String method, String path, String type, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    Answer upload(String app, byte[] tar) throws IOException, InterruptedException {
        return send("POST", "/v1/apps/" + app + "/bundles", "application/x-tar", tar);
    }

    Answer release(String app, String channel, String digest) throws IOException, InterruptedException {
        return send("PUT", "/v1/apps/" + app + "/channels/" + channel, "application/json",
                ("{\"bundle\":\"" + digest + "\"}").getBytes());
    }

    Answer build(String digest, String target, int wait) throws IOException, InterruptedException {
        return send("POST", "/v1/builds?wait=" + wait, "application/json",
                ("{\"bundle\":\"" + digest + "\",\"target\":\"" + target + "\"}").getBytes());
    }
}
