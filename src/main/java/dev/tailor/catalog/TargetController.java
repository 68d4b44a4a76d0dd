package dev.tailor.catalog;

import java.time.Duration;
import java.util.List;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;

/** The catalog, public: devices and CDNs may look up what a target id means. */
@RestController
class TargetController {

    private final TargetCatalog catalog;
    private final BootMachines machines;

    TargetController(TargetCatalog catalog, BootMachines machines) {
        this.catalog = catalog;
        this.machines = machines;
    }

    /** The catalog only changes with a deployment: edges may keep it briefly, never forever. */
    private static final CacheControl CACHE = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();

    @GetMapping("/v1/targets")
    ResponseEntity<List<TargetView>> all() {
        return ResponseEntity.ok().cacheControl(CACHE).body(catalog.all().stream().map(TargetView::of).toList());
    }

    @GetMapping("/v1/targets/{id}")
    ResponseEntity<TargetView.Detail> one(@PathVariable String id) {
        return ResponseEntity.ok().cacheControl(CACHE).body(catalog.find(id).map(t -> TargetView.Detail.of(t, machines))
                .orElseThrow(() -> Problem.TARGET_UNKNOWN.because("no target \"" + (id.length() > 64 ? id.substring(0, 64) + "..." : id)
                        + "\"; GET /v1/targets lists them")));
    }
}
