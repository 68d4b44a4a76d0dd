package dev.tailor.amqp;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.tailor.catalog.Arch;
import dev.tailor.toolchain.ToolchainCheck;
import dev.tailor.toolchain.Toolchains;

/**
 * What a worker checks before it takes jobs from a queue: a worker that consumed builds it cannot run would fail
 * every one of them, so it refuses to start instead. One clang serves every architecture, provided clang was built
 * with that architecture's LLVM backend ({@code clang -print-targets}); the backends and the linkers are the
 * toolchains' own ({@code compiler-workers/toolchains.json}).
 */
final class WorkerToolchains {

    private WorkerToolchains() {
    }

    /** @throws IllegalStateException naming what is missing */
    static void require(Toolchains toolchains, Set<Arch> archs, boolean sandbox) {
        require(toolchains, archs, sandbox, System.getenv().getOrDefault("PATH", ""));
    }

    /** @param path where to look for the tools, as in the PATH variable */
    static void require(Toolchains toolchains, Set<Arch> archs, boolean sandbox, String path) {
        Set<String> missing = new LinkedHashSet<>();
        ToolchainCheck.missing(toolchains, archs, sandbox, path).values().forEach(missing::addAll);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("This worker cannot build for " + archs + ": " + String.join("; ", missing)
                    + " (" + ToolchainCheck.INSTALL + ")");
        }
    }
}
