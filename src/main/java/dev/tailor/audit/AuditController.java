package dev.tailor.audit;

import java.util.List;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.auth.Access;
import dev.tailor.bundle.Names;
import dev.tailor.problem.Problem;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** An app's audit trail, for any token that may act on the app. */
@RestController
class AuditController {

    private final AuditTrail trail;
    private final Access access;

    AuditController(AuditTrail trail, Access access) {
        this.trail = trail;
        this.access = access;
    }

    record Trail(String app, List<AuditEvent> events) {
    }

    @GetMapping("/v1/apps/{app}/audit")
    Mono<Trail> audit(@PathVariable String app, @RequestParam(defaultValue = "100") int limit,
            ServerHttpRequest request) {
        Names.app(app);
        access.requireApp(request, app);
        if (limit < 1 || limit > 1000) {
            throw Problem.REQUEST_BAD.because("limit is 1..1000");
        }
        return Mono.fromCallable(() -> new Trail(app, trail.list(app, limit))).subscribeOn(Schedulers.boundedElastic());
    }
}
