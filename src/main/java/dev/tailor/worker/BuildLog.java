package dev.tailor.worker;

import java.util.function.Consumer;

import dev.tailor.builds.BuildRecords;

/** A build's log: kept (up to a cap) for the store, and passed on line by line to live followers. */
final class BuildLog {

    private final StringBuilder text = new StringBuilder();
    private final Consumer<String> live;
    private boolean cut;

    BuildLog(Consumer<String> live) {
        this.live = live;
    }

    /** @param chunk one or more lines */
    synchronized void add(String chunk) {
        for (String line : chunk.split("\n")) {
            if (text.length() + line.length() + 1 > BuildRecords.MAX_LOG_BYTES) {
                if (!cut) {
                    cut = true;
                    text.append("[log cut at ").append(BuildRecords.MAX_LOG_BYTES).append(" bytes]\n");
                    live.accept("[log cut]");
                }
                return;
            }
            text.append(line).append('\n');
            live.accept(line);
        }
    }

    synchronized String text() {
        return text.toString();
    }
}
