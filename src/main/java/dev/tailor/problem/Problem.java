package dev.tailor.problem;

import java.util.List;

/**
 * Every problem Tailor reports, once: its stable code, the HTTP status it is answered with (0 for the failures a
 * build record carries in {@code error.code}, which no request is answered with), and what it means. Codes are a
 * public interface: a code is never reused for another meaning, and a merged code keeps its earlier spellings, which
 * the endpoints that used them still send in {@code code} (the problem document's {@code type} names the merged one).
 * The README's and the OpenAPI description's tables are generated from this list and checked against it by a test.
 */
public enum Problem {

    // requests in general
    REQUEST_BAD("request.bad", 400, "the request is malformed in a way no more specific code covers"),
    REQUEST_MALFORMED("request.malformed", 400, "the request body or a parameter could not be read"),
    REQUEST_TOO_LARGE("request.too_large", 413, "the request body is larger than the endpoint accepts"),
    INVALID_WAIT("request.invalid_wait", 400, "`wait` is not a whole number of seconds, 0 or more",
            "boot.bad_wait", "build.invalid_wait"),
    HTTP_NOT_FOUND("http.not_found", 404, "no endpoint has this path"),
    HTTP_METHOD_NOT_ALLOWED("http.method_not_allowed", 405, "the endpoint does not take this method"),
    HTTP_NOT_ACCEPTABLE("http.not_acceptable", 406, "the endpoint cannot answer in a type the Accept header allows"),
    HTTP_UNSUPPORTED_MEDIA_TYPE("http.unsupported_media_type", 415, "the endpoint does not take this Content-Type"),
    HTTP_OTHER("http.<status>", 400, "another status the framework answered with, for example http.409"),
    RATE_LIMITED("request.rate_limited", 429, "this token made more calls (or started more builds) in the last minute "
            + "than `tailor.limits.*-per-minute` allow: retry after `Retry-After`", 1),
    INTERNAL("internal", 500, "the server failed unexpectedly; the failure is logged, nothing about it is revealed"),

    // tokens
    AUTH_MISSING_TOKEN("auth.missing_token", 401, "the endpoint needs `Authorization: Bearer <token>`"),
    AUTH_INVALID_TOKEN("auth.invalid_token", 401, "the token is malformed or unknown"),
    AUTH_FORBIDDEN_ROLE("auth.forbidden_role", 403, "the token lacks the role the action needs"),
    AUTH_FORBIDDEN_APP("auth.forbidden_app", 403, "the token may not touch this app"),

