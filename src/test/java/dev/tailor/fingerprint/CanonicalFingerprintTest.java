package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;

/**
 * The canonical fingerprint resolves exactly as the whole one does, under every policy, for every real fingerprint
 * of the corpus and for random feature sets; it is a fixed point, and the flags a kernel adds that no target uses
 * do not change it (so every device of one CPU model sends the same string).
 */
class CanonicalFingerprintTest {

    static final TargetResolver R = Corpus.RESOLVER;

    static void resolvesAlike(CpuProfile full, String what) {
        String canonical = R.canonical(full);
        CpuProfile reduced = FingerprintParser.parseCompact(canonical);
        for (Policy p : List.of(Policy.PORTABLE, Policy.LEVEL, Policy.NATIVE, Policy.AUTO)) {
            Resolution a = R.resolve(full, p);
            Resolution b = R.resolve(reduced, p);
            assertThat(b.target().id()).as(what + " under " + p + " as " + canonical).isEqualTo(a.target().id());
            assertThat(b.next()).as(what + " next under " + p).isEqualTo(a.next());
        }
        assertThat(R.canonical(reduced)).as("a fixed point").isEqualTo(canonical);
    }

    @Test
    void everyCorpusFingerprint_resolvesAsItsCanonicalForm() {
        int checked = 0;
        for (Corpus.Entry e : Corpus.entries()) {
            CpuProfile full;
            try {
                full = FingerprintParser.parse("text/plain", e.text().getBytes(StandardCharsets.UTF_8), e.arch());
                R.resolve(full, Policy.LEVEL);
            } catch (FingerprintException unsupported) {
                continue; // a CPU Tailor cannot serve has no canonical form either
            }
            resolvesAlike(full, e.path());
            checked++;
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void namedMicroarchitectures_keepTheirVendor_andLevelsDoNot() throws Exception {
        // archspec's Haswell (a Xeon E5-2680 v3) with the AES its BIOS had turned off
        String text = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/test/resources/fingerprints/linux-x86/linux-rhel7-x86_64_v3")).replaceFirst("(?m)^(flags\\s*:.*)$", "$1 aes");
        CpuProfile intel = FingerprintParser.parse("text/plain", text.getBytes(StandardCharsets.UTF_8), null);
        CpuProfile noVendor = FingerprintParser.parseCompact("x86_64:sse4_2,popcnt,cx16,ssse3,sse3,lahf_lm");

        assertThat(R.resolve(intel, Policy.NATIVE).target().id()).isEqualTo("x86_64-haswell");
        assertThat(R.canonical(intel)).startsWith("x86_64@GenuineIntel:");
        assertThat(R.resolve(FingerprintParser.parseCompact(R.canonical(intel)), Policy.NATIVE).target().id())
                .isEqualTo("x86_64-haswell");
        assertThat(R.canonical(noVendor)).startsWith("x86_64:").doesNotContain("@");
        assertThat(R.canonical(intel).length()).as("far shorter than the kernel's flags").isLessThan(text.length() / 3);
    }

    @Test
    void flagsNoTargetUses_doNotChangeTheCanonicalForm() {
        CpuProfile plain = FingerprintParser.parseCompact("x86_64:sse4_2,popcnt,cx16,ssse3,sse3,lahf_lm,avx2");
        CpuProfile noisy = FingerprintParser.parseCompact("x86_64:sse4_2,popcnt,cx16,ssse3,sse3,lahf_lm,avx2,"
                + "hypervisor,constant_tsc,nonsense_flag");

        assertThat(R.canonical(noisy)).isEqualTo(R.canonical(plain));
    }

    @Test
    void randomFeatureSets_resolveAsTheirCanonicalForms() {
        Random random = new Random(7);
        for (Arch arch : List.of(Arch.X86_64, Arch.AARCH64, Arch.ARMV7, Arch.I686, Arch.RISCV64)) {
            List<String> usable = new ArrayList<>(Corpus.RESOLVER_CATALOG.usableFeatures(arch));
            Target base = Corpus.RESOLVER_CATALOG.baseline(arch);
            for (int i = 0; i < 300; i++) {
                List<String> names = new ArrayList<>(base.features());
                usable.stream().filter(f -> random.nextInt(3) > 0).forEach(names::add);
                CpuProfile p = FingerprintParser.parseCompact(arch.id() + ":" + String.join(",", names));
                String vendor = arch == Arch.X86_64 ? (random.nextBoolean() ? "GenuineIntel" : "AuthenticAMD")
                        : arch == Arch.AARCH64 ? "ARM" : arch == Arch.RISCV64 && random.nextBoolean() ? "SiFive" : null;
                List<String> parts = arch == Arch.AARCH64 ? List.of(random.nextBoolean() ? "0xd0c" : "0xd08") : List.of();
                resolvesAlike(new CpuProfile(arch, vendor, null, parts, p.features(), List.of()), arch + " #" + i);
            }
        }
    }

    @Test
    void aBadIdentity_isRefused() {
        assertThatThrownBy(() -> FingerprintParser.parseCompact("x86_64@Genuine Intel:sse")).isInstanceOf(
                FingerprintException.class).hasMessageContaining("after '@'");
        assertThatThrownBy(() -> FingerprintParser.parseCompact("aarch64@ARM/d0c:asimd")).isInstanceOf(
                FingerprintException.class);
    }
}
