package dev.tailor.delivery;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.auth.Access;
import dev.tailor.bundle.Names;

/** The dashboard's time series of an app's deliveries (this replica's, since it started, the last hour). */
@RestController
class TimelineController {

    private final DeliveryTimeline timeline;
    private final Access access;

    TimelineController(DeliveryTimeline timeline, Access access) {
        this.timeline = timeline;
        this.access = access;
    }

    @GetMapping("/v1/apps/{app}/stats/timeline")
    DeliveryTimeline.Timeline timeline(@PathVariable String app, ServerHttpRequest request) {
        Names.app(app);
        access.requireApp(request, app);
        return timeline.of(app);
    }
}
