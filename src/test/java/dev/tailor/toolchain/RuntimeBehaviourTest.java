package dev.tailor.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;

/** The documented exit codes and messages of the runtime, on every architecture. */
class RuntimeBehaviourTest {

    static final String APP = """
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <assert.h>
            #include <inttypes.h>

            static volatile int zero = 0;

            /* Each frame stays alive (its buffer is passed on), so this recursion cannot become a loop. */
            static int deep(int n, volatile char *prev) {
                volatile char buf[1024];
                buf[0] = (char)n;
                buf[1] = prev[0];
                return n == 0 ? prev[1] : deep(n - 1, buf) + buf[1];
            }

            int main(void) {
                char buf[64];
                int n = snprintf(buf, sizeof buf, "%-4s|%05d|%x|%.3f|%" PRIu64, "ab", -42, 0xbeefu, 2.5, (uint64_t)1 << 40);
                printf("fmt %d %s\\n", n, buf);
                char *p = malloc(1000), *q = malloc(2000);
                free(p);
                char *r = malloc(500);
                printf("heap %s %zu\\n", (r == p && q != NULL) ? "reuse" : "noreuse", tailor_heap_size());
                void *most = malloc(tailor_heap_size() - 8192), *all = malloc(tailor_heap_size());
                printf("big %s %s\\n", most ? "ok" : "null", all ? "ok" : "null");
                memset(most, 0xa5, tailor_heap_size() - 8192);
                free(most);
                uint64_t t0 = tailor_now_ns(), t1 = tailor_now_ns();
                printf("clock %s\\n", t1 >= t0 ? "monotonic" : "backwards");
                switch (MODE) {
                case 0: return 7;
                case 1: abort();
                case 2: __builtin_trap();
                case 3: return 200;
                case 4: assert(zero == 1);
                case 5: return *(volatile int *)(uintptr_t)(sizeof(void *) == 8 ? 0x100000000000ull : 0xfffffff0u);
                case 6: return *(volatile int *)(uintptr_t)zero;
                case 7: return deep(1000, buf) & 63;
                }
                return 0;
            }
            """;

    static Path bundle;

    @BeforeAll
    static void write() {
        bundle = TestToolchain.bundle("behaviour", APP);
    }

    static Stream<Arguments> cases() {
        return Stream.of(Arch.values()).filter(Arch::isMachine).flatMap(a -> Stream.of(
                Arguments.of(a, 0, 7, "tailor: exit 7"),
                Arguments.of(a, 1, 120, "tailor: abort"),
                Arguments.of(a, 2, 122, "tailor: trap instruction"),
                Arguments.of(a, 3, 123, "tailor: exit status out of range 0..119: 200"),
                Arguments.of(a, 4, 120, "tailor: panic: assertion failed: zero == 1 (src/behaviour.c:")));
    }

    @ParameterizedTest(name = "{0} mode {1} -> {2}")
    @MethodSource("cases")
    void runtime_exitsWithTheDocumentedCodeAndMessage(Arch arch, int mode, int code, String message) {
        Qemu.Boot boot = run(arch, mode);

        assertThat(boot.console()).contains("fmt 35 ab  |-0042|beef|2.500|1099511627776\n")
                .contains("heap reuse 65536\n").contains("big ok null\n").contains("clock monotonic\n").contains(message);
        assertThat(boot.exitCode()).as(boot.console()).isEqualTo(code);
    }

    @ParameterizedTest
    @MethodSource("machines")
    void badMemoryAccess_exitsWithTheFaultCode(Arch arch) {
        Qemu.Boot boot = run(arch, 5);
        assertThat(boot.exitCode()).as(boot.console()).isEqualTo(122);
        assertThat(boot.console()).containsPattern("tailor: .*(fault|abort).* at 0x[0-9a-f]+");
    }

    /**
     * Every machine architecture: x86_64, i686, aarch64 and armv7 map page 0 away (armv7 moves its vectors to
     * 0xffff0000 for that, aarch64 leaves the virt machine's flash out), riscv64 closes it with a locked PMP entry.
     */
    @ParameterizedTest
    @MethodSource("machines")
    void nullDereference_isAFaultAtAddressZero(Arch arch) {
        Qemu.Boot boot = run(arch, 6);
        assertThat(boot.exitCode()).as(boot.console()).isEqualTo(122);
        assertThat(boot.console()).contains("(bad memory access) at 0x").contains("address 0x0 ");
    }

