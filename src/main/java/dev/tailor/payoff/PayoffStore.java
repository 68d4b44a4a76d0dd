package dev.tailor.payoff;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tailor.store.BlobInfo;
import dev.tailor.store.BlobStore;
import dev.tailor.store.Digest;
import dev.tailor.store.Layout;
import tools.jackson.databind.ObjectMapper;

/**
 * Payoff reports in the store, one document per (bundle, architecture, CPU model measured on): they survive
 * restarts, a new measurement on the same CPU model replaces the old one, and reports from other CPU models stay
 * beside it. Reads are cached per bundle; {@link #forget} drops a bundle's entry when a run of it ends (every
 * replica hears the end).
 */
public class PayoffStore {

    private static final Logger log = LoggerFactory.getLogger(PayoffStore.class);

    private final BlobStore store;
    private final ObjectMapper json;
    private final Cache<Digest, List<PayoffReport>> cache = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    public PayoffStore(BlobStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    public void write(PayoffReport report) {
        store.put(Layout.payoffReport(report.bundle(), report.arch(), report.measuredOn().key()),
                new ByteArrayInputStream(json.writeValueAsBytes(report)));
        forget(report.bundle());
    }

    /** The bundle's reports, newest first; a document that cannot be read is skipped (and logged), not fatal. */
    public List<PayoffReport> reports(Digest bundle) {
        return cache.get(bundle, this::load);
    }

    public void forget(Digest bundle) {
        cache.invalidate(bundle);
    }

    private List<PayoffReport> load(Digest bundle) {
        List<PayoffReport> reports = new ArrayList<>();
        for (BlobInfo info : store.list(Layout.payoffReports(bundle))) {
            // read past any document cache: another process (a worker) may have replaced the report
            try (InputStream in = store.get(info.key()).orElse(null)) {
                if (in != null) {
                    reports.add(json.readValue(in, PayoffReport.class));
                }
            } catch (IOException | RuntimeException e) {
                log.warn("payoff report {} cannot be read: {}", info.key(), e.toString());
            }
        }
        reports.sort(Comparator.comparing(PayoffReport::measuredAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return List.copyOf(reports);
    }
}
