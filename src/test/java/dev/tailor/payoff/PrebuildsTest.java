package dev.tailor.payoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.bundle.BundleDocument;
import dev.tailor.bundle.Manifest;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.fingerprint.NamedMicroarchitectures;
import dev.tailor.fingerprint.TargetResolver;
import dev.tailor.fingerprint.TargetStats;
import dev.tailor.store.Digest;
import dev.tailor.store.FileSystemBlobStore;
import tools.jackson.databind.json.JsonMapper;

class PrebuildsTest {

    static final TargetCatalog CATALOG = TargetCatalog.load();
    static final TargetResolver RESOLVER = new TargetResolver(CATALOG, new NamedMicroarchitectures());
    static final Digest BUNDLE = new Digest("aa".repeat(32));
    static final Manifest MANIFEST = new Manifest("shop", "1.0.0", List.of("src/*.c"), List.of(),
            List.of(Arch.X86_64, Arch.I686), Manifest.Optimize.SPEED, Map.of(), Manifest.DEFAULT_HEAP);
    static final BundleDocument DOC = new BundleDocument("shop", BUNDLE, 1, 1, MANIFEST, Instant.now());

    @TempDir
    Path tmp;

    PayoffStore store() {
        return new PayoffStore(new FileSystemBlobStore(tmp), JsonMapper.builder().build());
    }

    Prebuilds prebuilds(TargetStats stats, PayoffStore store) {
        return new Prebuilds(null, CATALOG, stats, RESOLVER, store, null, 1.05, 3);
    }

    static List<String> ids(java.util.Collection<Target> targets) {
        return targets.stream().map(Target::id).toList();
    }

    static void record(TargetStats stats, String target, int n) {
        for (int i = 0; i < n; i++) {
            stats.record("shop", target);
        }
    }

    @Test
    void withoutMeasurements_eachListedArchitecturesBaseline_thenTheMostRequestedTargetsItSupports() {
        TargetStats stats = new TargetStats();
        record(stats, "x86_64-v3", 5);
        record(stats, "aarch64-v8.2", 9); // the most requested, but the manifest lists no aarch64
        record(stats, "x86_64-v2", 2);
        record(stats, "i686-base", 1); // above the i686 baseline (i586-base): a requested rung like the others
        stats.record("other", "x86_64-v4");

        assertThat(ids(prebuilds(stats, store()).targets(DOC))).containsExactly(CATALOG.baseline(Arch.X86_64).id(),
                CATALOG.baseline(Arch.I686).id(), "x86_64-v3", "x86_64-v2", "i686-base");
    }

    /** A report like rung-bound's: v3 (AVX2) pays 3x, everything above it and v2 buys nothing. */
    static PayoffReport report(Map<String, Long> medians) {
        List<PayoffReport.Result> results = new ArrayList<>();
        long base = medians.get("x86_64-v1");
        medians.forEach((t, ns) -> results.add(new PayoffReport.Result(t, CATALOG.find(t).orElseThrow().parent(), "tc",
                null, 5, ns, ns - ns / 50, ns + ns / 50, base / (double) ns, null, Map.of(), null, null)));
        return new PayoffReport("shop", BUNDLE, "x86_64", "bb".repeat(32), Instant.now(),
                new PayoffReport.MeasuredOn("x86_64", "AuthenticAMD", "a test CPU", "x86_64-zen3", "x86_64-v3",
                        "x86_64:avx2"), 5, results);
    }

    @Test
    void withAReport_requestedRungsMapToTheOnesThatPay_rankedByDevicesTimesGain_andTheRestAreSkipped() {
        PayoffStore store = store();
        store.write(report(Map.of("x86_64-v1", 300L, "x86_64-v2", 300L, "x86_64-v3", 100L, "x86_64-v4", 99L,
                "x86_64-haswell", 100L, "x86_64-zen", 101L, "x86_64-zen2", 100L, "x86_64-zen3", 100L)));
        TargetStats stats = new TargetStats();
        record(stats, "x86_64-v4", 4);      // not faster than v3: served v3
        record(stats, "x86_64-haswell", 3); // likewise
        record(stats, "x86_64-v2", 50);     // the most requested, but v2 buys nothing over v1: not built
        record(stats, "x86_64-zen3", 2);

        Prebuilds prebuilds = prebuilds(stats, store);
        List<Prebuilds.Ranked> ranked = prebuilds.ranked(DOC);

        assertThat(ranked).extracting(r -> r.target().id()).containsExactly("x86_64-v3");
        assertThat(ranked.get(0).devices()).isEqualTo(9);
        assertThat(ranked.get(0).gain()).isEqualTo(3.0);
        assertThat(ids(prebuilds.targets(DOC))).containsExactly("x86_64-v1", "i586-base", "x86_64-v3");
    }
}
