package dev.tailor.bundle;

import java.util.regex.Pattern;

import dev.tailor.problem.Problem;

/** The naming rule shared by apps and channels: DNS-label-like, so names are safe in paths, keys and headers. */
public final class Names {

    private static final Pattern NAME = ManifestParser.APP_NAME;

    private Names() {
    }

    public static String app(String app) {
        return check(app, "app");
    }

    public static String channel(String channel) {
        return check(channel, "channel");
    }

    private static String check(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw (what.equals("app") ? Problem.APP_INVALID_NAME : Problem.CHANNEL_INVALID_NAME).because(
                    "A" + (what.equals("app") ? "n " : " ") + what + " name must match " + NAME.pattern());
        }
        return name;
    }
}
