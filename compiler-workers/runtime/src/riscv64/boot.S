/*
 * riscv64 entry on QEMU's virt machine with -bios none: loaded as an ELF at 0x80000000 and entered in M-mode with
 * the MMU off (a0 = hart id). Installs the trap vector, enables the FP and vector units, clears .bss, and closes
 * page 0 and the stack's guard page with PMP.
 * Assembled with the plain flags (rv64gc): nothing here uses an extension a tuned target adds. Everything is built
 * with -mno-relax, so no code addresses through gp and gp is left alone.
 */
        .section .text.boot, "ax"
        .global _start
_start:
        csrr t0, mhartid
        bnez t0, park                   /* only hart 0 runs the app */
        la sp, stack_top
        la t0, trap_entry
        csrw mtvec, t0                  /* direct mode: every trap enters trap_entry */
        li t0, (1 << 13) | (1 << 9)     /* mstatus.FS = Initial, mstatus.VS = Initial (WARL: 0 without V) */
        csrs mstatus, t0
        csrw fcsr, zero
        la t0, __bss_start
        la t1, __bss_end
1:      bgeu t0, t1, 2f
        sd zero, 0(t0)
        addi t0, t0, 8
        j 1b
        /*
         * Then (the guard page is in .bss) a null pointer and a stack overflow are made to fault: PMP entries 0
         * (0x0-0xfff) and 1 (the 4 KiB guard page below the stack), locked (so they bind M-mode too) and naturally
         * aligned, grant nothing; addresses no entry matches stay open to M-mode. NAPOT: pmpaddr = (base + size/2
         * - 1) >> 2. A hart without PMP traps on these CSRs: mtvec points just past them meanwhile, so such a trap
         * skips them and the hart boots without the guards.
         */
2:      la t0, 3f
        csrw mtvec, t0
        li t0, 0x1ff
        csrw pmpaddr0, t0
        la t0, stack_guard
        srli t0, t0, 2
        ori t0, t0, 0x1ff
        csrw pmpaddr1, t0
        li t0, 0x9898                   /* entries 0 and 1: L | A=NAPOT | no R, W or X */
        csrw pmpcfg0, t0
        .balign 4
3:      la t0, trap_entry
        csrw mtvec, t0
        call arch_init
        call tailor_start
park:   wfi
        j park

        .balign 4
trap_entry:
        la sp, trap_stack_top           /* the faulting stack may be what broke */
        csrr a0, mcause
        csrr a1, mepc
        csrr a2, mtval
        call riscv64_trap
        j park

        /* the trap stack, then the guard page PMP closes, then the app's stack */
        .section .bss.stacks, "aw", @nobits
        .balign 16
trap_stack_bottom:
        .skip 8192
trap_stack_top:
        .balign 4096
        .global stack_guard
stack_guard:
        .skip 4096
        .skip 65536
stack_top:
