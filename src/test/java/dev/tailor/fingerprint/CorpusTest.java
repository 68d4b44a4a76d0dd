package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The acceptance criteria over the shared corpus; {@link CorpusAccuracyReport} prints the same as a table. */
class CorpusTest {

    static Stream<Corpus.Entry> archspecFiles() {
        return Corpus.archspec().stream();
    }

    static Stream<Corpus.Entry> pytorchFilesWithExpectations() {
        return Corpus.pytorch().stream().filter(e -> e.expectedIsa() != null);
    }

    private static CpuProfile parse(Corpus.Entry e) {
        return FingerprintParser.parse("text/plain", e.text().getBytes(), null);
    }

    @ParameterizedTest
    @MethodSource("archspecFiles")
    void archspecFile_resolvesNativeToTheMicroarchitectureArchspecExpects(Corpus.Entry e) {
        Resolution r = Corpus.RESOLVER.resolve(parse(e), Policy.NATIVE);
        assertThat(r.target().id()).as(String.join("\n", r.reasons())).isEqualTo(e.expectedTargetId());
    }

    @ParameterizedTest
    @MethodSource("archspecFiles")
    void archspecFile_resolvesLevelToTheHighestLevelItFullyHas(Corpus.Entry e) {
        CpuProfile p = parse(e);
        String level = Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id();
        assertThat(level).isEqualTo(CorpusAccuracyReport.highestLevelByDefinition(p));
        if (e.arch().equals("x86_64")) {
            // our x86 ladder is the psABI one, as archspec's generic targets are
            String generic = e.bestGeneric().equals("x86_64") ? "x86_64-v1" : e.bestGeneric().replace("_v", "-v");
            assertThat(level).isEqualTo(generic);
        }
    }

    @ParameterizedTest
    @MethodSource("pytorchFilesWithExpectations")
    void pytorchFile_agreesWithExpectedIsaFactsExceptAcceptedDisagreements(Corpus.Entry e) {
        CpuProfile p = parse(e);
        List<String> unexplained = CorpusAccuracyReport.disagreements(e, p).stream().filter(Objects::nonNull)
                .filter(d -> !CorpusAccuracyReport.ACCEPTED.containsKey(e.name() + " " + d.fact()))
                .map(Object::toString).toList();
        assertThat(unexplained).as("features %s", p.features()).isEmpty();
    }

    @Test
    void acceptedDisagreements_areAllStillDisagreements() {
        // an accepted disagreement that no longer happens is stale data: keep the list honest
        for (String key : CorpusAccuracyReport.ACCEPTED.keySet()) {
            String file = key.substring(0, key.indexOf(' '));
            String fact = key.substring(key.indexOf(' ') + 1);
            Corpus.Entry e = Corpus.get(file);
            assertThat(CorpusAccuracyReport.disagreements(e, parse(e)).stream().filter(Objects::nonNull)
                    .map(CorpusAccuracyReport.Disagreement::fact)).as(key).contains(fact);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tailor.fingerprint.CorpusTest#everyFile")
    void everyCorpusFile_resolvesUnderEveryPolicyToASafeTargetOrIsRefusedWith422(Corpus.Entry e) {
        CpuProfile p;
        try {
            p = parse(e);
            for (Policy policy : Policy.values()) {
                Resolution r = Corpus.RESOLVER.resolve(p, policy);
                assertThat(p.features()).containsAll(r.target().features());
                assertThat(r.target().arch()).isEqualTo(p.arch());
            }
        } catch (FingerprintException ex) {
            assertThat(ex.problem().status()).isEqualTo(422);
            // since the ARMv6 rung, the Pi Zero resolves too: every corpus file has a safe target
            throw new AssertionError(e.name() + " refused: " + ex.detail(), ex);
        }
    }

    static Stream<Corpus.Entry> everyFile() {
        return Corpus.entries().stream();
    }
}
