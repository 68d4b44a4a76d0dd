/*
 * armv7 entry on QEMU virt: loaded as an ELF at 0x40010000, entered in SVC mode with the MMU off.
 * Installs the vectors (VBAR), enables VFP/NEON, clears .bss. The run-time ABI's 64-bit division is in aeabi.S.
 */
        .syntax unified
        .arm
        .fpu vfpv3-d16
        .section .text.boot, "ax"
        .global _start
_start:
        cpsid if
        mrc p15, 0, r0, c0, c0, 5       /* MPIDR: only core 0 runs the app */
        ands r0, r0, #0xff
        bne park
        ldr sp, =stack_top
        ldr r0, =vectors
        mcr p15, 0, r0, c12, c0, 0      /* VBAR */
        mrc p15, 0, r0, c1, c0, 0
        bic r0, r0, #(1 << 13)          /* SCTLR.V = 0: vectors at VBAR */
        mcr p15, 0, r0, c1, c0, 0
        isb
        mrc p15, 0, r0, c1, c0, 2
        orr r0, r0, #(0xf << 20)        /* CPACR: full access to cp10 and cp11 (VFP, NEON) */
        mcr p15, 0, r0, c1, c0, 2
        isb
        mov r0, #0x40000000             /* FPEXC.EN */
        vmsr fpexc, r0
        ldr r0, =__bss_start
        ldr r1, =__bss_end
        mov r2, #0
1:      cmp r0, r1
        strlo r2, [r0], #4
        blo 1b
        bl arch_init
        bl tailor_start
park:   wfe
        b park

        .balign 32
vectors:
        b _start                        /* reset */
        b undef_entry
        b svc_entry
        b pabt_entry
        b dabt_entry
        b park
        b irq_entry
        b irq_entry

undef_entry:
        mrs r1, spsr
        tst r1, #(1 << 5)               /* Thumb state: the instruction is 2 bytes back, else 4 */
        subne r0, lr, #2
        subeq r0, lr, #4
        mov r2, #1
        b trap_common
svc_entry:
        sub r0, lr, #4
        mrs r1, spsr
        mov r2, #2
        b trap_common
pabt_entry:
        sub r0, lr, #4
        mrs r1, spsr
        mov r2, #3
        b trap_common
dabt_entry:
        sub r0, lr, #8
        mrs r1, spsr
        mov r2, #4
        b trap_common
irq_entry:
        sub r0, lr, #4
        mrs r1, spsr
        mov r2, #5
trap_common:
        ldr sp, =trap_stack_top         /* each mode has its own sp; none is set up but this one */
        bl armv7_trap
        b park

        .bss
        .balign 16
        .space 65536
stack_top:
        .space 8192
trap_stack_top:
