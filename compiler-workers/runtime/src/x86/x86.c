/*
 * x86 (both i686 and x86_64): COM1 console, isa-debug-exit, FPU/SSE/AVX enabling, the exception
 * table and the TSC clock. Compiled without SIMD: it runs before SIMD is enabled and when it faults.
 */
#include "../common/rt.h"

#if defined(__x86_64__)
const char arch_name[] = "x86_64";
#else
const char arch_name[] = "i686";
#endif

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static void serial_put(char c) {
    /* Wait for the transmit holding register; bounded, so a missing UART cannot hang the machine. */
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++) {
    }
    outb(COM1, (uint8_t)c);
}

/* A serial terminal wants CR LF. */
void arch_putc(char c) {
    if (c == '\n') {
        serial_put('\r');
    }
    serial_put(c);
}

_Noreturn void arch_exit(int code) {
    /* QEMU's isa-debug-exit: the process exits with (code << 1) | 1. On hardware: halt. */
    outb(DEBUG_EXIT_PORT, (uint8_t)code);
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

static void uart_init(void) {
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* DLAB */
    outb(COM1 + 0, 0x01); /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    outb(COM1 + 2, 0xc7); /* FIFO on */
    outb(COM1 + 4, 0x03);
}

/* The CPU may use every SIMD unit it has: the app decides what it uses, the target what it may use. */
static void fpu_init(void) {
    uint32_t r[4];
    uintptr_t cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 &= ~(uintptr_t)((1u << 2) | (1u << 3)); /* EM, TS off */
    cr0 |= (1u << 1) | (1u << 5);                /* MP, NE on */
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    __asm__ volatile("fninit");

    cpuid(1, 0, r);
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    if (r[3] & (1u << 24)) { /* FXSR: SSE state can be saved, so SSE may be enabled */
        cr4 |= (1u << 9) | (1u << 10); /* OSFXSR, OSXMMEXCPT */
    }
    int xsave = (r[2] & (1u << 26)) != 0;
    if (xsave) {
        cr4 |= 1u << 18; /* OSXSAVE */
    }
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
    if (xsave) {
        uint32_t d[4];
        cpuid(0xd, 0, d);
        /* x87, SSE, AVX, and the three AVX-512 states, as far as the CPU supports them. */
        uint32_t xcr0 = d[0] & 0xe7u;
        if ((xcr0 & 0xe0u) != 0xe0u) {
            xcr0 &= ~0xe0u; /* AVX-512 needs all three of its states or none */
        }
        xcr0 |= 3u;
        __asm__ volatile("xsetbv" : : "c"(0), "a"(xcr0), "d"(0));
    }
}

/* ---- exceptions ---- */

extern const uintptr_t x86_trap_stubs[32];

#if defined(__x86_64__)
struct gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));
#else
struct gate {
    uint16_t off_lo, sel;
    uint8_t zero, type;
    uint16_t off_hi;
} __attribute__((packed));
#endif

static struct gate idt[32] __attribute__((aligned(16)));
extern char stack_guard[]; /* the unmapped page below the 64 KiB stack (boot.S) */
static uint64_t gdt[5] __attribute__((aligned(16)));

