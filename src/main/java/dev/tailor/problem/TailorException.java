package dev.tailor.problem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A problem from the catalogue, with what this occurrence says about it. {@code detail} is for the client; the
 * message (which may name internal causes) only for the log.
 */
public class TailorException extends RuntimeException {

    private final Problem problem;
    private final String detail;
    private final String spelling;
    private final Map<String, Object> properties;
    private final int retryAfterSeconds;

    public TailorException(Problem problem, String detail) {
        this(problem, detail, null, Map.of(), null);
    }

    /**
     * For a failure of something behind the request (a store, a broker): the client reads {@code detail}, the log
     * reads {@code logMessage} and the cause.
     */
    protected TailorException(Problem problem, String detail, String logMessage, Throwable cause) {
        this(problem, detail, null, Map.of(), logMessage, cause, problem.retryAfterSeconds());
    }

    private TailorException(Problem problem, String detail, String spelling, Map<String, Object> properties,
                            Throwable cause) {
        this(problem, detail, spelling, properties, problem.code() + ": " + detail, cause, problem.retryAfterSeconds());
    }

    private TailorException(Problem problem, String detail, String spelling, Map<String, Object> properties,
                            String message, Throwable cause, int retryAfterSeconds) {
        super(message, cause);
        this.retryAfterSeconds = retryAfterSeconds;
        this.problem = Objects.requireNonNull(problem, "problem");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.spelling = spelling;
        this.properties = Map.copyOf(properties);
    }

    public Problem problem() {
        return problem;
    }

    public String detail() {
        return detail;
    }

    /** The code the document's {@code code} carries: the catalogue's, or a documented earlier spelling. */
    public String code() {
        return spelling != null ? spelling : problem.code();
    }

    /** Extra members of the problem document (for example the architecture of a full queue). */
    public Map<String, Object> properties() {
        return properties;
    }

    public TailorException with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(properties);
        more.put(name, value);
        return new TailorException(problem, detail, spelling, more, getMessage(), getCause(), retryAfterSeconds);
    }

    /** Seconds before a retry can succeed ({@code Retry-After}): the catalogue's, unless this occurrence knows better. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** For a problem whose wait is known exactly, such as a rate limit's next free slot. */
    public TailorException retryAfter(int seconds) {
        return new TailorException(problem, detail, spelling, properties, getMessage(), getCause(), Math.max(1, seconds));
    }

    /** Answers with an earlier spelling of the code, which clients of one endpoint may match on. */
    public TailorException spelled(String earlier) {
        if (!problem.earlierSpellings().contains(earlier)) {
            throw new IllegalArgumentException(earlier + " is not an earlier spelling of " + problem.code());
        }
        return new TailorException(problem, detail, earlier, properties, getMessage(), getCause(), retryAfterSeconds);
    }
}
