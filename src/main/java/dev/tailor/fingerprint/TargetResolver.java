package dev.tailor.fingerprint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.springframework.stereotype.Service;

import dev.tailor.fingerprint.NamedMicroarchitectures.Uarch;
import dev.tailor.problem.Problem;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;

/**
 * Chooses the target for a CPU. Every policy only ever considers targets whose complete feature set the device has,
 * so whatever the data says, the answer cannot fault with an illegal instruction. In-process callers (boot,
 * delivery) use it directly; it is pure and cheap (a scan of a few dozen targets).
 */
@Service
public class TargetResolver {

    private final TargetCatalog catalog;
    private final NamedMicroarchitectures uarchs;

    public TargetResolver(TargetCatalog catalog, NamedMicroarchitectures uarchs) {
        this.catalog = catalog;
        this.uarchs = uarchs;
    }

    public Resolution resolve(CpuProfile cpu, Policy policy) {
        return resolve(cpu, policy, Measurements.none());
    }

    /** @param measured the app's payoff reports, which only the auto policy reads */
    public Resolution resolve(CpuProfile cpu, Policy policy, Measurements measured) {
        List<String> reasons = new ArrayList<>(cpu.notes());
        Target level = highestLevel(cpu, reasons);
        Target chosen = switch (policy) {
            case PORTABLE -> {
                Target base = catalog.baseline(cpu.arch());
                reasons.add("policy portable: " + base.id() + ", the baseline every " + cpu.arch() + " device runs");
                yield base;
            }
            case LEVEL -> level;
            case NATIVE -> named(cpu, level, reasons).orElse(level);
            case AUTO -> auto(cpu, level, measured, reasons);
        };
        return new Resolution(cpu, policy, chosen, reasons, next(cpu, chosen, policy));
    }

    /**
     * The canonical fingerprint: the shortest compact form that resolves as this CPU does under every policy. The
     * features the catalog can use that the CPU has, sorted, and its vendor (and Arm parts) only where a named
     * microarchitecture depends on them. Thousands of devices of one CPU model send the same string, whatever
     * else their kernels list, so an edge can keep one answer for all of them.
     *
     * @throws FingerprintException as {@link #resolve} for a CPU Tailor cannot serve
     */
    public String canonical(CpuProfile cpu) {
        java.util.SortedSet<String> usable = new TreeSet<>(cpu.features());
        usable.retainAll(catalog.usableFeatures(cpu.arch()));
        Resolution truth = resolve(cpu, Policy.NATIVE);
        if (cpu.vendor() != null && !sameAnswer(resolve(CpuProfile.of(cpu.arch(), usable, List.of()), Policy.NATIVE),
                truth)) {
            boolean vendorEnough = cpu.parts().isEmpty() || sameAnswer(resolve(new CpuProfile(cpu.arch(),
                    cpu.vendor(), null, List.of(), usable, List.of()), Policy.NATIVE), truth);
            return CompactParser.write(cpu.arch(), cpu.vendor(), vendorEnough ? List.of() : cpu.parts(), usable);
        }
        return CompactParser.write(cpu.arch(), null, List.of(), usable);
    }

    private static boolean sameAnswer(Resolution a, Resolution b) {
        return a.target().equals(b.target()) && java.util.Objects.equals(a.next(), b.next());
    }

    /**
     * From the native answer down the parent chain while the rung below keeps the speed: the native answer is not
     * measurably faster than it (its gain is under the minimum, or the two runs' spreads overlap).
     */
    private Target auto(CpuProfile cpu, Target level, Measurements measured, List<String> reasons) {
        if (measured.reports().isEmpty()) {
            reasons.add("auto: no payoff report for this app's bundle; answering as level: " + level.id());
            return level;
        }
        List<RungTimes> ofArch = measured.reports().stream().filter(r -> r.arch().equals(cpu.arch().id())).toList();
        if (ofArch.isEmpty()) {
            reasons.add("auto: this app's bundle was not measured on " + cpu.arch().id() + " (its payoff runs need a "
                    + cpu.arch().id() + " worker); answering as level: " + level.id());
            return level;
        }
        Target top = named(cpu, level, reasons).orElse(level);
        RungTimes times = nearest(ofArch, top, level, reasons);
        return stepDown(top, times, measured.minGain(), reasons);
    }

    /** The report measured on the CPU nearest the device's: the same native answer, else the same level. */
    private static RungTimes nearest(List<RungTimes> reports, Target top, Target level, List<String> reasons) {
        for (RungTimes r : reports) {
            if (r.nativeTarget().equals(top.id())) {
                reasons.add("auto: times measured on " + r.measuredOn() + ", whose native answer is the device's");
                return r;
            }
        }
        for (RungTimes r : reports) {
            if (r.levelTarget().equals(level.id())) {
                reasons.add("auto: times measured on " + r.measuredOn() + ", whose level is the device's");
                return r;
            }
        }
        RungTimes r = reports.stream().filter(x -> x.time(top.id()).isPresent()).findFirst().orElse(reports.get(0));
        reasons.add("auto: times measured on " + r.measuredOn() + ", the nearest CPU measured (neither its native "
                + "answer nor its level is the device's)");
        return r;
    }

