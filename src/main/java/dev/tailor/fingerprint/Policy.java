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
    NATIVE,
    /**
     * From the native answer down the ladder while a rung is not measurably faster for this app than the one below
     * it (the app's payoff report): the lowest rung that keeps the speed. Without a report, the level.
     */
    AUTO;

    /** The default of the resolve and build endpoints. */
    public static final Policy DEFAULT = LEVEL;
    /** The default of boots: the one answer that is both fast and as widely shared as the app's measurements allow. */
    public static final Policy BOOT_DEFAULT = AUTO;

    public static Policy parse(String name) {
        return parse(name, DEFAULT);
    }

    /** @param otherwise the policy when none is named */
    public static Policy parse(String name, Policy otherwise) {
        if (name == null || name.isBlank()) {
            return otherwise;
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "portable", "baseline" -> PORTABLE;
            case "level" -> LEVEL;
            case "native" -> NATIVE;
            case "auto" -> AUTO;
            default -> throw new FingerprintException(Problem.FINGERPRINT_BAD_POLICY, "unknown policy \"" + JsonFingerprintParser.clip(name)
                    + "\"; known: portable, level, native, auto");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
