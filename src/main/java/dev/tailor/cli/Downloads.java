package dev.tailor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Downloads that continue where an interrupted one stopped (HTTP Range on the digest-named part file). */
final class Downloads {

    private Downloads() {
    }

    static void fetch(Api api, URI image, Path part, Progress progress, String label) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = api.request(image).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> r = api.send(request.build());
        if (r.statusCode() == 302 || r.statusCode() == 307) {
            r.body().close();
            fetch(api, image.resolve(r.headers().firstValue("Location").orElseThrow()), part, progress, label);
            return;
        }
        if (r.statusCode() == 416) {
            r.body().close();
            return; // the part is whole already; verification decides
        }
        Api.refuseUnlessOk(r);
        boolean append = r.statusCode() == 206;
        long total = r.headers().firstValueAsLong("Content-Length").orElse(-1) + (append ? have : 0);
        long done = append ? have : 0;
        try (InputStream in = r.body(); OutputStream os = Files.newOutputStream(part, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                os.write(buffer, 0, n);
                done += n;
                progress.bytes("downloading " + label, done, total);
            }
        } finally {
            progress.done();
        }
    }
}
