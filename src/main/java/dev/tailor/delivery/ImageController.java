package dev.tailor.delivery;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.tailor.problem.Problem;
import dev.tailor.store.BlobStore;
import dev.tailor.store.Digest;
import dev.tailor.store.Layout;
import dev.tailor.problem.TailorException;
import dev.tailor.web.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Serves images, their signatures and provenance at immutable, content-addressed URLs. Responses are written
 * straight to the connection (sendfile when the store is local) instead of through a message writer, so the
 * range, conditional and caching headers are exactly the ones API.md promises and no image is held in the heap.
 * HEAD is answered by the same methods: WebFlux maps it onto GET.
 */
@RestController
class ImageController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ImageController.class);
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final int STREAM_BUFFER = 64 * 1024;
    private static final int SIDECAR_LIMIT = 1024 * 1024;

    /** What the origin answered for an image request; a counter per outcome, to see what an edge lets through. */
    enum Outcome { FULL, PARTIAL, NOT_MODIFIED, NOT_FOUND, UNSATISFIABLE }

    private final ImageFiles files;
    private final Map<Outcome, Counter> served = new EnumMap<>(Outcome.class);

    ImageController(ImageFiles files, MeterRegistry meters) {
        this.files = files;
        for (Outcome o : Outcome.values()) {
            served.put(o, Counter.builder("tailor.images.served")
                    .description("Image requests answered by the origin, by outcome")
                    .tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters));
        }
    }

    @GetMapping("/v1/images/sha256/{name}")
    Mono<Void> image(@PathVariable String name, ServerWebExchange exchange) {
        if (name.endsWith(".sig")) {
            Digest digest = digest(name.substring(0, name.length() - 4));
            return sidecar(digest, Layout.signature(digest), Problem.SIGNATURE_NOT_FOUND,
                    MediaType.APPLICATION_OCTET_STREAM, exchange);
        }
        Digest digest = digest(name);
        ImageFiles.Image known = files.cached(digest);
        Mono<ImageFiles.Image> image = known != null ? Mono.just(known)
                : Mono.fromCallable(() -> files.find(digest).orElseThrow(() -> imageNotFound(digest)))
                        .subscribeOn(Schedulers.boundedElastic());
        return image.flatMap(i -> serve(i, exchange));
    }

    @GetMapping("/v1/images/sha256/{hex}/provenance")
    Mono<Void> provenance(@PathVariable String hex, ServerWebExchange exchange) {
        Digest digest = digest(hex);
        return sidecar(digest, Layout.provenance(digest), Problem.PROVENANCE_NOT_FOUND, MediaType.APPLICATION_JSON,
                exchange);
    }

    Mono<Void> serve(ImageFiles.Image image, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        HttpHeaders in = request.getHeaders();
        var elsewhere = files.store().publicUrl(Layout.image(image.digest()));
        if (elsewhere.isPresent()) {
            // The store serves its objects itself (tailor.store.s3.public-base-url): send devices and edges there.
            // Where an image lives never changes, so the redirect is as immutable as the image.
            response.setStatusCode(HttpStatus.FOUND);
            response.getHeaders().setLocation(elsewhere.get());
            response.getHeaders().set(HttpHeaders.CACHE_CONTROL, IMMUTABLE);
            response.getHeaders().set(HttpHeaders.ETAG, image.etag());
            return response.setComplete();
        }

        ByteRange.Request wanted = EntityTags.ifRangeHolds(in.getFirst(HttpHeaders.IF_RANGE), image.etag())
                ? ByteRange.parse(in.getFirst(HttpHeaders.RANGE), image.size())
                : new ByteRange.Whole();
        boolean notModified = EntityTags.noneMatchHits(in.getFirst(HttpHeaders.IF_NONE_MATCH), image.etag());
        if (!notModified && wanted instanceof ByteRange.Unsatisfiable) {
            served.get(Outcome.UNSATISFIABLE).increment();
            ProblemException problem = new ProblemException(Problem.RANGE_UNSATISFIABLE, "The image has " + image.size() + " bytes; the requested range lies outside.");
            problem.getHeaders().set(HttpHeaders.CONTENT_RANGE, "bytes */" + image.size());
            problem.getHeaders().set(HttpHeaders.ACCEPT_RANGES, "bytes");
            return Mono.error(problem);
        }

        HttpHeaders out = response.getHeaders();
        out.set(HttpHeaders.ETAG, image.etag());
        out.set(HttpHeaders.CACHE_CONTROL, IMMUTABLE);
        out.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        out.set("Repr-Digest", image.reprDigest());
        if (notModified) {
            served.get(Outcome.NOT_MODIFIED).increment();
            response.setStatusCode(HttpStatus.NOT_MODIFIED);
            return response.setComplete();
        }
        out.setContentType(image.mediaType());
        long position = 0;
        long count = image.size();
        if (wanted instanceof ByteRange.Single single) {
            served.get(Outcome.PARTIAL).increment();
            response.setStatusCode(HttpStatus.PARTIAL_CONTENT);
            out.set(HttpHeaders.CONTENT_RANGE, single.range().contentRange());
            position = single.range().first();
            count = single.range().length();
        } else {
            served.get(Outcome.FULL).increment();
            response.setStatusCode(HttpStatus.OK);
        }
        out.setContentLength(count);
        if (request.getMethod() == HttpMethod.HEAD) {
            return response.setComplete();
        }
        return write(image, position, count, response);
    }

    private Mono<Void> write(ImageFiles.Image image, long position, long count, ServerHttpResponse response) {
        if (image.file() != null && response instanceof ZeroCopyHttpOutputMessage zeroCopy) {
            return zeroCopy.writeWith(image.file(), position, count)
                    .onErrorResume(e -> clientLeft(e, response), e -> Mono.empty())
                    .doOnError(e -> files.forget(image.digest()));
        }
        BlobStore store = files.store();
        String key = Layout.image(image.digest());
        Flux<DataBuffer> body = DataBufferUtils.readInputStream(() -> {
            InputStream stream = store.get(key).orElseThrow(() -> new UncheckedIOException(
                    new java.io.FileNotFoundException(key)));
            stream.skipNBytes(position);
            return stream;
        }, response.bufferFactory(), STREAM_BUFFER).subscribeOn(Schedulers.boundedElastic());
        return response.writeWith(DataBufferUtils.takeUntilByteCount(body, count))
                .onErrorResume(e -> clientLeft(e, response), e -> Mono.empty());
    }

    /**
     * A device or edge that hangs up mid-download (a resuming client, wrk at the end of a run) is routine, not a
     * server failure: the response is committed and there is no one left to tell.
     */
    private static boolean clientLeft(Throwable e, ServerHttpResponse response) {
        if (!response.isCommitted()) {
            return false;
        }
        boolean gone = e instanceof java.io.IOException || e.getClass().getName().endsWith("AbortedException");
        if (gone) {
            log.debug("client left during an image download: {}", e.toString());
        }
        return gone;
    }

    /** Signatures and provenance: small, immutable once written, so read whole and tagged by their own digest. */
    private Mono<Void> sidecar(Digest image, String key, Problem missing, MediaType type,
            ServerWebExchange exchange) {
        BlobStore store = files.store();
        return Mono.fromCallable(() -> {
            Optional<InputStream> stream = store.get(key);
            if (stream.isEmpty()) {
                throw store.head(Layout.image(image)).isEmpty() ? imageNotFound(image)
                        : missing.because("No " + missing.code().substring(0, missing.code().indexOf('.'))
                                + " is stored for image " + image + ".");
            }
            try (InputStream s = stream.get()) {
                byte[] bytes = s.readNBytes(SIDECAR_LIMIT + 1);
                if (bytes.length > SIDECAR_LIMIT) {
                    throw new IllegalStateException(key + " is larger than a sidecar may be");
                }
                return bytes;
            }
        }).subscribeOn(Schedulers.boundedElastic()).flatMap(bytes -> {
            ServerHttpResponse response = exchange.getResponse();
            HttpHeaders out = response.getHeaders();
            String etag = "\"sha256:" + HexFormat.of().formatHex(Digest.sha256().digest(bytes)) + "\"";
            out.set(HttpHeaders.ETAG, etag);
            out.set(HttpHeaders.CACHE_CONTROL, IMMUTABLE);
            if (EntityTags.noneMatchHits(exchange.getRequest().getHeaders().getFirst(HttpHeaders.IF_NONE_MATCH),
                    etag)) {
                response.setStatusCode(HttpStatus.NOT_MODIFIED);
                return response.setComplete();
            }
            out.setContentType(type);
            out.setContentLength(bytes.length);
            if (exchange.getRequest().getMethod() == HttpMethod.HEAD) {
                return response.setComplete();
            }
            return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
        });
    }

    private TailorException imageNotFound(Digest digest) {
        served.get(Outcome.NOT_FOUND).increment();
        return Problem.IMAGE_NOT_FOUND.because("No image " + digest + " is stored.");
    }

    private static Digest digest(String hex) {
        return Digest.ofHex(hex).orElseThrow(() -> Problem.DIGEST_INVALID.because(
                "An image digest is 64 lowercase hex digits: /v1/images/sha256/<hex>."));
    }
}