/* An available TSS descriptor: a 32-bit one, or the low half of a 64-bit one. */
static uint64_t tss_descriptor(uint64_t base, uint64_t limit) {
    return (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
           (((base >> 24) & 0xff) << 56);
}

/* Loads the GDT (0x08 the given code segment, 0x10 flat data, 0x18 the running task's TSS) and that task. */
static void gdt_load(uint64_t code) {
    gdt[0] = 0;
    gdt[1] = code;
    gdt[2] = 0x00cf92000000ffffull;
    struct {
        uint16_t limit;
        uintptr_t base;
    } __attribute__((packed)) ptr = {sizeof gdt - 1, (uintptr_t)gdt};
    __asm__ volatile("lgdt %0" : : "m"(ptr));
    __asm__ volatile("ltr %w0" : : "r"(0x18));
}

#if defined(__x86_64__)
/*
 * Exceptions switch to their own stack (IST1 of a TSS): a stack overflow faults on the guard page, and
 * without a fresh stack the CPU could not even push the exception frame (a triple fault, no report).
 */
static struct {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap;
} __attribute__((packed)) tss;
static unsigned char ist_stack[8192] __attribute__((aligned(16)));

static void tss_init(void) {
    tss.ist[0] = (uint64_t)(ist_stack + sizeof ist_stack);
    tss.iomap = sizeof tss;
    gdt[3] = tss_descriptor((uint64_t)&tss, sizeof tss - 1); /* 0x18: a 64-bit TSS takes two entries */
    gdt[4] = (uint64_t)&tss >> 32;
    gdt_load(0x00af9a000000ffffull); /* 64-bit code, as boot.S had it */
}
#else
/*
 * i686 pushes an exception's frame onto the current stack: after an overflow into the guard page, that push
 * faults again, a double fault. Its vector is a task gate, so the CPU switches to a task of its own, with a fresh
 * stack, which reports the overflow (without it, a triple fault resets the machine with no word).
 */
struct tss32 {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap;
};
static struct tss32 main_tss, double_fault_tss;
static unsigned char double_fault_stack[8192] __attribute__((aligned(16)));

static _Noreturn void double_fault_task(void) {
    uintptr_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    if (cr2 - (uintptr_t)stack_guard < 4096) {
        rt_fault(RT_OTHER_FAULT, "stack overflow (page fault below the 64 KiB stack)", main_tss.eip, 1, cr2, 0);
    }
    rt_fault(RT_OTHER_FAULT, "double fault", main_tss.eip, 0, 0, 0);
}

static void tss_init(void) {
    uintptr_t cr3;
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    double_fault_tss.cr3 = cr3;
    double_fault_tss.eip = (uint32_t)double_fault_task;
    double_fault_tss.eflags = 0x2; /* interrupts off */
    double_fault_tss.esp = (uint32_t)(double_fault_stack + sizeof double_fault_stack);
    double_fault_tss.cs = 0x08;
    double_fault_tss.ss = double_fault_tss.ds = double_fault_tss.es = 0x10;
    double_fault_tss.iomap = main_tss.iomap = sizeof(struct tss32);
    gdt[3] = tss_descriptor((uint32_t)&main_tss, sizeof main_tss - 1); /* 0x18: the task that runs the app */
    gdt[4] = tss_descriptor((uint32_t)&double_fault_tss, sizeof double_fault_tss - 1); /* 0x20 */
    gdt_load(0x00cf9a000000ffffull); /* 32-bit code, as boot.S had it */
}
#endif

static void idt_init(void) {
    for (int i = 0; i < 32; i++) {
        uintptr_t a = x86_trap_stubs[i];
        struct gate *g = &idt[i];
        g->off_lo = (uint16_t)a;
        g->sel = 0x08;
        g->type = 0x8e; /* present, ring 0, interrupt gate */
#if defined(__x86_64__)
        g->ist = 1;
        g->off_mid = (uint16_t)(a >> 16);
        g->off_hi = (uint32_t)((uint64_t)a >> 32);
        g->zero = 0;
#else
        g->zero = 0;
        g->off_hi = (uint16_t)(a >> 16);
#endif
    }
#if !defined(__x86_64__)
    idt[8] = (struct gate){.sel = 0x20, .type = 0x85}; /* double fault: a task gate to double_fault_task */
#endif
    struct {
        uint16_t limit;
        uintptr_t base;
    } __attribute__((packed)) ptr = {sizeof idt - 1, (uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(ptr));
}

static const char *const names[32] = {
    "divide error", "debug exception", "non-maskable interrupt", "breakpoint",
    "overflow", "bound range exceeded", "illegal instruction", "device not available (FPU)",
    "double fault", "coprocessor segment overrun", "invalid TSS", "segment not present",
    "stack-segment fault", "general protection fault", "page fault", "reserved exception 15",
    "x87 floating-point exception", "alignment check", "machine check", "SIMD floating-point exception",
    "virtualization exception", "control protection exception", "reserved exception 22", "reserved exception 23",
    "reserved exception 24", "reserved exception 25", "reserved exception 26", "reserved exception 27",
    "hypervisor injection exception", "VMM communication exception", "security exception", "reserved exception 31",
};

/* Called by the stubs in boot.S with the vector, the error code (0 when the CPU pushes none) and the faulting pc. */
_Noreturn void x86_trap(uintptr_t vector, uintptr_t error, uintptr_t pc) {
    vector &= 31;
    if (vector == 6) {
        const uint8_t *ins = (const uint8_t *)pc;
        if (ins[0] == 0x0f && ins[1] == 0x0b) { /* ud2: __builtin_trap(), not a missing CPU feature */
            rt_fault(RT_TRAP_INSTRUCTION, "trap instruction (ud2)", pc, 0, 0, 0);
        }
        rt_fault(RT_ILLEGAL_INSTRUCTION, "illegal instruction", pc, 0, 0, 0);
    }
    if (vector == 14) {
        uintptr_t cr2;
        __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
        if (cr2 - (uintptr_t)stack_guard < 4096) {
            rt_fault(RT_OTHER_FAULT, "stack overflow (page fault below the 64 KiB stack)", pc, 1, cr2, error);
        }
        rt_fault(RT_OTHER_FAULT, "page fault (bad memory access)", pc, 1, cr2, error);
    }
    rt_fault(RT_OTHER_FAULT, names[vector], pc, 0, 0, error);
}

/* ---- clock: the TSC, calibrated once against the PIT ---- */

static uint64_t tsc_hz;
static uint64_t tsc_base;

static uint16_t pit_read(void) {
    outb(0x43, 0x00); /* latch channel 0 */
    uint8_t lo = inb(0x40);
    uint8_t hi = inb(0x40);
    return (uint16_t)(lo | (hi << 8));
}

static void calibrate(void) {
    outb(0x43, 0x34); /* channel 0, lo/hi, rate generator, counting down from 65536 at 1.193182 MHz */
    outb(0x40, 0);
    outb(0x40, 0);
    uint16_t start = pit_read();
    uint64_t t0 = rdtsc();
    uint32_t elapsed = 0;
    uint16_t last = start;
    /* About 10 ms; the loop also ends if no PIT answers (the count never moves). */
    for (uint32_t spins = 0; elapsed < 11932 && spins < 50000000u; spins++) {
        uint16_t now = pit_read();
        elapsed += (uint16_t)(last - now);
        last = now;
    }
    uint64_t t1 = rdtsc();
    if (elapsed >= 11932) {
        tsc_hz = (t1 - t0) * 1193182ull / elapsed;
    } else {
        uint32_t r[4];
        cpuid(0, 0, r);
        tsc_hz = 0;
        if (r[0] >= 0x16) {
            cpuid(0x16, 0, r);
            tsc_hz = (uint64_t)(r[0] & 0xffff) * 1000000ull;
        }
        if (tsc_hz == 0) {
            tsc_hz = 1000000000ull; /* a guess beats a division by zero */
        }
    }
}

uint64_t arch_ticks(void) {
    if (tsc_hz == 0) {
        calibrate();
    }
    return rdtsc() - tsc_base;
}

uint64_t arch_tick_hz(void) {
    if (tsc_hz == 0) {
        calibrate();
    }
    return tsc_hz;
}

#if !defined(__x86_64__)
/*
 * i686 paging, so a null pointer and a stack overflow fault: an identity map of the RAM up to the image's end (heap
 * and stack are in .bss), the first 4 MiB in 4 KiB pages with page 0 left out, the rest in 4 MiB pages (PSE) but
 * for the 4 MiB holding the stack's guard page, in 4 KiB pages without it. The devices are all
 * I/O ports. A CPU without PSE (before the Pentium) keeps paging off: such a CPU runs no Tailor target anyway.
 */
static uint32_t page_directory[1024] __attribute__((aligned(4096)));
static uint32_t first_table[1024] __attribute__((aligned(4096)));
static uint32_t guard_table[1024] __attribute__((aligned(4096)));
extern char _end[];

#define PAGE_PRESENT_WRITABLE 0x3u
#define PAGE_LARGE 0x80u

static void paging_init(void) {
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[3] & (1u << 3))) { /* PSE */
        return;
    }
    for (uint32_t i = 1; i < 1024; i++) {
        first_table[i] = (i << 12) | PAGE_PRESENT_WRITABLE;
    }
    page_directory[0] = (uint32_t)first_table | PAGE_PRESENT_WRITABLE;
    for (uint32_t a = 4u << 20; a < (uint32_t)_end; a += 4u << 20) {
        page_directory[a >> 22] = a | PAGE_LARGE | PAGE_PRESENT_WRITABLE;
    }
    /* the guard page below the stack is left out too: its 4 MiB in 4 KiB pages, unless they are the first */
    uint32_t guard = (uint32_t)stack_guard;
    uint32_t *table = first_table;
    if (guard >> 22) {
        table = guard_table;
        for (uint32_t i = 0; i < 1024; i++) {
            guard_table[i] = ((guard & ~0x3fffffu) + (i << 12)) | PAGE_PRESENT_WRITABLE;
        }
        page_directory[guard >> 22] = (uint32_t)guard_table | PAGE_PRESENT_WRITABLE;
    }
    table[(guard >> 12) & 1023] = 0;
    uintptr_t cr0, cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | (1u << 4))); /* PSE */
    __asm__ volatile("mov %0, %%cr3" : : "r"(page_directory) : "memory");
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | (1u << 31) | (1u << 16)) : "memory"); /* PG, WP */
}
#endif

void arch_init(void) {
    uart_init();
#if defined(__x86_64__)
    tss_init();
#endif
    idt_init();
#if !defined(__x86_64__)
    paging_init(); /* after the exception table: a fault here is reported, not a triple fault */
    tss_init();    /* after paging: the double fault task takes this CR3 */
#endif
    fpu_init();
    tsc_base = rdtsc();
}
