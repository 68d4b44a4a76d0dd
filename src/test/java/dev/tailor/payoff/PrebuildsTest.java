package dev.tailor.builds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.Manifest;
import dev.tailor.fingerprint.TargetStats;
import dev.tailor.store.Digest;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;

class PrebuildsTest {

    static final TargetCatalog CATALOG = TargetCatalog.load();

    @Test
    void release_prebuildsEachListedArchitecturesBaseline_thenTheMostRequestedTargetsItSupports() {
        TargetStats stats = new TargetStats();
        for (int i = 0; i < 5; i++) {
            stats.record("shop", "x86_64-v3");
        }
        for (int i = 0; i < 9; i++) {
            stats.record("shop", "aarch64-v8.2"); // the most requested, but the manifest lists no aarch64
        }
        for (int i = 0; i < 2; i++) {
            stats.record("shop", "x86_64-v2");
        }
        stats.record("shop", "i686-base");
        stats.record("other", "x86_64-v4");
        Prebuilds prebuilds = new Prebuilds(null, CATALOG, stats,
                new BuildConfiguration.BuildProperties(2, 100, 3, 120));
        Manifest manifest = new Manifest("shop", "1.0.0", List.of("src/*.c"), List.of(), List.of(Arch.X86_64, Arch.I686),
                Manifest.Optimize.SPEED, Map.of(), Manifest.DEFAULT_HEAP);

        List<String> targets = prebuilds.targets(new BundleDocument("shop", new Digest("aa".repeat(32)), 1, 1, manifest,
                Instant.now())).stream().map(Target::id).toList();

        assertThat(targets).containsExactly(CATALOG.baseline(Arch.X86_64).id(), CATALOG.baseline(Arch.I686).id(),
                "x86_64-v3", "x86_64-v2");
    }
}
