package dev.tailor.builds;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.problem.Problem;
import dev.tailor.auth.Access;
import dev.tailor.auth.Caller;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.bundle.Names;
import dev.tailor.channel.ChannelService;
import dev.tailor.fingerprint.Fingerprints;
import dev.tailor.fingerprint.Policy;
import dev.tailor.store.Digest;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.toolchain.Flavor;
import dev.tailor.problem.TailorException;
import dev.tailor.web.Waits;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/** {@code /v1/builds}: start or join builds, read their state and logs, retry failed ones. */
@RestController
class BuildController {

    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_]+:[A-Za-z0-9_.,+-]*");

    private final Builds builds;
    private final BundleService bundles;
    private final ChannelService channels;
    private final TargetCatalog catalog;
    private final Fingerprints fingerprints;
    private final Access access;
    private final int maxWait;
    private final ApplicationEventPublisher events;

    BuildController(Builds builds, BundleService bundles, ChannelService channels, TargetCatalog catalog,
                    Fingerprints fingerprints, Access access, BuildConfiguration.BuildProperties props,
                    ApplicationEventPublisher events) {
        this.events = events;
        this.builds = builds;
        this.bundles = bundles;
        this.channels = channels;
        this.catalog = catalog;
        this.fingerprints = fingerprints;
        this.access = access;
        this.maxWait = props.maxWait();
    }

    @PostMapping("/v1/builds")
    Mono<ResponseEntity<BuildRecord>> create(@RequestBody(required = false) Mono<JsonNode> body,
            @RequestParam(defaultValue = "0") String wait, ServerHttpRequest request) {
        access.authenticate(request);
        int waitSeconds = Waits.seconds(wait, maxWait, "build.invalid_wait");
        return body.switchIfEmpty(Mono.error(() -> Problem.BUILD_REQUEST_REQUIRED.because("The body must name a bundle (\"bundle\" or \"app\" and \"channel\") and a target (\"target\" or \"fingerprint\")")))
                .publishOn(Schedulers.boundedElastic())
                .map(json -> {
                    if (!json.isObject()) {
                        throw Problem.BUILD_REQUEST_REQUIRED.because("The body must be a JSON object");
                    }
                    BundleDocument bundle = bundle(json);
                    access.startBuild(request, bundle.app());
                    Target target = target(json, bundle);
                    Flavor flavor = flavor(json);
                    return Map.entry(builds.key(bundle.digest(), target, flavor),
                            builds.submit(bundle.digest(), target, flavor, Priority.API));
                })
                .onErrorMap(BuildQueueFullException.class, BuildController::queueFull)
                .flatMap(e -> respond(e.getKey(), e.getValue(), waitSeconds));
    }

    @PostMapping("/v1/builds/{id}/retry")
    Mono<ResponseEntity<BuildRecord>> retry(@PathVariable String id, @RequestParam(defaultValue = "0") String wait,
            ServerHttpRequest request) {
        BuildKey key = key(id);
        access.authenticate(request);
        int waitSeconds = Waits.seconds(wait, maxWait, "build.invalid_wait");
        return Mono.fromCallable(() -> {
            BuildRecord r = builds.find(key).orElseThrow(() -> notFound(key));
            String by = access.startBuild(request, r.app()).name();
            CompletableFuture<BuildRecord> retried = builds.retry(key, Priority.API);
            events.publishEvent(new BuildRetried(r.app(), by, key.hex(), r.target(),
                    r.flavor() == null ? "image" : r.flavor().id()));
            return retried;
        }).subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(BuildQueueFullException.class, BuildController::queueFull)
                .flatMap(f -> respond(key, f, waitSeconds));
    }

    @GetMapping("/v1/builds/{id}")
    Mono<ResponseEntity<BuildRecord>> get(@PathVariable String id, ServerHttpRequest request) {
        return visible(id, request, (key, r) -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(r));
    }

    /** Server-sent events while the build runs here (each log line an event, then an {@code end} event), else text. */
    @GetMapping("/v1/builds/{id}/log")
    Mono<ResponseEntity<Object>> log(@PathVariable String id, ServerHttpRequest request) {
        return visible(id, request, (key, r) -> {
            var live = builds.liveLog(key);
            if (live.isPresent()) {
                Flux<ServerSentEvent<String>> events = live.get().map(line -> ServerSentEvent.builder(line).event("log").build())
                        .concatWith(Mono.fromCallable(() -> ServerSentEvent.builder(
                                builds.find(key).map(b -> b.status().id()).orElse("unknown")).event("end").build())
                                .subscribeOn(Schedulers.boundedElastic()));
                return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                        .cacheControl(CacheControl.noStore()).body((Object) events);
            }
            String text = builds.log(key).orElse(r.status().isFinal() ? "" : "# " + r.status().id() + "\n");
            return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                    .cacheControl(CacheControl.noStore()).body((Object) text);
        });
    }

    @GetMapping("/v1/builds")
    Mono<List<BuildRecord>> list(@RequestParam(required = false) String app,
            @RequestParam(required = false) String status, @RequestParam(defaultValue = "50") int limit,
            ServerHttpRequest request) {
        if (app != null) {
            Names.app(app);
        }
        Caller caller = access.requireApp(request, app);
        BuildRecord.Status s;
        try {
            s = status == null ? null : BuildRecord.Status.parse(status);
        } catch (IllegalArgumentException e) {
            throw Problem.BUILD_INVALID_STATUS.because("status is one of queued, running, succeeded, failed");
        }
        int n = Math.max(1, Math.min(limit, 500));
        return Mono.fromCallable(() -> builds.list(app, s, r -> caller.mayTouch(r.app()), n))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** 200 with the final record (at once or within the wait), else 202 with the current one to poll. */
    private Mono<ResponseEntity<BuildRecord>> respond(BuildKey key, CompletableFuture<BuildRecord> future,
                                                      int waitSeconds) {
        Mono<BuildRecord> done = future.isDone() ? Mono.fromFuture(future)
                : waitSeconds <= 0 ? Mono.empty()
                : Mono.fromFuture(future, true).timeout(Duration.ofSeconds(waitSeconds), Mono.empty());
        return done.switchIfEmpty(Mono.fromCallable(() -> builds.find(key).orElseThrow(() -> notFound(key)))
                        .subscribeOn(Schedulers.boundedElastic()))
                .map(BuildController::response);
    }

    private static ResponseEntity<BuildRecord> response(BuildRecord r) {
        return ResponseEntity.status(r.status().isFinal() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .location(URI.create("/v1/builds/" + r.id())).cacheControl(CacheControl.noStore()).body(r);
    }

    private BundleDocument bundle(JsonNode json) {
        JsonNode digest = json.get("bundle");
        if (digest != null && !digest.isNull()) {
            Digest d = Digest.parse(digest.isString() ? digest.asString() : null).orElseThrow(() -> Problem.DIGEST_INVALID
                    .because("bundle must be written sha256:<64 lowercase hex digits>"));
            return bundles.find(d).orElseThrow(() -> Problem.BUNDLE_NOT_FOUND.because("There is no bundle " + d));
        }
        String app = text(json, "app");
        String channel = text(json, "channel");
        if (app == null || channel == null) {
            throw Problem.BUILD_BUNDLE_REQUIRED.because("Name the bundle: \"bundle\": \"sha256:...\", or \"app\" and \"channel\"");
        }
        Names.app(app);
        Names.channel(channel);
        return channels.releasedBundle(app, channel);
    }

    private Target target(JsonNode json, BundleDocument bundle) {
        String app = bundle.app();
        String id = text(json, "target");
        if (id != null) {
            return catalog.find(id).orElseThrow(() -> Problem.TARGET_UNKNOWN.because("There is no target '" + clip(id) + "'; see GET /v1/targets"));
        }
        JsonNode fp = json.get("fingerprint");
        if (fp == null || fp.isNull()) {
            throw Problem.BUILD_TARGET_REQUIRED.because("Name the target: \"target\": \"<id>\", or \"fingerprint\" and optionally \"policy\"");
        }
        String policy = text(json, "policy");
        if (fp.isString()) {
            String s = fp.asString();
            if (COMPACT.matcher(s.strip()).matches()) {
                return fingerprints.resolve(null, new byte[0], s.strip(), null, policy, app, null,
                        bundle.digest(), Policy.DEFAULT).target();
            }
            return fingerprints.resolve("text/plain", s.getBytes(StandardCharsets.UTF_8), null, null, policy, app,
                    null, bundle.digest(), Policy.DEFAULT).target();
        }
        if (fp.isObject()) {
            return fingerprints.resolve("application/json", fp.toString().getBytes(StandardCharsets.UTF_8), null, null,
                    policy, app, null, bundle.digest(), Policy.DEFAULT).target();
        }
        throw Problem.BUILD_BAD_FINGERPRINT.because("fingerprint is a /proc/cpuinfo text, a compact arch:features string or a JSON object");
    }

    /** {@code "flavor"}: image (default) or linux. */
    private static Flavor flavor(JsonNode json) {
        String f = text(json, "flavor");
        return f == null ? Flavor.IMAGE : Flavor.parse(f).filter(x -> x != Flavor.PAYOFF).orElseThrow(() -> Problem.BUILD_INVALID_FLAVOR.because("\"flavor\" is \"image\" or \"linux\", not \"" + clip(f) + "\""
                + (Flavor.parse(f).isPresent() ? ": payoff runs start with POST /v1/apps/{app}/payoff" : "")));
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw Problem.BUILD_INVALID_FIELD.because("\"" + field + "\" must be a string");
        }
        return n.asString();
    }

    /** The build, if the caller's token may see its app. */
    /** A build the caller may see (id and token checked first), read off the event loop and made into the answer. */
    private <T> Mono<T> visible(String id, ServerHttpRequest request, BiFunction<BuildKey, BuildRecord, T> answer) {
        BuildKey key = key(id);
        access.authenticate(request);
        return Mono.fromCallable(() -> answer.apply(key, visible(key, request))).subscribeOn(Schedulers.boundedElastic());
    }

    private BuildRecord visible(BuildKey key, ServerHttpRequest request) {
        BuildRecord r = builds.find(key).orElseThrow(() -> notFound(key));
        access.requireApp(request, r.app());
        return r;
    }

    private static BuildKey key(String id) {
        return BuildKey.parse(id).orElseThrow(() -> Problem.BUILD_INVALID_ID.because("A build id is 64 lowercase hex digits"));
    }

    private static TailorException notFound(BuildKey key) {
        return Problem.BUILD_NOT_FOUND.because("There is no build " + key);
    }

    private static Throwable queueFull(Throwable e) {
        return Problem.BUILD_QUEUE_FULL.because(e.getMessage() + "; retry shortly")
                .with("arch", ((BuildQueueFullException) e).arch());
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
