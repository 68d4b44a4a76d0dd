package dev.tailor.catalog;

import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One rung of the catalog. {@code features} is the complete set of canonical feature names a device must have
 * (everything the parent requires, plus what this rung adds); {@code cflags} are the clang flags that select
 * exactly that instruction set.
 *
 * @param qemu QEMU CPU models for tests: one that satisfies the target and one that does not (either may be null)
 */
public record Target(String id, Arch arch, String parent, Kind kind, SortedSet<String> features, List<String> cflags,
                     String description, Qemu qemu) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** Level rungs form the ladder every policy uses; native rungs are named microarchitectures. */
    public enum Kind { LEVEL, NATIVE }

    public record Qemu(String runs, String faults) {
    }

    public Target {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad target id: " + id);
        }
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(kind, "kind");
        features = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(features));
        cflags = List.copyOf(cflags);
        description = description == null ? "" : description;
        qemu = qemu == null ? new Qemu(null, null) : qemu;
    }

    /** True when a device with these features can run every instruction this target may use. */
    public boolean isSafeFor(java.util.Set<String> deviceFeatures) {
        return deviceFeatures.containsAll(features);
    }
}
