package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.COMPILER;
import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tailor.catalog.Target;

/** The {@code linux} flavor: the same app and runtime as a static Linux executable, locked down by seccomp. */
class LinuxFlavorTest {

    private static final int KILLED_BY_SIGSYS = 128 + 31;

    @TempDir
    Path tmp;

    static CompileResult buildLinux(CompileRequest request, Target target) {
        return COMPILER.compile(request, target, Flavor.LINUX, TestToolchain.workDir(request.appName() + "-linux"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-v1", "i586-base", "i686-base", "aarch64-v8.0", "armv6-vfpv2", "armv7-vfpv3d16",
            "riscv64-rva20", "riscv64-rva22v"})
    void hello_asLinuxExecutable_printsTheImagesConsole_onFdOne_andExitsWithMainsCode(String id) {
        Target t = target(id);
        CompileResult built = buildLinux(TestToolchain.example("hello"), t);

        HostRunner.Run run = HostRunner.run(t, built.image());

        assertThat(run.console())
                .contains("tailor: boot app=hello target=" + id + " arch=" + t.arch().id() + " build=test-hello\n")
                .contains("hello from tailor: " + id + " on " + t.arch().id() + "\n")
                .endsWith("tailor: exit 3\n")
                .doesNotContain("\r");
        assertThat(run.exitCode()).as(run.console()).isEqualTo(3);
        assertThat(TestToolchain.disassemble(built.image())).as("an ELF executable for " + id).contains("_start");
    }

    @Test
    void linuxAndImage_areDifferentBuilds_eachReproducible() throws Exception {
        Target t = target("x86_64-v3");
        CompileRequest hello = TestToolchain.example("hello");
        CompileResult a = buildLinux(hello, t);
        CompileResult b = buildLinux(hello, t);
        CompileResult image = TestToolchain.build(hello, t);

        assertThat(Files.readAllBytes(a.image())).as("the same linux build twice").isEqualTo(Files.readAllBytes(b.image()));
        assertThat(Files.readAllBytes(a.image())).isNotEqualTo(Files.readAllBytes(image.image()));
        assertThat(COMPILER.toolchainId(t, Flavor.LINUX)).isEqualTo(a.toolchainId())
                .isNotEqualTo(COMPILER.toolchainId(t, Flavor.IMAGE));
    }

    @Test
    void anAppOpeningAFile_isKilledBySeccomp_andTheFileIsNeverCreated() {
        Path victim = tmp.resolve("created-by-the-app");
        CompileResult built = buildLinux(hostile("openat", "sys(257, -100, (long)\"" + victim + "\", 0101, 0644)"),
                target("x86_64-v1"));

        HostRunner.Run run = HostRunner.run(target("x86_64-v1"), built.image());

        assertThat(run.exitCode()).as(run.console()).isEqualTo(KILLED_BY_SIGSYS);
        assertThat(run.console()).contains("trying openat").doesNotContain("still alive");
        assertThat(victim).doesNotExist();
    }

    @Test
    void anAppForkingOrReadingOrWritingAnotherFd_isKilledBySeccomp() {
        for (String call : List.of("sys(57, 0, 0, 0, 0)", "sys(0, 0, (long)buf, 1, 0)", "sys(1, 3, (long)buf, 1, 0)",
                "sys(9, 0, 4096, 3, 0x22)")) {
            CompileResult built = buildLinux(hostile("call", call), target("x86_64-v1"));

            HostRunner.Run run = HostRunner.run(target("x86_64-v1"), built.image());

            assertThat(run.exitCode()).as(call + ": " + run.console()).isEqualTo(KILLED_BY_SIGSYS);
            assertThat(run.console()).doesNotContain("still alive");
        }
    }

    @Test
    void underQemuUserMode_whichRefusesSeccomp_theExecutableRefusesToRunUnconfined_unlessAllowed() {
        Target t = target("aarch64-v8.0");
        CompileResult built = buildLinux(TestToolchain.example("hello"), t);

        HostRunner.Run refused = HostRunner.run(t, built.image(), false);
        HostRunner.Run allowed = HostRunner.run(t, built.image(), true);

        assertThat(refused.exitCode()).as(refused.console()).isEqualTo(124);
        assertThat(refused.console()).contains("cannot install the seccomp filter").doesNotContain("hello from tailor");
        assertThat(allowed.exitCode()).isEqualTo(3);
        assertThat(allowed.console()).contains("running without the seccomp filter").contains("hello from tailor");
    }

    @Test
    void faults_areReportedLikeAnImagesCpuFaults() {
        CompileResult built = buildLinux(TestToolchain.single("null",
                "int main(void) { *(volatile int *)8 = 1; return 0; }\n", Map.of()), target("x86_64-v1"));

        HostRunner.Run run = HostRunner.run(target("x86_64-v1"), built.image());

        assertThat(run.exitCode()).as(run.console()).isEqualTo(122);
        assertThat(run.console()).contains("tailor: bad memory access").contains("address 0x8").endsWith("tailor: exit 122\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-v1", "aarch64-v8.0", "riscv64-rva20", "wasm32-mvp"})
    void tailorNowNs_isMonotonic_andAdvancesWithTheHostsClock(String id) {
        CompileRequest app = TestToolchain.single("clock", """
                #include <stdio.h>
                int main(void) {
                    uint64_t start = tailor_now_ns(), last = start, now = start;
                    while (now - start < 20000000u) { /* 20 ms */
                        now = tailor_now_ns();
                        if (now < last) { printf("went backwards\\n"); return 1; }
                        last = now;
                    }
                    printf("elapsed %llu\\n", (unsigned long long)(now - start));
                    return 0;
                }
                """, Map.of());
        Target t = target(id);
        Flavor flavor = t.arch().isMachine() ? Flavor.LINUX : Flavor.IMAGE;
        CompileResult built = COMPILER.compile(app, t, flavor,
                TestToolchain.workDir("clock-" + id));
        long before = System.nanoTime();

        HostRunner.Run run = HostRunner.run(t, built.image());

        long wall = System.nanoTime() - before;
        assertThat(run.exitCode()).as(run.console()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("elapsed (\\d+)\n").matcher(run.console());
        assertThat(m.find()).as(run.console()).isTrue();
        long elapsed = Long.parseLong(m.group(1));
        // orderings, not timings: at least the 20 ms it waited for, at most the process's whole life on the host
        assertThat(elapsed).isGreaterThanOrEqualTo(20_000_000L).isLessThan(wall);
    }

    /** An x86_64 app that makes one raw system call after printing, then says it survived. */
    private static CompileRequest hostile(String what, String call) {
        return TestToolchain.single("hostile", """
                #include <stdio.h>
                static char buf[16];
                static long sys(long n, long a, long b, long c, long d) {
                    long r;
                    register long r10 __asm__("r10") = d;
                    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
                    return r;
                }
                int main(void) {
                    printf("trying %s\\n", WHAT);
                    long r = CALL;
                    printf("still alive: %ld\\n", r);
                    return 0;
                }
                """, Map.of("WHAT", "\"" + what + "\"", "CALL", call));
    }
}
