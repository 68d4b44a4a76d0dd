package dev.tailor.payoff;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.http.CacheControl;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tailor.auth.Access;
import dev.tailor.builds.BuildQueueFullException;
import dev.tailor.builds.Priority;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.BundleService;
import dev.tailor.bundle.Names;
import dev.tailor.channel.ChannelService;
import dev.tailor.problem.Problem;
import dev.tailor.store.Digest;
import dev.tailor.web.Waits;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Payoff runs of an app's bundle, started ({@code build} role) and read (any token that may touch the app).
 */
@RestController
class PayoffController {

    /** Payoff runs time every rung several times: a caller may wait longer than for one build. */
    static final int MAX_WAIT_SECONDS = 900;

    private final Payoffs payoffs;
    private final BundleService bundles;
    private final ChannelService channels;
    private final Access access;

    private final ApplicationEventPublisher events;

    PayoffController(Payoffs payoffs, BundleService bundles, ChannelService channels, Access access,
                     ApplicationEventPublisher events) {
        this.events = events;
        this.payoffs = payoffs;
        this.bundles = bundles;
        this.channels = channels;
        this.access = access;
    }

    /**
     * A bundle's payoff: the first measurement's CPU and results at the top (the shape most readers want), every
     * measurement (one per architecture and CPU model) below, and each architecture's latest run.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Report(String app, Digest bundle, PayoffReport.MeasuredOn measuredOn, List<PayoffReport.Result> results,
                  double minGain, List<PayoffReport> measurements, List<Payoffs.RunState> runs) {
    }

    @PostMapping("/v1/apps/{app}/payoff")
    Mono<ResponseEntity<Report>> run(@PathVariable String app, @RequestBody(required = false) Mono<JsonNode> body,
            @RequestParam(defaultValue = "0") String wait, ServerHttpRequest request) {
        Names.app(app);
        String by = access.startBuild(request, app).name();
        int waitSeconds = Waits.seconds(wait, MAX_WAIT_SECONDS, null);
        return body.switchIfEmpty(Mono.error(() -> Problem.PAYOFF_REQUEST_INVALID.because(
                        "The body names the bundle: {\"channel\": \"stable\"} or {\"bundle\": \"sha256:...\"}")))
                .publishOn(Schedulers.boundedElastic())
                .map(json -> {
                    if (!json.isObject()) {
                        throw Problem.PAYOFF_REQUEST_INVALID.because("The body must be a JSON object");
                    }
                    BundleDocument bundle = bundle(app, text(json, "channel"), text(json, "bundle"));
                    JsonNode fresh = json.get("fresh");
                    if (fresh != null && !fresh.isBoolean() && !fresh.isNull()) {
                        throw Problem.PAYOFF_REQUEST_INVALID.because("\"fresh\" is true or false");
                    }
                    List<Payoffs.Run> runs = payoffs.start(bundle, fresh != null && fresh.asBoolean(), Priority.API);
                    events.publishEvent(new PayoffRequested(app, by, bundle.digest(), fresh != null && fresh.asBoolean()));
                    return new Started(bundle, runs);
                })
                .onErrorMap(BuildQueueFullException.class, e -> Problem.BUILD_QUEUE_FULL.because(e.getMessage()))
                .flatMap(s -> {
                    CompletableFuture<?> all = CompletableFuture.allOf(s.runs().stream().map(Payoffs.Run::done)
                            .toArray(CompletableFuture[]::new));
                    Mono<Object> done = all.isDone() ? Mono.just(Boolean.TRUE)
                            : waitSeconds <= 0 ? Mono.just(Boolean.FALSE)
                            // allOf completes with null, which a Mono sees as empty: then() turns the end into a value
                            : Mono.fromFuture(all, true).then(Mono.<Object>just(Boolean.TRUE))
                                    .timeout(Duration.ofSeconds(waitSeconds), Mono.just(Boolean.FALSE))
                                    .onErrorReturn(Boolean.TRUE);
                    return done.publishOn(Schedulers.boundedElastic()).map(x -> {
                        boolean ended = all.isDone();
                        Report report = report(s.bundle());
                        return ResponseEntity.status(ended ? HttpStatus.OK : HttpStatus.ACCEPTED)
                                .location(URI.create("/v1/apps/" + app + "/payoff?bundle=" + s.bundle().digest()))
                                .cacheControl(CacheControl.noStore()).body(report);
                    });
                });
    }

    private record Started(BundleDocument bundle, List<Payoffs.Run> runs) {
    }

    @GetMapping("/v1/apps/{app}/payoff")
    Mono<ResponseEntity<Report>> get(@PathVariable String app, @RequestParam(required = false) String channel,
            @RequestParam(required = false) String bundle, ServerHttpRequest request) {
        Names.app(app);
        access.requireApp(request, app);
        return Mono.fromCallable(() -> {
            BundleDocument b = bundle(app, channel, bundle);
            Report report = report(b);
            if (report.measurements().isEmpty()) {
                throw Problem.PAYOFF_NOT_MEASURED.because("Bundle " + b.digest() + " of '" + app + "' has no payoff "
                        + "report yet" + (report.runs().isEmpty() ? "; POST /v1/apps/" + app + "/payoff runs one"
                        : "; its runs: " + report.runs().stream().map(r -> r.arch() + " " + r.status().id()
                        + (r.error() == null ? "" : " (" + r.error().code() + ": " + r.error().detail() + ")")).toList()));
            }
            return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(report);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Report report(BundleDocument bundle) {
        List<PayoffReport> measured = payoffs.reports(bundle.digest());
        PayoffReport first = measured.isEmpty() ? null : measured.get(0);
        return new Report(bundle.app(), bundle.digest(), first == null ? null : first.measuredOn(),
                first == null ? List.of() : first.results(), payoffs.minGain(), measured, payoffs.runs(bundle));
    }

    private BundleDocument bundle(String app, String channel, String digest) {
        if (digest != null) {
            Digest d = Digest.parse(digest).orElseThrow(() -> Problem.DIGEST_INVALID
                    .because("bundle must be written sha256:<64 lowercase hex digits>"));
            return bundles.find(app, d).orElseThrow(() -> Problem.BUNDLE_NOT_FOUND.because("App '" + app
                    + "' has no bundle " + d));
        }
        if (channel == null) {
            throw Problem.PAYOFF_REQUEST_INVALID.because("Name the bundle: \"channel\" or \"bundle\"");
        }
        Names.channel(channel);
        return channels.releasedBundle(app, channel);
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw Problem.PAYOFF_REQUEST_INVALID.because("\"" + field + "\" must be a string");
        }
        return n.asString();
    }
}
