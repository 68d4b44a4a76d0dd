/*
 * The `linux` flavor: the same app and runtime as a static Linux executable, for measuring speed natively.
 * Console on fd 1, exit status = the app's exit code, the host's monotonic clock, and a seccomp filter installed
 * before main: from then on the app may only write to fd 1 or 2, read the clock and exit. Any other system call
 * (open, fork, socket, mmap...) kills the process with SIGSYS.
 *
 * No libc: five architectures' system call conventions below, and nothing else from the host.
 */
#include "../common/rt.h"

#if defined(__x86_64__)
const char arch_name[] = "x86_64";
enum { SYS_WRITE = 1, SYS_RT_SIGACTION = 13, SYS_RT_SIGRETURN = 15, SYS_EXIT = 60, SYS_PRCTL = 157,
       SYS_CLOCK_GETTIME = 228, SYS_EXIT_GROUP = 231, SYS_CLOCK_GETTIME64 = -1, SYS_SIGRETURN = -1 };
#define AUDIT_ARCH 0xc000003eu
#elif defined(__i386__)
const char arch_name[] = "i686";
enum { SYS_EXIT = 1, SYS_WRITE = 4, SYS_SIGRETURN = 119, SYS_PRCTL = 172, SYS_RT_SIGRETURN = 173,
       SYS_RT_SIGACTION = 174, SYS_EXIT_GROUP = 252, SYS_CLOCK_GETTIME = 265, SYS_CLOCK_GETTIME64 = 403 };
#define AUDIT_ARCH 0x40000003u
#elif defined(__aarch64__) || defined(__riscv) && __riscv_xlen == 64
/* asm-generic's numbers, which arm64 and riscv64 share */
enum { SYS_WRITE = 64, SYS_EXIT = 93, SYS_EXIT_GROUP = 94, SYS_CLOCK_GETTIME = 113, SYS_RT_SIGACTION = 134,
       SYS_RT_SIGRETURN = 139, SYS_PRCTL = 167, SYS_CLOCK_GETTIME64 = -1, SYS_SIGRETURN = -1 };
#if defined(__aarch64__)
const char arch_name[] = "aarch64";
#define AUDIT_ARCH 0xc00000b7u
#else
const char arch_name[] = "riscv64";
#define AUDIT_ARCH 0xc00000f3u
#endif
#elif defined(__arm__)
const char arch_name[] = "armv7";
enum { SYS_EXIT = 1, SYS_WRITE = 4, SYS_SIGRETURN = 119, SYS_PRCTL = 172, SYS_RT_SIGRETURN = 173,
       SYS_RT_SIGACTION = 174, SYS_EXIT_GROUP = 248, SYS_CLOCK_GETTIME = 263, SYS_CLOCK_GETTIME64 = 403 };
#define AUDIT_ARCH 0x40000028u
#else
#error "no Linux system call convention for this architecture"
#endif

/* One entry for every system call: unused arguments are zero, which prctl and others check. */
static long sys(long nr, long a, long b, long c, long d, long e) {
    long ret;
#if defined(__x86_64__)
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
#elif defined(__i386__)
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e) : "memory");
#elif defined(__aarch64__) || defined(__riscv)
    /* one convention in two register files: the number in x8 (a7), arguments and result from x0 (a0) */
#if defined(__aarch64__)
#define REG(arm64, rv64) arm64
#else
#define REG(arm64, rv64) rv64
#endif
    register long num __asm__(REG("x8", "a7")) = nr;
    register long r0 __asm__(REG("x0", "a0")) = a;
    register long r1 __asm__(REG("x1", "a1")) = b;
    register long r2 __asm__(REG("x2", "a2")) = c;
    register long r3 __asm__(REG("x3", "a3")) = d;
    register long r4 __asm__(REG("x4", "a4")) = e;
    __asm__ volatile(REG("svc #0", "ecall") : "+r"(r0) : "r"(num), "r"(r1), "r"(r2), "r"(r3), "r"(r4) : "memory");
    ret = r0;
#undef REG
#elif defined(__arm__)
    register long r7 __asm__("r7") = nr;
    register long r0 __asm__("r0") = a;
    register long r1 __asm__("r1") = b;
    register long r2 __asm__("r2") = c;
    register long r3 __asm__("r3") = d;
    register long r4 __asm__("r4") = e;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2), "r"(r3), "r"(r4) : "memory");
    ret = r0;
#endif
    return ret;
}

/* The process entry: hands the initial stack (argc, argv, envp) to linux_start with the stack aligned. */
#if defined(__x86_64__)
__asm__(".text\n.globl _start\n.type _start,@function\n_start:\n"
        "  xor %ebp, %ebp\n  mov %rsp, %rdi\n  and $-16, %rsp\n  call linux_start\n  hlt\n");
