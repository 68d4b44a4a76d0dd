/**
 * Device-facing delivery that does not depend on builds: immutable, CDN-cacheable image serving (ranges,
 * conditional requests, zero-copy from the filesystem store), signatures and provenance, and purging edge caches
 * by surrogate key when a channel moves.
 */
package dev.tailor.delivery;
