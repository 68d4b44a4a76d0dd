package dev.tailor.payoff;

import dev.tailor.store.Digest;

/** Published when a token starts (or joins) payoff runs of a bundle. */
public record PayoffRequested(String app, String by, Digest bundle, boolean fresh) {
}
