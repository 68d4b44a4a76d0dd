/*
 * 32-bit Arm entry on QEMU versatilepb (every 32-bit Arm CPU model: arm1176 and the Cortex-A7/A8/A9/A15):
 * loaded as an ELF at 0x10000, entered in SVC mode with the MMU off.
 * ARMv6-safe: this file and everything else plain runs on an ARM1176 (ARMv6, VFPv2) as on any ARMv7 core, so an
 * image tuned too high for the CPU still reaches its undefined-instruction handler and says so. No isb/dsb (ARMv7):
 * the CP15 "flush prefetch buffer" operation instead; no VBAR (ARMv6 cores without the Security Extensions lack
 * it): the vectors are copied to address 0 (RAM on versatilepb), where every core takes exceptions with
 * SCTLR.V = 0 and, where VBAR exists, its reset value 0. No MPIDR either (ARMv6 has none): the board has one core.
 * Enables VFP (CPACR, FPEXC: both exist on ARM1176), clears .bss. The run-time ABI's 64-bit division is in aeabi.S.
 */
        .syntax unified
        .arch armv6
        .arm
        .fpu vfpv2
        .section .text.boot, "ax"
        .global _start
_start:
        cpsid if
        mrs r0, cpsr                    /* a core with the Virtualization Extensions may start in Hyp mode */
        and r1, r0, #0x1f               /* (QEMU's cortex-a15/a7 on versatilepb): leave it for SVC as Linux does, */
        cmp r1, #0x1a                   /* or exceptions would go to HVBAR, with ELR_hyp, not lr */
        bne 2f
        bic r0, r0, #0x1f
        orr r0, r0, #0xd3               /* SVC, IRQ and FIQ masked */
        adr r1, 2f
        .arch armv7-a                   /* reached on ARMv7 cores with Hyp mode only */
        .arch_extension virt
        msr spsr_cxsf, r0               /* the current mode's SPSR (banked access to spsr_hyp is undefined in Hyp) */
        msr elr_hyp, r1
        eret
        .arch armv6
        .fpu vfpv2
2:
        ldr sp, =stack_top
        adr r0, vectors                 /* copy the vectors and their address table (16 words) to 0 */
        mov r1, #0
        ldmia r0!, {r2-r9}
        stmia r1!, {r2-r9}
        ldmia r0!, {r2-r9}
        stmia r1!, {r2-r9}
        mrc p15, 0, r0, c1, c0, 0
        bic r0, r0, #(1 << 13)          /* SCTLR.V = 0: low vectors */
        mcr p15, 0, r0, c1, c0, 0
        mov r0, #0
        mcr p15, 0, r0, c7, c5, 4       /* flush prefetch buffer: the ARMv6 spelling of isb */
        mrc p15, 0, r0, c1, c0, 2
        orr r0, r0, #(0xf << 20)        /* CPACR: full access to cp10 and cp11 (VFP, NEON) */
        mcr p15, 0, r0, c1, c0, 2
        mov r0, #0
        mcr p15, 0, r0, c7, c5, 4
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
park:   b park                          /* no wfe: ARMv6 (before 6K) has none */

        /* Position-independent: each entry loads its handler's absolute address from the table 8 words on. */
        .balign 32
vectors:
        ldr pc, [pc, #24]               /* reset */
        ldr pc, [pc, #24]
        ldr pc, [pc, #24]
        ldr pc, [pc, #24]
        ldr pc, [pc, #24]
        ldr pc, [pc, #24]
        ldr pc, [pc, #24]
        ldr pc, [pc, #24]
        .word _start
        .word undef_entry
        .word svc_entry
        .word pabt_entry
        .word dabt_entry
        .word park
        .word irq_entry
        .word irq_entry
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
