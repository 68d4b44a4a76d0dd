/**
 * From whatever a device can say about its CPU to the fastest target it can safely run: fingerprint parsers, the
 * {@link dev.tailor.fingerprint.CpuProfile}, the resolver and the per-app statistics of resolved targets.
 */
package dev.tailor.fingerprint;
