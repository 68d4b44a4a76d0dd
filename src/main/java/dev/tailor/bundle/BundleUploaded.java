package dev.tailor.bundle;

/**
 * Published after an upload is stored, or refused.
 *
 * @param bundle     the stored bundle, null when refused
 * @param created    true when this upload stored new files
 * @param refusedWith the problem code the upload was refused with, null when stored
 */
public record BundleUploaded(String app, String by, BundleDocument bundle, boolean created, String refusedWith) {
}
