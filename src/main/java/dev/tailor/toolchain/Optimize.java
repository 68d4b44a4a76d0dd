package dev.tailor.toolchain;

import java.util.Locale;

/** What the app's own code is optimised for; the runtime is always built with -O2. */
public enum Optimize {
    SPEED("-O2"),
    SIZE("-Os");

    private final String flag;

    Optimize(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }

    /** Parses the manifest spelling ({@code speed} or {@code size}). */
    public static Optimize parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