    /**
     * The lowest rung on {@code top}'s parent chain that keeps the speed of the fastest rung at or above it for the
     * app these times are of: walking down, a rung is stepped down to unless it is measurably slower than the fastest
     * rung seen so far (so several small gains that add up to one that pays are kept, and one rung measured slow does
     * not stop the walk above a rung below it that is as fast as the best). Only ever a rung top descends from, so
     * never one using a feature top does not: as safe for the device as top itself.
     */
    public Target stepDown(Target top, RungTimes times, double minGain, List<String> reasons) {
        Target measuredTop = top;
        while (times.time(measuredTop.id()).isEmpty() && measuredTop.parent() != null) {
            measuredTop = catalog.find(measuredTop.parent()).orElseThrow(); // the catalog checks its parents at load
        }
        Optional<RungTimes.Time> topTime = times.time(measuredTop.id());
        if (topTime.isEmpty()) {
            reasons.add("auto: no rung from " + top.id() + " down was measured on " + times.measuredOn()
                    + ": serving " + top.id());
            return top;
        }
        if (measuredTop != top) {
            // nothing measured shows the rungs above faster: not measurably faster, so not worth an image of their own
            reasons.add("auto: " + top.id() + (top.parent() != null && !top.parent().equals(measuredTop.id())
                    ? " and the rungs below it down to " + measuredTop.id() : "") + " were not measured on "
                    + times.measuredOn() + " (it cannot run them), so nothing shows them faster than " + measuredTop.id()
                    + ": stepping down to " + measuredTop.id());
            top = measuredTop;
        }
        Target current = top;
        RungTimes.Time currentTime = topTime.get();
        Target fastest = top;
        RungTimes.Time best = topTime.get();
        Target served = top;
        while (current.parent() != null) {
            Optional<Target> parent = catalog.find(current.parent());
            Optional<RungTimes.Time> parentTime = parent.flatMap(p -> times.time(p.id()));
            if (parentTime.isEmpty()) {
                reasons.add("auto: " + current.parent() + " was not measured on " + times.measuredOn()
                        + ": nothing below " + current.id() + " can be compared");
                break;
            }
            double step = ratio(parentTime.get(), currentTime);
            double fromBest = ratio(parentTime.get(), best);
            String gain = String.format(java.util.Locale.ROOT, "%s: %.2fx over %s for this app (measured on %s)",
                    current.id(), step, parent.get().id(), times.measuredOn())
                    + (fastest == current ? "" : String.format(java.util.Locale.ROOT, "; %s: %.2fx over it",
                    fastest.id(), fromBest));
            if (fromBest >= minGain && parentTime.get().lowNs() > best.highNs()) {
                reasons.add("auto: " + gain + ": " + parent.get().id() + " is measurably slower than " + fastest.id());
            } else {
                reasons.add("auto: " + gain + ", under the " + String.format(java.util.Locale.ROOT, "%.2f", minGain)
                        + "x that pays or within the runs' spread: stepping down to " + parent.get().id());
                served = parent.get();
            }
            current = parent.get();
            currentTime = parentTime.get();
            if (currentTime.medianNs() < best.medianNs()) {
                fastest = current;
                best = currentTime;
            }
        }
        if (served.parent() == null) {
            reasons.add("auto: serving " + served.id() + ", the baseline: no rung above it pays for this app");
        } else {
            reasons.add("auto: serving " + served.id() + ": no rung below it was measured as fast for this app");
        }
        return served;
    }

    private static double ratio(RungTimes.Time slower, RungTimes.Time faster) {
        return slower.medianNs() / (double) Math.max(1, faster.medianNs());
    }

    /** The level rung with the most features among those the device fully has (the ladder branches on Arm). */
    private Target highestLevel(CpuProfile cpu, List<String> reasons) {
        Target base = catalog.baseline(cpu.arch());
        if (!base.isSafeFor(cpu.features())) {
            TreeSet<String> missing = new TreeSet<>(base.features());
            missing.removeAll(cpu.features());
            throw new FingerprintException(Problem.FINGERPRINT_UNSUPPORTED_CPU,
                    "this CPU lacks " + String.join(", ", missing) + ", which even the " + cpu.arch()
                            + " baseline (" + base.id() + ") requires: Tailor has no image it can run");
        }
        Target best = catalog.forArch(cpu.arch()).stream()
                .filter(t -> t.kind() == Target.Kind.LEVEL && t.isSafeFor(cpu.features()))
                .max(Comparator.comparingInt((Target t) -> t.features().size())).orElse(base);
        reasons.add("level: " + best.id() + " is the highest level whose " + best.features().size()
                + " features the device has");
        return best;
    }

