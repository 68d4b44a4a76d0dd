/*
 * x86_64 entry through PVH (the Xen/QEMU/Firecracker direct boot protocol): the loader finds the
 * XEN_ELFNOTE_PHYS32_ENTRY note and enters _start32 in 32-bit protected mode with paging off.
 * We build page tables (identity map of the low 4 GiB; page 0 unmapped to catch NULL and a guard page
 * below the stack to catch overflow), switch to
 * long mode and call the C runtime.
 */
        .section .note.tailor.pvh, "a", @note
        .balign 4
        .long 4                 /* name size */
        .long 4                 /* descriptor size */
        .long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
        .asciz "Xen"
        .long _start32

        .section .text.boot, "ax"
        .code32
        .global _start32
_start32:
        cli
        cld
        /* clear .bss (page tables and stacks live there) */
        mov $__bss_start, %edi
        mov $__bss_end, %ecx
        sub %edi, %ecx
        xor %eax, %eax
        rep stosb

        /* PML4[0] -> PDPT; PDPT[0..3] -> PD[0..3]; PD covers 4 GiB in 2 MiB pages */
        mov $pdpt, %eax
        or $3, %eax
        mov %eax, pml4
        mov $pd, %eax
        or $3, %eax
        mov $pdpt, %edi
        mov $4, %ecx
1:      mov %eax, (%edi)
        add $4096, %eax
        add $8, %edi
        loop 1b

        mov $0x83, %eax         /* present, writable, 2 MiB page */
        xor %edx, %edx
        mov $pd, %edi
        mov $2048, %ecx
2:      mov %eax, (%edi)
        mov %edx, 4(%edi)
        add $0x200000, %eax
        adc $0, %edx
        add $8, %edi
        loop 2b

        /* the first 2 MiB in 4 KiB pages, page 0 left out so a NULL dereference faults */
        mov $pt0, %eax
        or $3, %eax
        mov %eax, pd
        mov $0x1003, %eax
        mov $pt0 + 8, %edi
        mov $511, %ecx
3:      mov %eax, (%edi)
        add $4096, %eax
        add $8, %edi
        loop 3b

        /* Unmap the page below the stack, so an overflow faults instead of overwriting .bss: in pt0 if it is
           in the first 2 MiB, else in pt1, which then maps that 2 MiB region in 4 KiB pages. */
        mov $stack_guard, %ebx
        mov %ebx, %eax
        shr $21, %eax
        jnz 5f
        mov %ebx, %eax
        shr $12, %eax
        movl $0, pt0(, %eax, 8)
        jmp 7f
5:      mov %eax, %edx                  /* 2 MiB region index */
        mov $pt1, %eax
        or $3, %eax
        mov %eax, pd(, %edx, 8)
        mov %edx, %eax
        shl $21, %eax
        or $3, %eax
        mov $pt1, %edi
        mov $512, %ecx
6:      mov %eax, (%edi)
        add $4096, %eax
        add $8, %edi
        loop 6b
        mov %ebx, %eax
        shr $12, %eax
        and $511, %eax
        movl $0, pt1(, %eax, 8)
7:
        mov $pml4, %eax
        mov %eax, %cr3
        mov %cr4, %eax
        or $(1 << 5), %eax      /* PAE */
        mov %eax, %cr4
        mov $0xc0000080, %ecx   /* EFER */
        rdmsr
        or $(1 << 8), %eax      /* LME */
        wrmsr
        mov %cr0, %eax
        or $0x80000001, %eax    /* PG, PE */
        mov %eax, %cr0
        lgdt gdt_ptr
        ljmp $0x08, $start64

        .code64
start64:
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        xor %ax, %ax
        mov %ax, %fs
        mov %ax, %gs
        lea stack_top(%rip), %rsp
        call arch_init
        call tailor_start
4:      cli
        hlt
        jmp 4b

        .section .rodata
        .balign 16
gdt:
        .quad 0
        .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
        .quad 0x00cf92000000ffff        /* 0x10: data */
gdt_end:
gdt_ptr:
        .word gdt_end - gdt - 1
        .quad gdt

        .bss
        .balign 4096
pml4:   .space 4096
pdpt:   .space 4096
pd:     .space 4 * 4096
pt0:    .space 4096
pt1:    .space 4096
        .global stack_guard
stack_guard:
        .space 4096                     /* unmapped */
        .space 65536
stack_top:
