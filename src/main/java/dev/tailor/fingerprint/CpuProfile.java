package dev.tailor.fingerprint;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

import dev.tailor.catalog.Arch;

/**
 * What Tailor knows about a device's CPU after parsing its fingerprint.
 *
 * @param vendor   {@code GenuineIntel}, {@code AuthenticAMD}, or for Arm archspec's implementer name ({@code ARM},
 *                 {@code Apple}...); null when the fingerprint does not say
 * @param model    human-readable model ({@code model name}, or implementer and part numbers); may be null
 * @param parts    Arm {@code CPU part} numbers of the listed cores, distinct, lower-case hex; empty elsewhere
 * @param features canonical feature names that every listed core has
 * @param notes    how the parser read the fingerprint: quirks met, names dropped; becomes part of the answer's reasons
 */
public record CpuProfile(Arch arch, String vendor, String model, List<String> parts, SortedSet<String> features,
                         List<String> notes) {

    public CpuProfile {
        Objects.requireNonNull(arch, "arch");
        parts = parts == null ? List.of() : List.copyOf(parts);
        if (!parts.stream().allMatch(p -> isPart(arch, p))) {
            // parsers check parts first: one that fails here is a bug, never device input
            throw new IllegalArgumentException("not a part of " + arch + ": " + parts);
        }
        features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
        if (!FeatureNames.vocabulary(arch).containsAll(features)) {
            // parsers fold names first: a name outside the vocabulary here is a bug, never device input
            throw new IllegalArgumentException("non-canonical feature names for " + arch + ": " + features);
        }
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    private static final java.util.regex.Pattern ARM_PART = java.util.regex.Pattern.compile("0x[0-9a-f]{1,4}");
    private static final java.util.regex.Pattern CORE_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9]{0,15}");

    /**
     * Whether a part identifies a core of this architecture: on Arm the {@code CPU part} number ({@code 0xd0c}), on
     * riscv64 the core's name as archspec spells it ({@code u74mc}, from the {@code uarch} line
     * {@code sifive,u74-mc}).
     */
    public static boolean isPart(Arch arch, String part) {
        return (arch == Arch.RISCV64 ? CORE_NAME : ARM_PART).matcher(part).matches();
    }

    public static CpuProfile of(Arch arch, SortedSet<String> features, List<String> notes) {
        return new CpuProfile(arch, null, null, List.of(), features, notes);
    }
}
