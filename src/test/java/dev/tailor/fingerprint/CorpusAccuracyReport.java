package dev.tailor.fingerprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;

/**
 * Prints the accuracy of parsing and resolving over the whole fingerprint corpus. Run it alone:
 * {@code mvn -B -q test -Dtest=CorpusAccuracyReport -Dsurefire.failIfNoSpecifiedTests=false} and read
 * {@code target/surefire-reports/dev.tailor.fingerprint.CorpusAccuracyReport-output.txt} (or add
 * {@code -Dsurefire.redirectTestOutputToFile=false} to see it on the console).
 */
class CorpusAccuracyReport {

    /** pytorch/cpuinfo ISA names to Tailor's canonical names, per view (32-bit arm or AArch64). */
    static final Map<String, String> ARM32_ISA = Map.of("neon", "neon", "aes", "aes", "sha1", "sha1", "sha2", "sha2",
            "pmull", "pmull", "crc32", "crc32", "idiv", "idiva", "vfpv3", "vfpv3", "vfpv4", "vfpv4");
    static final Map<String, String> AARCH64_ISA = Map.ofEntries(Map.entry("neon", "asimd"), Map.entry("aes", "aes"),
            Map.entry("sha1", "sha1"), Map.entry("sha2", "sha2"), Map.entry("pmull", "pmull"),
            Map.entry("crc32", "crc32"), Map.entry("atomics", "atomics"), Map.entry("neon_rdm", "asimdrdm"),
            Map.entry("neon_dot", "asimddp"), Map.entry("fp16_arith", "fphp"),
            Map.entry("neon_fp16_arith", "asimdhp"), Map.entry("jscvt", "jscvt"), Map.entry("fcma", "fcma"));

    /**
     * Where Tailor's reading of the Features line deliberately disagrees with pytorch/cpuinfo's mock tests, which
     * see AT_HWCAP and per-core fixups that a /proc/cpuinfo sender cannot. Key: file and ISA fact.
     */
    static final Map<String, String> ACCEPTED = new TreeMap<>(Map.ofEntries(
            Map.entry("galaxy-s3-us.log idiv", "Krait has SDIV/UDIV but this kernel does not print idiva; Tailor "
                    + "trusts only what the kernel says (under-claiming is safe)"),
            Map.entry("nexus4.log idiv", "same Krait kernel quirk as galaxy-s3-us"),
            Map.entry("huawei-mate-20.log neon_dot", "kernel too old to print asimddp; cpuinfo infers it from the "
                    + "MIDR (Cortex-A76): Tailor does not guess features from part numbers"),
            Map.entry("huawei-mate-20.log neon_rdm", "kernel too old to print asimdrdm; cpuinfo infers it from "
                    + "the MIDR")));

    /** 32-bit processes on old arm64 kernels: 'fp asimd aes pmull sha1 sha2 crc32 wp half thumb ... neon'. */
    static final Set<String> MIXED_VIEWS = Set.of("galaxy-j7-uae.log", "galaxy-s6.armeabi.log",
            "nexus6p.armeabi.log", "xiaomi-redmi-note-3.armeabi.log");

    static {
        for (String file : MIXED_VIEWS) {
            for (String fact : List.of("aes", "pmull", "sha1", "sha2", "crc32")) {
                ACCEPTED.put(file + " " + fact, "mixed AArch64/AArch32 Features line: " + fact + " is only in the "
                        + "AArch64 half, which describes the AArch64 state; an armv7 answer counts only the AArch32 "
                        + "half (on oppo-a37, oppo-r9 and xperia-c4 the same names are wrong for AArch32)");
            }
        }
    }

    record Row(String file, String arch, String expected, String got, boolean ok, String note) {
    }

