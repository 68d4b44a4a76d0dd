package dev.tailor.toolchain;

import java.util.List;
import java.util.Objects;

import dev.tailor.catalog.Arch;

/**
 * How one architecture's builds of one flavor are compiled, linked and booted, as read from
 * {@code compiler-workers/toolchains.json} with the shared parts already merged in. Paths are relative to the
 * {@code compiler-workers} directory.
 *
 * @param backend         the LLVM backend clang needs for {@code triple}, as {@code clang -print-targets} names it
 *                        ({@code x86-64}, {@code arm}): what a worker checks before it takes the architecture's
 *                        jobs; not a build input (the triple is), so it is not part of the toolchain id
 * @param linker          the linker command ({@code ld.lld}, {@code wasm-ld}); its flags are {@code ldflags}
 * @param linkerScript    null where the linker's own layout serves (Linux executables, wasm modules)
 * @param output          the output's file name in the work directory ({@code image.elf}, {@code image.wasm})
 * @param cflags          flags for every compile (runtime and app), before any target flags
 * @param plainCflags     instead of target flags, for runtime code that must run on every CPU of the architecture
 * @param runtimeCflags   optimisation and warnings for the runtime, which does not follow the app's choice
 * @param plainSources    runtime sources never compiled with the target's flags (boot, traps, console)
 * @param tunedSources    runtime sources compiled with the target's flags (string and memory functions, printf)
 * @param perBuildSources runtime sources compiled for every image, with that build's -D values
 */
public record Toolchain(Arch arch, Flavor flavor, String triple, String backend, List<String> cflags, List<String> plainCflags,
                        List<String> runtimeCflags, String includeDir, String linker, String linkerScript, String output, List<String> ldflags,
                        List<String> plainSources, List<String> tunedSources, List<String> perBuildSources,
                        QemuMachine qemu) {

    /** How to boot this architecture's images under QEMU, for tests and for devices simulated in CI; null where
     * the output is not a machine image (a Linux executable, a wasm module). */
    public record QemuMachine(String binary, List<String> args, ExitDevice exit) {
        public QemuMachine {
            Objects.requireNonNull(binary, "binary");
            args = List.copyOf(args);
            Objects.requireNonNull(exit, "exit");
        }
    }

    /** How the guest reports its exit code to QEMU, which decides how QEMU's own status is decoded. */
    public enum ExitDevice {
        /** x86 port 0xf4: QEMU exits with (code << 1) | 1. */
        ISA_DEBUG_EXIT,
        /** ARM semihosting SYS_EXIT: QEMU exits with the code itself. */
        SEMIHOSTING,
        /** RISC-V virt's SiFive test device at 0x100000, written (code << 16) | 0x3333: QEMU exits with the code
         * itself. */
        SIFIVE_TEST
    }

    /**
     * Everything here that can change an image's bytes, for the toolchain id: not the QEMU settings, which only
     * say how tests boot it.
     */
    public List<Object> buildInputs() {
        return java.util.Arrays.asList(arch.id(), flavor.id(), triple, cflags, plainCflags, runtimeCflags, includeDir,
                linker, linkerScript, output, ldflags, plainSources, tunedSources, perBuildSources);
    }

    public Toolchain {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(triple, "triple");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(includeDir, "includeDir");
        Objects.requireNonNull(linker, "linker");
        Objects.requireNonNull(output, "output");
        cflags = List.copyOf(cflags);
        plainCflags = List.copyOf(plainCflags);
        runtimeCflags = List.copyOf(runtimeCflags);
        ldflags = List.copyOf(ldflags);
        plainSources = List.copyOf(plainSources);
        tunedSources = List.copyOf(tunedSources);
        perBuildSources = List.copyOf(perBuildSources);
    }
}
