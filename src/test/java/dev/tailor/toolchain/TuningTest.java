package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tailor.catalog.Target;

/** A tuned image really uses its target's instructions, runs where they exist and stops cleanly where not. */
class TuningTest {

    static final Pattern AVX2 = Pattern.compile("(?m)^\\s*[0-9a-f]+:\\s+vp\\w+\\s.*%ymm");
    static final Pattern LSE = Pattern.compile("(?m)^\\s*[0-9a-f]+:\\s+(ldadd|ldclr|ldeor|ldset|swp|cas)\\w*\\s");
    static final Pattern ILLEGAL = Pattern.compile("tailor: illegal instruction at 0x([0-9a-f]+)");

    static Path x86v3;
    static Path armv81;

    @BeforeAll
    static void build() {
        x86v3 = TestToolchain.build(TestToolchain.example("compute"), target("x86_64-v3")).image();
        armv81 = TestToolchain.build(TestToolchain.example("compute"), target("aarch64-v8.1")).image();
    }

    @Test
    void x86_64v3_containsAvx2() {
        assertThat(AVX2.matcher(TestToolchain.disassemble(x86v3)).find()).isTrue();
    }

    @Test
    void x86_64v1_containsNoAvx() {
        Path v1 = TestToolchain.build(TestToolchain.example("compute"), target("x86_64-v1")).image();
        assertThat(TestToolchain.disassemble(v1)).doesNotContainPattern("%ymm|\\sv(p|mov|add|mul|xor)\\w*\\s");
    }

    @Test
    void x86_64v3_runsOnHaswell() {
        Qemu.Boot boot = TestToolchain.boot(target("x86_64-v3"), "Haswell", x86v3);
        assertThat(boot.exitCode()).as(boot.console()).isZero();
        assertThat(boot.console()).contains(ComputeChecksumTest.EXPECTED);
    }

    @Test
    void x86_64v3_stopsWithIllegalInstructionOnQemu64_atAnAvxInstruction() {
        assertStopsAtIllegalInstruction("x86_64-v3", "qemu64", x86v3, TestToolchain.disassemble(x86v3),
                Pattern.compile("\\sv\\w+"));
    }

    @Test
    void x86_64v4_containsAvx512() {
        Path v4 = TestToolchain.build(TestToolchain.example("compute"), target("x86_64-v4")).image();
        assertThat(TestToolchain.disassemble(v4)).containsPattern("%zmm\\d+|%k[1-7]");
    }

    @Test
    void aarch64v81_usesLseAtomics() {
        assertThat(LSE.matcher(TestToolchain.disassemble(armv81, "--mattr=+lse")).find()).isTrue();
    }

    @Test
    void aarch64v80_usesNoLseAtomics() {
        Path v80 = TestToolchain.build(TestToolchain.example("compute"), target("aarch64-v8.0")).image();
        assertThat(LSE.matcher(TestToolchain.disassemble(v80, "--mattr=+lse")).find()).isFalse();
    }

    @Test
    void aarch64v81_runsOnCortexA76() {
        Qemu.Boot boot = TestToolchain.boot(target("aarch64-v8.1"), "cortex-a76", armv81);
        assertThat(boot.exitCode()).as(boot.console()).isZero();
        assertThat(boot.console()).contains(ComputeChecksumTest.EXPECTED);
    }

    @Test
    void aarch64v81_stopsWithIllegalInstructionOnCortexA53_atAnLseInstruction() {
        assertStopsAtIllegalInstruction("aarch64-v8.1", "cortex-a53", armv81,
                TestToolchain.disassemble(armv81, "--mattr=+lse"), LSE);
    }

    @Test
    void armv7NeonVfpv4_stopsWithIllegalInstructionWithoutNeon_atANeonInstruction() {
        Path image = TestToolchain.build(TestToolchain.example("compute"), target("armv7-neon-vfpv4")).image();
        assertStopsAtIllegalInstruction("armv7-neon-vfpv4", "cortex-a15,neon=off", image,
                TestToolchain.disassemble(image, "--mattr=+neon"), Pattern.compile("\\sv\\w+\\.[iusfp]?(8|16|32|64)\\s"));
    }

    /** The ARMv6 rung exists for the ARM1176: an image of the ARMv7 baseline stops there with the clear message. */
    @Test
    void armv7Image_onTheArmv6Core_stopsWithTheClearMessage() {
        Path image = TestToolchain.build(TestToolchain.example("compute"), target("armv7-vfpv3d16")).image();
        Qemu.Boot boot = TestToolchain.boot(target("armv7-vfpv3d16"), "arm1176", image);
        assertThat(boot.exitCode()).as(boot.console()).isEqualTo(121);
        assertThat(boot.console()).contains("tailor: boot ", "tailor: illegal instruction at 0x",
                "this CPU lacks an instruction the image was built for");
    }

