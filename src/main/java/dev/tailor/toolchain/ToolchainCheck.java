package dev.tailor.toolchain;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.tailor.catalog.Arch;

/**
 * Whether this machine has what building for each architecture takes: clang (built with the architecture's LLVM
 * backend, {@code clang -print-targets}), the toolchains' linkers, and bubblewrap when builds are sandboxed. Plain
 * file checks on a PATH, and one clang call.
 */
public final class ToolchainCheck {

    /** How to get what is missing, for messages. */
    public static final String INSTALL = "compiler-workers/install-toolchains.sh installs them (Debian: apt-get "
            + "install clang lld bubblewrap); bwrap may be skipped with tailor.worker.sandbox=none, for trusted "
            + "bundles only";

    private ToolchainCheck() {
    }

    /**
     * What is missing per architecture (an empty list: ready), in the order asked.
     *
     * @param path where to look for the tools, as in the PATH variable
     */
    public static Map<Arch, List<String>> missing(Toolchains toolchains, Set<Arch> archs, boolean sandbox,
                                                  String path) {
        Map<Arch, List<String>> missing = new LinkedHashMap<>();
        Optional<Path> clang = onPath("clang", path);
        String targets = clang.map(ToolchainCheck::clangTargets).orElse(" ");
        for (Arch arch : archs) {
            Set<String> tools = new LinkedHashSet<>(List.of("clang"));
            for (Flavor flavor : Flavor.values()) {
                toolchains.find(arch, flavor).map(Toolchain::linker).ifPresent(tools::add);
            }
            if (sandbox) {
                tools.add("bwrap");
            }
            List<String> lacks = new ArrayList<>();
            for (String tool : tools) {
                if (onPath(tool, path).isEmpty()) {
                    lacks.add(tool + " is not on the PATH");
                }
            }
            String backend = toolchains.forArch(arch).backend();
            if (clang.isPresent() && !targets.contains(" " + backend + " ")) {
                lacks.add("clang has no " + backend + " backend for " + arch.id());
            }
            missing.put(arch, List.copyOf(lacks));
        }
        return missing;
    }

    static Optional<Path> onPath(String tool, String path) {
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
