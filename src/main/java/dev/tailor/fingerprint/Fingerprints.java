package dev.tailor.fingerprint;

import org.springframework.stereotype.Service;


/**
 * What the HTTP endpoints and the boot flow share: one request's fingerprint, in whichever form it came, to a
 * target, with the same precedence rules everywhere (a body wins over the compact query or header).
 */
@Service
public class Fingerprints {

    private final TargetResolver resolver;
    private final TargetStats stats;

    public Fingerprints(TargetResolver resolver, TargetStats stats) {
        this.resolver = resolver;
        this.stats = stats;
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
        Policy p = Policy.parse(policy);
        CpuProfile profile = (body == null || body.length == 0) && compact != null
                ? FingerprintParser.parseCompact(compact)
                : FingerprintParser.parse(contentType, body, arch);
        Resolution r = resolver.resolve(profile, p);
        if (app != null) {
            stats.record(app, r.target().id());
        }
        return r;
    }
}
