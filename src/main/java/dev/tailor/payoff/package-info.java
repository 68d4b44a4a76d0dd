/**
 * Build only the rungs that pay. A payoff run ({@code Flavor.PAYOFF}, one job per architecture through the same
 * queues as builds) times an app natively on every rung its worker's CPU can run; {@link dev.tailor.payoff.PayoffStore}
 * keeps each CPU model's {@link dev.tailor.payoff.PayoffReport}; {@link dev.tailor.payoff.Payoffs} starts runs and
 * gives the auto policy its measurements; {@link dev.tailor.payoff.Prebuilds} builds ahead the rungs a release's
 * devices will be served, ranked by demand times measured gain. The worker's half is {@code worker.PayoffRunner};
 * the walk down the ladder is {@code fingerprint.TargetResolver#stepDown}.
 */
package dev.tailor.payoff;
