package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The invariant Tailor never bends: the chosen target requires no feature the device lacks. */
class ResolverSafetyProperties {

    private static final List<String> VENDORS = List.of("GenuineIntel", "AuthenticAMD", "ARM", "Apple", "Ampere",
            "Cavium", "Fujitsu", "Qualcomm", "SiFive", "SpacemiT", "T-Head");
    private static final List<String> PARTS = List.of("0xd08", "0xd0c", "0xd40", "0xd4f", "0xd49", "0xd83", "0x022",
            "0x032", "0xac3", "0x0af", "0x001", "0xd03");
    /** riscv64 parts are core names: archspec's, and ones it does not know. */
    private static final List<String> CORES = List.of("u74mc", "x60", "u54mc", "c910", "p670");

    @Property(tries = 3000)
    void resolve_neverPicksTargetWithMissingFeature(@ForAll("profiles") CpuProfile cpu, @ForAll Policy policy) {
        Resolution r;
        try {
            r = Corpus.RESOLVER.resolve(cpu, policy);
        } catch (FingerprintException e) {
            assertThat(e.code()).isEqualTo("fingerprint.unsupported_cpu");
            assertThat(Corpus.RESOLVER_CATALOG.baseline(cpu.arch()).isSafeFor(cpu.features())).isFalse();
            return;
        }
        assertThat(cpu.features()).containsAll(r.target().features());
        assertThat(r.target().arch()).isEqualTo(cpu.arch());
        if (r.next() != null) {
            // (a wasm32 host may report no feature at all, which doesNotContainAnyElementsOf refuses to compare with)
            assertThat(java.util.Collections.disjoint(r.next().missing(), cpu.features()))
                    .as("the next rung's missing features are ones the device lacks").isTrue();
            if (policy == Policy.LEVEL) {
                assertThat(r.next().missing()).as("level picks the highest rung: nothing above it is free")
                        .isNotEmpty();
            }
        }
    }

    @Property(tries = 1000)
    void level_isNeverBelowAnySafeLevelRung(@ForAll("profiles") CpuProfile cpu) {
        Target chosen;
        try {
            chosen = Corpus.RESOLVER.resolve(cpu, Policy.LEVEL).target();
        } catch (FingerprintException e) {
            return;
        }
        for (Target t : Corpus.RESOLVER_CATALOG.forArch(cpu.arch())) {
            if (t.kind() == Target.Kind.LEVEL && t.isSafeFor(cpu.features())) {
                assertThat(chosen.features().size()).isGreaterThanOrEqualTo(t.features().size());
            }
        }
    }

    /** RISC-V extensions a device may list, single letters and multi-letter ones, with bundles and noise. */
    private static final List<String> RISCV_NAMES = List.of("i", "m", "a", "f", "d", "c", "v", "h", "q", "zicsr",
            "zifencei", "zicntr", "zihpm", "zba", "zbb", "zbc", "zbs", "zfh", "zfhmin", "zicond", "zve32x", "zve64d",
            "zvl128b", "zkt", "sstc", "svpbmt", "xtheadvector");

