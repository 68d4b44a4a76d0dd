/* The PL011 UART: the console of both ARM architectures (QEMU virt for aarch64, versatilepb's UART0 for 32-bit Arm). */
#include "../common/rt.h"

#if defined(__aarch64__)
#define UART0 0x09000000ul
#else
#define UART0 0x101f1000ul
#endif
#define UART_DR (*(volatile uint32_t *)(UART0 + 0x00))
#define UART_FR (*(volatile uint32_t *)(UART0 + 0x18))

static void put(char c) {
    /* Wait while the transmit FIFO is full; bounded, so a missing UART cannot hang the machine. */
    for (int i = 0; i < 100000 && (UART_FR & (1u << 5)); i++) {
    }
    UART_DR = (uint32_t)(unsigned char)c;
}

/* A serial terminal wants CR LF. */
void arch_putc(char c) {
    if (c == '\n') {
        put('\r');
    }
    put(c);
}
