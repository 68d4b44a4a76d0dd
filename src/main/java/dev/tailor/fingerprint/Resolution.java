package dev.tailor.fingerprint;

import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

import dev.tailor.catalog.Target;

/**
 * The answer to "which target for this CPU": the target, and why.
 *
 * @param next the next target up and the features the device lacks for it; null at the top of the ladder
 */
public record Resolution(CpuProfile profile, Policy policy, Target target, List<String> reasons, Next next) {

    public record Next(String id, SortedSet<String> missing) {
        public Next {
            Objects.requireNonNull(id, "id");
            missing = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(missing));
        }
    }

    public Resolution {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(target, "target");
        if (!target.isSafeFor(profile.features())) {
            // the one rule Tailor never bends: an image must not fault with an illegal instruction
            throw new IllegalStateException(target.id() + " requires features the device lacks");
        }
        reasons = List.copyOf(reasons);
    }
}
