/* Exception entry stubs for x86: push a uniform frame (error code, vector) and call x86_trap. */

        .text
        .altmacro
        .macro stub v
        .balign 16
trap_stub_\v:
        .if !((\v == 8) || (\v == 10) || (\v == 11) || (\v == 12) || (\v == 13) || (\v == 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30))
        push $0
        .endif
        push $\v
        jmp trap_common
        .endm

        .macro ref v
#if defined(__x86_64__)
        .quad trap_stub_\v
#else
        .long trap_stub_\v
#endif
        .endm

        .set i, 0
        .rept 32
        stub %i
        .set i, i + 1
        .endr

trap_common:
#if defined(__x86_64__)
        mov (%rsp), %rdi        /* vector */
        mov 8(%rsp), %rsi       /* error code */
        mov 16(%rsp), %rdx      /* rip */
        lea trap_stack_top(%rip), %rsp  /* the faulting stack may be what broke */
        call x86_trap
#else
        mov (%esp), %eax
        mov 4(%esp), %ecx
        mov 8(%esp), %edx
        mov $trap_stack_top, %esp
        push %edx
        push %ecx
        push %eax
        call x86_trap
#endif
1:      cli
        hlt
        jmp 1b

        .section .rodata
        .balign 8
        .global x86_trap_stubs
x86_trap_stubs:
        .set i, 0
        .rept 32
        ref %i
        .set i, i + 1
        .endr

        .bss
        .balign 16
        .space 8192
trap_stack_top:
