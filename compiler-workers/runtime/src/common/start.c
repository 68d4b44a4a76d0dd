/* From boot to main and back out: the banner, main's return code, exit and fault reporting. */
#include "rt.h"
#include <tailor.h>

const char *tailor_target_id(void) { return tailor_config_target; }
const char *tailor_build_key(void) { return tailor_config_build; }
const char *tailor_app_name(void) { return tailor_config_app; }
const char *tailor_arch(void) { return arch_name; }

void tailor_start(void) {
    /* One line that says what runs, so a device log identifies the exact build. */
    rt_puts("tailor: boot app=");
    rt_puts(tailor_config_app);
    rt_puts(" target=");
    rt_puts(tailor_config_target);
    rt_puts(" arch=");
    rt_puts(arch_name);
    rt_puts(" build=");
    rt_puts(tailor_config_build);
    rt_puts("\n");
    if (!rt_time_main) {
        tailor_exit(main());
    }
    uint64_t t0 = tailor_now_ns();
    int code = main();
    uint64_t ns = tailor_now_ns() - t0;
    printf("tailor-metric: main_ns=%llu\n", (unsigned long long)ns);
    tailor_exit(code);
}

int rt_time_main;


/* The last console line always says how the machine stopped; runners use it to trust the exit status. */
_Noreturn void rt_exit(int code) {
    rt_puts("tailor: exit ");
    rt_put_dec((uint32_t)code);
    rt_puts("\n");
    arch_exit(code);
}

_Noreturn void tailor_exit(int code) {
    if (code < 0 || code > TAILOR_EXIT_MAX_APP) {
        rt_puts("tailor: exit status out of range 0..119: ");
        if (code < 0) {
            rt_puts("-");
            rt_put_dec(0u - (uint32_t)code);
        } else {
            rt_put_dec((uint32_t)code);
        }
        rt_puts("\n");
        rt_exit(TAILOR_EXIT_BAD_STATUS);
    }
    rt_exit(code);
}

_Noreturn void exit(int code) { tailor_exit(code); }

_Noreturn void abort(void) {
    rt_puts("tailor: abort\n");
    rt_exit(TAILOR_EXIT_PANIC);
}

_Noreturn void tailor_panic(const char *fmt, ...) {
    va_list ap;
    rt_puts("tailor: panic: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    rt_puts("\n");
    rt_exit(TAILOR_EXIT_PANIC);
}

static volatile int in_fault;

_Noreturn void rt_fault(enum rt_fault_kind kind, const char *what, uint64_t pc, int has_addr, uint64_t addr,
                        uint64_t detail) {
    if (in_fault) {
        /* A fault while reporting one: say so and stop without touching anything else. */
        rt_puts("\ntailor: fault inside the fault handler\n");
        arch_exit(TAILOR_EXIT_FAULT);
    }
    in_fault = 1;
    rt_puts("\ntailor: ");
    rt_puts(what);
    rt_puts(" at ");
    rt_put_hex(pc);
    if (has_addr) {
        rt_puts(", address ");
        rt_put_hex(addr);
    }
    rt_puts(" (syndrome ");
    rt_put_hex(detail);
    rt_puts(")\n");
    if (kind == RT_ILLEGAL_INSTRUCTION) {
        rt_puts("tailor: this CPU lacks an instruction the image was built for: use a lower target\n");
        rt_exit(TAILOR_EXIT_ILLEGAL_INSTRUCTION);
    }
    rt_exit(TAILOR_EXIT_FAULT);
}

uint64_t tailor_now_ns(void) {
    uint64_t t = arch_ticks();
    uint64_t hz = arch_tick_hz();
    return (t / hz) * 1000000000ull + (t % hz) * 1000000000ull / hz;
}
