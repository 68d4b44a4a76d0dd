package dev.tailor.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an architecture's images boot under QEMU, so the catalog can say it: the toolchain feature knows the machine and
 * supplies it; the catalog only shows it.
 */
@FunctionalInterface
public interface BootMachines {

    /** Empty for an architecture whose images are not booted in QEMU (wasm32). */
    Optional<Machine> forArch(Arch arch);

    /**
     * @param binary  the QEMU system emulator
     * @param machine the {@code -M} value
     * @param args    every argument but {@code -cpu} and {@code -kernel}, {@code -M} included
     * @param exit    how the guest's exit code reaches QEMU's status: {@code isa-debug-exit} (status = code*2+1) or
     *                {@code semihosting} or {@code sifive-test} (status = code)
     */
    record Machine(String binary, String machine, List<String> args, String exit) {
        public Machine {
            Objects.requireNonNull(binary, "binary");
            args = List.copyOf(args);
        }
    }

    static BootMachines of(Map<Arch, Machine> machines) {
        return arch -> Optional.ofNullable(machines.get(arch));
    }
}
