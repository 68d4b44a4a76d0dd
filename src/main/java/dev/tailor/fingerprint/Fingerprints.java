package dev.tailor.fingerprint;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Service;

import dev.tailor.web.ProblemException;
import reactor.core.publisher.Mono;

/**
 * What the HTTP endpoints and the boot flow share: one request's fingerprint, in whichever form it came, to a
 * target, with the same precedence rules everywhere (a body wins over the compact query or header).
 */
@Service
public class Fingerprints {

    private final TargetResolver resolver;
    private final TargetStats stats;

    public Fingerprints(TargetResolver resolver, TargetStats stats) {
        this.resolver = resolver;
        this.stats = stats;
    }

    /**
     * @param contentType the request's Content-Type, or null
     * @param body        the request body, possibly empty; callers cap it at {@link FingerprintParser#MAX_BODY_BYTES}
     * @param compact     the {@code cpu=} query or {@code Tailor-CPU} header, or null
     * @param arch        the {@code arch=} hint, or null
     * @param policy      the {@code policy=} query, or null for the default
     * @param app         the app to count the answer for, or null
     * @throws FingerprintException (4xx) for anything Tailor cannot resolve
     */
    public Resolution resolve(String contentType, byte[] body, String compact, String arch, String policy,
            String app) {
        Policy p = Policy.parse(policy);
        CpuProfile profile = (body == null || body.length == 0) && compact != null
                ? FingerprintParser.parseCompact(compact)
                : FingerprintParser.parse(contentType, body, arch);
        Resolution r = resolver.resolve(profile, p);
        if (app != null) {
            stats.record(app, r.target().id());
        }
        return r;
    }

    /**
     * A request's fingerprint body, at most {@link FingerprintParser#MAX_BODY_BYTES}: refused on the announced
     * length before anything is read, and otherwise as soon as reading passes the cap (413), never buffered first.
     * Empty when the request has no body.
     */
    public static Mono<byte[]> body(ServerHttpRequest request) {
        if (request.getHeaders().getContentLength() > FingerprintParser.MAX_BODY_BYTES) {
            return Mono.error(tooLarge());
        }
        return DataBufferUtils.join(request.getBody(), FingerprintParser.MAX_BODY_BYTES)
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
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge());
    }

    private static ProblemException tooLarge() {
        return new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "request.too_large",
                "a fingerprint is at most " + FingerprintParser.MAX_BODY_BYTES + " bytes");
    }
}
