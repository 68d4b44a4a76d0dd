/**
 * Ed25519 signing of images and provenance: one key per deployment (configured, or generated once into the data
 * directory), published at {@code GET /v1/keys} so devices can pin it and verify with stock openssl.
 */
package dev.tailor.signing;
