/*
 * A console for hosted flavors (a Linux executable, a WebAssembly module): characters are gathered into lines and
 * each line goes to the host in one call (arch_write), instead of one system call or host call per character.
 */
#include "rt.h"

static char line[512];
static size_t line_len;

void rt_flush(void) {
    if (line_len > 0) {
        arch_write(line, line_len);
        line_len = 0;
    }
}

void arch_putc(char c) {
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof line) {
        rt_flush();
    }
}
