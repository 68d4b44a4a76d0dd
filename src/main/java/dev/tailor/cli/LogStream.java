package dev.tailor.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A build's log: while the build runs the service streams it as server-sent events ({@code log} per line, then
 * {@code end} with the final status); afterwards it is plain text. Either way each line is printed as it comes.
 */
final class LogStream {

    private LogStream() {
    }

    /** @return the status the stream ended with, or null for a finished build's plain log */
    static String follow(Api api, String id, PrintStream out) {
        HttpResponse<InputStream> r = Api.refuseUnlessOk(api.send(api.request("v1/builds/" + id + "/log")
                .header("Accept", "text/event-stream, text/plain").GET().build()));
        boolean events = r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            return events ? events(in, out) : plain(in, out);
        } catch (IOException e) {
            throw new CliException(CliException.UNAVAILABLE, "the log stream of " + id + " broke: " + e.getMessage());
        }
    }

    private static String plain(BufferedReader in, PrintStream out) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            out.println(line);
        }
        out.flush();
        return null;
    }

    /** The event-stream format: fields up to a blank line; several data lines join with newlines. */
    private static String events(BufferedReader in, PrintStream out) throws IOException {
        String event = "message";
        StringBuilder data = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    if (event.equals("end")) {
                        return data.toString().trim();
                    }
                    if (event.equals("log") || event.equals("message")) {
                        out.println(data);
                        out.flush();
                    }
                }
                event = "message";
                data = null;
            } else if (line.startsWith("event:")) {
                event = field(line, 6);
            } else if (line.startsWith("data:")) {
                data = data == null ? new StringBuilder() : data.append('\n');
                data.append(field(line, 5));
            }
        }
        return null;
    }

    private static String field(String line, int at) {
        String v = line.substring(at);
        return v.startsWith(" ") ? v.substring(1) : v;
    }
}
