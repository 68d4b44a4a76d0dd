/**
 * App bundles: upload (tar.gz, tar, zip), validation against hostile archives, normalisation into a canonical,
 * content-addressed tar, and the {@code tailor.yaml} manifest. {@link dev.tailor.bundle.Names} holds the one naming
 * rule of apps and channels, which the packages that take names check theirs against.
 */
package dev.tailor.bundle;
