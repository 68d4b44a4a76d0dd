/*
 * riscv64 on QEMU virt: NS16550A console, SiFive test device exit, CLINT clock, trap decoding.
 * Compiled with the plain flags (rv64gc, no bitmanip, no vector): it must run on any RV64GC hart.
 */
#include "../common/rt.h"

const char arch_name[] = "riscv64";

#define UART0 0x10000000ul                 /* NS16550A */
#define UART_THR (*(volatile uint8_t *)(UART0 + 0))
#define UART_LSR (*(volatile uint8_t *)(UART0 + 5))
#define TEST_DEVICE (*(volatile uint32_t *)0x100000ul) /* sifive_test: QEMU exits on a write */
#define CLINT_MTIME (*(volatile uint64_t *)0x0200bff8ul)
#define MTIME_HZ 10000000u                 /* the virt machine's timebase-frequency */

static void put(char c) {
    /* Wait for room in the transmitter; bounded, so a missing UART cannot hang the machine. */
    for (int i = 0; i < 100000 && !(UART_LSR & 0x20u); i++) {
    }
    UART_THR = (uint8_t)c;
}

/* A serial terminal wants CR LF. */
void arch_putc(char c) {
    if (c == '\n') {
        put('\r');
    }
    put(c);
}

_Noreturn void arch_exit(int code) {
    /* FINISHER_FAIL (0x3333) with the code in the upper half: QEMU exits with `code` (0 included). */
    TEST_DEVICE = ((uint32_t)code << 16) | 0x3333u;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

uint64_t arch_ticks(void) {
    return CLINT_MTIME;
}

uint64_t arch_tick_hz(void) {
    return MTIME_HZ;
}

void arch_init(void) {}

static const char *describe(uint64_t cause) {
    switch (cause) {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault (bad jump)";
    case 4: return "load address misaligned";
    case 5: return "load access fault (bad memory access)";
    case 6: return "store address misaligned";
    case 7: return "store access fault (bad memory access)";
    case 8: case 9: case 11: return "unexpected ecall";
    case 12: return "instruction page fault";
    case 13: return "load page fault";
    case 15: return "store page fault";
    default: return "unexpected exception";
    }
}

/* The instruction at pc: 16 bits when its low two bits are not 11 (compressed), else 32. */
static uint32_t instruction_at(uint64_t pc) {
    uint32_t lo = *(const volatile uint16_t *)pc;
    if ((lo & 3u) != 3u) {
        return lo;
    }
    return lo | (uint32_t)*(const volatile uint16_t *)(pc + 2) << 16;
}

extern char stack_guard[];

/* Called from trap_entry: mcause, mepc, mtval. */
_Noreturn void riscv64_trap(uint64_t cause, uint64_t epc, uint64_t tval) {
    if (cause >> 63) {
        rt_fault(RT_OTHER_FAULT, "unexpected interrupt", epc, 0, 0, cause);
    }
    if (cause == 2) {
        /* clang's __builtin_trap() is `unimp` (csrrw x0, cycle, x0: 0xc0001073) or its compressed form 0x0000 */
        uint32_t insn = instruction_at(epc);
        if (insn == 0xc0001073u || insn == 0u) {
            rt_fault(RT_TRAP_INSTRUCTION, "trap instruction (unimp)", epc, 0, 0, insn);
        }
        rt_fault(RT_ILLEGAL_INSTRUCTION, "illegal instruction", epc, 0, 0, insn);
    }
    if (cause == 3) {
        rt_fault(RT_TRAP_INSTRUCTION, "trap instruction (ebreak)", epc, 0, 0, cause);
    }
    if ((cause == 5 || cause == 7) && tval - (uint64_t)(uintptr_t)stack_guard < 4096) {
        rt_fault(RT_OTHER_FAULT, "stack overflow (access fault below the 64 KiB stack)", epc, 1, tval, cause);
    }
    int has_addr = cause == 0 || cause == 1 || (cause >= 4 && cause <= 7) || cause >= 12;
    rt_fault(RT_OTHER_FAULT, describe(cause), epc, has_addr, tval, cause);
}
