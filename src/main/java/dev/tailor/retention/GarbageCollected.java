package dev.tailor.retention;

/** Published after a collection that was not a dry run; {@code by} is the token's name, or {@code scheduler}. */
public record GarbageCollected(GcReport report, String by) {
}
