package dev.tailor.fingerprint;

import java.util.Optional;

/**
 * One app's measured times per rung on one CPU, as the auto policy reads them (a payoff report).
 */
public interface RungTimes {

    /** The time of the app's main on one rung over a run's repetitions. */
    record Time(long medianNs, long minNs, long maxNs) {
    }

    /** What the times were measured on, for reasons ("AMD EPYC 9R45 (x86_64-zen5)"). */
    String measuredOn();

    /** The CPU's own answer under the native policy, to match the CPU nearest a device. */
    String nativeTarget();

    /** The CPU's own answer under the level policy. */
    String levelTarget();

    /** Empty when the rung was not measured (the CPU cannot run it, or it failed there). */
    Optional<Time> time(String targetId);
}
