package dev.tailor.fingerprint;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

import dev.tailor.store.Digest;


/**
 * What the HTTP endpoints and the boot flow share: one request's fingerprint, in whichever form it came, to a
 * target, with the same precedence rules everywhere (a body wins over the compact query or header).
 */
@Service
public class Fingerprints {

    private final TargetResolver resolver;
    private final TargetStats stats;
    private final MeasurementSource measurements;

    /** Without payoff measurements: auto answers as level. */
    public Fingerprints(TargetResolver resolver, TargetStats stats) {
        this(resolver, stats, MeasurementSource.NONE);
    }

    @Autowired
    public Fingerprints(TargetResolver resolver, TargetStats stats, MeasurementSource measurements) {
        this.resolver = resolver;
        this.stats = stats;
        this.measurements = measurements;
    }

    /**
     * @param contentType the request's Content-Type, or null
     * @param body        the request body, possibly empty; callers cap it at {@link FingerprintParser#MAX_BODY_BYTES}
     * @param compact     the {@code cpu=} query or {@code Tailor-CPU} header, or null
     * @param arch        the {@code arch=} hint, or null
     * @param policy      the {@code policy=} query, or null for the default
     * @param app         the app to count the answer for, or null
     * @throws FingerprintException (4xx) for anything Tailor cannot resolve
     */
    public Resolution resolve(String contentType, byte[] body, String compact, String arch, String policy,
            String app) {
        return resolve(contentType, body, compact, arch, policy, app, null, null, Policy.DEFAULT);
    }

    /** Counts an answer in the app's fleet statistics (for callers that resolved with no app). */
    public void count(String app, Resolution r) {
        stats.record(app, r.target().id());
    }

    /** @see TargetResolver#canonical */
    public String canonical(CpuProfile cpu) {
        return resolver.canonical(cpu);
    }

    /**
     * @param channel   with app, the channel whose bundle's measurements the auto policy reads, or null
     * @param bundle    the bundle whose payoff measurements the auto policy reads (before the channel's), or null;
     *                  with neither, auto answers as level
     * @param otherwise the policy when the request names none
     */
    public Resolution resolve(String contentType, byte[] body, String compact, String arch, String policy,
            String app, String channel, Digest bundle, Policy otherwise) {
        Policy p = Policy.parse(policy, otherwise);
        CpuProfile profile = (body == null || body.length == 0) && compact != null
                ? FingerprintParser.parseCompact(compact)
                : FingerprintParser.parse(contentType, body, arch);
        Measurements measured = p != Policy.AUTO ? Measurements.none()
                : bundle != null ? measurements.of(bundle)
                : app != null && channel != null ? measurements.ofChannel(app, channel)
                : Measurements.none();
        Resolution r = resolver.resolve(profile, p, measured);
        if (app != null) {
            stats.record(app, r.target().id());
        }
        return r;
    }
}
