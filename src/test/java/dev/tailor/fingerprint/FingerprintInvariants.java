package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;

import dev.tailor.problem.TailorException;

/**
 * What every fingerprint fuzz test checks of one input (notes/fuzzing.md): parsing either gives a profile of
 * canonical feature names, or fails with a documented 4xx problem; every policy's answer needs no feature the device
 * lacks; and the canonical compact form of the profile reads back and resolves to the same targets.
 */
final class FingerprintInvariants {

    private FingerprintInvariants() {
    }

    /** Parses with {@code parse} and checks everything after it; any exception but a 4xx problem escapes. */
    static void check(Supplier<CpuProfile> parse) {
        CpuProfile p;
        try {
            p = parse.get();
        } catch (TailorException e) {
            assert4xx(e);
            return;
        }
        checkProfile(p);
        Resolution[] answers = new Resolution[Policy.values().length];
        for (Policy policy : Policy.values()) {
            Resolution r;
            try {
                r = Corpus.RESOLVER.resolve(p, policy);
            } catch (TailorException e) {
                assertThat(e.problem().code()).as("the only problem a parsed profile can meet: " + e.getMessage())
                        .isEqualTo("fingerprint.unsupported_cpu");
                assertThat(Corpus.RESOLVER_CATALOG.baseline(p.arch()).isSafeFor(p.features())).isFalse();
                return;
            }
            assertThat(r.target().arch()).isEqualTo(p.arch());
            assertThat(r.target().isSafeFor(p.features()))
                    .as("%s under %s answers %s, which needs a feature the device lacks", p.features(), policy,
                            r.target().id())
                    .isTrue();
            if (r.next() != null) {
                assertThat(java.util.Collections.disjoint(r.next().missing(), p.features())).isTrue();
            }
            answers[policy.ordinal()] = r;
        }
        String canonical = Corpus.RESOLVER.canonical(p);
        assertThat(canonical.length()).isLessThanOrEqualTo(CompactParser.MAX_LENGTH);
        CpuProfile reduced = FingerprintParser.parseCompact(canonical);
        checkProfile(reduced);
        for (Policy policy : Policy.values()) {
            assertThat(Corpus.RESOLVER.resolve(reduced, policy).target().id())
                    .as("the canonical form %s under %s", canonical, policy)
                    .isEqualTo(answers[policy.ordinal()].target().id());
        }
    }

    static void checkProfile(CpuProfile p) {
        assertThat(p.arch()).isNotNull();
        assertThat(FeatureNames.vocabulary(p.arch())).as("only canonical feature names").containsAll(p.features());
        assertThat(p.parts().size()).isLessThanOrEqualTo(16);
        // what the device sent comes back in the answer clipped, never whole (a body may be 256 KiB)
        assertThat(p.vendor() == null || p.vendor().length() <= 43).as("vendor %s", p.vendor()).isTrue();
        assertThat(p.model() == null || p.model().length() <= 600).as("model %s", p.model()).isTrue();
        assertThat(p.notes()).hasSizeLessThanOrEqualTo(16)
                .allSatisfy(n -> assertThat(n.length()).as(n).isLessThanOrEqualTo(1200));
    }

    static void assert4xx(TailorException e) {
        assertThat(e.problem().status() / 100).as("a 4xx problem, not " + e.getMessage()).isEqualTo(4);
    }
}
