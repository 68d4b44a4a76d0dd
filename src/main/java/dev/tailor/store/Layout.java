package dev.tailor.store;

/**
 * Every key Tailor stores under, in one place. The tree (the same on the filesystem and in a bucket):
 *
 * <pre>
 * bundles/sha256/&lt;hex&gt;                     a bundle's canonical tar; hex = its sha256 (the bundle digest)
 * images/sha256/&lt;hex&gt;                      a build's output (image, Linux executable or wasm module); hex = its sha256
 * images/sha256/&lt;hex&gt;.sig                  its Ed25519 signature, 64 raw bytes
 * images/sha256/&lt;hex&gt;.provenance.json      its signed provenance (a DSSE envelope)
 * builds/&lt;key&gt;.json                        a build's record; key = the build key, 64 hex digits
 * builds/&lt;key&gt;.log                         its log (at most 1 MiB)
 * stats/targets.json                        fleet statistics: targets resolved per app, summed over replicas
 * payoff/&lt;hex&gt;/&lt;arch&gt;/&lt;cpu&gt;.json           a payoff report: bundle hex's times per rung on one CPU model
 * audit/&lt;app&gt;/&lt;name&gt;.json                 one management action on the app, written once, never changed:
 *                                           name = (Long.MAX_VALUE - ms, 19 digits) "-" 16 random hex, newest first
 * meta/
 *   apps/&lt;app&gt;.json                        an app exists (written with its first bundle)
 *   bundles/sha256/&lt;hex&gt;.json              a bundle's document: app, digest, size, files, manifest, createdAt
 *   app-bundles/&lt;app&gt;/&lt;hex&gt;.json           the app's bundles (a copy of each document, listed per app)
 *   channels/&lt;app&gt;/&lt;channel&gt;.json          a channel: the bundle it points at and its release history
 *   build-index/all/&lt;name&gt;                  empty entries naming queued builds, newest first:
 *   build-index/app/&lt;app&gt;/&lt;name&gt;             name = (Long.MAX_VALUE - queued ms, 19 digits) "-" build key
 *   toolchains/&lt;arch&gt;.json                 the toolchain ids the workers of an architecture published
 * </pre>
 *
 * Content-addressed blobs ({@code bundles/}, {@code images/}) never change once written; documents under
 * {@code meta/}, {@code builds/} and {@code stats/} are rewritten whole, atomically. App, channel and architecture
 * names are validated before they reach a key ({@code [a-z0-9][a-z0-9-]{0,62}}, the catalog's architecture ids).
 */
public final class Layout {

    public static final String TARGET_STATS = "stats/targets.json";
    public static final String APPS = "meta/apps/";
    private static final String BUILD_INDEX = "meta/build-index/";

    private Layout() {
    }

    public static String bundleArchive(Digest bundle) {
        return "bundles/" + bundle.path();
    }

    public static String image(Digest image) {
        return "images/" + image.path();
    }

    public static String signature(Digest image) {
        return image(image) + ".sig";
    }

    public static String provenance(Digest image) {
        return image(image) + ".provenance.json";
    }

    /** @param buildKey the build key's 64 hex digits */
    public static String buildRecord(String buildKey) {
        return "builds/" + buildKey + ".json";
    }

    public static String buildLog(String buildKey) {
        return "builds/" + buildKey + ".log";
    }

    public static String app(String app) {
        return APPS + app + ".json";
    }

    /** The app's name from a key under {@link #APPS}. */
    public static String appOf(String appKey) {
        return appKey.substring(APPS.length(), appKey.length() - ".json".length());
    }

    public static String bundleDocument(Digest bundle) {
        return "meta/bundles/" + bundle.path() + ".json";
    }

    public static String appBundles(String app) {
        return "meta/app-bundles/" + app + "/";
    }

    public static String appBundle(String app, Digest bundle) {
        return appBundles(app) + bundle.hex() + ".json";
    }

    public static String channels(String app) {
        return "meta/channels/" + app + "/";
    }

    public static String channel(String app, String channel) {
        return channels(app) + channel + ".json";
    }

    /** @param app null for the index of every app's builds */
    public static String buildIndex(String app) {
        return BUILD_INDEX + (app == null ? "all/" : "app/" + app + "/");
    }

    public static String toolchains(String arch) {
        return "meta/toolchains/" + arch + ".json";
    }

    /** The app's audit trail, one object per action. */
    public static String audit(String app) {
        return "audit/" + app + "/";
    }

    public static String auditEvent(String app, long epochMillis, String unique) {
        return audit(app) + String.format("%019d", Long.MAX_VALUE - epochMillis) + "-" + unique + ".json";
    }

    /** Where a bundle's payoff reports are, one per (architecture, CPU measured on). */
    public static String payoffReports(Digest bundle) {
        return "payoff/" + bundle.hex() + "/";
    }

    /** @param cpu a short name of the CPU measured on ({@code [a-z0-9-]}) */
    public static String payoffReport(Digest bundle, String arch, String cpu) {
        return payoffReports(bundle) + arch + "/" + cpu + ".json";
    }
}