    @Test
    void armv6Image_usesNoArmv7OrVfpv3Instruction_andRunsOnTheArm1176() {
        Path image = TestToolchain.build(TestToolchain.example("compute"), target("armv6-vfpv2")).image();
        assertThat(TestToolchain.disassemble(image)).doesNotContainPattern("\\s(movw|movt|isb|dsb|dmb|wfe|wfi|sdiv|udiv|ubfx|sbfx|bfi|bfc|rbit)\\s")
                .doesNotContainPattern("\\svmov\\.f(32|64)\\s+[sd]\\d+, #");
        Qemu.Boot boot = TestToolchain.boot(target("armv6-vfpv2"), "arm1176", image);
        assertThat(boot.exitCode()).as(boot.console()).isZero();
        assertThat(boot.console()).contains(ComputeChecksumTest.EXPECTED);
    }

    /** i586-base is the Pentium's rung: the i686 baseline (CMOV) stops on it with the clear message. */
    @Test
    void i686Image_onAPentium_stopsWithTheClearMessage_andTheI586ImageContainsNoCmov() {
        Path i686 = TestToolchain.build(TestToolchain.example("compute"), target("i686-base")).image();
        assertThat(TestToolchain.disassemble(i686)).containsPattern("\\scmov\\w*\\s");
        Qemu.Boot boot = TestToolchain.boot(target("i686-base"), "pentium", i686);
        assertThat(boot.exitCode()).as(boot.console()).isEqualTo(121);
        assertThat(boot.console()).contains("this CPU lacks an instruction the image was built for");

        Path i586 = TestToolchain.build(TestToolchain.example("compute"), target("i586-base")).image();
        assertThat(TestToolchain.disassemble(i586)).doesNotContainPattern("\\s(cmov|fcmov|fcomi|fucomi)\\w*\\s");
        Qemu.Boot ok = TestToolchain.boot(target("i586-base"), "pentium", i586);
        assertThat(ok.exitCode()).as(ok.console()).isZero();
        assertThat(ok.console()).contains(ComputeChecksumTest.EXPECTED);
    }

    /** RISC-V vector instructions (vsetvli, vle8.v, vadd.vv...) and the bitmanip ones the rva22 rung adds. */
    static final Pattern RVV = Pattern.compile("\\sv[a-z0-9]+(\\.[a-z]+)*\\s");
    static final Pattern ZB = Pattern.compile("\\s(sh[123]add(\\.uw)?|add\\.uw|slli\\.uw|andn|orn|xnor|clzw?|ctzw?|cpopw?"
            + "|minu?|maxu?|sext\\.[bh]|zext\\.h|rolw?|rori?w?|rev8|orc\\.b|bseti?|bclri?|binvi?|bexti?)\\s");

    @Test
    void riscv64_ladder_usesBitmanipFromRva22_andVectorsOnlyInRva22v() {
        String rva20 = TestToolchain.disassemble(TestToolchain.build(TestToolchain.example("compute"),
                target("riscv64-rva20")).image(), "--mattr=+v,+zba,+zbb,+zbs");
        String rva22 = TestToolchain.disassemble(TestToolchain.build(TestToolchain.example("compute"),
                target("riscv64-rva22")).image(), "--mattr=+v,+zba,+zbb,+zbs");
        String rva22v = TestToolchain.disassemble(TestToolchain.build(TestToolchain.example("compute"),
                target("riscv64-rva22v")).image(), "--mattr=+v,+zba,+zbb,+zbs");

        assertThat(ZB.matcher(rva20).find()).isFalse();
        assertThat(RVV.matcher(rva20).find()).isFalse();
        assertThat(ZB.matcher(rva22).find()).isTrue();
        assertThat(RVV.matcher(rva22).find()).isFalse();
        // clang 14 vectorises for V only with -riscv-v-vector-bits-min, which the rung's cflags pass
        assertThat(rva22v).contains("vsetvli");
        assertThat(RVV.matcher(rva22v).results().count()).isGreaterThan(20);
    }