#elif defined(__i386__)
__asm__(".text\n.globl _start\n.type _start,@function\n_start:\n"
        "  xor %ebp, %ebp\n  mov %esp, %eax\n  and $-16, %esp\n  sub $12, %esp\n  push %eax\n  call linux_start\n  hlt\n");
#elif defined(__aarch64__)
__asm__(".text\n.globl _start\n.type _start,%function\n_start:\n"
        "  mov x29, #0\n  mov x30, #0\n  mov x0, sp\n  and sp, x0, #-16\n  bl linux_start\n  brk #0\n");
#elif defined(__arm__)
__asm__(".text\n.globl _start\n.type _start,%function\n_start:\n"
        "  mov fp, #0\n  mov lr, #0\n  mov r0, sp\n  bic sp, sp, #15\n  bl linux_start\n  udf #0\n");
#elif defined(__riscv)
__asm__(".text\n.globl _start\n.type _start,%function\n_start:\n"
        "  li fp, 0\n  li ra, 0\n  mv a0, sp\n  andi sp, sp, -16\n  call linux_start\n  unimp\n");
#endif

/* ---- console: fd 1, a line at a time (linebuf.c) ---- */

void arch_write(const char *s, size_t n) {
    size_t off = 0;
    while (off < n) {
        long w = sys(SYS_WRITE, 1, (long)(s + off), (long)(n - off), 0, 0);
        if (w <= 0) {
            return; /* nowhere to write: the output is lost, the exit status still says how the app ended */
        }
        off += (size_t)w;
    }
}

_Noreturn void arch_exit(int code) {
    rt_flush();
    for (;;) {
        sys(SYS_EXIT_GROUP, code, 0, 0, 0, 0);
    }
}

/* ---- clock: CLOCK_MONOTONIC in nanoseconds (clock_gettime64 first on 32-bit, which has 64-bit seconds) ---- */

uint64_t arch_ticks(void) {
    struct { int64_t sec; int64_t nsec; } ts64;
    if (SYS_CLOCK_GETTIME64 > 0 && sys(SYS_CLOCK_GETTIME64, 1, (long)&ts64, 0, 0, 0) == 0) {
        return (uint64_t)ts64.sec * 1000000000ull + (uint64_t)ts64.nsec;
    }
    struct { long sec; long nsec; } ts;
    if (sys(SYS_CLOCK_GETTIME, 1, (long)&ts, 0, 0, 0) != 0) {
        return 0;
    }
    return (uint64_t)ts.sec * 1000000000ull + (uint64_t)ts.nsec;
}

uint64_t arch_tick_hz(void) { return 1000000000ull; }

/* ---- faults: the same report and exit codes as an image (121 illegal instruction, 122 other faults) ---- */

enum { SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11 };
#define SA_SIGINFO 0x4u
#define SA_RESTORER 0x04000000u

struct kernel_sigaction {
    void (*handler)(int, void *, void *);
    unsigned long flags;
#if !defined(__riscv)
    void (*restorer)(void); /* riscv's kernel has no SA_RESTORER field: the vDSO returns from handlers */
#endif
    uint32_t mask[2];
};

struct siginfo_head {
    int signo, err, code;
#if defined(__LP64__)
    int pad;
#endif
    void *addr; /* the faulting instruction (SIGILL, SIGTRAP) or data address (SIGSEGV, SIGBUS) */
};

static void on_fault(int sig, void *info, void *context) {
    (void)context;
    uint64_t addr = (uint64_t)(uintptr_t)((struct siginfo_head *)info)->addr;
    switch (sig) {
    case SIGILL:
        rt_fault(RT_ILLEGAL_INSTRUCTION, "illegal instruction", addr, 0, 0, (uint64_t)sig);
    case SIGTRAP:
        rt_fault(RT_TRAP_INSTRUCTION, "trap instruction", addr, 0, 0, (uint64_t)sig);
    case SIGFPE:
        rt_fault(RT_OTHER_FAULT, "arithmetic fault (divide error)", addr, 0, 0, (uint64_t)sig);
    default:
        rt_fault(RT_OTHER_FAULT, "bad memory access", 0, 1, addr, (uint64_t)sig);
    }
}

#if defined(__x86_64__)
void linux_restore(void);
__asm__(".text\n.type linux_restore,@function\nlinux_restore:\n  mov $15, %eax\n  syscall\n  hlt\n");
#elif defined(__i386__)
void linux_restore(void);
__asm__(".text\n.type linux_restore,@function\nlinux_restore:\n  mov $173, %eax\n  int $0x80\n  hlt\n");
#endif

static void catch_faults(void) {
    static const int signals[] = {SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct kernel_sigaction sa = {.handler = on_fault, .flags = SA_SIGINFO};
#if defined(__x86_64__) || defined(__i386__)
        sa.flags |= SA_RESTORER; /* x86 needs its own return path; ARM and RISC-V kernels provide one */
        sa.restorer = linux_restore;
#endif
        sys(SYS_RT_SIGACTION, signals[i], (long)&sa, 0, 8, 0);
    }
}

/* ---- the seccomp filter ---- */

struct sock_filter { uint16_t code; uint8_t jt, jf; uint32_t k; };
struct sock_fprog { unsigned short len; const struct sock_filter *filter; };

#define BPF_LD_W_ABS 0x20
#define BPF_JEQ_K 0x15
#define BPF_RET_K 0x06
#define RET_KILL_PROCESS 0x80000000u
#define RET_ALLOW 0x7fff0000u
#define PR_SET_NO_NEW_PRIVS 38
#define PR_SET_SECCOMP 22
#define SECCOMP_MODE_FILTER 2
/* struct seccomp_data: nr at 0, arch at 4, instruction pointer at 8, args from 16 (the low word first). */
#define OFF_NR 0
#define OFF_ARCH 4
#define OFF_ARG0 16

#define STMT(c, k) {(c), 0, 0, (k)}
#define JEQ(k, jt, jf) {BPF_JEQ_K, (jt), (jf), (uint32_t)(k)}

/*
 * Allowed: write to fd 1 or 2, the monotonic clock, returning from the fault handler, and exit. The kernel's
 * strict mode would also allow read() and forbid the clock, which an app measuring itself needs.
 */
static const struct sock_filter filter[] = {
    STMT(BPF_LD_W_ABS, OFF_ARCH),
    JEQ(AUDIT_ARCH, 1, 0),
    STMT(BPF_RET_K, RET_KILL_PROCESS),
    STMT(BPF_LD_W_ABS, OFF_NR),
    JEQ(SYS_WRITE, 7, 0),
    JEQ(SYS_CLOCK_GETTIME, 5, 0),
    JEQ(SYS_CLOCK_GETTIME64, 4, 0),
    JEQ(SYS_RT_SIGRETURN, 3, 0),
    JEQ(SYS_SIGRETURN, 2, 0),
    JEQ(SYS_EXIT_GROUP, 1, 0),
    JEQ(SYS_EXIT, 0, 5),
    STMT(BPF_RET_K, RET_ALLOW),
    /* write: only to stdout or stderr */
    STMT(BPF_LD_W_ABS, OFF_ARG0),
    JEQ(1, 1, 0),
    JEQ(2, 0, 1),
    STMT(BPF_RET_K, RET_ALLOW),
    STMT(BPF_RET_K, RET_KILL_PROCESS),
};

static long lock_down(void) {
    struct sock_fprog prog = {sizeof filter / sizeof filter[0], filter};
    long r = sys(SYS_PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (r == 0) {
        r = sys(SYS_PRCTL, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (long)&prog, 0, 0);
    }
    return r;
}

/* Whether the environment holds exactly this NAME=VALUE entry. */
static int has_env(char **envp, const char *name) {
    for (; *envp; envp++) {
        const char *e = *envp;
        unsigned i = 0;
        while (name[i] && e[i] == name[i]) {
            i++;
        }
        if (name[i] == 0 && e[i] == 0) {
            return 1;
        }
    }
    return 0;
}

#define TAILOR_EXIT_UNCONFINED 124

_Noreturn void linux_start(long *sp);

_Noreturn void linux_start(long *sp) {
    long argc = sp[0];
    char **envp = (char **)(sp + argc + 2);
    catch_faults();
    /* TAILOR_TIMING=1: a payoff run asks for main's time (tailor-metric: main_ns=...) */
    rt_time_main = has_env(envp, "TAILOR_TIMING=1");
    long r = lock_down();
    if (r != 0) {
        /* TAILOR_UNCONFINED=1: run without the filter, for QEMU user mode, which refuses seccomp */
        if (!has_env(envp, "TAILOR_UNCONFINED=1")) {
            rt_puts("tailor: cannot install the seccomp filter (error ");
            rt_put_dec((uint32_t)-r);
            rt_puts("): refusing to run unconfined; TAILOR_UNCONFINED=1 allows it where seccomp is unavailable\n");
            arch_exit(TAILOR_EXIT_UNCONFINED);
        }
        rt_puts("tailor: warning: running without the seccomp filter (TAILOR_UNCONFINED=1)\n");
    }
    tailor_start();
    __builtin_unreachable(); /* tailor_start ends in exit */
}

void arch_init(void) {}
