package dev.tailor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A fingerprint as the person named it: a file ({@code /proc/cpuinfo}, JSON), {@code -} for standard input, or the
 * compact form {@code arch:feature,feature} itself. {@code contentType} says how the service should read
 * {@code text}.
 */
record FingerprintInput(String text, String contentType) {

    private static final Pattern COMPACT = Pattern.compile("[a-z0-9_]+(@[A-Za-z0-9/_.-]*)?:[a-z0-9_.,]*");

    boolean compact() {
        return contentType == null;
    }

    static FingerprintInput of(TailorCli root, String arg) {
        boolean file = arg.equals("-") || Files.isRegularFile(Path.of(arg));
        if (!file && !COMPACT.matcher(arg.trim()).matches()) {
            throw new CliException(CliException.USAGE, arg + " is neither a readable file nor a compact fingerprint "
                    + "(arch:feature,feature)");
        }
        String text = file ? root.readInput(arg) : arg.trim();
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new CliException(CliException.USAGE, arg + " is empty");
        }
        if (trimmed.startsWith("{")) {
            return new FingerprintInput(text, "application/json");
        }
        if (!trimmed.contains("\n") && COMPACT.matcher(trimmed).matches()) {
            return new FingerprintInput(trimmed, null);
        }
        return new FingerprintInput(text, "text/plain");
    }
}
