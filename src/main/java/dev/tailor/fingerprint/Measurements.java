package dev.tailor.fingerprint;

import java.util.List;
import java.util.Objects;

/**
 * What the auto policy knows of one bundle: its payoff reports (one per CPU model measured, possibly none) and the
 * gain a rung must show over the one below it to be served.
 *
 * @param minGain a rung is served only when it is at least this much faster (1.05: 5%) and its slowest run beats
 *                the lower rung's fastest
 */
public record Measurements(List<RungTimes> reports, double minGain) {

    public static final double DEFAULT_MIN_GAIN = 1.05;

    public Measurements {
        reports = List.copyOf(Objects.requireNonNull(reports, "reports"));
        if (!(minGain >= 1.0) || Double.isInfinite(minGain)) {
            throw new IllegalArgumentException("the minimum gain is a factor of 1 or more, not " + minGain);
        }
    }

    public static Measurements none() {
        return new Measurements(List.of(), DEFAULT_MIN_GAIN);
    }
}
