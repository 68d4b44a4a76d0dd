/*
 * ARM run-time ABI 64-bit division, which returns both results in registers: assembly around the C division in
 * ../common/builtins.c. Shared by the armv7 image and the armv7 Linux executable.
 */
        .syntax unified
        .arm
        .text
        /* __aeabi_uldivmod(n in r0:r1, d in r2:r3) -> quotient r0:r1, remainder r2:r3 */
        .global __aeabi_uldivmod
        .type __aeabi_uldivmod, %function
__aeabi_uldivmod:
        push {r4, lr}
        sub sp, sp, #16
        add r4, sp, #8
        str r4, [sp]
        bl __udivmoddi4
        ldrd r2, r3, [sp, #8]
        add sp, sp, #16
        pop {r4, pc}

        .global __aeabi_ldivmod
        .type __aeabi_ldivmod, %function
__aeabi_ldivmod:
        push {r4, lr}
        sub sp, sp, #16
        add r4, sp, #8
        str r4, [sp]
        bl __divmoddi4
        ldrd r2, r3, [sp, #8]
        add sp, sp, #16
        pop {r4, pc}