    // apps, bundles and manifests
    APP_INVALID_NAME("app.invalid_name", 400, "an app name is `[a-z0-9][a-z0-9-]{0,62}`"),
    APP_NOT_FOUND("app.not_found", 404, "there is no such app"),
    APP_QUOTA_EXCEEDED("app.quota_exceeded", 409, "the app holds as many bundles or bytes as `tailor.limits.app-bundles` / "
            + "`app-bytes` allow: release or let the collector delete old bundles first"),
    DIGEST_INVALID("digest.invalid", 400, "a digest is written `sha256:<64 lowercase hex digits>`"),
    BUNDLE_NOT_FOUND("bundle.not_found", 404, "there is no bundle with this digest"),
    BUNDLE_EMPTY("bundle.empty", 400, "the upload has no body, or the archive no files"),
    BUNDLE_UNREADABLE("bundle.unreadable", 400, "the archive is corrupt or truncated"),
    BUNDLE_UNSUPPORTED_TYPE("bundle.unsupported_type", 415, "send a .tar.gz, .tar or .zip"),
    BUNDLE_UPLOAD_TOO_LARGE("bundle.upload_too_large", 413, "the announced Content-Length is past the upload limit"),
    BUNDLE_PATH_TRAVERSAL("bundle.path_traversal", 400, "an entry name is absolute, has a drive letter or '..'"),
    BUNDLE_SYMLINK("bundle.symlink", 400, "the archive has a symbolic link"),
    BUNDLE_HARDLINK("bundle.hardlink", 400, "the archive has a hard link"),
    BUNDLE_SPECIAL_FILE("bundle.special_file", 400, "the archive has a device, FIFO or other special file"),
    BUNDLE_DUPLICATE_ENTRY("bundle.duplicate_entry", 400, "two entries have the same name"),
    BUNDLE_BAD_NAME("bundle.bad_name", 400, "an entry name is not UTF-8 or has control characters"),
    BUNDLE_TOO_MANY_ENTRIES("bundle.too_many_entries", 413, "more entries than `tailor.bundles.max-entries`"),
    BUNDLE_FILE_TOO_LARGE("bundle.file_too_large", 413, "a file inflates past `tailor.bundles.max-file`"),
    BUNDLE_TOO_LARGE("bundle.too_large", 413, "all files inflate past `tailor.bundles.max-total`"),
    BUNDLE_COMPRESSION_BOMB("bundle.compression_bomb", 413, "the inflation ratio is past `tailor.bundles.max-ratio`"),
    MANIFEST_MISSING("manifest.missing", 400, "there is no `tailor.yaml` at the bundle's root"),
    MANIFEST_TOO_LARGE("manifest.too_large", 413, "`tailor.yaml` is past `tailor.bundles.max-manifest`"),
    MANIFEST_MALFORMED("manifest.malformed", 400, "`tailor.yaml` is not YAML"),
    MANIFEST_INVALID("manifest.invalid", 422, "`tailor.yaml` has unknown keys or bad values (each one listed)"),
    MANIFEST_NAME_MISMATCH("manifest.name_mismatch", 422, "the manifest's `name` is not the app in the URL"),
    MANIFEST_SOURCES_UNMATCHED("manifest.sources_unmatched", 422, "a `sources` glob matches no file"),

    // channels
    CHANNEL_INVALID_NAME("channel.invalid_name", 400, "a channel name is `[a-z0-9][a-z0-9-]{0,62}`"),
    CHANNEL_NOT_FOUND("channel.not_found", 404, "the app has no such channel"),
    CHANNEL_BUNDLE_REQUIRED("channel.bundle_required", 422, "a release names its bundle: `{\"bundle\":\"sha256:…\"}`"),
    CHANNEL_UNKNOWN_BUNDLE("channel.unknown_bundle", 422, "the release names a bundle this app does not have"),

    // targets and fingerprints
    TARGET_UNKNOWN("target.unknown", 404, "there is no such target in the catalog (GET /v1/targets lists them)"),
    FINGERPRINT_MISSING("fingerprint.missing", 400, "no fingerprint in the body, the `cpu` query or `Tailor-CPU`"),
    FINGERPRINT_UNPARSEABLE("fingerprint.unparseable", 400, "the fingerprint could not be read in any known form"),
    FINGERPRINT_UNKNOWN_ARCH("fingerprint.unknown_arch", 400, "the fingerprint names an architecture Tailor does not know"),
    FINGERPRINT_ARCH_MISMATCH("fingerprint.arch_mismatch", 422, "the fingerprint contradicts the architecture asked for"),
    FINGERPRINT_UNSUPPORTED_CPU("fingerprint.unsupported_cpu", 422, "the CPU lacks what the architecture's baseline needs"),
    FINGERPRINT_UNSUPPORTED_MEDIA_TYPE("fingerprint.unsupported_media_type", 415,
            "send text/plain (/proc/cpuinfo) or application/json"),
    FINGERPRINT_BAD_POLICY("fingerprint.bad_policy", 400, "the policy is not portable, level, native or auto"),
    PROBE_UNKNOWN_ARCH("probe.unknown_arch", 404, "there is no probe for this architecture"),

    // builds, as requests
    BUILD_REQUEST_REQUIRED("build.request_required", 422, "the body must be a JSON object"),
    BUILD_BUNDLE_REQUIRED("build.bundle_required", 422, "name the bundle: `bundle`, or `app` and `channel`"),
    BUILD_TARGET_REQUIRED("build.target_required", 422, "name the target: `target`, or `fingerprint` and `policy`"),
    BUILD_INVALID_FIELD("build.invalid_field", 422, "a field of the request has the wrong type"),
    BUILD_BAD_FINGERPRINT("build.bad_fingerprint", 422, "`fingerprint` is a /proc/cpuinfo text, a compact form or JSON"),
    BUILD_INVALID_FLAVOR("build.invalid_flavor", 422, "`flavor` is `image` or `linux` (payoff runs start at /v1/apps/{app}/payoff)"),
    BUILD_FLAVOR_UNSUPPORTED("build.flavor_unsupported", 422, "the target's architecture has no such flavor (wasm32 as linux)"),
    BUILD_ARCH_UNSUPPORTED("build.arch_unsupported", 422, "the bundle's manifest does not list the target's architecture"),
    BUILD_INVALID_ID("build.invalid_id", 400, "a build id is 64 lowercase hex digits"),
    BUILD_INVALID_STATUS("build.invalid_status", 400, "`status` is queued, running, succeeded or failed"),
    BUILD_NOT_FOUND("build.not_found", 404, "there is no such build"),
    BUILD_NOT_FAILED("build.not_failed", 409, "only a failed build can be retried"),
    BUILD_OUTDATED("build.outdated", 409, "the build's toolchain or target changed since: request the build again"),
    BUILD_QUEUE_FULL("build.queue_full", 503, "the architecture's queue is full: retry after `Retry-After`", 5),
    BUILD_NO_WORKER("build.no_worker", 503, "no worker for the architecture has started yet", 30),
    BUILD_TOOLCHAIN_UNAVAILABLE("build.toolchain_unavailable", 503, "this machine lacks a tool the architecture's builds need (the detail names it and how to install it)", 60),
    BUILD_DISPATCH_UNAVAILABLE("build.dispatch_unavailable", 503, "builds cannot be handed to workers right now", 5),

    // builds, as a failed build's record says (error.code)
    BUILD_COMPILE_ERROR("build.compile_error", 0, "the sources do not compile; `error.diagnostics` point at file:line:column"),
    BUILD_LINK_ERROR("build.link_error", 0, "the objects do not link (undefined symbols...)"),
    BUILD_NO_SOURCES("build.no_sources", 0, "no .c or .S file matches the manifest's sources"),
    BUILD_BAD_BUNDLE("build.bad_bundle", 0, "the bundle cannot be unpacked or built", "build.invalid_bundle"),
    BUILD_BUNDLE_MISSING("build.bundle_missing", 0, "the bundle or its archive is not in the store"),
    BUILD_TIMEOUT("build.timeout", 0, "a command ran past the wall-clock limit"),
    BUILD_RESOURCE_LIMIT("build.resource_limit", 0, "a command exceeded a memory, file or process limit"),
    BUILD_OUTPUT_TOO_LARGE("build.output_too_large", 0, "the output is larger than `tailor.worker.max-output`"),
    BUILD_UNKNOWN_TARGET("build.unknown_target", 0, "the worker's catalog has no such target"),
    BUILD_TOOLCHAIN_MISMATCH("build.toolchain_mismatch", 0, "the worker's toolchain is not the one the build key names"),
    BUILD_TOOLCHAIN_ERROR("build.toolchain_error", 0, "the compiler or linker failed in a way no diagnostic explains"),
    BUILD_INTERRUPTED("build.interrupted", 0, "the process running the build stopped before it finished: retry it"),
    BUILD_INTERNAL("build.internal", 0, "the worker failed unexpectedly; the failure is logged"),

    // payoff runs (their failures are in the run's build record, as for builds)
    PAYOFF_NOT_MEASURED("payoff.not_measured", 404, "the bundle has no payoff report yet: POST /v1/apps/{app}/payoff runs one"),
    PAYOFF_REQUEST_INVALID("payoff.invalid_request", 422, "the body names the bundle: `channel` or `bundle`, and optionally `fresh`"),
    PAYOFF_NO_NATIVE_WORKER("payoff.no_native_worker", 0, "the worker's CPU cannot run the architecture's executables natively"),
    PAYOFF_APP_FAILED("payoff.app_failed", 0, "the app did not exit 0 on the baseline, so nothing could be compared"),

    // boots and images
    BOOT_ARCH_UNSUPPORTED("boot.arch_unsupported", 404, "the channel's bundle is not built for the device's architecture"),
    BOOT_BUILDING("boot.building", 503, "the image is still building and nothing else is ready: retry", 2),
    BOOT_QUEUE_FULL("boot.queue_full", 503, "the architecture's queue is full: retry", 2),
    BOOT_TOO_MANY_WAITING("boot.too_many_waiting", 429, "this client already has `tailor.limits.waiting-boots-per-client` "
            + "boots waiting for builds: retry without `wait`, or later", 2),
    BOOT_BUILD_FAILED("boot.build_failed", 502, "the channel's bundle does not build for this target"),
    IMAGE_NOT_FOUND("image.not_found", 404, "there is no image with this digest"),
    SIGNATURE_NOT_FOUND("signature.not_found", 404, "there is no signature for this digest"),
    PROVENANCE_NOT_FOUND("provenance.not_found", 404, "there is no provenance for this digest"),
    RANGE_UNSATISFIABLE("range.unsatisfiable", 416, "the Range lies outside the image"),

    // backends
    STORE_UNAVAILABLE("store.unavailable", 503, "the storage backend is unreachable", 5),
    STORE_FULL("store.full", 507, "the server's storage is full: nothing of the request was kept; retry once space is freed"),
    STORE_CORRUPT("store.corrupt", 500, "a stored document could not be read (it is named in the log); the rest keeps working");

    private final String code;
    private final int status;
    private final String meaning;
    private final int retryAfterSeconds;
    private final List<String> earlierSpellings;

    Problem(String code, int status, String meaning, String... earlierSpellings) {
        this(code, status, meaning, 0, earlierSpellings);
    }

    Problem(String code, int status, String meaning, int retryAfterSeconds, String... earlierSpellings) {
        this.code = code;
        this.status = status;
        this.meaning = meaning;
        this.retryAfterSeconds = retryAfterSeconds;
        this.earlierSpellings = List.of(earlierSpellings);
    }

    public String code() {
        return code;
    }

    /** The HTTP status; 0 for a build record's failure, which no request is answered with. */
    public int status() {
        return status;
    }

    public String meaning() {
        return meaning;
    }

    /** Seconds a client should wait before retrying (the {@code Retry-After} header); 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Codes that named this problem before it was merged; endpoints that sent them still may. */
    public List<String> earlierSpellings() {
        return earlierSpellings;
    }

    /** The exception to throw for this problem, with what this occurrence says. */
    public TailorException because(String detail) {
        return new TailorException(this, detail);
    }

    /**
     * The catalogue as a Markdown table (code, status, meaning, earlier spellings), as the README and the OpenAPI
     * description show it.
     */
    public static String markdownTable() {
        StringBuilder t = new StringBuilder("| code | status | meaning |\n| --- | --- | --- |\n");
        for (Problem p : values()) {
            t.append("| `").append(p.code).append("` | ").append(p.status == 0 ? "in a build record" : p.status)
                    .append(" | ").append(p.meaning.replace("|", "\\|"));
            if (p.retryAfterSeconds > 0) {
                t.append(" (`Retry-After: ").append(p.retryAfterSeconds).append("`)");
            }
            if (!p.earlierSpellings.isEmpty()) {
                t.append("; earlier spellings, still sent by the endpoints that used them: `")
                        .append(String.join("`, `", p.earlierSpellings)).append('`');
            }
            t.append(" |\n");
        }
        return t.toString();
    }

    /** The catalogue entry of a code (or an earlier spelling of one). */
    public static java.util.Optional<Problem> of(String code) {
        for (Problem p : values()) {
            if (p.code.equals(code) || p.earlierSpellings.contains(code)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }
}
