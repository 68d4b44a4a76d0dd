package dev.tailor.fingerprint;

import java.util.Optional;

/**
 * One app's measured times per rung on one CPU, as the auto policy reads them (a payoff report).
 */
public interface RungTimes {

    /**
     * The time of the app's main on one rung over a run's repetitions: the median and the spread, the range of the
     * runs without the fastest and the slowest one when there are five or more (one run disturbed by the machine
     * must not hide a real difference).
     */
    record Time(long medianNs, long lowNs, long highNs) {
    }

    /** The architecture measured: only its devices are served by these times. */
    String arch();

    /** What the times were measured on, for reasons ("AMD EPYC 9R45 (x86_64-zen5)"). */
    String measuredOn();

    /** The CPU's own answer under the native policy, to match the CPU nearest a device. */
    String nativeTarget();

    /** The CPU's own answer under the level policy. */
    String levelTarget();

    /** Empty when the rung was not measured (the CPU cannot run it, or it failed there). */
    Optional<Time> time(String targetId);
}
