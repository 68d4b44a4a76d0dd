package dev.tailor.toolchain;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.tailor.bundle.Names;

/**
 * What to build, independent of the target: an app's sources as a manifest describes them.
 *
 * @param sourceRoot  the bundle's root directory; every other path is relative to it
 * @param sources     the .c and .S files to compile, relative to sourceRoot (globs already expanded)
 * @param includeDirs extra include directories, relative to sourceRoot
 * @param defines     -D values for the app's sources (kept sorted, so the command line is stable)
 * @param heapBytes   the heap the runtime gives malloc()
 * @param appName     printed in the boot banner
 * @param buildKey    printed in the boot banner, so a device log says exactly which build runs
 */
public record CompileRequest(Path sourceRoot, List<String> sources, List<String> includeDirs,
                             Map<String, String> defines, Optimize optimize, long heapBytes, String appName,
                             String buildKey) {

    public static final long DEFAULT_HEAP = 1024 * 1024;
    public static final long MIN_HEAP = 4096;
    /** QEMU's machines start with 128 MiB of RAM; image, heap and stack must fit in it. */
    public static final long MAX_HEAP = 64L * 1024 * 1024;

    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+)*\\.(c|S)");
    private static final Pattern DIR = Pattern.compile("[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+)*");
    private static final Pattern DEFINE_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern DEFINE_VALUE = Pattern.compile("[\\x20-\\x7e]{0,256}");
    private static final Pattern BUILD_KEY = Pattern.compile("[A-Za-z0-9:._-]{1,128}");

    public CompileRequest {
        Objects.requireNonNull(sourceRoot, "sourceRoot");
        sourceRoot = sourceRoot.toAbsolutePath().normalize();
        // sorted, so that the order a manifest's globs expanded in never changes the image
        sources = sources.stream().sorted().distinct().toList();
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no sources to compile");
        }
        for (String s : sources) {
            requireRelative(s, SOURCE, "source");
        }
        includeDirs = List.copyOf(includeDirs);
        for (String d : includeDirs) {
            requireRelative(d, DIR, "include directory");
        }
        defines = Collections.unmodifiableSortedMap(new TreeMap<>(defines));
        defines.forEach((k, v) -> {
            if (!DEFINE_NAME.matcher(k).matches() || v == null || !DEFINE_VALUE.matcher(v).matches()) {
                throw new IllegalArgumentException("bad define " + k);
            }
        });
        Objects.requireNonNull(optimize, "optimize");
        if (heapBytes < MIN_HEAP || heapBytes > MAX_HEAP) {
            throw new IllegalArgumentException("heap must be between " + MIN_HEAP + " and " + MAX_HEAP + " bytes");
        }
        if (!Names.valid(appName)) {
            throw new IllegalArgumentException("bad app name " + appName);
        }
        if (buildKey == null || !BUILD_KEY.matcher(buildKey).matches()) {
            throw new IllegalArgumentException("bad build key " + buildKey);
        }
    }

    private static void requireRelative(String path, Pattern shape, String what) {
        if (!shape.matcher(path).matches() || List.of(path.split("/")).stream().anyMatch(p -> p.equals("..") || p.equals("."))) {
            throw new IllegalArgumentException("bad " + what + " path " + path);
        }
    }
}
