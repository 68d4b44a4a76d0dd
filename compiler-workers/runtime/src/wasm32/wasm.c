/*
 * wasm32: the app and runtime as a WebAssembly module. The host (compiler-workers/wasm/run.mjs, or any embedder)
 * provides three imports in module "tailor": write(ptr, len) for the console, exit(code), and now_ns() for a
 * monotonic clock. The module exports its memory, _start and tailor_flush (for a host reporting a trap).
 */
#include "../common/rt.h"

const char arch_name[] = "wasm32";

__attribute__((import_module("tailor"), import_name("write"))) void host_write(const char *s, size_t n);
__attribute__((import_module("tailor"), import_name("exit"))) void host_exit(int code);
__attribute__((import_module("tailor"), import_name("now_ns"))) uint64_t host_now_ns(void);

void arch_write(const char *s, size_t n) { host_write(s, n); }

_Noreturn void arch_exit(int code) {
    rt_flush();
    host_exit(code); /* the host stops the module here */
    __builtin_trap();
}

uint64_t arch_ticks(void) { return host_now_ns(); }

uint64_t arch_tick_hz(void) { return 1000000000ull; }

void arch_init(void) {}

__attribute__((export_name("tailor_flush"))) void tailor_flush(void) { rt_flush(); }

__attribute__((export_name("_start"))) void _start(void) { tailor_start(); }
