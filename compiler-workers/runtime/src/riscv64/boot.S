/*
 * riscv64 entry on QEMU's virt machine with -bios none: loaded as an ELF at 0x80000000 and entered in M-mode with
 * the MMU off (a0 = hart id). Guards page 0 with PMP, enables the FP and vector units, installs the trap vector,
 * clears .bss.
 * Assembled with the plain flags (rv64gc): nothing here uses an extension a tuned target adds. Everything is built
 * with -mno-relax, so no code addresses through gp and gp is left alone.
 */
        .section .text.boot, "ax"
        .global _start
_start:
        csrr t0, mhartid
        bnez t0, park                   /* only hart 0 runs the app */
        la sp, stack_top
        /*
         * A null pointer faults: PMP entry 0, locked (so it binds M-mode too) and naturally aligned, grants nothing
         * on 0x0-0xfff; addresses no entry matches stay open to M-mode. pmpaddr0 = (base + size/2 - 1) >> 2.
         * A hart without PMP traps on these CSRs: mtvec points just past them meanwhile, so such a trap skips them.
         */
        la t0, 3f
        csrw mtvec, t0
        li t0, 0x1ff
        csrw pmpaddr0, t0
        li t0, 0x98                     /* L | A=NAPOT | no R, W or X */
        csrw pmpcfg0, t0
        .balign 4
3:      la t0, trap_entry
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
2:      call arch_init
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

        /* the trap stack below the app's, so an overflow of the app's stack runs into it last */
        .section .bss.stacks, "aw", @nobits
        .balign 16
trap_stack_bottom:
        .skip 8192
trap_stack_top:
        .skip 65536
stack_top:
