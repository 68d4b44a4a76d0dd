package dev.tailor.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.problem.Problem;
import dev.tailor.auth.Access;
import dev.tailor.auth.Role;
import dev.tailor.store.DataDir;
import dev.tailor.store.Directories;
import dev.tailor.store.Digest;
import dev.tailor.problem.TailorException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Upload, list, read and download bundles (API.md, "Bundles and channels"). */
@RestController
@RequestMapping("/v1/apps/{app}/bundles")
class BundleController {

    private final BundleService bundles;
    private final BundleLimits limits;
    private final Access access;
    private final Path uploads;

    private final ApplicationEventPublisher events;

    BundleController(BundleService bundles, BundleLimits limits, Access access, DataDir dataDir,
                     ApplicationEventPublisher events) throws IOException {
        this.events = events;
        this.bundles = bundles;
        this.limits = limits;
        this.access = access;
        // spooled uploads of a process that was killed are nobody's now
        Path spool = dataDir.path().resolve("work/uploads");
        Directories.delete(spool);
        this.uploads = Files.createDirectories(spool);
    }

    @PostMapping
    Mono<ResponseEntity<BundleDocument>> upload(@PathVariable String app, ServerHttpRequest request) {
        Names.app(app);
        String by = access.require(request, Role.PUBLISH, app).name();
        Optional<ArchiveFormat> declared = declaredFormat(request.getHeaders().getContentType());
        long length = request.getHeaders().getContentLength();
        if (length > limits.maxUpload().toBytes()) {
            return Mono.error(uploadTooLarge());
        }
        Path file = uploads.resolve(UUID.randomUUID() + ".upload");
        return spool(request.getBody(), file)
                .then(Mono.fromCallable(() -> bundles.ingest(app, file, confirmFormat(file, declared)))
                        .subscribeOn(Schedulers.boundedElastic()))
                .doOnNext(result -> events.publishEvent(new BundleUploaded(app, by, result.bundle(), result.created(), null)))
                .doOnError(TailorException.class, e -> events.publishEvent(new BundleUploaded(app, by, null, false, e.code())))
                .map(result -> ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .location(URI.create("/v1/apps/" + app + "/bundles/" + result.bundle().digest().path()))
                        .body(result.bundle()))
                .doFinally(signal -> {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // the work directory is cleared at the next start
                    }
                });
    }

    @GetMapping
    Mono<List<BundleDocument>> list(@PathVariable String app, ServerHttpRequest request) {
        Names.app(app);
        access.requireApp(request, app);
        return blocking(() -> {
            if (!bundles.appExists(app)) {
                throw Problem.APP_NOT_FOUND.because("No app named '" + app + "'");
            }
            return bundles.list(app);
        });
    }

    @GetMapping("/sha256/{hex}")
    Mono<BundleDocument> get(@PathVariable String app, @PathVariable String hex, ServerHttpRequest request) {
        Names.app(app);
        access.requireApp(request, app);
        Digest digest = digest(hex);
        return blocking(() -> bundles.find(app, digest).orElseThrow(() -> notFound(app, digest)));
    }

    @GetMapping("/sha256/{hex}/archive")
    Mono<ResponseEntity<Resource>> archive(@PathVariable String app, @PathVariable String hex,
            ServerHttpRequest request) {
        Names.app(app);
        access.requireApp(request, app);
        Digest digest = digest(hex);
        return blocking(() -> {
            bundles.find(app, digest).orElseThrow(() -> notFound(app, digest));
            Resource body = bundles.archiveFile(digest).<Resource>map(FileSystemResource::new)
                    .orElseGet(() -> new InputStreamResource(open(digest)));
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("application/x-tar"))
                    .eTag("\"" + digest + "\"")
                    .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(365)).cachePublic().immutable())
                    .header(HttpHeaders.CONTENT_DISPOSITION,
                            "attachment; filename=\"" + app + "-" + digest.hex().substring(0, 12) + ".tar\"")
                    .body(body);
        });
    }

    private InputStream open(Digest digest) {
        return bundles.openArchive(digest).orElseThrow(() -> Problem.BUNDLE_NOT_FOUND.because("The bundle's archive is missing"));
    }

    /** Writes the body to disk as it arrives, failing as soon as it passes the upload limit. */
    private Mono<Void> spool(Flux<DataBuffer> body, Path file) {
        long max = limits.maxUpload().toBytes();
        AtomicLong seen = new AtomicLong();
        Flux<DataBuffer> limited = body.handle((buf, sink) -> {
            if (seen.addAndGet(buf.readableByteCount()) > max) {
                DataBufferUtils.release(buf);
                sink.error(uploadTooLarge());
            } else {
                sink.next(buf);
            }
        });
        return DataBufferUtils.write(limited, file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private TailorException uploadTooLarge() {
        return Problem.BUNDLE_UPLOAD_TOO_LARGE.because("The upload is larger than the limit of " + BundleLimits.human(limits.maxUpload()));
    }

    private static Optional<ArchiveFormat> declaredFormat(MediaType type) {
        if (type == null || type.isCompatibleWith(MediaType.APPLICATION_OCTET_STREAM)) {
            return Optional.empty();
        }
        return Optional.of(ArchiveFormat.forMediaType(type.getType() + "/" + type.getSubtype()).orElseThrow(() -> Problem.BUNDLE_UNSUPPORTED_TYPE.because("Upload the bundle as application/gzip (.tar.gz), application/x-tar or application/zip, not "
                        + type)));
    }

    /** Trusts the declared type only when the bytes agree; sniffs when none was declared. */
    private static ArchiveFormat confirmFormat(Path file, Optional<ArchiveFormat> declared) {
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<ArchiveFormat> sniffed = ArchiveFormat.sniff(head, n);
        if (n == 0) {
            throw Problem.BUNDLE_EMPTY.because("The upload is empty");
        }
        if (declared.isPresent()) {
            // old v7 tars have no magic; anything else must look like what it claims to be
            if (sniffed.isPresent() && sniffed.get() != declared.get() || sniffed.isEmpty() && declared.get() != ArchiveFormat.TAR) {
                throw Problem.BUNDLE_UNREADABLE.because("The upload is not a " + declared.get().name().toLowerCase().replace('_', '.') + " archive");
            }
            return declared.get();
        }
        return sniffed.orElseThrow(() -> Problem.BUNDLE_UNSUPPORTED_TYPE.because("The upload is not a .tar.gz, .tar or .zip archive"));
    }

    private static Digest digest(String hex) {
        return Digest.ofHex(hex).orElseThrow(() -> Problem.DIGEST_INVALID.because("A digest in a path is sha256/<64 lowercase hex digits>"));
    }

    private static TailorException notFound(String app, Digest digest) {
        return Problem.BUNDLE_NOT_FOUND.because("App '" + app + "' has no bundle " + digest);
    }

    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}
