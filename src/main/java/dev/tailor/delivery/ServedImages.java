package dev.tailor.delivery;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How many distinct images each app's devices have been sent to ({@code tailor_images_distinct{app}}), since this
 * process started. Every distinct image splits the devices sharing one edge-cached object: the auto policy exists to
 * keep this number as low as the app's measured speed allows.
 */
@Component
class ServedImages {

    /** Apps tracked at most: the gauge's tag values stay bounded whatever the traffic. */
    private static final int MAX_APPS = 10_000;
    /** Images remembered per app at most: past it the gauge stays at this value (far past any useful ladder). */
    private static final int MAX_IMAGES = 10_000;

    private final MeterRegistry meters;
    private final Map<String, Set<String>> images = new ConcurrentHashMap<>();

    ServedImages(MeterRegistry meters) {
        this.meters = meters;
    }

    void served(String app, String imageUrl) {
        Set<String> of = images.get(app);
        if (of == null) {
            if (images.size() >= MAX_APPS) {
                return;
            }
            of = images.computeIfAbsent(app, a -> {
                Set<String> s = ConcurrentHashMap.newKeySet();
                Gauge.builder("tailor.images.distinct", s, Set::size).tag("app", a)
                        .description("distinct images this app's devices were sent to since the process started")
                        .register(meters);
                return s;
            });
        }
        if (of.size() < MAX_IMAGES) {
            of.add(imageUrl);
        }
    }

    int distinct(String app) {
        Set<String> of = images.get(app);
        return of == null ? 0 : of.size();
    }
}
