package dev.tailor.payoff;

import dev.tailor.store.Digest;

/** A payoff report of the bundle was stored (heard by every replica): answers under auto may change. */
public record PayoffMeasured(String app, Digest bundle) {
}
