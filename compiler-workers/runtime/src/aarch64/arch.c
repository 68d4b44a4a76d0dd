/*
 * aarch64 on QEMU virt: semihosting exit, generic-timer clock, exception decoding.
 * Compiled with -mgeneral-regs-only: it must not use the FP/SIMD unit the app is tuned for.
 */
#include "../common/rt.h"

const char arch_name[] = "aarch64";

_Noreturn void arch_exit(int code) {
    /* Semihosting SYS_EXIT with ADP_Stopped_ApplicationExit: QEMU exits with `code`. */
    static volatile uint64_t block[2];
    block[0] = 0x20026;
    block[1] = (uint64_t)code;
    register uint64_t x0 __asm__("x0") = 0x18;
    register volatile uint64_t *x1 __asm__("x1") = block;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    for (;;) {
        __asm__ volatile("wfe");
    }
}

uint64_t arch_ticks(void) {
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

uint64_t arch_tick_hz(void) {
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v ? v : 62500000u;
}

void arch_init(void) {}

static const char *describe(uint32_t ec) {
    switch (ec) {
    case 0x01: return "wfi/wfe trap";
    case 0x07: return "FP/SIMD access trap";
    case 0x0e: return "illegal execution state";
    case 0x15: return "unexpected svc";
    case 0x18: return "trapped system register access";
    case 0x20: case 0x21: return "instruction abort (bad jump)";
    case 0x22: return "pc alignment fault";
    case 0x24: case 0x25: return "data abort (bad memory access)";
    case 0x26: return "stack pointer alignment fault";
    case 0x2c: return "floating-point exception";
    case 0x2f: return "SError";
    case 0x3c: return "trap instruction (brk)";
    default: return "unexpected exception";
    }
}

/* Called from the vector table: which vector, ESR_EL1, ELR_EL1, FAR_EL1. */
_Noreturn void aarch64_trap(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far) {
    uint32_t ec = (uint32_t)(esr >> 26) & 0x3f;
    if ((vector & 3) != 0) {
        rt_fault(RT_OTHER_FAULT, "unexpected interrupt", elr, 0, 0, vector);
    }
    if (ec == 0x00) { /* unknown reason: an instruction this CPU does not implement */
        rt_fault(RT_ILLEGAL_INSTRUCTION, "illegal instruction", elr, 0, 0, esr);
    }
    if (ec == 0x3c) {
        rt_fault(RT_TRAP_INSTRUCTION, describe(ec), elr, 0, 0, esr);
    }
    int has_far = ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25;
    rt_fault(RT_OTHER_FAULT, describe(ec), elr, has_far, far, esr);
}
