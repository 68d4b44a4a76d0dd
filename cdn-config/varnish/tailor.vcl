# Varnish 7.1 in front of Tailor. Needs varnish-modules (xkey): apt-get install varnish varnish-modules
#
#   images     /v1/images/sha256/<hex>[.sig|/provenance]  immutable: cached for the year the origin allows,
#              keyed on the path alone (host and query ignored), ranges served from the cached object
#   redirects  GET /v1/boot/<app>/<channel>/<target>      cached for their max-age (60 s), tagged with the
#              surrogate keys in the origin's `xkey` (or `Surrogate-Key`) header, purged on release
#   boots      GET /v1/boot/<app>/<channel>?cpu=<canonical>[&policy=<p>]: final answers cached for their s-maxage
#              (tailor.delivery.boot-edge-max-age), tagged and purged like target-path redirects; the origin
#              makes every other fingerprint answer no-store
#   the rest   passed or cached only when the origin explicitly allows it; never no-store/private ones
#
# Purge by surrogate key (from the purge ACL only):
#   curl -X PURGE -H 'xkey-purge: app:hello channel:hello/stable' http://edge:6081/
# answers 200 "Purged <n>" with the number of objects dropped.
vcl 4.1;

import std;
import xkey;

# The origin. The port below is the one Tailor listens on by default; tests substitute it.
backend tailor {
    .host = "127.0.0.1";
    .port = "8080";
    .connect_timeout = 2s;
    # a cold boot may wait a few seconds for its build before the redirect comes
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
    .probe = {
        .url = "/actuator/health/liveness";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
        # start healthy: otherwise every fetch fails until the first probes have passed
        .initial = 3;
    }
}

# Who may purge. Tailor's purger runs beside the origin; add its address when it does not share the host.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Send the surrogate keys to purge in an xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # POST /v1/boot carries a fingerprint; uploads and releases are writes
        return (pass);
    }
    if (req.url ~ "^/v1/images/sha256/") {
        # public and content-addressed: credentials, cookies and query strings change nothing but would split
        # or bypass the cache
        set req.url = regsub(req.url, "\?.*$", "");
        unset req.http.Cookie;
        unset req.http.Authorization;
        return (hash);
    }
    if (req.url ~ "^/v1/boot/[^/?]+/[^/?]+/[^/?]+(\?|$)") {
        unset req.http.Cookie;
        unset req.http.Authorization;
        # a healthy origin refreshes expired redirects almost at once; a down one leaves them served for an hour
        if (std.healthy(req.backend_hint)) {
            set req.grace = 10s;
        }
        return (hash);
    }
    if (req.url ~ "^/v1/boot/[^/?]+/[^/?]+\?") {
        # A fingerprint boot in the query. The origin marks only final answers to the canonical query
        # (?cpu=<canonical>[&policy=<p>]) cacheable, with the channel's surrogate keys; every other answer is
        # no-store and stays the device's own. The fingerprint in a header would need Vary: pass it.
        if (req.http.Tailor-CPU) {
            return (pass);
        }
        unset req.http.Cookie;
        unset req.http.Authorization;
        if (std.healthy(req.backend_hint)) {
            set req.grace = 10s;
        }
        return (hash);
    }
    # everything else: the built-in rules (pass requests with credentials or cookies)
}

sub vcl_hash {
    if (req.url ~ "^/v1/images/sha256/") {
        # the same bytes whichever host name the device used
        hash_data(req.url);
        return (lookup);
    }
}

sub vcl_backend_response {
    # a failed background refresh must not replace the stale copy that is still being served
    if (bereq.is_bgfetch && beresp.status >= 500) {
        return (abandon);
    }
    if (!beresp.http.xkey && beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (beresp.http.Cache-Control ~ "(?i)(no-store|private|no-cache)"
            || beresp.http.Cache-Control !~ "(?i)(public|max-age|s-maxage)"
            || beresp.status >= 400) {
        # Not cacheable. For images, remember that for one second only: a hit-for-miss object lets requests
        # through uncoalesced while it lives, and the image may be built a moment after a 404.
        set beresp.uncacheable = true;
        if (bereq.url ~ "^/v1/images/sha256/") {
            set beresp.ttl = 1s;
        } else {
            set beresp.ttl = 10s;
        }
        set beresp.grace = 0s;
        return (deliver);
    }
    if (bereq.url ~ "^/v1/images/sha256/") {
        unset beresp.http.Set-Cookie;
    }
    # serve stale copies for an hour while the origin is down
    set beresp.grace = 1h;
    # skip the built-in rules: they would make cookie- or Vary-carrying answers uncacheable for two minutes,
    # which would defeat request coalescing
    return (deliver);
}

sub vcl_deliver {
    # the keys are the edge's business
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
