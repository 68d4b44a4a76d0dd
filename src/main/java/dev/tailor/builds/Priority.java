package dev.tailor.builds;

/** Which builds run first when a queue backs up: a device waiting at boot, then API callers, then prebuilds. */
public enum Priority {
    BOOT, API, PREBUILD
}
