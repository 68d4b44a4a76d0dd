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

/*
 * The MMU, on for two reasons: a null pointer faults (the virt machine's flash at 0-128 MiB is left unmapped), and
 * RAM becomes Normal cacheable memory (with the MMU off every access is Device memory: uncached on real hardware).
 * 4 KiB granule, 39-bit addresses from level 1, 2 MiB blocks: the devices between the flash and the RAM as Device
 * memory that never executes, the RAM up to the image's end (heap and stacks are in .bss) as Normal write-back
 * memory, except the guard page below the stack (its 2 MiB are mapped in 4 KiB pages, that one left out), so an
 * overflow faults instead of overwriting .bss; nothing else. Identity map, so the code runs on where it was.
 */
#define GIB 0x40000000ull
#define BLOCK_2M 0x200000ull
#define DESC_BLOCK 1ull
#define DESC_TABLE 3ull
#define DESC_PAGE 3ull                      /* at level 3 */
#define PAGE_4K 0x1000ull
#define DESC_AF (1ull << 10)                /* accessed: no access-flag fault on first use */
#define DESC_INNER_SHAREABLE (3ull << 8)
#define DESC_ATTR(n) ((uint64_t)(n) << 2)   /* index into MAIR_EL1 */
#define DESC_NEVER_EXECUTE (3ull << 53)     /* PXN | UXN */
#define MAIR_DEVICE 0                       /* attribute 0: Device-nGnRnE */
#define MAIR_NORMAL 1                       /* attribute 1: Normal, inner and outer write-back, allocating */
#define FLASH_END 0x08000000ull

static uint64_t level1[512] __attribute__((aligned(4096)));
static uint64_t level2_devices[512] __attribute__((aligned(4096))); /* 0-1 GiB */
static uint64_t level2_ram[512] __attribute__((aligned(4096)));     /* 1-2 GiB */
static uint64_t level3_stack[512] __attribute__((aligned(4096)));   /* the 2 MiB around the guard page */
extern char _end[];
extern char stack_guard[];

static void mmu_on(void) {
    for (uint64_t a = FLASH_END; a < GIB; a += BLOCK_2M) {
        level2_devices[a / BLOCK_2M] = a | DESC_BLOCK | DESC_AF | DESC_ATTR(MAIR_DEVICE) | DESC_NEVER_EXECUTE;
    }
    const uint64_t ram = DESC_AF | DESC_INNER_SHAREABLE | DESC_ATTR(MAIR_NORMAL);
    for (uint64_t a = GIB; a < (uint64_t)(uintptr_t)_end; a += BLOCK_2M) {
        level2_ram[(a - GIB) / BLOCK_2M] = a | DESC_BLOCK | ram;
    }
    uint64_t guard = (uint64_t)(uintptr_t)stack_guard;
    uint64_t block = guard & ~(BLOCK_2M - 1);
    for (uint64_t i = 0; i < 512; i++) {
        uint64_t a = block + i * PAGE_4K;
        level3_stack[i] = a == guard ? 0 : a | DESC_PAGE | ram;
    }
    level2_ram[(block - GIB) / BLOCK_2M] = (uint64_t)(uintptr_t)level3_stack | DESC_TABLE;
    level1[0] = (uint64_t)(uintptr_t)level2_devices | DESC_TABLE;
    level1[1] = (uint64_t)(uintptr_t)level2_ram | DESC_TABLE;

    uint64_t mair = 0x00ull << (8 * MAIR_DEVICE) | 0xffull << (8 * MAIR_NORMAL);
    /* T0SZ 25 (39 bits), walks non-cacheable (the tables were written with the MMU off, straight to memory),
       4 KiB granule, no TTBR1 walks (EPD1), 32-bit physical addresses (IPS 0: all of virt's below 4 GiB) */
    uint64_t tcr = 25ull | 1ull << 23;
    uint64_t sctlr;
    __asm__ volatile("msr mair_el1, %0; msr tcr_el1, %1; msr ttbr0_el1, %2; dsb ish; tlbi vmalle1; dsb ish; isb"
                     : : "r"(mair), "r"(tcr), "r"((uint64_t)(uintptr_t)level1) : "memory");
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr |= 1ull << 0 | 1ull << 2 | 1ull << 12; /* M, C (data cache), I (instruction cache) */
    sctlr &= ~(1ull << 1 | 1ull << 19);           /* no alignment checks (A), writable memory may execute (WXN) */
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr) : "memory");
}

void arch_init(void) {
    mmu_on();
}

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
    if ((ec == 0x24 || ec == 0x25) && far - (uint64_t)(uintptr_t)stack_guard < PAGE_4K) {
        rt_fault(RT_OTHER_FAULT, "stack overflow (data abort below the 64 KiB stack)", elr, 1, far, esr);
    }
    int has_far = ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25;
    rt_fault(RT_OTHER_FAULT, describe(ec), elr, has_far, far, esr);
}
