package dev.tailor.web;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;
import reactor.core.publisher.Mono;

/** Small request bodies read whole, with a cap. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The body, at most {@code max} bytes: refused on the announced length before anything is read, and otherwise as
     * soon as reading passes the cap (413 {@code request.too_large}), never buffered first. Empty when the request
     * has no body.
     *
     * @param what what the body is, for the problem's detail ("a fingerprint")
     */
    public static Mono<byte[]> read(ServerHttpRequest request, int max, String what) {
        if (request.getHeaders().getContentLength() > max) {
            return Mono.error(tooLarge(max, what));
        }
        return DataBufferUtils.join(request.getBody(), max)
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(max, what));
    }

    private static TailorException tooLarge(int max, String what) {
        return Problem.REQUEST_TOO_LARGE.because(what + " is at most " + max + " bytes");
    }
}
