package dev.tailor.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.web.ClientAddress;
import dev.tailor.web.RequestBodies;
import dev.tailor.limits.WaitingBoots;
import dev.tailor.problem.Problem;
import dev.tailor.builds.BuildQueueFullException;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.Builds;
import dev.tailor.builds.Priority;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.Names;
import dev.tailor.channel.ChannelService;
import dev.tailor.fingerprint.FingerprintParser;
import dev.tailor.fingerprint.Fingerprints;
import dev.tailor.fingerprint.Policy;
import dev.tailor.fingerprint.Resolution;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.problem.TailorException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The moment the service exists for: a device says what CPU it has and is redirected to the image built for it.
 * A warm boot is a resolve and an in-memory lookup; a cold one joins the single build of its (bundle, target) at
 * device priority and waits up to {@code wait} seconds, then falls back to the architecture's baseline image
 * (header {@code Tailor-Tuned: pending}) while the tuned one keeps building.
 *
 * <p>The fingerprint redirect depends on the request's CPU, so it is never cacheable. The target-path redirect
 * names everything it depends on but the channel, so edges may keep it briefly, tagged with the channel's
 * surrogate keys, and a release purges it.
 */
@RestController
class BootController {

    static final String TUNED = "Tailor-Tuned";
    static final String CANONICAL = "Tailor-CPU-Canonical";

    private final ChannelService channels;
    private final Fingerprints fingerprints;
    private final TargetCatalog catalog;
    private final Builds builds;
    private final DeliveryProperties props;
    private final WarmBoots warm;
    private final ServedImages served;
    private final CanonicalQueries canonicalQueries;
    private final DeliveryTimeline timeline;

    private final WaitingBoots waiting;
    private final ClientAddress clients;

    BootController(ChannelService channels, Fingerprints fingerprints, TargetCatalog catalog,
            Builds builds, DeliveryProperties props, WarmBoots warm, ServedImages served,
            CanonicalQueries canonicalQueries, WaitingBoots waiting, DeliveryTimeline timeline, ClientAddress clients) {
        this.clients = clients;
        this.timeline = timeline;
        this.canonicalQueries = canonicalQueries;
        this.waiting = waiting;
        this.warm = warm;
        this.served = served;
        this.channels = channels;
        this.fingerprints = fingerprints;
        this.catalog = catalog;
        this.builds = builds;
        this.props = props;
    }

    /**
     * What a boot is about: the channel's bundle and the target chosen for the device; {@code warmKey} names the
     * request in {@link WarmBoots} (null for target-path boots and requests with a body); {@code canonical} the
     * device's canonical fingerprint (null for target-path boots); {@code edgeCacheable} a GET whose query is
     * exactly the canonical one, whose final answer edges may keep; {@code query} that canonical query, and
     * {@code redirectToCanonical} when the answer is a redirect there instead.
     */
    private record Boot(String app, String channel, BundleDocument bundle, Target target, String warmKey,
                        String canonical, boolean edgeCacheable, String query, boolean redirectToCanonical) {
    }

    /** The one query of a canonical boot: {@code cpu=<canonical>}, then {@code &policy=<policy>} if one was named. */
    static String canonicalQuery(String canonical, String policy) {
        return "cpu=" + canonical + (policy == null || policy.isBlank() ? "" : "&policy=" + Policy.parse(policy).id());
    }

