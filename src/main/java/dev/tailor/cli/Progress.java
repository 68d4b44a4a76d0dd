package dev.tailor.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line of progress on a terminal's stderr, redrawn in place ({@code \r}); nothing at all when no person watches
 * (a pipe, CI), so scripts read clean output.
 */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean enabled;
    private int lastLength;

    Progress(Env env) {
        this.err = env.err();
        this.enabled = env.terminal();
    }

    /** {@code label [#######.......]  42%  12.0 KiB / 28.5 KiB} */
    void bytes(String label, long done, long total) {
        int filled = total <= 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
        int percent = total <= 0 ? 100 : (int) (100 * Math.min(done, total) / total);
        draw(String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s / %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), percent, size(done), size(total)));
    }

    void status(String text) {
        draw(text);
    }

    private synchronized void draw(String line) {
        if (!enabled) {
            return;
        }
        String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
        err.print("\r" + line + pad);
        err.flush();
        lastLength = line.length();
    }

    /** Ends the line, so what follows starts on its own. */
    synchronized void done() {
        if (enabled && lastLength > 0) {
            err.println();
            err.flush();
        }
        lastLength = 0;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
