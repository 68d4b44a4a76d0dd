package dev.tailor.fingerprint;

import dev.tailor.store.Digest;

/** Where the auto policy finds a bundle's payoff measurements; the payoff feature provides them. */
public interface MeasurementSource {

    /** The bundle's reports (none when it was never measured) and the gain that pays. */
    Measurements of(Digest bundle);

    /** The measurements of the bundle a channel points at; none for a channel that does not exist. */
    Measurements ofChannel(String app, String channel);

    MeasurementSource NONE = new MeasurementSource() {
        @Override
        public Measurements of(Digest bundle) {
            return Measurements.none();
        }

        @Override
        public Measurements ofChannel(String app, String channel) {
            return Measurements.none();
        }
    };
}