    /** archspec's host(): compatible = vendor matches and every feature present (CPU part too, on Arm; the core's
     * name, on riscv64); among those descending from the best generic level, the deepest, then the one with most
     * features. */
    private Optional<Target> named(CpuProfile cpu, Target level, List<String> reasons) {
        if (cpu.arch() != Arch.X86_64 && cpu.arch() != Arch.AARCH64 && cpu.arch() != Arch.RISCV64) {
            reasons.add("native: no named microarchitectures for " + cpu.arch() + "; using the level");
            return Optional.empty();
        }
        String generic = genericName(level);
        record Candidate(Target target, Uarch uarch) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Target t : catalog.forArch(cpu.arch())) {
            if (t.kind() != Target.Kind.NATIVE || !t.isSafeFor(cpu.features())) {
                continue;
            }
            Optional<Uarch> u = identity(cpu, t);
            if (u.isEmpty()) {
                continue;
            }
            // archspec: a niche feature missing (e.g. aes off in the BIOS) must not pull the answer below the level
            if (generic != null && !generic.equals("x86_64") && !u.get().ancestors().contains(generic)) {
                continue;
            }
            // riscv64: archspec names its cores without their extensions (u74mc, x60 require only RV64GC), so a
            // named core is an answer only where it does not drop what the level uses (bitmanip, V)
            if (cpu.arch() == Arch.RISCV64 && !t.features().containsAll(level.features())) {
                continue;
            }
            candidates.add(new Candidate(t, u.get()));
        }
        Optional<Candidate> best = candidates.stream().max(Comparator
                .comparingInt((Candidate c) -> c.uarch().ancestors().size())
                .thenComparingInt(c -> c.uarch().features()));
        if (best.isEmpty()) {
            reasons.add("native: no named microarchitecture " + (cpu.vendor() == null ? "" : "of vendor "
                    + cpu.vendor() + " ") + "matches every feature" + (cpu.parts().isEmpty() ? ""
                    : (cpu.arch() == Arch.RISCV64 ? " and core " : " and CPU part ") + String.join("/", cpu.parts()))
                    + "; using the level " + level.id());
            return Optional.empty();
        }
        Target t = best.get().target();
        reasons.add("native: " + t.id() + " (archspec " + best.get().uarch().name() + ", vendor "
                + best.get().uarch().vendor() + (best.get().uarch().cpuPart().isEmpty() ? ""
                : ", part " + best.get().uarch().cpuPart()) + ") is the most specific named microarchitecture the "
                + "device fully supports");
        return Optional.of(t);
    }

    /** The archspec entry of a native target, when its vendor (and on Arm its CPU part, on riscv64 its name) is the
     * device's. */
    private Optional<Uarch> identity(CpuProfile cpu, Target t) {
        return uarchs.find(t.id().substring(cpu.arch().id().length() + 1))
                .filter(u -> u.vendor().equals(cpu.vendor()) && partMatches(cpu, u));
    }

    /**
     * aarch64: the device's CPU part is the core's, where both are known. riscv64: the device names the core (its
     * {@code uarch} line), as archspec requires, since a vendor makes many cores that archspec cannot tell apart by
     * their extensions (a SiFive U54 is not a U74).
     */
    private static boolean partMatches(CpuProfile cpu, Uarch u) {
        return switch (cpu.arch()) {
            case AARCH64 -> u.cpuPart().isEmpty() || cpu.parts().isEmpty() || cpu.parts().contains(u.cpuPart());
            case RISCV64 -> cpu.parts().contains(u.name());
            default -> true;
        };
    }

    /** Our level rungs under archspec's generic names. */
    private static String genericName(Target level) {
        if (level.arch() != Arch.X86_64) {
            return null;
        }
        return level.id().equals("x86_64-v1") ? "x86_64" : level.id().replace("x86_64-v", "x86_64_v");
    }

    /**
     * The smallest step up: among the targets that require everything the chosen one does and more (not only its
     * children: on Arm, v8.0-crypto leads to v8.1-crypto), the one the device is closest to having. Under portable
     * it may miss nothing: the device could run it under a finer policy.
     */
    private Resolution.Next next(CpuProfile cpu, Target chosen, Policy policy) {
        return catalog.forArch(cpu.arch()).stream()
                .filter(t -> !t.id().equals(chosen.id()) && t.features().containsAll(chosen.features()))
                .filter(t -> t.kind() == Target.Kind.LEVEL || policy == Policy.NATIVE && identity(cpu, t).isPresent())
                .filter(t -> policy != Policy.NATIVE || chosen.kind() == Target.Kind.LEVEL
                        || t.kind() == Target.Kind.NATIVE)
                .map(t -> {
                    TreeSet<String> missing = new TreeSet<>(t.features());
                    missing.removeAll(cpu.features());
                    return new Resolution.Next(t.id(), missing);
                })
                .min(Comparator.comparingInt((Resolution.Next n) -> n.missing().size())
                        .thenComparing(Resolution.Next::id))
                .orElse(null);
    }
}
