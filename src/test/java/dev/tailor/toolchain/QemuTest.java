package dev.tailor.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.tailor.catalog.Arch;

class QemuTest {

    @Test
    void isaDebugExit_decodesTheShiftedStatus_onlyWithTheRuntimesExitLine() {
        assertThat(Qemu.decode(Toolchain.ExitDevice.ISA_DEBUG_EXIT, 7, "x\ntailor: exit 3\n")).isEqualTo(3);
        assertThat(Qemu.decode(Toolchain.ExitDevice.ISA_DEBUG_EXIT, 1, "tailor: exit 0\n")).isZero();
        // status 1 without the line is QEMU failing to start, not an app returning 0
        assertThat(Qemu.decode(Toolchain.ExitDevice.ISA_DEBUG_EXIT, 1, "")).isEqualTo(-1);
        // a triple fault with -no-reboot exits 0
        assertThat(Qemu.decode(Toolchain.ExitDevice.ISA_DEBUG_EXIT, 0, "tailor: boot\n")).isEqualTo(-1);
    }

    @Test
    void semihosting_passesTheStatusThrough_onlyWithTheRuntimesExitLine() {
        assertThat(Qemu.decode(Toolchain.ExitDevice.SEMIHOSTING, 121, "tailor: exit 121\n")).isEqualTo(121);
        assertThat(Qemu.decode(Toolchain.ExitDevice.SEMIHOSTING, 1, "tailor: exit 3\n")).isEqualTo(-1);
    }

    @Test
    void sifiveTest_passesTheStatusThrough_onlyWithTheRuntimesExitLine() {
        assertThat(Qemu.decode(Toolchain.ExitDevice.SIFIVE_TEST, 0, "tailor: exit 0\n")).isZero();
        assertThat(Qemu.decode(Toolchain.ExitDevice.SIFIVE_TEST, 121, "tailor: exit 121\n")).isEqualTo(121);
        assertThat(Qemu.decode(Toolchain.ExitDevice.SIFIVE_TEST, 0, "tailor: boot\n")).isEqualTo(-1);
    }

    @Test
    void command_usesTheArchitecturesMachineAndExitDevice() {
        Qemu q = new Qemu(Toolchains.load(), new LocalCommandRunner());
        assertThat(q.command(Arch.X86_64, "Haswell", Path.of("/i.elf")))
                .startsWith("qemu-system-x86_64").contains("microvm", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot")
                .endsWith("-cpu", "Haswell", "-kernel", "/i.elf");
        assertThat(q.command(Arch.ARMV7, "cortex-a15", Path.of("/i.elf")))
                .startsWith("qemu-system-arm").contains("versatilepb", "-semihosting");
        // the one board of every 32-bit Arm image takes the ARMv6 core too (virt refuses it)
        assertThat(q.command(Arch.ARMV7, "arm1176", Path.of("/i.elf"))).contains("versatilepb")
                .endsWith("-cpu", "arm1176", "-kernel", "/i.elf");
        assertThat(q.command(Arch.RISCV64, "rv64,v=true", Path.of("/i.elf")))
                .startsWith("qemu-system-riscv64").contains("virt", "-bios", "none").doesNotContain("-semihosting")
                .endsWith("-cpu", "rv64,v=true", "-kernel", "/i.elf");
    }
}
