package dev.tailor.target;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.tailor.web.ProblemException;

/** The catalog, public: devices and CDNs may look up what a target id means. */
@RestController
class TargetController {

    private final TargetCatalog catalog;

    TargetController(TargetCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/v1/targets")
    List<TargetView> all() {
        return catalog.all().stream().map(TargetView::of).toList();
    }

    @GetMapping("/v1/targets/{id}")
    TargetView.Detail one(@PathVariable String id) {
        return catalog.find(id).map(TargetView.Detail::of).orElseThrow(() -> ProblemException.notFound(
                "target.unknown", "no target \"" + (id.length() > 64 ? id.substring(0, 64) + "..." : id)
                        + "\"; GET /v1/targets lists them"));
    }
}
