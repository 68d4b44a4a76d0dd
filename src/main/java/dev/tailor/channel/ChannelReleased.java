package dev.tailor.channel;

import dev.tailor.bundle.BundleDocument;

/**
 * Published after a channel moves. Prebuilds (baseline and popular targets) and CDN purges hook in here.
 *
 * @param previous the channel before this release, or null for its first release
 */
public record ChannelReleased(ChannelDocument channel, BundleDocument bundle, ChannelDocument previous) {
}
