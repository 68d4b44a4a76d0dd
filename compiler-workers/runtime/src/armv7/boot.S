/*
 * 32-bit Arm entry on QEMU versatilepb (every 32-bit Arm CPU model: arm1176 and the Cortex-A7/A8/A9/A15):
 * loaded as an ELF at 0x10000, entered in SVC mode with the MMU off; turns it on with an identity map (mmu_on).
 * ARMv6-safe: this file and everything else plain runs on an ARM1176 (ARMv6, VFPv2) as on any ARMv7 core, so an
 * image tuned too high for the CPU still reaches its undefined-instruction handler and says so. No isb/dsb (ARMv7):
 * the CP15 "flush prefetch buffer" operation instead; no VBAR (ARMv6 cores without the Security Extensions lack
 * it): until the MMU is on, the vectors are copied to address 0 (RAM on versatilepb), where every core takes
 * exceptions with SCTLR.V = 0 and, where VBAR exists, its reset value 0; from then on the high vectors
 * (SCTLR.V = 1, 0xffff0000, which every core has) map the image's own copy, and page 0 is left unmapped so that a
 * null pointer faults. No MPIDR either (ARMv6 has none): the board has one core.
 * Enables VFP (CPACR, FPEXC: both exist on ARM1176), clears .bss, then turns the MMU on. The run-time ABI's
 * 64-bit division is in aeabi.S.
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
        ldr r0, =vectors                /* copy the vectors and their address table (16 words) to 0 */
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
        bl mmu_on
        bl arch_init
        bl tailor_start
park:   b park                          /* no wfe: ARMv6 (before 6K) has none */

/*
 * MMU on, with a flat identity map in the short-descriptor format that ARMv6 (SCTLR.XP = 1) and ARMv7 share, so
 * that a bad pointer faults: QEMU's versatilepb reads unmapped addresses as 0 and ignores writes to them.
 * 1 MiB sections: RAM from 0 (vectors, image, heap, stacks, this table) up to _end rounded up, as Normal
 * non-cacheable memory (unaligned access allowed, as with Normal memory anywhere; SCTLR.C and .I stay 0, so no
 * cache holds anything and no cache maintenance is needed), and the two device sections the runtime touches,
 * 0x10000000 (system registers: the 24 MHz counter) and 0x10100000 (UART0 at 0x101f1000), as Shareable Device,
 * execute-never. Every other entry is 0: a translation fault (data or prefetch abort). Domain 0, client, AP full
 * access; TTBCR = 0 (TTBR0 only, 16 KiB table); table walks non-cacheable (TTBR0's attribute bits 0).
 * The first MiB goes through a page table of 4 KiB pages instead of a section, with page 0 left out: a null
 * pointer (and any small offset from one) faults; so does the MiB holding the stack's guard page, with that page
 * left out, so an overflow faults instead of overwriting .bss. The exception vectors then move to the high address 0xffff0000
 * (SCTLR.V = 1, set with SCTLR.M), whose page maps the page-aligned vectors in the image through a second table.
 * Before the MMU goes on, the table writes complete (c7,c10,4: the ARMv6 spelling of dsb) and the TLB and branch
 * predictor are invalidated; the prefetch flush (c7,c5,4, the ARMv6 isb) comes before and after setting SCTLR.M.
 */
#define SECTION_RAM     0x00001c02      /* section, AP=0b11, TEX=0b001 C=0 B=0: Normal non-cacheable */
#define SECTION_DEVICE  0x00000c16      /* section, AP=0b11, TEX=0b000 C=0 B=1: Shareable Device; XN */
#define PAGE_TABLE      0x00000001      /* first level: a coarse (256-entry) page table, domain 0 */
#define PAGE_RAM        0x00000072      /* small page, AP=0b11, TEX=0b001 C=0 B=0: Normal non-cacheable */
mmu_on:
        ldr r0, =tailor_ttb             /* in .bss: already all zero (every entry a translation fault) */
        ldr r1, =SECTION_RAM
        ldr r2, =_end
        add r2, r2, #0x00100000
        sub r2, r2, #1
        lsr r2, r2, #20                 /* RAM sections: _end rounded up to 1 MiB */
        mov r3, r0
