/*
 * 32-bit Arm (the armv7 architecture: ARMv6 and ARMv7 cores) on QEMU versatilepb: semihosting exit, a clock
 * (the generic timer where the core has one, else the board's 24 MHz counter), exception decoding.
 * Compiled for the ARMv6 VFPv2 baseline only: never with VFPv3, NEON or ARMv7 instructions, whatever the target.
 */
#include "../common/rt.h"

const char arch_name[] = "armv7";

_Noreturn void arch_exit(int code) {
    /* Semihosting SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit: QEMU exits with `code`. */
    static volatile uint32_t block[2];
    block[0] = 0x20026;
    block[1] = (uint32_t)code;
    register uint32_t r0 __asm__("r0") = 0x20;
    register volatile uint32_t *r1 __asm__("r1") = block;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    for (;;) {
        /* no wfe: ARMv6 before 6K has none */
    }
}

static int has_generic_timer;

/* Versatile system registers: SYS_24MHZ counts at 24 MHz from reset and wraps every 179 s. */
#define SYS_24MHZ (*(volatile uint32_t *)0x1000005cul)
static uint32_t counter_last;
static uint64_t counter_high;

uint64_t arch_ticks(void) {
    if (!has_generic_timer) {
        uint32_t now = SYS_24MHZ;
        if (now < counter_last) {
            counter_high += 1ull << 32; /* read at least once per wrap: good enough for timing an app */
        }
        counter_last = now;
        return counter_high | now;
    }
    uint32_t lo, hi;
    __asm__ volatile("mcr p15, 0, %2, c7, c5, 4\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : "r"(0));
    return ((uint64_t)hi << 32) | lo;
}

uint64_t arch_tick_hz(void) {
    uint32_t v = 0;
    if (has_generic_timer) {
        __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
        return v ? v : 1000000000u;
    }
    return 24000000u;
}

void arch_init(void) {
    uint32_t midr, pfr1 = 0;
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(midr));
    if (((midr >> 16) & 0xfu) == 0xfu) { /* the CPUID scheme (ARM1176, ARMv7): ID_PFR1 exists */
        __asm__ volatile("mrc p15, 0, %0, c0, c1, 1" : "=r"(pfr1)); /* ID_PFR1.GenTimer */
    }
    has_generic_timer = ((pfr1 >> 16) & 0xf) != 0;
    counter_last = SYS_24MHZ;
}

extern char stack_guard[];

/* Called from the vector stubs: faulting pc, SPSR, which exception (1 undef, 2 svc, 3 prefetch, 4 data, 5 irq). */
_Noreturn void armv7_trap(uint32_t pc, uint32_t spsr, uint32_t kind) {
    uint32_t fsr, far;
    switch (kind) {
    case 1:
        if (!(spsr & (1u << 5)) && *(const volatile uint32_t *)pc == 0xe7ffdefeu) { /* __builtin_trap() */
            rt_fault(RT_TRAP_INSTRUCTION, "trap instruction (udf)", pc, 0, 0, spsr);
        }
        rt_fault(RT_ILLEGAL_INSTRUCTION, "illegal instruction", pc, 0, 0, spsr);
    case 3:
        __asm__ volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(fsr));
        __asm__ volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(far));
        rt_fault(RT_OTHER_FAULT, "prefetch abort (bad jump)", pc, 1, far, fsr);
    case 4:
        __asm__ volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(fsr));
        __asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(far));
        if (far - (uint32_t)stack_guard < 4096u) {
            rt_fault(RT_OTHER_FAULT, "stack overflow (data abort below the 64 KiB stack)", pc, 1, far, fsr);
        }
        rt_fault(RT_OTHER_FAULT, "data abort (bad memory access)", pc, 1, far, fsr);
    case 2:
        rt_fault(RT_OTHER_FAULT, "unexpected svc", pc, 0, 0, spsr);
    default:
        rt_fault(RT_OTHER_FAULT, "unexpected interrupt", pc, 0, 0, spsr);
    }
}
