package dev.tailor.catalog;

import java.util.List;
import java.util.SortedSet;

/**
 * A target as the API shows it: {@code policy} is {@code level} for ladder rungs and {@code native} for named
 * microarchitectures. The detail adds what a build would use.
 */
public record TargetView(String id, String arch, String parent, SortedSet<String> features, String policy) {

    public static TargetView of(Target t) {
        return new TargetView(t.id(), t.arch().id(), t.parent(), t.features(), policyOf(t));
    }

    static String policyOf(Target t) {
        return t.kind() == Target.Kind.LEVEL ? "level" : "native";
    }

    /** One target with its compiler flags and description. */
    public record Detail(String id, String arch, String parent, SortedSet<String> features, String policy,
                         List<String> cflags, String description) {

        public static Detail of(Target t) {
            return new Detail(t.id(), t.arch().id(), t.parent(), t.features(), TargetView.policyOf(t), t.cflags(),
                    t.description());
        }
    }
}