    /**
     * riscv64 over random extension sets, through the text a device sends: a /proc/cpuinfo whose harts each list a
     * random ISA string. Whatever the sets, the answer under every policy uses only extensions every hart named.
     */
    @Property(tries = 1000)
    void riscv64_randomExtensionSets_neverResolveToAnExtensionSomeHartLacks(
            @ForAll("riscvHarts") List<List<String>> harts, @ForAll Policy policy, @ForAll boolean withVendor) {
        StringBuilder text = new StringBuilder();
        Set<String> everyHart = null;
        for (int h = 0; h < harts.size(); h++) {
            List<String> ext = harts.get(h);
            StringBuilder isa = new StringBuilder("rv64");
            ext.stream().filter(e -> e.length() == 1).forEach(isa::append);
            ext.stream().filter(e -> e.length() > 1).forEach(e -> isa.append('_').append(e));
            text.append("processor\t: ").append(h).append("\nhart\t\t: ").append(h).append("\nisa\t\t: ")
                    .append(isa).append("\nmmu\t\t: sv39\n")
                    .append(withVendor ? "uarch\t\t: sifive,u74-mc\nmvendorid\t: 0x489\n" : "").append('\n');
            Set<String> named = new TreeSet<>(ext);
            if (everyHart == null) {
                everyHart = named;
            } else {
                everyHart.retainAll(named);
            }
        }
        CpuProfile cpu = FingerprintParser.parse("text/plain", text.toString().getBytes(), null);
        assertThat(cpu.arch()).isEqualTo(Arch.RISCV64);
        assertThat(everyHart).containsAll(cpu.features());
        Resolution r;
        try {
            r = Corpus.RESOLVER.resolve(cpu, policy);
        } catch (FingerprintException e) {
            assertThat(e.code()).isEqualTo("fingerprint.unsupported_cpu");
            assertThat(everyHart.containsAll(List.of("i", "m", "a", "f", "d", "c"))).isFalse();
            return;
        }
        assertThat(everyHart).as("%s under %s answers %s", text, policy, r.target().id())
                .containsAll(r.target().features());
        FingerprintInvariants.check(() -> cpu);
    }

    @Provide
    Arbitrary<List<List<String>>> riscvHarts() {
        // mostly RV64GC devices (the baseline letters with high probability), so the upper rungs are reached
        Arbitrary<List<String>> hart = Combinators.combine(Arbitraries.of(RISCV_NAMES).set().ofMaxSize(14),
                Arbitraries.integers().between(0, 9)).as((more, r) -> {
                    TreeSet<String> ext = new TreeSet<>(more);
                    ext.add("i"); // every ISA string has its base
                    if (r > 1) {
                        ext.addAll(List.of("i", "m", "a", "f", "d", "c"));
                    }
                    // the ISA string's order: single letters first (any order here), then the others
                    List<String> out = new ArrayList<>(ext.stream().filter(e -> e.length() == 1).toList());
                    out.addAll(ext.stream().filter(e -> e.length() > 1).toList());
                    return out;
                });
        return hart.list().ofMinSize(1).ofMaxSize(4);
    }

    /** Feature sets near real targets (a target's features with some removed, some added), not uniform noise,
     * so the resolver is tested where it matters: one feature short of a rung. */
    @Provide
    Arbitrary<CpuProfile> profiles() {
        Arbitrary<Arch> arch = Arbitraries.of(Arch.values());
        return arch.flatMap(a -> {
            List<Target> targets = Corpus.RESOLVER_CATALOG.forArch(a);
            List<String> vocabulary = new ArrayList<>(new TreeSet<>(FeatureNames.vocabulary(a)));
            Arbitrary<Target> near = Arbitraries.of(targets);
            Arbitrary<Set<String>> extra = Arbitraries.of(vocabulary).set().ofMaxSize(12);
            Arbitrary<Integer> drop = Arbitraries.integers().between(0, 3);
            Arbitrary<Long> seed = Arbitraries.longs();
            Arbitrary<String> vendor = Arbitraries.of(VENDORS).injectNull(0.1);
            Arbitrary<Set<String>> parts = Arbitraries.of(a == Arch.RISCV64 ? CORES : PARTS).set().ofMaxSize(2);
            return Combinators.combine(near, extra, drop, seed, vendor, parts).as((t, more, n, s, v, p) -> {
                List<String> features = new ArrayList<>(t.features());
                java.util.Random random = new java.util.Random(s);
                for (int i = 0; i < n && !features.isEmpty(); i++) {
                    features.remove(random.nextInt(features.size()));
                }
                features.addAll(more);
                return new CpuProfile(a, v, null, List.copyOf(p), new TreeSet<>(features), List.of());
            });
        });
    }
}