    @RequestMapping(path = "/v1/boot/{app}/{channel}", method = {RequestMethod.GET, RequestMethod.POST})
    Mono<ResponseEntity<Void>> boot(@PathVariable String app, @PathVariable String channel,
            @RequestParam(required = false) String cpu, @RequestParam(required = false) String policy,
            @RequestParam(required = false) String arch, @RequestParam(required = false) Double wait,
            @RequestHeader(name = "Tailor-CPU", required = false) String cpuHeader, ServerHttpRequest request) {
        Names.app(app);
        Names.channel(channel);
        // an edge refreshing its copy after a release waits for the new image as long as the server allows: a
        // pending answer would not replace the stale copy
        Duration patience = request.getHeaders().containsHeader(EdgePurger.REFRESH) ? props.maxBootWait()
                : patience(wait);
        String contentType = request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        String compact = cpu != null ? cpu : cpuHeader;
        String warmKey = WarmBoots.key(request);
        return RequestBodies.read(request, FingerprintParser.MAX_BODY_BYTES, "a fingerprint")
                .publishOn(Schedulers.boundedElastic())
                .map(body -> {
                    BundleDocument bundle = channels.releasedBundle(app, channel);
                    Resolution r = fingerprints.resolve(contentType, body, compact, arch, policy, null, channel,
                            bundle.digest(), Policy.BOOT_DEFAULT);
                    String canonical = fingerprints.canonical(r.profile());
                    boolean queryForm = request.getMethod() == HttpMethod.GET && body.length == 0 && cpu != null;
                    String canonicalQuery = canonicalQuery(canonical, policy);
                    boolean isCanonical = queryForm && canonicalQuery.equals(request.getURI().getRawQuery());
                    supported(bundle, r.target());
                    if (queryForm && !isCanonical && onlyCpuAndPolicy(request)) {
                        return new Boot(app, channel, bundle, r.target(), null, canonical, true, canonicalQuery, true);
                    }
                    fingerprints.count(app, r);
                    return new Boot(app, channel, bundle, r.target(), warmKey, canonical, isCanonical, canonicalQuery,
                            false);
                })
                .flatMap(boot -> boot.redirectToCanonical() ? Mono.just(toCanonical(boot))
                        : deliver(boot, patience, false, client(request)));
    }

    /** A query of nothing but the fingerprint (and the policy): the form edges may keep, once canonical. */
    private static boolean onlyCpuAndPolicy(ServerHttpRequest request) {
        var params = request.getQueryParams();
        return params.keySet().stream().allMatch(k -> k.equals("cpu") || k.equals("policy"))
                && params.values().stream().allMatch(v -> v.size() == 1);
    }

    /**
     * A non-canonical query converges on the canonical one: a redirect that edges keep like the answer it leads to
     * (it depends on nothing but the catalog; the channel's keys purge it with the rest).
     */
    private ResponseEntity<Void> toCanonical(Boot boot) {
        HttpHeaders h = new HttpHeaders();
        h.setLocation(URI.create("/v1/boot/" + boot.app() + "/" + boot.channel() + "?" + boot.query()));
        h.set(CANONICAL, boot.canonical());
        cacheControl(h, true, boot.app(), boot.channel());
        timeline.bootAnswered(boot.app());
        return new ResponseEntity<>(h, HttpStatus.TEMPORARY_REDIRECT);
    }

    @GetMapping("/v1/boot/{app}/{channel}/{target}")
    Mono<ResponseEntity<Void>> bootTarget(@PathVariable String app, @PathVariable String channel,
            @PathVariable String target, @RequestParam(required = false) Double wait, ServerHttpRequest request) {
        Names.app(app);
        Names.channel(channel);
        Target t = catalog.find(target).orElseThrow(() -> Problem.TARGET_UNKNOWN.because("No target '" + target + "'; GET /v1/targets lists them"));
        Duration patience = patience(wait);
        return Mono.fromCallable(() -> new Boot(app, channel, supported(channels.releasedBundle(app, channel), t), t, null,
                        null, false, null, false))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(boot -> deliver(boot, patience, true, client(request)));
    }

    /** The address a boot comes from (behind a trusted edge, the device's), for the limit on boots waiting at once. */
    private String client(ServerHttpRequest request) {
        return clients.of(request).orElse("unknown");
    }

    private Mono<ResponseEntity<Void>> deliver(Boot boot, Duration patience, boolean pinned, String client) {
        Optional<BuildRecord> ready = builds.succeeded(boot.bundle().digest(), boot.target());
        if (ready.isPresent()) {
            return Mono.just(redirect(boot, ready.get(), pinned, null));
        }
        boolean waits = !patience.isZero() && !patience.isNegative();
        if (waits) {
            waiting.enter(client);
        }
        return Mono.fromFuture(() -> builds.submit(boot.bundle().digest(), boot.target(), Priority.BOOT), true)
                .timeout(patience)
                .doFinally(signal -> {
                    if (waits) {
                        waiting.leave(client);
                    }
                })
                .map(record -> record.status() == BuildRecord.Status.SUCCEEDED
                        ? redirect(boot, record, pinned, null)
                        : fallback(boot, pinned, "failed"))
                .onErrorResume(TimeoutException.class, e -> Mono.fromCallable(() -> fallback(boot, pinned, "pending"))
                        .subscribeOn(Schedulers.boundedElastic()))
                .onErrorMap(BuildQueueFullException.class, e -> Problem.BOOT_QUEUE_FULL.because(
                        "The build queue for " + boot.target().arch() + " is full; retry shortly"));
    }

