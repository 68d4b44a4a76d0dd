package dev.tailor.toolchain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A linked image and how it was made.
 *
 * @param appFlags       the clang flags the app's sources were compiled with (for provenance)
 * @param toolchainId    see {@link ImageCompiler#toolchainId}
 * @param runtimeCached  true when the runtime objects came from the cache
 * @param runtimeTime    time spent compiling the runtime (zero when cached)
 * @param compileTime    wall time from the start until every object was ready
 * @param linkTime       the ld.lld call
 */
public record CompileResult(Path image, String log, List<String> appFlags, String toolchainId,
                            boolean runtimeCached, Duration runtimeTime, Duration compileTime, Duration linkTime) {

    public CompileResult {
        appFlags = List.copyOf(appFlags);
    }

    public Duration total() {
        return compileTime.plus(linkTime);
    }
}
