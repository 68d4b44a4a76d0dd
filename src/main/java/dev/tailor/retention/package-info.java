/**
 * Retention: the garbage collector deletes bundles no channel has pointed at in its last releases, past a grace
 * period, with their build records, logs, images, signatures, provenance and payoff reports. It runs on a schedule and
 * on {@code POST /v1/admin/gc}.
 */
package dev.tailor.retention;
