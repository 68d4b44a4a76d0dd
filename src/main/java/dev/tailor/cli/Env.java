package dev.tailor.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may touch of the world: the environment variables, the config directory, the streams and whether a
 * person watches a terminal (then progress is drawn on stderr). Tests pass their own.
 */
public record Env(Map<String, String> vars, Path configDir, PrintStream out, PrintStream err, InputStream in,
                  boolean terminal) {

    public Env {
        vars = Map.copyOf(vars);
    }

    /** The real process's: {@code $XDG_CONFIG_HOME/tailor}, else {@code ~/.config/tailor}. */
    public static Env system() {
        Map<String, String> vars = System.getenv();
        String xdg = vars.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new Env(vars, base.resolve("tailor"), System.out, System.err, System.in, System.console() != null);
    }

    String var(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
