package dev.tailor.fingerprint;

import dev.tailor.problem.Problem;
import java.util.Locale;

/** How finely a fingerprint is resolved: coarser policies share more cache, finer ones run faster. */
public enum Policy {
    /** The architecture's baseline: one image for every device. */
    PORTABLE,
    /** The highest rung of the level ladder the device fully supports. */
    LEVEL,
    /** The most specific named microarchitecture (archspec's names), else the level. */
    NATIVE;

    public static final Policy DEFAULT = LEVEL;

    public static Policy parse(String name) {
        if (name == null || name.isBlank()) {
            return DEFAULT;
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "portable", "baseline" -> PORTABLE;
            case "level" -> LEVEL;
            case "native" -> NATIVE;
            default -> throw new FingerprintException(Problem.FINGERPRINT_BAD_POLICY, "unknown policy \"" + JsonFingerprintParser.clip(name)
                    + "\"; known: portable, level, native");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
