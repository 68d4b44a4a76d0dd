/* Plain console output: used by the banner and the fault path, so no printf and no tuned code. */
#include "rt.h"
#include <tailor.h>

void tailor_write(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        arch_putc(s[i]);
    }
}

void rt_puts(const char *s) {
    while (*s) {
        arch_putc(*s++);
    }
}

void rt_put_hex(uint64_t v) {
    char buf[19];
    int i = 18;
    buf[i] = 0;
    do {
        buf[--i] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (v != 0);
    buf[--i] = 'x';
    buf[--i] = '0';
    rt_puts(&buf[i]);
}

void rt_put_dec(uint32_t v) {
    char buf[11];
    int i = 10;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    rt_puts(&buf[i]);
}

int putchar(int c) {
    char ch = (char)c;
    tailor_write(&ch, 1);
    return (unsigned char)c;
}

int puts(const char *s) {
    rt_puts(s);
    rt_puts("\n");
    return 0;
}
