package dev.tailor.cli;

/**
 * A command that cannot go on: one line for the person (no stack trace) and the exit status scripts test.
 * Statuses: 1 the work failed (a build, a guest), 2 usage or local input, 3 the service is unreachable or unavailable
 * (retry later), 4 the service refused the request, 5 verification failed.
 */
final class CliException extends RuntimeException {

    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNAVAILABLE = 3;
    static final int REFUSED = 4;
    static final int UNVERIFIED = 5;

    private final int status;

    CliException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
