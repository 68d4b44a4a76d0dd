package dev.tailor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The service's HTTP API as the client uses it. Every refusal becomes one line from the problem document
 * ({@code code: detail}); a service that cannot be reached, or answers 5xx, is {@link CliException#UNAVAILABLE}.
 */
final class Api {

    private final URI base;
    private final String token;
    private final HttpClient http;

    Api(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    URI base() {
        return base;
    }

    URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return request(uri(pathAndQuery));
    }

    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("User-Agent", "tailor-cli");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    JsonNode get(String pathAndQuery) {
        return json(request(pathAndQuery).GET().header("Accept", "application/json").build());
    }

    JsonNode postJson(String pathAndQuery, Object body) {
        return json(request(pathAndQuery).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Settings.JSON.writeValueAsString(body))).build());
    }

    JsonNode putJson(String pathAndQuery, Object body) {
        return json(request(pathAndQuery).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Settings.JSON.writeValueAsString(body))).build());
    }

    /** Sends the request and reads a JSON answer, refusing anything but 2xx. */
    JsonNode json(HttpRequest request) {
        HttpResponse<InputStream> r = send(request);
        return readJson(refuseUnlessOk(r));
    }

    static JsonNode readJson(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return Settings.JSON.readTree(in);
        } catch (IOException | JacksonException e) {
            throw new CliException(CliException.UNAVAILABLE, "unreadable answer from " + r.uri() + ": " + e.getMessage());
        }
    }

    HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new CliException(CliException.UNAVAILABLE, "cannot reach " + base + ": connection refused");
        } catch (IOException e) {
            throw new CliException(CliException.UNAVAILABLE, "cannot reach " + base + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
    }

    /** A 2xx answer passes; anything else becomes the problem's line. */
    static HttpResponse<InputStream> refuseUnlessOk(HttpResponse<InputStream> r) {
        if (r.statusCode() / 100 == 2) {
            return r;
        }
        throw problem(r);
    }

    static CliException problem(HttpResponse<InputStream> r) {
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        int status = r.statusCode() >= 500 || r.statusCode() == 429 ? CliException.UNAVAILABLE : CliException.REFUSED;
        String line;
        try {
            JsonNode p = Settings.JSON.readTree(body);
            String code = p.path("code").asString("");
            String detail = p.path("detail").asString(p.path("title").asString(""));
            line = (code.isEmpty() ? "HTTP " + r.statusCode() : code) + ": " + detail;
            List<String> errors = new ArrayList<>();
            p.path("errors").forEach(e -> {
                String error = e.isString() ? e.asString() : e.toString();
                if (!detail.contains(error)) {
                    errors.add(error);
                }
            });
            if (!errors.isEmpty()) {
                line += " (" + String.join("; ", errors) + ")";
            }
            if (r.statusCode() == 401) {
                line += " (run tailor login, or set TAILOR_TOKEN)";
            }
        } catch (JacksonException e) {
            line = "HTTP " + r.statusCode() + " from " + r.uri();
        }
        String retry = r.headers().firstValue("Retry-After").orElse(null);
        if (retry != null && status == CliException.UNAVAILABLE) {
            line += " (retry in " + retry + " s)";
        }
        return new CliException(status, line);
    }
}
