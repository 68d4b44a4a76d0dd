/**
 * The {@code tailor} command-line client for app developers and CI: login, push, release, build, resolve, boot,
 * targets, builds, logs and payoff, over the public HTTP API only (this package uses no other Tailor package, so the
 * client can never depend on the service's internals). Run it as {@code bin/tailor}.
 */
package dev.tailor.cli;
