/*
 * aarch64 entry on QEMU's virt machine: loaded as an ELF at 0x40080000 and
 * entered at EL1 with the MMU off. Enables FP/SIMD, installs the exception vectors, clears .bss; arch_init
 * then turns the MMU on.
 */
        .section .text.boot, "ax"
        .global _start
_start:
        mrs x0, mpidr_el1
        and x0, x0, #0xff
        cbnz x0, park                   /* only core 0 runs the app */
        ldr x0, =stack_top
        mov sp, x0
        mrs x0, cpacr_el1
        orr x0, x0, #(3 << 20)          /* FPEN: no trapping of FP/SIMD at EL0 and EL1 */
        msr cpacr_el1, x0
        isb
        ldr x0, =vectors
        msr vbar_el1, x0
        isb
        ldr x0, =__bss_start
        ldr x1, =__bss_end
1:      cmp x0, x1
        b.hs 2f
        str xzr, [x0], #8
        b 1b
2:      bl arch_init
        bl tailor_start
park:   wfe
        b park

        /* 16 entries of 128 bytes: (current EL with SP0, current EL with SPx, lower EL64, lower EL32) x (sync, irq, fiq, serror) */
        .balign 2048
vectors:
        .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
        .balign 128
        mov x0, #\n
        b trap_common
        .endr

trap_common:
        mrs x1, esr_el1
        mrs x2, elr_el1
        mrs x3, far_el1
        ldr x4, =trap_stack_top         /* the faulting stack may be what broke */
        mov sp, x4
        bl aarch64_trap
        b park

        /* the guard page (unmapped once the MMU is on), the app's stack, the trap stack */
        .bss
        .balign 4096
        .global stack_guard
stack_guard:
        .space 4096
        .space 65536
stack_top:
        .space 8192
trap_stack_top:
