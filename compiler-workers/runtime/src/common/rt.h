/*
 * Internal interface between the portable runtime and each architecture's boot code.
 * Everything declared here is compiled without SIMD flags (the "plain" class in toolchains.json):
 * it must keep working when the CPU lacks an instruction the tuned code uses.
 */
#ifndef TAILOR_RT_H
#define TAILOR_RT_H

#include <stddef.h>
#include <stdint.h>

/* Provided by each architecture. */
void arch_init(void);
void arch_putc(char c);
_Noreturn void arch_exit(int code);
uint64_t arch_ticks(void);
uint64_t arch_tick_hz(void);
extern const char arch_name[];

/* Hosted flavors only (linebuf.c): the host's own output call, and flushing the line gathered so far. */
void arch_write(const char *s, size_t n);
void rt_flush(void);

/* Provided by the per-build configuration unit (config.c). */
extern const char tailor_config_target[];
extern const char tailor_config_build[];
extern const char tailor_config_app[];
extern unsigned char tailor_heap[];
extern const size_t tailor_heap_bytes;

/* Console helpers that never touch tuned code, for the banner and fault reports. */
void rt_puts(const char *s);
/* Set before main by a runtime whose host asked for it (the linux flavor under TAILOR_TIMING=1): after main returns,
 * its time is printed as the metric main_ns. */
extern int rt_time_main;
void rt_put_hex(uint64_t v);
void rt_put_dec(uint32_t v);

void tailor_start(void);
_Noreturn void rt_exit(int code);

enum rt_fault_kind { RT_ILLEGAL_INSTRUCTION, RT_TRAP_INSTRUCTION, RT_OTHER_FAULT };

/*
 * Reports a CPU exception and exits. `what` names it; `pc` is the faulting instruction;
 * `addr`, when has_addr, the data address involved; `detail` an architecture-specific syndrome.
 */
_Noreturn void rt_fault(enum rt_fault_kind kind, const char *what, uint64_t pc, int has_addr, uint64_t addr,
                        uint64_t detail);

int main(void);

#endif