1:      str r1, [r3], #4
        add r1, r1, #0x00100000
        subs r2, r2, #1
        bne 1b
        ldr r1, =(0x10000000 | SECTION_DEVICE)
        str r1, [r0, #(0x100 * 4)]
        ldr r1, =(0x10100000 | SECTION_DEVICE)
        str r1, [r0, #(0x101 * 4)]
        ldr r1, =tailor_l2_low          /* the first MiB in pages, page 0 left a translation fault */
        orr r2, r1, #PAGE_TABLE
        str r2, [r0]
        ldr r2, =(0x1000 | PAGE_RAM)
        add r1, r1, #4
        mov r3, #255
1:      str r2, [r1], #4
        add r2, r2, #0x1000
        subs r3, r3, #1
        bne 1b
        ldr r1, =stack_guard            /* the guard page below the stack: a translation fault too */
        lsr r2, r1, #20                 /* its MiB */
        cmp r2, #0
        ldreq r3, =tailor_l2_low        /* the first MiB is in pages already */
        beq 2f
        ldr r3, =tailor_l2_stack        /* else its MiB becomes pages as well */
        orr r4, r3, #PAGE_TABLE
        str r4, [r0, r2, lsl #2]
        lsl r4, r2, #20
        orr r4, r4, #PAGE_RAM
        mov r5, r3
        mov r6, #256
1:      str r4, [r5], #4
        add r4, r4, #0x1000
        subs r6, r6, #1
        bne 1b
2:      lsl r1, r1, #12                 /* the page's index in its MiB: bits 19..12 */
        lsr r1, r1, #24
        mov r4, #0
        str r4, [r3, r1, lsl #2]
        ldr r1, =tailor_l2_high         /* 0xfff00000's MiB: only its page 0xffff0000, the vectors */
        orr r2, r1, #PAGE_TABLE
        ldr r3, =(0xfff * 4)
        str r2, [r0, r3]
        ldr r2, =(vectors + PAGE_RAM)
        str r2, [r1, #(0xf0 * 4)]
        mov r1, #0
        mcr p15, 0, r1, c7, c10, 4      /* data synchronization barrier (dsb): the table is written */
        mcr p15, 0, r1, c2, c0, 2       /* TTBCR = 0: short descriptors, TTBR0 translates everything */
        mcr p15, 0, r0, c2, c0, 0       /* TTBR0 = the table, walks non-cacheable */
        ldr r1, =0x55555555
        mcr p15, 0, r1, c3, c0, 0       /* DACR: every domain client (permissions checked) */
        mov r1, #0
        mcr p15, 0, r1, c8, c7, 0       /* invalidate the unified TLB */
        mcr p15, 0, r1, c7, c5, 6       /* invalidate the branch predictor */
        mcr p15, 0, r1, c7, c10, 4      /* dsb */
        mcr p15, 0, r1, c7, c5, 4       /* isb */
        mrc p15, 0, r0, c1, c0, 0
        orr r0, r0, #(1 << 23)          /* SCTLR.XP: ARMv6 descriptors (ARM1176; reads as one on ARMv7) */
        orr r0, r0, #(1 << 13)          /* SCTLR.V: the high vectors, at 0xffff0000 */
        orr r0, r0, #1                  /* SCTLR.M; A, C, I unchanged */
        mcr p15, 0, r0, c1, c0, 0
        mcr p15, 0, r1, c7, c5, 4       /* isb: the identity map keeps this code where it is */
        bx lr
        .ltorg                          /* the literals above, within ldr's 4 KiB reach, before the page gap */

        /* Position-independent: each entry loads its handler's absolute address from the table 8 words on. Page
           aligned: the high vectors' page maps this page. */
        .balign 4096
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

        /* the guard page (left out of the map), the app's stack, the trap stack */
        .bss
        .balign 4096
        .global stack_guard
stack_guard:
        .space 4096
        .space 65536
stack_top:
        .space 8192
trap_stack_top:
        .balign 16384                   /* TTBR0 with TTBCR.N = 0: 16 KiB aligned, 4096 section entries */
        .global tailor_ttb
tailor_ttb:
        .space 16384
        .balign 1024                    /* second-level tables: 256 entries, 1 KiB aligned */
tailor_l2_low:
        .space 1024
tailor_l2_high:
        .space 1024
tailor_l2_stack:
        .space 1024
