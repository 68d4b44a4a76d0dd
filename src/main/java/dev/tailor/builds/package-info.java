/**
 * Builds: the build key, build records in the store, the {@link dev.tailor.builds.Builds} service that makes
 * concurrent requests for one key share one build (API calls, device boots and prebuilds alike), the
 * {@link dev.tailor.builds.BuildDispatcher} that hands builds to workers, the HTTP endpoints, metrics, and the
 * prebuilds a channel release starts.
 */
package dev.tailor.builds;
