package dev.tailor.retention;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.auth.Access;
import dev.tailor.auth.Role;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code POST /v1/admin/gc}: a collection now, for admins; a dry run unless {@code dryRun=false}. */
@RestController
class GcController {

    private final GarbageCollector collector;
    private final Access access;

    GcController(GarbageCollector collector, Access access) {
        this.collector = collector;
        this.access = access;
    }

    @PostMapping("/v1/admin/gc")
    Mono<GcReport> collect(@RequestParam(defaultValue = "true") boolean dryRun, ServerHttpRequest request) {
        String by = access.require(request, Role.ADMIN, null).name();
        return Mono.fromCallable(() -> collector.collect(dryRun, by)).subscribeOn(Schedulers.boundedElastic());
    }
}
