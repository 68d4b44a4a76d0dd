package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;

/** The auto policy's walk down the ladder, on times made up for each case. */
class AutoPolicyTest {

    static final TargetCatalog CATALOG = TargetCatalog.load();
    static final TargetResolver RESOLVER = new TargetResolver(CATALOG, new NamedMicroarchitectures());
    static final String HASWELL = "x86_64:fpu,cx8,cmov,mmx,fxsr,sse,sse2,cx16,lahf_lm,popcnt,sse3,ssse3,sse4_1,"
            + "sse4_2,avx,avx2,bmi1,bmi2,f16c,fma,abm,movbe,xsave";

    /** Times per target: median, low, high. */
    record Made(String nativeTarget, String levelTarget, Map<String, RungTimes.Time> times) implements RungTimes {
        @Override
        public String arch() {
            return "x86_64";
        }

        @Override
        public String measuredOn() {
            return "a test CPU (" + nativeTarget + ")";
        }

        @Override
        public Optional<Time> time(String targetId) {
            return Optional.ofNullable(times.get(targetId));
        }
    }

    static RungTimes.Time t(long median, long low, long high) {
        return new RungTimes.Time(median, low, high);
    }

    static Made made(Map<String, RungTimes.Time> times) {
        return new Made("x86_64-v4", "x86_64-v4", times);
    }

    static Target target(String id) {
        return CATALOG.find(id).orElseThrow();
    }

    @Test
    void aRungThatPays_isKept_andTheOnesAboveItThatDoNot_areSteppedDownFrom() {
        List<String> reasons = new ArrayList<>();
        Target served = RESOLVER.stepDown(target("x86_64-v4"), made(Map.of("x86_64-v4", t(100, 98, 102),
                "x86_64-v3", t(101, 99, 103), "x86_64-v2", t(300, 290, 310), "x86_64-v1", t(301, 290, 310))), 1.05, reasons);

        assertThat(served.id()).isEqualTo("x86_64-v3");
        assertThat(reasons).containsExactly(
                "auto: x86_64-v4: 1.01x over x86_64-v3 for this app (measured on a test CPU (x86_64-v4)), under the 1.05x "
                        + "that pays or within the runs' spread: stepping down to x86_64-v3",
                "auto: x86_64-v3: 2.97x over x86_64-v2 for this app (measured on a test CPU (x86_64-v4)); x86_64-v4: "
                        + "3.00x over it: x86_64-v2 is measurably slower than x86_64-v4",
                "auto: x86_64-v2: 1.00x over x86_64-v1 for this app (measured on a test CPU (x86_64-v4)); x86_64-v4: "
                        + "3.01x over it: x86_64-v1 is measurably slower than x86_64-v4",
                "auto: serving x86_64-v3: no rung below it was measured as fast for this app");
    }

    @Test
    void oneRungMeasuredSlow_doesNotStopTheWalk_aboveABaselineAsFastAsTheBest() {
        // the flat app as one CI machine measured it: v2's runs all slow, v1's as fast as v3's (the same loop)
        List<String> reasons = new ArrayList<>();
        Target served = RESOLVER.stepDown(target("x86_64-haswell"), made(Map.of("x86_64-haswell", t(104, 102, 106),
                "x86_64-v3", t(100, 98, 102), "x86_64-v2", t(133, 130, 136), "x86_64-v1", t(101, 99, 103))), 1.05,
                reasons);

        assertThat(served.id()).isEqualTo("x86_64-v1");
        assertThat(reasons).contains("auto: x86_64-v3: 1.33x over x86_64-v2 for this app (measured on a test CPU "
                        + "(x86_64-v4)): x86_64-v2 is measurably slower than x86_64-v3",
                "auto: serving x86_64-v1, the baseline: no rung above it pays for this app");
    }

    @Test
    void aRungBelowTheBestThatIsMeasurablySlower_keepsTheBest_evenWhenTheBaselineIsCloser() {
        // v2 is slower than v1 (it happens: a different code layout), v3 is 1.04x over v1 but 1.5x over v2
        Target served = RESOLVER.stepDown(target("x86_64-v3"), made(Map.of("x86_64-v3", t(100, 99, 101),
                "x86_64-v2", t(150, 149, 151), "x86_64-v1", t(104, 103, 105))), 1.05, new ArrayList<>());
        Target paying = RESOLVER.stepDown(target("x86_64-v3"), made(Map.of("x86_64-v3", t(100, 99, 101),
                "x86_64-v2", t(150, 149, 151), "x86_64-v1", t(120, 119, 121))), 1.05, new ArrayList<>());

        assertThat(served.id()).as("v1 keeps v3's speed within 5%%").isEqualTo("x86_64-v1");
        assertThat(paying.id()).as("v1 is 1.2x slower than v3, v2 slower still").isEqualTo("x86_64-v3");
    }

    @Test
    void smallGainsThatAddUp_arePaidFor() {
        // each step buys 3%, under the 5% that pays; v4 over v2 buys 6%
        Target served = RESOLVER.stepDown(target("x86_64-v4"), made(Map.of("x86_64-v4", t(1000, 999, 1001),
                "x86_64-v3", t(1030, 1029, 1031), "x86_64-v2", t(1061, 1060, 1062), "x86_64-v1", t(1093, 1092, 1094))),
                1.05, new ArrayList<>());

        assertThat(served.id()).isEqualTo("x86_64-v3");
    }

