/**
 * Limits on every public path: calls and build starts per token per minute, bundles and bytes per app, boots waiting
 * at once per client address. Each is a setting under {@code tailor.limits}; a limit reached is a 4xx problem that
 * says which setting and, where waiting helps, when to retry.
 */
package dev.tailor.limits;
