package dev.tailor.fingerprint;

import java.util.List;
import java.util.SortedSet;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.bundle.Names;
import dev.tailor.web.RequestBodies;
import dev.tailor.catalog.BootMachines;
import dev.tailor.catalog.TargetView;
import dev.tailor.problem.TailorException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Public: devices resolve their fingerprint; dashboards read which targets an app's devices need. */
@RestController
class FingerprintController {

    private final Fingerprints fingerprints;
    private final TargetStats stats;
    private final BootMachines machines;

    FingerprintController(Fingerprints fingerprints, TargetStats stats, BootMachines machines) {
        this.fingerprints = fingerprints;
        this.machines = machines;
        this.stats = stats;
    }

    record Next(String id, SortedSet<String> missing) {
    }

    /** @param canonical the shortest compact form that resolves as this fingerprint does, whatever the policy */
    record ResolveResponse(String arch, String vendor, String model, SortedSet<String> features,
                           TargetView.Detail target, String policy, List<String> reasons, Next next, String canonical) {

        static ResolveResponse of(Resolution r, String canonical, BootMachines machines) {
            CpuProfile p = r.profile();
            return new ResolveResponse(p.arch().id(), p.vendor(), p.model(), p.features(),
                    TargetView.Detail.of(r.target(), machines), r.policy().id(), r.reasons(),
                    r.next() == null ? null : new Next(r.next().id(), r.next().missing()), canonical);
        }
    }

    record StatsResponse(String app, List<TargetStats.TargetCount> targets) {
    }

    /**
     * The body is read here rather than bound by a codec: the fingerprint's form depends on the content type and
     * the content, and a body past the cap must stop being read at once (413), not be buffered first.
     */
    @PostMapping("/v1/fingerprints/resolve")
    Mono<ResolveResponse> resolve(ServerHttpRequest request, @RequestParam(required = false) String policy,
            @RequestParam(required = false) String arch, @RequestParam(required = false) String cpu,
            @RequestParam(required = false) String app, @RequestParam(required = false) String channel,
            @RequestHeader(name = "Tailor-CPU", required = false) String cpuHeader) {
        Policy.parse(policy); // a bad policy is refused before the body is read
        if (app != null) {
            Names.app(app);
        }
        if (channel != null) {
            Names.channel(channel);
        }
        String contentType = request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        String compact = cpu != null ? cpu : cpuHeader;
        return RequestBodies.read(request, FingerprintParser.MAX_BODY_BYTES, "a fingerprint")
                // a refused body ends here, on the connection's thread; the resolve may read the store (auto)
                .flatMap(body -> Mono.fromCallable(() -> {
                    Resolution r = fingerprints.resolve(contentType, body, compact, arch, policy, app, channel, null,
                            Policy.DEFAULT);
                    return ResolveResponse.of(r, fingerprints.canonical(r.profile()), machines);
                }).subscribeOn(Schedulers.boundedElastic()));
    }

    @GetMapping("/v1/apps/{app}/stats/targets")
    StatsResponse stats(@PathVariable String app, @RequestParam(defaultValue = "20") int limit) {
        Names.app(app);
        return new StatsResponse(app, stats.top(app, Math.min(Math.max(limit, 0), 1000)));
    }
}
