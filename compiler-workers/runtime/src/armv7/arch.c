/*
 * armv7 on QEMU virt: semihosting exit, generic-timer clock, exception decoding.
 * Compiled with the VFPv3-D16 baseline only: never with NEON, whatever the target.
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
        __asm__ volatile("wfe");
    }
}

static int has_generic_timer;
static uint32_t fallback_ticks;

uint64_t arch_ticks(void) {
    if (!has_generic_timer) {
        return ++fallback_ticks; /* still monotonic, though not real time */
    }
    uint32_t lo, hi;
    __asm__ volatile("isb; mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

uint64_t arch_tick_hz(void) {
    uint32_t v = 0;
    if (has_generic_timer) {
        __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
    }
    return v ? v : 1000000000u;
}

void arch_init(void) {
    uint32_t pfr1;
    __asm__ volatile("mrc p15, 0, %0, c0, c1, 1" : "=r"(pfr1)); /* ID_PFR1.GenTimer */
    has_generic_timer = ((pfr1 >> 16) & 0xf) != 0;
}

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
        rt_fault(RT_OTHER_FAULT, "data abort (bad memory access)", pc, 1, far, fsr);
    case 2:
        rt_fault(RT_OTHER_FAULT, "unexpected svc", pc, 0, 0, spsr);
    default:
        rt_fault(RT_OTHER_FAULT, "unexpected interrupt", pc, 0, 0, spsr);
    }
}
