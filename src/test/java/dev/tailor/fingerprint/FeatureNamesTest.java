package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FeatureNamesTest {

    @Test
    void everyFeatureATargetRequires_isInTheVocabulary() {
        // a required name the parsers can never produce would make its target unreachable
        for (Target t : Corpus.RESOLVER_CATALOG.all()) {
            assertThat(FeatureNames.vocabulary(t.arch())).as(t.id()).containsAll(t.features());
        }
    }

    @Test
    void everyArchspecFeatureName_foldsToACanonicalName() {
        JsonNode all = JsonMapper.builder().build().readTree(Corpus.resource(NamedMicroarchitectures.RESOURCE))
                .get("microarchitectures");
        List<String> unknown = new ArrayList<>();
        NamedMicroarchitectures uarchs = new NamedMicroarchitectures();
        for (var e : all.properties()) {
            List<String> ancestors = uarchs.find(e.getKey()).orElseThrow().ancestors();
            Arch arch = e.getKey().equals("x86_64") || ancestors.contains("x86_64") ? Arch.X86_64
                    : e.getKey().equals("aarch64") || ancestors.contains("aarch64") ? Arch.AARCH64
                    : e.getKey().equals("riscv64") || ancestors.contains("riscv64") ? Arch.RISCV64 : null;
            if (arch != null) {
                e.getValue().get("features").forEach(f -> {
                    if (FeatureNames.canonical(arch, f.asString()).isEmpty()) {
                        unknown.add(e.getKey() + ":" + f.asString());
                    }
                });
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void spellingsFold_caseSeparatorsAndAliases() {
        assertThat(FeatureNames.canonical(Arch.X86_64, " SSE4.2 ")).containsExactly("sse4_2");
        assertThat(FeatureNames.canonical(Arch.X86_64, "amx-tile")).containsExactly("amx_tile");
        assertThat(FeatureNames.canonical(Arch.X86_64, "PNI")).containsExactly("sse3");
        assertThat(FeatureNames.canonical(Arch.AARCH64, "SME_FA64")).containsExactly("smefa64");
        assertThat(FeatureNames.canonical(Arch.AARCH64, "neon")).containsExactly("asimd");
        assertThat(FeatureNames.canonical(Arch.ARMV7, "asimd")).containsExactly("neon");
        assertThat(FeatureNames.canonical(Arch.ARMV7, "avx2")).isEmpty();
        assertThat(FeatureNames.canonical(Arch.X86_64, "x".repeat(41))).isEmpty();
        assertThat(FeatureNames.canonical(Arch.RISCV64, "Zba")).containsExactly("zba");
        assertThat(FeatureNames.canonical(Arch.RISCV64, "b")).containsExactly("zba", "zbb", "zbs");
        assertThat(FeatureNames.canonical(Arch.RISCV64, "g")).contains("i", "m", "a", "f", "d", "zicsr");
        assertThat(FeatureNames.canonical(Arch.RISCV64, "sstc")).isEmpty();
        assertThat(FeatureNames.fold(Arch.RISCV64, List.of("rv64gcv_zba"), new ArrayList<>())).containsExactly("a",
                "c", "d", "f", "i", "m", "v", "zba", "zicsr", "zifencei");
    }

    @Test
    void riscv64Hwcap_isOneBitPerLetter() {
        assertThat(FeatureNames.RISCV64_HWCAP).hasSize(26);
        assertThat(FeatureNames.RISCV64_HWCAP.get('v' - 'a')).isEqualTo("v");
        assertThat(FeatureNames.RISCV64_HWCAP.get('i' - 'a')).isEqualTo("i");
        assertThat(FeatureNames.RISCV64_HWCAP.get('h' - 'a')).isNull();
    }
}
