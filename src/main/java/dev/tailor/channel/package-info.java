/** Channels: mutable, audited pointers from an app's channel to one of its bundles; a release is an event. */
package dev.tailor.channel;
