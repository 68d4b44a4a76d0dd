/*
 * i686 entry through multiboot 1: the loader enters _start in 32-bit protected mode, paging off,
 * with flat segments whose descriptors we must not rely on, so we load our own GDT.
 */
        .section .multiboot, "a"
        .balign 4
        .long 0x1badb002        /* magic */
        .long 0                 /* flags: ELF image, nothing requested */
        .long -0x1badb002       /* checksum */

        .section .text.boot, "ax"
        .global _start
_start:
        cli
        cld
        lgdt gdt_ptr
        ljmp $0x08, $1f
1:      mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        xor %ax, %ax
        mov %ax, %fs
        mov %ax, %gs
        mov $__bss_start, %edi
        mov $__bss_end, %ecx
        sub %edi, %ecx
        xor %eax, %eax
        rep stosb
        mov $stack_top, %esp
        call arch_init
        call tailor_start
2:      cli
        hlt
        jmp 2b

        .section .rodata
        .balign 16
gdt:
        .quad 0
        .quad 0x00cf9a000000ffff        /* 0x08: 32-bit code */
        .quad 0x00cf92000000ffff        /* 0x10: data */
gdt_end:
gdt_ptr:
        .word gdt_end - gdt - 1
        .long gdt

        /* the guard page (left out once paging is on), then the stack */
        .bss
        .balign 4096
        .global stack_guard
stack_guard:
        .space 4096
        .space 65536
stack_top:
