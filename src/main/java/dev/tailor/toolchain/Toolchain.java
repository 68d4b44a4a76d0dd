package dev.tailor.toolchain;

import java.util.List;
import java.util.Objects;

import dev.tailor.target.Arch;

/**
 * How one architecture's images are compiled, linked and booted, as read from
 * {@code compiler-workers/toolchains.json} with the shared part already merged in. Paths are relative to the
 * {@code compiler-workers} directory.
 *
 * @param cflags          flags for every compile (runtime and app), before any target flags
 * @param plainCflags     instead of target flags, for runtime code that must run on every CPU of the architecture
 * @param runtimeCflags   optimisation and warnings for the runtime, which does not follow the app's choice
 * @param plainSources    runtime sources never compiled with the target's flags (boot, traps, console)
 * @param tunedSources    runtime sources compiled with the target's flags (string and memory functions, printf)
 * @param perBuildSources runtime sources compiled for every image, with that build's -D values
 */
public record Toolchain(Arch arch, String triple, List<String> cflags, List<String> plainCflags,
                        List<String> runtimeCflags, String includeDir, String linkerScript, List<String> ldflags,
                        List<String> plainSources, List<String> tunedSources, List<String> perBuildSources,
                        QemuMachine qemu) {

    /** How to boot this architecture's images under QEMU, for tests and for devices simulated in CI. */
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
        SEMIHOSTING
    }

    /**
     * Everything here that can change an image's bytes, for the toolchain id: not the QEMU settings, which only
     * say how tests boot it.
     */
    public List<Object> buildInputs() {
        return List.of(arch.id(), triple, cflags, plainCflags, runtimeCflags, includeDir, linkerScript, ldflags,
                plainSources, tunedSources, perBuildSources);
    }

    public Toolchain {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(triple, "triple");
        Objects.requireNonNull(includeDir, "includeDir");
        Objects.requireNonNull(linkerScript, "linkerScript");
        cflags = List.copyOf(cflags);
        plainCflags = List.copyOf(plainCflags);
        runtimeCflags = List.copyOf(runtimeCflags);
        ldflags = List.copyOf(ldflags);
        plainSources = List.copyOf(plainSources);
        tunedSources = List.copyOf(tunedSources);
        perBuildSources = List.copyOf(perBuildSources);
        Objects.requireNonNull(qemu, "qemu");
    }
}
