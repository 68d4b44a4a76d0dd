package dev.tailor.amqp;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.tailor.catalog.Arch;
import dev.tailor.toolchain.Flavor;
import dev.tailor.toolchain.Toolchain;
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
        List<String> missing = new ArrayList<>();
        Set<String> tools = new LinkedHashSet<>(List.of("clang"));
        for (Arch arch : archs) {
            for (Flavor flavor : Flavor.values()) {
                toolchains.find(arch, flavor).map(Toolchain::linker).ifPresent(tools::add);
            }
        }
        if (sandbox) {
            tools.add("bwrap");
        }
        for (String tool : tools) {
            if (onPath(tool, path).isEmpty()) {
                missing.add(tool + " is not on the PATH");
            }
        }
        if (missing.isEmpty()) {
            String targets = clangTargets(onPath("clang", path).orElseThrow());
            for (Arch arch : archs) {
                String backend = toolchains.forArch(arch).backend();
                if (!targets.contains(" " + backend + " ")) {
                    missing.add("clang has no " + backend + " backend for " + arch.id());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("This worker cannot build for " + archs + ": " + String.join("; ", missing)
                    + " (compiler-workers/install-toolchains.sh installs them; bwrap may be skipped with "
                    + "tailor.worker.sandbox=none, for trusted bundles only)");
        }
    }

    private static Optional<Path> onPath(String tool, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The output of {@code clang -print-targets}, one backend name per line, padded for whole-word matches. */
    private static String clangTargets(Path clang) {
        try {
            Process p = new ProcessBuilder(clang.toString(), "-print-targets").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            StringBuilder names = new StringBuilder(" ");
            for (String line : out.split("\n")) {
                String t = line.strip();
                int sp = t.indexOf(' ');
                if (sp > 0) {
                    names.append(t.substring(0, sp).toLowerCase(Locale.ROOT)).append(' ');
                }
            }
            return names.toString();
        } catch (IOException e) {
            return " ";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return " ";
        }
    }
}
