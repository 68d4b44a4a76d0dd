package dev.tailor.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TargetCatalogTest {

    private final TargetCatalog catalog = TargetCatalog.load();

    @Test
    void load_resolvesCompleteFeatureSetsThroughParents() {
        Target haswell = catalog.find("x86_64-haswell").orElseThrow();
        assertThat(haswell.features()).containsAll(catalog.find("x86_64-v3").orElseThrow().features())
                .contains("aes", "pclmulqdq");
        assertThat(catalog.baseline(Arch.AARCH64).id()).isEqualTo("aarch64-v8.0");
    }

    @Test
    void everyParent_isSameArchAndASubset() {
        for (Target t : catalog.all()) {
            if (t.parent() != null) {
                Target p = catalog.find(t.parent()).orElseThrow();
                assertThat(p.arch()).isEqualTo(t.arch());
                assertThat(t.features()).containsAll(p.features());
            }
        }
    }

    @Test
    void parentThatIsNotASubset_isRejected() {
        Target base = new Target("a-base", Arch.X86_64, null, Target.Kind.LEVEL, new java.util.TreeSet<>(Set.of("sse2")),
                List.of(), "", null);
        Target child = new Target("a-child", Arch.X86_64, "a-base", Target.Kind.NATIVE,
                new java.util.TreeSet<>(Set.of("avx")), List.of(), "", null);
        assertThatThrownBy(() -> new TargetCatalog(List.of(base, child))).isInstanceOf(IllegalArgumentException.class);
    }
}