    /**
     * The tuned image is not there in time (or its build failed): the baseline image of the architecture, if it
     * exists, runs on every device. A pinned target means the device asked for exactly that image, so it waits.
     */
    private ResponseEntity<Void> fallback(Boot boot, boolean pinned, String tuned) {
        Target baseline = catalog.baseline(boot.target().arch());
        if (!pinned && !baseline.equals(boot.target())) {
            Optional<BuildRecord> base = builds.succeeded(boot.bundle().digest(), baseline);
            if (base.isPresent()) {
                return redirect(boot, base.get(), false, tuned);
            }
            // Releases prebuild baselines; should this one be missing, start it so the device's retry finds it.
            try {
                builds.submit(boot.bundle().digest(), baseline, Priority.BOOT);
            } catch (BuildQueueFullException e) {
                // the tuned build is queued already; the retry will try again
            }
        }
        if (tuned.equals("failed")) {
            throw Problem.BOOT_BUILD_FAILED.because("The image for " + boot.target().id() + " failed to build; GET /v1/builds/"
                            + builds.key(boot.bundle().digest(), boot.target()).hex() + " says why");
        }
        throw Problem.BOOT_BUILDING.because("The image for " + boot.target().id() + " is still building; retry shortly");
    }

    private ResponseEntity<Void> redirect(Boot boot, BuildRecord record, boolean pinned, String tuned) {
        served.served(boot.app(), record.image().url());
        timeline.bootAnswered(boot.app());
        timeline.imageServed(boot.app());
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create(record.image().url()))
                .header("Tailor-Target", record.target())
                .header("Tailor-Bundle", boot.bundle().digest().toString())
                .header("Tailor-Build", record.id());
        if (tuned != null) {
            answer.header(TUNED, tuned);
        }
        if (pinned) {
            answer.cacheControl(CacheControl.maxAge(props.targetRedirectMaxAge()).cachePublic());
            answer.headers(h -> SurrogateKeys.tag(h, boot.app(), boot.channel()));
            return answer.build();
        }
        answer.header(CANONICAL, boot.canonical());
        boolean finalAnswer = tuned == null && record.target().equals(boot.target().id());
        boolean edge = finalAnswer && boot.edgeCacheable();
        if (edge) {
            canonicalQueries.answered(boot.app(), boot.channel(), boot.query());
        }
        answer.headers(h -> cacheControl(h, edge, boot.app(), boot.channel()));
        if (finalAnswer) {
            warm.put(boot.warmKey(), new WarmBoots.Answer(boot.app(), boot.bundle().digest(), record.target(),
                    record.image().url(), record.id(), boot.canonical(), edge));
        }
        return answer.build();
    }


    /**
     * A final answer to a canonical query: edges keep it ({@code s-maxage}), browsers do not, and a release (or new
     * payoff measurements) purges it by its surrogate keys. Everything else about a fingerprint is the device's own.
     */
    void cacheControl(HttpHeaders h, boolean edge, String app, String channel) {
        if (edge) {
            h.setCacheControl("public, max-age=0, s-maxage=" + props.bootEdgeMaxAge().toSeconds());
            SurrogateKeys.tag(h, app, channel);
        } else {
            h.setCacheControl(CacheControl.noStore());
        }
    }

    private static BundleDocument supported(BundleDocument bundle, Target target) {
        if (!bundle.manifest().archs().contains(target.arch())) {
            throw Problem.BOOT_ARCH_UNSUPPORTED.because("App '" + bundle.app() + "' does not build for "
                    + target.arch() + " (its manifest lists " + bundle.manifest().archs() + ")");
        }
        return bundle;
    }

    private Duration patience(Double wait) {
        if (wait == null) {
            return props.bootWait();
        }
        if (wait.isNaN() || wait < 0) {
            throw Problem.INVALID_WAIT.because("wait is a number of seconds, 0 or more").spelled("boot.bad_wait");
        }
        // Longer waits than the server allows are shortened, not refused: the device still gets an answer.
        return Duration.ofMillis(Math.min(Math.round(wait * 1000), props.maxBootWait().toMillis()));
    }

}
