/**
 * Channels: mutable, audited pointers from an app's channel to one of its bundles; a release is an event.
 * {@code ChannelService.releasedBundle} is the one lookup from a channel to its bundle (builds and boots by channel).
 */
package dev.tailor.channel;
