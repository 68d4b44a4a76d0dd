package dev.tailor.payoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.store.Digest;
import dev.tailor.store.FileSystemBlobStore;
import dev.tailor.store.Layout;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reports of one bundle measured on two CPU models are kept side by side; the same model measuring again replaces
 * its own; a store opened afresh (a restart) reads them; a corrupted report is skipped, not fatal.
 */
class PayoffStoreTest {

    static final Digest BUNDLE = new Digest("cd".repeat(32));

    @TempDir
    Path tmp;

    static PayoffReport report(String model, String nativeTarget, long medianNs, Instant at) {
        return new PayoffReport("app", BUNDLE, "x86_64", "ee".repeat(32), at,
                new PayoffReport.MeasuredOn("x86_64", "GenuineIntel", model, nativeTarget, "x86_64-v3", "x86_64:avx2"),
                5, List.of(new PayoffReport.Result("x86_64-v1", null, "tc", null, 5, medianNs, medianNs, medianNs, 1.0,
                        null, Map.of(), List.of(medianNs), null)));
    }

    @Test
    void twoCpuModels_sideBySide_theSameModelReplacesItsOwn_andARestartReadsThem() {
        FileSystemBlobStore blobs = new FileSystemBlobStore(tmp);
        PayoffStore store = new PayoffStore(blobs, JsonMapper.builder().build());
        store.write(report("Xeon E5-2680 v3", "x86_64-haswell", 100, Instant.parse("2026-01-01T00:00:00Z")));
        store.write(report("EPYC 7R13", "x86_64-zen3", 200, Instant.parse("2026-01-02T00:00:00Z")));
        store.write(report("Xeon E5-2680 v3", "x86_64-haswell", 150, Instant.parse("2026-01-03T00:00:00Z")));

        List<PayoffReport> again = new PayoffStore(blobs, JsonMapper.builder().build()).reports(BUNDLE);

        assertThat(again).extracting(r -> r.measuredOn().nativeTarget()).containsExactly("x86_64-haswell",
                "x86_64-zen3");
        assertThat(again.get(0).result("x86_64-v1").orElseThrow().medianNs()).isEqualTo(150);
    }

    @Test
    void aCorruptedReport_isSkipped() {
        FileSystemBlobStore blobs = new FileSystemBlobStore(tmp);
        PayoffStore store = new PayoffStore(blobs, JsonMapper.builder().build());
        store.write(report("EPYC 7R13", "x86_64-zen3", 200, Instant.now()));
        blobs.put(Layout.payoffReport(BUNDLE, "x86_64", "broken"),
                new ByteArrayInputStream("{\"app\":\"app\",\"bund".getBytes(StandardCharsets.UTF_8)));
        store.forget(BUNDLE);

        assertThat(store.reports(BUNDLE)).extracting(r -> r.measuredOn().nativeTarget()).containsExactly("x86_64-zen3");
    }
}