    @Test
    void printReport() {
        List<Row> archspecNative = new ArrayList<>();
        List<Row> archspecLevel = new ArrayList<>();
        for (Corpus.Entry e : Corpus.archspec()) {
            CpuProfile p = FingerprintParser.parse("text/plain", e.text().getBytes(), null);
            String nat = Corpus.RESOLVER.resolve(p, Policy.NATIVE).target().id();
            archspecNative.add(new Row(e.name(), e.arch(), e.expectedTargetId(), nat,
                    nat.equals(e.expectedTargetId()), ""));
            String lvl = Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id();
            String expected = highestLevelByDefinition(p);
            String archspecGeneric = e.bestGeneric() == null ? "" : e.bestGeneric();
            archspecLevel.add(new Row(e.name(), e.arch(), expected, lvl, lvl.equals(expected),
                    "archspec best generic: " + archspecGeneric));
        }
        List<Row> isa = new ArrayList<>();
        int facts = 0;
        int agree = 0;
        int accepted = 0;
        int resolvedPytorch = 0;
        int pytorchFiles = 0;
        for (Corpus.Entry e : Corpus.pytorch()) {
            pytorchFiles++;
            CpuProfile p;
            try {
                p = FingerprintParser.parse("text/plain", e.text().getBytes(), null);
                Corpus.RESOLVER.resolve(p, Policy.LEVEL);
                resolvedPytorch++;
            } catch (FingerprintException ex) {
                // no refusal is accepted: the Pi Zero, once the only one, has the ARMv6 rung now
                isa.add(new Row(e.name(), e.arch(), "-", ex.code(), false, "refused: " + ex.detail()));
                continue;
            }
            if (e.expectedIsa() == null) {
                continue;
            }
            for (Disagreement d : disagreements(e, p)) {
                facts++;
                if (d == null) {
                    agree++;
                    continue;
                }
                String why = ACCEPTED.get(e.name() + " " + d.fact());
                if (why != null) {
                    accepted++;
                }
                isa.add(new Row(e.name(), p.arch().id(), d.fact() + "=" + d.expected(), String.valueOf(d.got()),
                        why != null, why == null ? "NOT ACCEPTED" : why));
            }
        }
        StringBuilder out = new StringBuilder("\n=== Tailor fingerprint corpus accuracy ===\n");
        table(out, "archspec files, policy native vs archspec's answer", archspecNative);
        table(out, "archspec files, policy level vs the highest level rung whose features they all have",
                archspecLevel);
        out.append(String.format(Locale.ROOT, "%npytorch/cpuinfo files: %d/%d parsed and resolved (policy level)%n",
                resolvedPytorch, pytorchFiles));
        out.append(String.format(Locale.ROOT, "pytorch/cpuinfo ISA facts: %d compared, %d agree (%.1f%%), %d "
                + "accepted disagreements, %d unexplained%n", facts, agree, 100.0 * agree / Math.max(1, facts),
                accepted, facts - agree - accepted));
        table(out, "pytorch/cpuinfo disagreements and refusals", isa);
        out.append("\npytorch/cpuinfo files, what each policy answers (informational: archspec answers plain "
                + "'aarch64' for every AArch64 one, its targets requiring 'cpuid')\n");
        for (Corpus.Entry e : Corpus.pytorch()) {
            try {
                CpuProfile p = FingerprintParser.parse("text/plain", e.text().getBytes(), null);
                out.append(String.format(Locale.ROOT, "  %-40s %-8s level %-22s native %-22s parts %s%n", e.name(),
                        p.arch(), Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id(),
                        Corpus.RESOLVER.resolve(p, Policy.NATIVE).target().id(), String.join("/", p.parts())));
            } catch (FingerprintException ex) {
                out.append(String.format(Locale.ROOT, "  %-40s refused: %s%n", e.name(), ex.code()));
            }
        }
        System.out.println(out);
    }

    record Disagreement(String fact, boolean expected, boolean got) {
    }

    /** One element per compared fact: null when Tailor agrees with the mock test. */
    static List<Disagreement> disagreements(Corpus.Entry e, CpuProfile p) {
        Map<String, String> names = p.arch() == Arch.AARCH64 ? AARCH64_ISA : ARM32_ISA;
        List<Disagreement> out = new ArrayList<>();
        for (Map.Entry<String, String> n : names.entrySet()) {
            Boolean expected = e.expectedIsa().get(n.getKey());
            if (expected == null) {
                continue;
            }
            boolean got = p.features().contains(n.getValue());
            out.add(got == expected ? null : new Disagreement(n.getKey(), expected, got));
        }
        return out;
    }

    static String highestLevelByDefinition(CpuProfile p) {
        Optional<Target> best = Optional.empty();
        for (Target t : Corpus.RESOLVER_CATALOG.forArch(p.arch())) {
            if (t.kind() == Target.Kind.LEVEL && p.features().containsAll(t.features())
                    && (best.isEmpty() || t.features().size() > best.get().features().size())) {
                best = Optional.of(t);
            }
        }
        return best.map(Target::id).orElse("-");
    }

    private static void table(StringBuilder out, String title, List<Row> rows) {
        long ok = rows.stream().filter(Row::ok).count();
        out.append(String.format(Locale.ROOT, "%n%s: %d/%d%n", title, ok, rows.size()));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "  %-4s %-40s %-8s expected %-24s got %-24s %s%n",
                    r.ok() ? "ok" : "FAIL", r.file(), r.arch(), r.expected(), r.got(), r.note()));
        }
    }
}
