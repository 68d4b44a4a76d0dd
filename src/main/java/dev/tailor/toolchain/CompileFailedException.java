package dev.tailor.toolchain;

/**
 * A build that failed because of its inputs or the toolchain: {@code diagnostics} is what clang or ld.lld said
 * (file:line: message lines), {@code log} the whole build log so far.
 */
public class CompileFailedException extends RuntimeException {

    private final String diagnostics;
    private final String log;

    public CompileFailedException(String message, String diagnostics, String log) {
        super(message);
        this.diagnostics = diagnostics;
        this.log = log;
    }

    public String diagnostics() {
        return diagnostics;
    }

    public String log() {
        return log;
    }
}
