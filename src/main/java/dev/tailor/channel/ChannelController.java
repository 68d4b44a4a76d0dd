package dev.tailor.channel;

import java.time.Instant;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.problem.Problem;
import dev.tailor.auth.Access;
import dev.tailor.auth.Caller;
import dev.tailor.auth.Role;
import dev.tailor.bundle.BundleService;
import dev.tailor.bundle.Names;
import dev.tailor.store.Digest;
import dev.tailor.problem.TailorException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Releasing bundles to channels, and the app overview. */
@RestController
class ChannelController {

    private final ChannelService channels;
    private final BundleService bundles;
    private final Access access;

    ChannelController(ChannelService channels, BundleService bundles, Access access) {
        this.channels = channels;
        this.bundles = bundles;
        this.access = access;
    }

    record ReleaseRequest(String bundle) {
    }

    record ChannelSummary(String channel, Digest bundle, Instant releasedAt) {
    }

    record AppSummary(String app, List<ChannelSummary> channels) {
    }

    @PutMapping("/v1/apps/{app}/channels/{channel}")
    Mono<ChannelDocument> release(@PathVariable String app, @PathVariable String channel,
            @RequestBody(required = false) Mono<ReleaseRequest> body, ServerHttpRequest request) {
        Names.app(app);
        Names.channel(channel);
        Caller caller = access.require(request, Role.PUBLISH, app);
        return body.switchIfEmpty(Mono.error(() -> missingBundle()))
                .map(r -> {
                    if (r.bundle() == null) {
                        throw missingBundle();
                    }
                    return Digest.parse(r.bundle()).orElseThrow(() -> Problem.DIGEST_INVALID.because("bundle must be written sha256:<64 lowercase hex digits>"));
                })
                .publishOn(Schedulers.boundedElastic())
                .map(digest -> channels.release(app, channel, digest, caller.name()));
    }

    @GetMapping("/v1/apps/{app}/channels/{channel}")
    Mono<ChannelDocument> get(@PathVariable String app, @PathVariable String channel, ServerHttpRequest request) {
        Names.app(app);
        Names.channel(channel);
        access.requireApp(request, app);
        return Mono.fromCallable(() -> channels.get(app, channel))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/v1/apps")
    Mono<List<AppSummary>> apps(ServerHttpRequest request) {
        Caller caller = access.requireApp(request, null);
        return Mono.fromCallable(() -> bundles.apps().stream().filter(caller::mayTouch)
                .map(app -> new AppSummary(app, channels.list(app).stream()
                        .map(c -> new ChannelSummary(c.channel(), c.bundle(), c.releasedAt())).toList()))
                .toList()).subscribeOn(Schedulers.boundedElastic());
    }

    private static TailorException missingBundle() {
        return Problem.CHANNEL_BUNDLE_REQUIRED.because("The body must be {\"bundle\": \"sha256:<hex>\"}");
    }
}