    @Test
    void aSlowOutlierAtTheTop_doesNotHideTheRungThatPays() {
        // haswell's runs were disturbed: slower than v3 with the same code; v3 still pays 3x over v2
        Target served = RESOLVER.stepDown(target("x86_64-haswell"), made(Map.of("x86_64-haswell", t(140, 90, 200),
                "x86_64-v3", t(100, 95, 105), "x86_64-v2", t(300, 280, 320), "x86_64-v1", t(300, 280, 320))), 1.05,
                new ArrayList<>());

        assertThat(served.id()).isEqualTo("x86_64-v3");
    }

    @Test
    void aGainWithinTheSpread_doesNotPay() {
        // v2 is 10% faster by the medians, but the runs overlap
        Target served = RESOLVER.stepDown(target("x86_64-v2"), made(Map.of("x86_64-v2", t(100, 80, 125),
                "x86_64-v1", t(110, 95, 130))), 1.05, new ArrayList<>());

        assertThat(served.id()).isEqualTo("x86_64-v1");
    }

    @Test
    void unmeasuredRungs_areNotMeasurablyFaster_soAutoStepsDownToTheNearestMeasuredOne() {
        List<String> reasons = new ArrayList<>();
        // the measuring CPU could not run zen4 .. zen: they are stepped down from; v3 pays over v2
        Target served = RESOLVER.stepDown(target("x86_64-zen4"), made(Map.of("x86_64-v3", t(100, 99, 101),
                "x86_64-v2", t(300, 299, 301), "x86_64-v1", t(300, 299, 301))), 1.05, reasons);
        Target parentMissing = RESOLVER.stepDown(target("x86_64-v3"), made(Map.of("x86_64-v3", t(1, 1, 1))), 1.05,
                new ArrayList<>());
        List<String> none = new ArrayList<>();
        Target nothing = RESOLVER.stepDown(target("x86_64-zen4"), made(Map.of()), 1.05, none);

        assertThat(served.id()).isEqualTo("x86_64-v3");
        assertThat(reasons.get(0)).isEqualTo("auto: x86_64-zen4 and the rungs below it down to x86_64-v3 were not "
                + "measured on a test CPU (x86_64-v4) (it cannot run them), so nothing shows them faster than x86_64-v3: "
                + "stepping down to x86_64-v3");
        assertThat(parentMissing.id()).as("a parent not measured cannot be compared: the measured rung stays")
                .isEqualTo("x86_64-v3");
        assertThat(nothing.id()).isEqualTo("x86_64-zen4");
        assertThat(none).containsExactly("auto: no rung from x86_64-zen4 down was measured on a test CPU (x86_64-v4): "
                + "serving x86_64-zen4");
    }

    @Test
    void aDeviceOfAnArchitectureNotMeasured_getsTheLevel() {
        CpuProfile arm = FingerprintParser.parseCompact("aarch64:fp,asimd,atomics,crc32,asimdrdm");
        Resolution r = RESOLVER.resolve(arm, Policy.AUTO, new Measurements(List.of(made(Map.of("x86_64-v1",
                t(1, 1, 1)))), 1.05));

        assertThat(r.target().id()).isEqualTo(RESOLVER.resolve(arm, Policy.LEVEL).target().id());
        assertThat(r.reasons()).anyMatch(s -> s.startsWith("auto: this app's bundle was not measured on aarch64"));
    }

    @Test
    void auto_usesTheReportMeasuredNearestTheDevice_andWithoutOneAnswersAsLevel() {
        CpuProfile haswell = FingerprintParser.parseCompact(HASWELL);
        Made far = new Made("x86_64-zen4", "x86_64-v4", Map.of("x86_64-v3", t(100, 99, 101), "x86_64-v2",
                t(100, 99, 101), "x86_64-v1", t(100, 99, 101)));
        Made near = new Made("x86_64-v3", "x86_64-v3", Map.of("x86_64-v3", t(100, 99, 101), "x86_64-v2",
                t(300, 299, 301), "x86_64-v1", t(300, 299, 301)));

        Resolution measured = RESOLVER.resolve(haswell, Policy.AUTO, new Measurements(List.of(far, near), 1.05));
        Resolution none = RESOLVER.resolve(haswell, Policy.AUTO, Measurements.none());

        assertThat(measured.target().id()).isEqualTo("x86_64-v3");
        assertThat(measured.reasons()).contains("auto: times measured on a test CPU (x86_64-v3), whose native answer is "
                + "the device's");
        assertThat(none.target().id()).isEqualTo("x86_64-v3");
        assertThat(none.reasons()).contains("auto: no payoff report for this app's bundle; answering as level: x86_64-v3");
    }

    /** Whatever the times say, auto never serves a rung the device lacks a feature of. */
    @Test
    void whateverTheTimes_autoNeverServesARungTheDeviceCannotRun() {
        Random random = new Random(12);
        List<Target> x86 = CATALOG.forArch(dev.tailor.catalog.Arch.X86_64);
        for (int i = 0; i < 2000; i++) {
            Target device = x86.get(random.nextInt(x86.size()));
            Map<String, RungTimes.Time> times = new HashMap<>();
            for (Target t : x86) {
                if (random.nextInt(4) > 0) {
                    long m = 1 + random.nextInt(1000);
                    times.put(t.id(), t(m, Math.max(1, m - random.nextInt(100)), m + random.nextInt(100)));
                }
            }
            CpuProfile cpu = FingerprintParser.parseCompact("x86_64:" + String.join(",", device.features()));
            Resolution r = RESOLVER.resolve(cpu, Policy.AUTO, new Measurements(List.of(made(times)),
                    1 + random.nextDouble()));
            assertThat(r.target().isSafeFor(cpu.features())).as(device.id() + " served " + r.target().id()).isTrue();
        }
    }
}