    /** The largest heap a request may ask for still fits in the QEMU machine's RAM, on every architecture. */
    @ParameterizedTest
    @EnumSource(value = Arch.class, names = "WASM32", mode = EnumSource.Mode.EXCLUDE) // modules do not boot
    void largestHeap_isUsableEverywhere(Arch arch) {
        Path dir = TestToolchain.bundle("bigheap", """
                #include <stdio.h>
                #include <string.h>
                int main(void) {
                    size_t n = tailor_heap_size() - 4096;
                    unsigned char *p = malloc(n);
                    if (p == NULL) return 1;
                    memset(p, 0x5a, n);
                    printf("heap %zu MiB, last byte %x\\n", tailor_heap_size() >> 20, p[n - 1]);
                    return 0;
                }
                """);
        Target t = TestToolchain.CATALOG.baseline(arch);
        CompileRequest request = new CompileRequest(dir, List.of("src/bigheap.c"), List.of(), Map.of(),
                Optimize.SPEED, CompileRequest.MAX_HEAP, "bigheap", "k");
        Qemu.Boot boot = TestToolchain.boot(t, t.qemu().runs(), TestToolchain.build(request, t).image());
        assertThat(boot.exitCode()).as(boot.console()).isZero();
        assertThat(boot.console()).contains("heap 64 MiB, last byte 5a\n");
    }

    /**
     * Unaligned loads in the app's code: aarch64 apps are compiled without {@code -mstrict-align} since the runtime
     * turns the MMU on with alignment checks off (RAM is Normal memory, where they are allowed; with the MMU off all
     * memory is Device memory, where real cores fault on them, though QEMU 7.2 does not).
     */
    @ParameterizedTest
    @MethodSource("machines")
    void unalignedLoads_inTheAppsCode_work(Arch arch) {
        Path dir = TestToolchain.bundle("unaligned", """
                #include <inttypes.h>
                #include <stdio.h>
                static volatile int offset = 1;
                int main(void) {
                    unsigned char buf[40];
                    for (int i = 0; i < 40; i++) buf[i] = (unsigned char)i;
                    uint64_t v;
                    uint32_t w;
                    __builtin_memcpy(&v, buf + offset, 8);
                    __builtin_memcpy(&w, buf + offset + 8, 4);
                    printf("unaligned %llx %x\\n", (unsigned long long)v, w);
                    return 0;
                }
                """);
        Target t = TestToolchain.CATALOG.baseline(arch);
        CompileRequest request = new CompileRequest(dir, List.of("src/unaligned.c"), List.of(), Map.of(),
                Optimize.SPEED, 64 * 1024, "unaligned", "k");
        Path image = TestToolchain.build(request, t).image();
        if (arch == Arch.AARCH64) { // one 8-byte load, not eight byte loads
            assertThat(TestToolchain.disassemble(image, "--disassemble-symbols=main"))
                    .containsPattern("ldr\\s+x\\d+, \\[x\\d+, x\\d+\\]").doesNotContain("ldrb");
        }
        Qemu.Boot boot = TestToolchain.boot(t, t.qemu().runs(), image);
        assertThat(boot.exitCode()).as(boot.console()).isZero();
        assertThat(boot.console()).contains("unaligned 807060504030201 c0b0a09\n");
    }

    /**
     * A guard page below the stack, on every machine architecture: x86_64 unmaps it and takes exceptions on a
     * separate stack (IST); i686 unmaps it, and the exception frame's push into it is a double fault, whose task gate
     * switches to a task with its own stack; aarch64 and armv7 leave it out of their translation tables and riscv64
     * closes it with a locked PMP entry (they enter their trap handlers without touching the stack, which then switch
     * to their own).
     */
    @ParameterizedTest(name = "{0}, heap {1}")
    @MethodSource("guardedStacks")
    void stackOverflow_isReportedAsSuch(Arch arch, long heap) {
        Qemu.Boot boot = run(arch, 7, heap);
        assertThat(boot.exitCode()).as(boot.console()).isEqualTo(122);
        assertThat(boot.console()).contains("tailor: stack overflow");
    }

    /**
     * Every architecture that boots: each faults on an unmapped address, through its own translation tables (x86_64,
     * i686, aarch64, armv7: QEMU's versatilepb would read unmapped addresses as 0) or because QEMU's virt machine has
     * nothing there (riscv64).
     */
    static Stream<Arch> machines() {
        return Stream.of(Arch.values()).filter(Arch::isMachine);
    }

    /** A small heap puts the stack in the image's first MiB (or 2 MiB), the largest one far above it. */
    static Stream<Arguments> guardedStacks() {
        return machines().flatMap(a -> Stream.of(Arguments.of(a, 64L * 1024), Arguments.of(a, CompileRequest.MAX_HEAP)));
    }

    private static Qemu.Boot run(Arch arch, int mode) {
        return run(arch, mode, 64 * 1024);
    }

    private static Qemu.Boot run(Arch arch, int mode, long heap) {
        Target t = TestToolchain.CATALOG.baseline(arch);
        CompileRequest request = new CompileRequest(bundle, List.of("src/behaviour.c"), List.of(),
                Map.of("MODE", Integer.toString(mode)), Optimize.SPEED, heap, "behaviour", "mode-" + mode + "-" + heap);
        return TestToolchain.boot(t, t.qemu().runs(), TestToolchain.build(request, t).image());
    }
}
