package dev.tailor.bundle;

import java.util.regex.Pattern;

import dev.tailor.problem.Problem;

/**
 * The naming rule shared by apps and channels: DNS-label-like, so names are safe in paths, keys and headers. The one
 * definition of it: the manifest's {@code name}, the compiler's banner and the fleet statistics check theirs here.
 */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Names() {
    }

    /** The rule itself, for messages that say what a name must look like. */
    public static String rule() {
        return NAME.pattern();
    }

    /** Whether {@code name} is a well-formed app or channel name (null is not). */
    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** @throws dev.tailor.problem.TailorException {@code app.invalid_name} unless the app's name is well-formed */
    public static String app(String app) {
        return check(app, "app");
    }

    public static String channel(String channel) {
        return check(channel, "channel");
    }

    private static String check(String name, String what) {
        if (!valid(name)) {
            throw (what.equals("app") ? Problem.APP_INVALID_NAME : Problem.CHANNEL_INVALID_NAME).because(
                    "A" + (what.equals("app") ? "n " : " ") + what + " name must match " + NAME.pattern());
        }
        return name;
    }
}
