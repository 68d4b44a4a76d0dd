package dev.tailor.delivery;

import org.springframework.http.HttpHeaders;

/**
 * The surrogate keys that tag cacheable answers at edges, so that releasing a channel can drop exactly what
 * depended on it. One value, space-separated, in two headers: {@code xkey} (Varnish's xkey vmod) and
 * {@code Surrogate-Key} (Fastly and compatible CDNs).
 */
public final class SurrogateKeys {

    public static final String XKEY = "xkey";
    public static final String SURROGATE_KEY = "Surrogate-Key";

    private SurrogateKeys() {
    }

    public static String app(String app) {
        return "app:" + app;
    }

    public static String channel(String app, String channel) {
        return "channel:" + app + "/" + channel;
    }

    /** Both keys of an answer that depends on a channel, as one header value. */
    public static String of(String app, String channel) {
        return app(app) + " " + channel(app, channel);
    }

    /** Tags a response (e.g. a target-path boot redirect) with its app's and channel's keys. */
    public static void tag(HttpHeaders headers, String app, String channel) {
        String keys = of(app, channel);
        headers.set(XKEY, keys);
        headers.set(SURROGATE_KEY, keys);
    }
}