    @Test
    void riscv64Rva22_stopsWithIllegalInstructionOnSifiveU54_atABitmanipInstruction() {
        Path image = TestToolchain.build(TestToolchain.example("compute"), target("riscv64-rva22")).image();
        assertStopsAtIllegalInstruction("riscv64-rva22", "sifive-u54", image,
                TestToolchain.disassemble(image, "--mattr=+zba,+zbb,+zbs"), ZB);
    }

    @Test
    void riscv64Rva22v_runsWithV_andStopsWithIllegalInstructionWithoutV_atAVectorInstruction() {
        Path image = TestToolchain.build(TestToolchain.example("compute"), target("riscv64-rva22v")).image();
        Qemu.Boot boot = TestToolchain.boot(target("riscv64-rva22v"), "rv64,v=true,vlen=128", image);
        assertThat(boot.exitCode()).as(boot.console()).isZero();
        assertThat(boot.console()).contains(ComputeChecksumTest.EXPECTED);

        assertStopsAtIllegalInstruction("riscv64-rva22v", "rv64", image,
                TestToolchain.disassemble(image, "--mattr=+v,+zba,+zbb,+zbs"), RVV);
    }

    /** Exit code 121, and the reported address is an instruction of the kind the target added. */
    private static void assertStopsAtIllegalInstruction(String targetId, String model, Path image, String disassembly,
                                                        Pattern tunedInstruction) {
        Qemu.Boot boot = TestToolchain.boot(target(targetId), model, image);

        assertThat(boot.exitCode()).as(boot.console()).isEqualTo(121);
        Matcher m = ILLEGAL.matcher(boot.console());
        assertThat(m.find()).as(boot.console()).isTrue();
        String faulting = instructionAt(disassembly, m.group(1));
        assertThat(tunedInstruction.matcher(faulting).find()).as("the instruction " + model + " refused: " + faulting)
                .isTrue();
    }

    static Stream<Target> targetsWithAFaultingModel() {
        return TestToolchain.CATALOG.all().stream().filter(t -> t.qemu().faults() != null);
    }

    /** Whether an image uses an instruction its target added depends on the app; a wrong answer or a hang never is. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targetsWithAFaultingModel")
    void compute_onItsTargetsFaultingModel_runsCorrectlyOrStopsWithIllegalInstruction_neverWrong(Target target) {
        Path image = TestToolchain.build(TestToolchain.example("compute"), target).image();
        Qemu.Boot boot = TestToolchain.boot(target, target.qemu().faults(), image);

        assertThat(boot.exitCode()).as(boot.console()).isIn(0, 121);
        if (boot.exitCode() == 0) {
            assertThat(boot.console()).contains(ComputeChecksumTest.EXPECTED);
        } else {
            assertThat(boot.console()).contains("tailor: illegal instruction at 0x");
        }
    }

    /** The fault path must run on a CPU that lacks what the image was tuned for, so it may use no SIMD register. */
    @ParameterizedTest
    @CsvSource({
            "x86_64-v3, x86_trap, '%[xyz]mm\\d'",
            "x86_64-v4, x86_trap, '%[xyz]mm\\d'",
            "aarch64-v8.2-crypto, aarch64_trap, '\\b[vqdsbh]\\d+\\b'",
            "armv7-neon-vfpv4, armv7_trap, '\\b[qd]\\d+\\b'",
            "riscv64-rva22v, riscv64_trap, '\\bv\\d+\\b'"})
    void faultPath_ofATunedImage_usesNoSimdRegisters(String targetId, String trapHandler, String simdRegister) {
        Path image = TestToolchain.build(TestToolchain.example("compute"), target(targetId)).image();
        String faultPath = TestToolchain.disassemble(image, "--disassemble-symbols=" + trapHandler
                + ",rt_fault,rt_exit,rt_puts,rt_put_hex,rt_put_dec,arch_putc,arch_exit,arch_init,tailor_start");

        assertThat(faultPath).contains("<rt_fault>:", "<" + trapHandler + ">:", "<arch_putc>:");
        List<String> instructions = faultPath.lines().filter(l -> l.matches("\\s*[0-9a-f]+:.*")).toList();
        assertThat(instructions).hasSizeGreaterThan(50)
                .noneMatch(l -> Pattern.compile(simdRegister).matcher(l.replaceAll("<[^>]*>", "")).find());
    }

    private static String instructionAt(String disassembly, String hexAddress) {
        Matcher m = Pattern.compile("(?m)^\\s*" + hexAddress.replaceFirst("^0+", "") + ":.*$").matcher(disassembly);
        return m.find() ? m.group() : "(no instruction at " + hexAddress + ")";
    }
}
