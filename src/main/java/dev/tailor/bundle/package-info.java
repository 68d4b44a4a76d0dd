/**
 * App bundles: upload (tar.gz, tar, zip), validation against hostile archives, normalisation into a canonical,
 * content-addressed tar, and the {@code tailor.yaml} manifest.
 */
package dev.tailor.bundle;
