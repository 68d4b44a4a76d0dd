package dev.tailor.audit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.tailor.auth.TokenRefused;
import dev.tailor.builds.BuildRetried;
import dev.tailor.bundle.BundleUploaded;
import dev.tailor.channel.ChannelReleased;
import dev.tailor.payoff.PayoffRequested;
import dev.tailor.retention.GarbageCollected;
import dev.tailor.retention.GcReport;

import dev.tailor.store.BlobInfo;
import dev.tailor.store.BlobStoreException;
import dev.tailor.store.Documents;
import dev.tailor.store.Layout;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records management actions: a JSON line on the {@code tailor.audit} logger for every one, and for actions on an
 * app an object of its own under {@code audit/<app>/} that is written once and never changed (append-only on the
 * filesystem and on S3 alike). A store that fails to take the record does not fail the action: the log line stays.
 */
@Component
public class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger("tailor.audit");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Documents documents;
    private final Clock clock;

    public AuditTrail(Documents documents, Clock clock) {
        this.documents = documents;
        this.clock = clock;
    }

    /** @param app null for an action on no app (it is logged only) */
    public void record(String app, String action, String actor, String outcome, Map<String, Object> details) {
        store(logged(app, action, actor, outcome, details));
    }

    private AuditEvent logged(String app, String action, String actor, String outcome, Map<String, Object> details) {
        AuditEvent e = new AuditEvent(clock.instant(), app, action, actor, outcome, details);
        log.info("{}", JSON.writeValueAsString(e));
        return e;
    }

    private void store(AuditEvent e) {
        if (e.app() == null) {
            return;
        }
        String unique = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try {
            documents.create(Layout.auditEvent(e.app(), e.at().toEpochMilli(), unique), e);
        } catch (BlobStoreException ex) {
            log.warn("the audit record of {} on {} was not stored: {}", e.action(), e.app(), ex.getMessage());
        }
    }

    public void ok(String app, String action, String actor, Map<String, Object> details) {
        record(app, action, actor, "ok", details);
    }

    @EventListener
    void on(BundleUploaded e) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (e.bundle() != null) {
            details.put("bundle", e.bundle().digest().toString());
            details.put("size", e.bundle().size());
            details.put("created", e.created());
        }
        record(e.app(), "upload", e.by(), e.refusedWith(), details);
    }

    @EventListener
    void on(ChannelReleased e) {
        var history = e.channel().history(); // newest first
        String by = history.isEmpty() ? null : history.get(0).by();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("channel", e.channel().channel());
        details.put("bundle", e.bundle().digest().toString());
        if (e.previous() != null) {
            details.put("previous", e.previous().bundle().toString());
        }
        ok(e.channel().app(), "release", by, details);
    }

    @EventListener
    void on(BuildRetried e) {
        ok(e.app(), "retry", e.by(), Map.of("build", e.build(), "target", e.target(), "flavor", e.flavor()));
    }

    @EventListener
    void on(PayoffRequested e) {
        ok(e.app(), "payoff", e.by(), Map.of("bundle", e.bundle().toString(), "fresh", e.fresh()));
    }

    @EventListener
    void on(TokenRefused e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", e.method());
        details.put("path", e.path());
        if (e.address() != null) {
            details.put("address", e.address());
        }
        // refused on the connection's event loop, before any work: the store write (an S3 PUT when distributed) goes
        // to a worker thread, so a flood of bad tokens cannot hold the loop; the record keeps the refusal's time
        AuditEvent event = logged(e.app(), "token_refused", e.caller(), e.code(), details);
        if (event.app() != null) {
            Schedulers.boundedElastic().schedule(() -> store(event));
        }
    }

    /** A collection is recorded once in the log and, per app it deleted from, in that app's trail. */
    @EventListener
    void on(GarbageCollected e) {
        GcReport r = e.report();
        record(null, "gc", e.by(), "ok", Map.of("deleted", r.deleted().size(), "bytesFreed", r.bytesFreed(),
                "buildRecords", r.buildRecords(), "images", r.images().size()));
        Map<String, List<String>> byApp = new java.util.TreeMap<>();
        r.deleted().forEach(b -> byApp.computeIfAbsent(b.app(), a -> new ArrayList<>()).add(b.bundle().toString()));
        byApp.forEach((app, digests) -> ok(app, "gc", e.by(), Map.of("bundles", digests)));
    }

    /** The app's actions, newest first, at most {@code limit}. */
    public List<AuditEvent> list(String app, int limit) {
        List<String> keys = new ArrayList<>(documents.store().list(Layout.audit(app)).stream().map(BlobInfo::key)
                .toList());
        keys.sort(null);
        List<AuditEvent> events = new ArrayList<>();
        for (String key : keys.subList(0, Math.min(limit, keys.size()))) {
            Optional<AuditEvent> e = documents.readListed(key, AuditEvent.class);
            e.ifPresent(events::add);
        }
        return events;
    }
}
