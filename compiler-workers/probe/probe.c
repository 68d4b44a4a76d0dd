/*
 * The CPU probe: a Tailor app that prints this CPU's fingerprint in the compact form the boot endpoint accepts,
 *     tailor-cpu: <arch>:<feature>,<feature>,...
 * with Linux /proc/cpuinfo feature names (except x86 "sse3", which Linux calls "pni"; riscv64 names the extensions
 * of its isa line, one each). Devices without an OS to ask boot it once and send the line. Built for each architecture's baseline target, so it runs anywhere.
 * Features the OS must enable (AVX, AVX-512) are reported only when the runtime could enable them, as Linux does.
 */
#include <stdio.h>
#include <stdint.h>

static int count;

static void feature(int present, const char *name) {
    if (present) {
        printf("%s%s", count++ ? "," : "", name);
    }
}

#define BIT(v, n) (((v) >> (n)) & 1u)
#define FIELD(v, lo) ((unsigned)(((v) >> (lo)) & 0xfu))

#if defined(__x86_64__) || defined(__i386__)

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static void probe(void) {
    uint32_t r0[4], r1[4], r7[4] = {0}, r71[4] = {0}, rx[4] = {0}, rx1[4] = {0}, rd1[4] = {0};
    cpuid(0, 0, r0);
    uint32_t max = r0[0];
    cpuid(1, 0, r1);
    if (max >= 7) {
        cpuid(7, 0, r7);
        if (r7[0] >= 1) cpuid(7, 1, r71);
    }
    if (max >= 0xd) cpuid(0xd, 1, rd1);
    cpuid(0x80000000u, 0, rx);
    if (rx[0] >= 0x80000001u) cpuid(0x80000001u, 0, rx1);

    uint32_t xcr0 = 0;
    if (BIT(r1[2], 27)) { /* OSXSAVE: the runtime set CR4.OSXSAVE, so XGETBV works */
        uint32_t hi;
        __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(hi) : "c"(0));
    }
    int avx = BIT(r1[2], 28) && (xcr0 & 6u) == 6u;
    int avx512 = avx && (xcr0 & 0xe0u) == 0xe0u;

    char vendor[13];
    for (int i = 0; i < 4; i++) {
        vendor[i] = (char)(r0[1] >> (8 * i));
        vendor[4 + i] = (char)(r0[3] >> (8 * i));
        vendor[8 + i] = (char)(r0[2] >> (8 * i));
    }
    vendor[12] = 0;
    unsigned family = FIELD(r1[0], 8), model = FIELD(r1[0], 4);
    if (family == 0xf) family += (r1[0] >> 20) & 0xffu;
    if (family == 0x6 || family >= 0xf) model |= FIELD(r1[0], 16) << 4;
    printf("tailor-cpu-model: vendor=%s family=%u model=%u stepping=%u\n", vendor, family, model, FIELD(r1[0], 0));

#if defined(__x86_64__)
    printf("tailor-cpu: x86_64:");
#else
    printf("tailor-cpu: i686:");
#endif
    uint32_t d = r1[3], c = r1[2], b7 = r7[1], c7 = r7[2], d7 = r7[3], a71 = r71[0], cx = rx1[2], dx = rx1[3];
    feature(BIT(d, 0), "fpu");
    feature(BIT(d, 4), "tsc");
    feature(BIT(d, 5), "msr");
    feature(BIT(d, 6), "pae");
    feature(BIT(d, 8), "cx8");
    feature(BIT(d, 9), "apic");
    feature(BIT(d, 11), "sep");
    feature(BIT(d, 15), "cmov");
    feature(BIT(d, 16), "pat");
    feature(BIT(d, 19), "clflush");
    feature(BIT(d, 23), "mmx");
    feature(BIT(d, 24), "fxsr");
    feature(BIT(d, 25), "sse");
    feature(BIT(d, 26), "sse2");
    feature(BIT(d, 28), "ht");
    feature(BIT(dx, 11), "syscall");
    feature(BIT(dx, 20), "nx");
    feature(BIT(dx, 22), "mmxext");
    feature(BIT(dx, 26), "pdpe1gb");
    feature(BIT(dx, 27), "rdtscp");
    feature(BIT(dx, 29), "lm");
    feature(BIT(c, 0), "sse3");
    feature(BIT(c, 1), "pclmulqdq");
    feature(BIT(c, 9), "ssse3");
    feature(avx && BIT(c, 12), "fma");
    feature(BIT(c, 13), "cx16");
    feature(BIT(c, 19), "sse4_1");
    feature(BIT(c, 20), "sse4_2");
    feature(BIT(c, 21), "x2apic");
    feature(BIT(c, 22), "movbe");
    feature(BIT(c, 23), "popcnt");
    feature(BIT(c, 25), "aes");
    feature(BIT(c, 26), "xsave");
    feature(avx, "avx");
    feature(avx && BIT(c, 29), "f16c");
    feature(BIT(c, 30), "rdrand");
    feature(BIT(c, 31), "hypervisor");
    feature(BIT(cx, 0), "lahf_lm");
    feature(BIT(cx, 5), "abm");
    feature(BIT(cx, 6), "sse4a");
    feature(BIT(cx, 7), "misalignsse");
    feature(BIT(cx, 8), "3dnowprefetch");
    feature(avx && BIT(cx, 11), "xop");
    feature(avx && BIT(cx, 16), "fma4");
    feature(BIT(cx, 21), "tbm");
    feature(BIT(b7, 0), "fsgsbase");
    feature(BIT(b7, 3), "bmi1");
    feature(BIT(b7, 4), "hle");
    feature(avx && BIT(b7, 5), "avx2");
    feature(BIT(b7, 7), "smep");
    feature(BIT(b7, 8), "bmi2");
    feature(BIT(b7, 9), "erms");
    feature(BIT(b7, 10), "invpcid");
    feature(BIT(b7, 11), "rtm");
    feature(avx512 && BIT(b7, 16), "avx512f");
    feature(avx512 && BIT(b7, 17), "avx512dq");
    feature(BIT(b7, 18), "rdseed");
    feature(BIT(b7, 19), "adx");
    feature(BIT(b7, 20), "smap");
    feature(avx512 && BIT(b7, 21), "avx512ifma");
    feature(BIT(b7, 23), "clflushopt");
    feature(BIT(b7, 24), "clwb");
    feature(avx512 && BIT(b7, 28), "avx512cd");
    feature(BIT(b7, 29), "sha_ni");
    feature(avx512 && BIT(b7, 30), "avx512bw");
    feature(avx512 && BIT(b7, 31), "avx512vl");
    feature(avx512 && BIT(c7, 1), "avx512vbmi");
    feature(BIT(c7, 2), "umip");
    feature(BIT(c7, 3), "pku");
    feature(avx512 && BIT(c7, 6), "avx512_vbmi2");
    feature(BIT(c7, 8), "gfni");
    feature(avx && BIT(c7, 9), "vaes");
    feature(avx && BIT(c7, 10), "vpclmulqdq");
    feature(avx512 && BIT(c7, 11), "avx512_vnni");
    feature(avx512 && BIT(c7, 12), "avx512_bitalg");
    feature(avx512 && BIT(c7, 14), "avx512_vpopcntdq");
    feature(BIT(c7, 22), "rdpid");
    feature(BIT(c7, 27), "movdiri");
    feature(BIT(c7, 28), "movdir64b");
    feature(BIT(d7, 4), "fsrm");
    feature(avx512 && BIT(d7, 8), "avx512_vp2intersect");
    feature(BIT(d7, 14), "serialize");
    feature(avx && BIT(a71, 4), "avx_vnni");
    feature(avx512 && BIT(a71, 5), "avx512_bf16");
    feature(BIT(rd1[0], 0), "xsaveopt");
    feature(BIT(rd1[0], 1), "xsavec");
    feature(BIT(rd1[0], 2), "xgetbv1");
    feature(BIT(rd1[0], 3), "xsaves");
    printf("\n");
}

#elif defined(__aarch64__)

#define READ(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " reg : "=r"(v_)); v_; })

static void probe(void) {
    uint64_t midr = READ("midr_el1");
    uint64_t pfr0 = READ("id_aa64pfr0_el1");
    uint64_t pfr1 = READ("id_aa64pfr1_el1");
    uint64_t isar0 = READ("id_aa64isar0_el1");
    uint64_t isar1 = READ("id_aa64isar1_el1");
    uint64_t mmfr2 = READ("id_aa64mmfr2_el1");
    printf("tailor-cpu-model: implementer=0x%02x variant=0x%x part=0x%03x revision=%u\n",
           (unsigned)(midr >> 24) & 0xffu, FIELD(midr, 20), (unsigned)(midr >> 4) & 0xfffu, FIELD(midr, 0));

    printf("tailor-cpu: aarch64:");
    unsigned fp = FIELD(pfr0, 16), simd = FIELD(pfr0, 20);
    feature(fp != 0xf, "fp");
    feature(simd != 0xf, "asimd");
    feature(FIELD(isar0, 4) >= 1, "aes");
    feature(FIELD(isar0, 4) >= 2, "pmull");
    feature(FIELD(isar0, 8) >= 1, "sha1");
    feature(FIELD(isar0, 12) >= 1, "sha2");
    feature(FIELD(isar0, 16) >= 1, "crc32");
    feature(FIELD(isar0, 20) >= 2, "atomics");
    feature(fp == 1, "fphp");
    feature(simd == 1, "asimdhp");
    feature(FIELD(isar0, 28) >= 1, "asimdrdm");
    feature(FIELD(isar1, 12) >= 1, "jscvt");
    feature(FIELD(isar1, 16) >= 1, "fcma");
    feature(FIELD(isar1, 20) >= 1, "lrcpc");
    feature(FIELD(isar1, 0) >= 1, "dcpop");
    feature(FIELD(isar0, 32) >= 1, "sha3");
    feature(FIELD(isar0, 36) >= 1, "sm3");
    feature(FIELD(isar0, 40) >= 1, "sm4");
    feature(FIELD(isar0, 44) >= 1, "asimddp");
    feature(FIELD(isar0, 12) >= 2, "sha512");
    feature(FIELD(pfr0, 32) >= 1, "sve");
    feature(FIELD(isar0, 48) >= 1, "asimdfhm");
    feature(FIELD(pfr0, 48) >= 1, "dit");
    feature(FIELD(mmfr2, 32) >= 1, "uscat");
    feature(FIELD(isar1, 20) >= 2, "ilrcpc");
    feature(FIELD(isar0, 52) >= 1, "flagm");
    feature(FIELD(pfr1, 4) >= 1, "ssbs");
    feature(FIELD(isar1, 36) >= 1, "sb");
    feature(FIELD(isar1, 4) >= 1 || FIELD(isar1, 8) >= 1, "paca");
    feature(FIELD(isar1, 24) >= 1 || FIELD(isar1, 28) >= 1, "pacg");
    feature(FIELD(isar1, 0) >= 2, "dcpodp");
    feature(FIELD(isar0, 52) >= 2, "flagm2");
    feature(FIELD(isar1, 32) >= 1, "frint");
    feature(FIELD(isar1, 52) >= 1, "i8mm");
    feature(FIELD(isar1, 44) >= 1, "bf16");
    feature(FIELD(isar0, 60) >= 1, "rng");
    feature(FIELD(pfr1, 0) >= 1, "bti");
    feature(FIELD(pfr1, 8) >= 2, "mte");
    printf("\n");
}

#elif defined(__arm__)

static void probe(void) {
    uint32_t midr, isar0, isar5, mmfr0, fpsid, mvfr0, mvfr1;
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(midr));
    __asm__ volatile("mrc p15, 0, %0, c0, c2, 0" : "=r"(isar0));
    __asm__ volatile("mrc p15, 0, %0, c0, c2, 5" : "=r"(isar5));
    __asm__ volatile("mrc p15, 0, %0, c0, c1, 4" : "=r"(mmfr0));
    __asm__ volatile("vmrs %0, fpsid" : "=r"(fpsid));
    __asm__ volatile("vmrs %0, mvfr0" : "=r"(mvfr0));
    __asm__ volatile("vmrs %0, mvfr1" : "=r"(mvfr1));
    printf("tailor-cpu-model: implementer=0x%02x variant=0x%x part=0x%03x revision=%u\n",
           (unsigned)(midr >> 24) & 0xffu, FIELD(midr, 20), (unsigned)(midr >> 4) & 0xfffu, FIELD(midr, 0));

    printf("tailor-cpu: armv7:");
    /* Linux derives these from the architecture version: every ARMv7-A core has them. */
    feature(1, "half");
    feature(1, "thumb");
    feature(1, "fastmult");
    int vfp = FIELD(mvfr0, 4) != 0 || FIELD(mvfr0, 8) != 0;
    feature(vfp, "vfp");
    feature(1, "edsp");
    int neon = (mvfr1 & 0x000fff00u) == 0x00011100u;
    feature(neon, "neon");
    int vfpv3 = vfp && ((fpsid >> 16) & 0x7fu) >= 2;
    feature(vfpv3, "vfpv3");
    feature(1, "tls");
    feature(vfpv3 && (mvfr1 & 0xf0000000u) == 0x10000000u, "vfpv4");
    feature(FIELD(isar0, 24) >= 2, "idiva");
    feature(FIELD(isar0, 24) >= 1, "idivt");
    feature(vfp && FIELD(mvfr0, 0) == 2, "vfpd32");
    feature(vfpv3 && FIELD(mvfr0, 0) == 1, "vfpv3d16");
    feature(FIELD(mmfr0, 0) >= 5, "lpae");
    feature(FIELD(isar5, 4) >= 1, "aes");
    feature(FIELD(isar5, 4) >= 2, "pmull");
    feature(FIELD(isar5, 8) >= 1, "sha1");
    feature(FIELD(isar5, 12) >= 1, "sha2");
    feature(FIELD(isar5, 16) >= 1, "crc32");
    printf("\n");
}

#elif defined(__riscv) && __riscv_xlen == 64

#define CSR(name) ({ uint64_t v_; __asm__ volatile("csrr %0, " name : "=r"(v_)); v_; })

/*
 * Runs one instruction (its encoding, so the probe itself stays RV64GC) with a trap vector of its own: 1 when the hart
 * executes it, 0 when it raises an exception (illegal instruction). t2 is the instruction's scratch register.
 */
#define TRY(word) ({ long ok_; __asm__ volatile(                                                           \
        "la t0, 1f\n\tcsrrw t1, mtvec, t0\n\tli t2, 1\n\tli %0, 1\n\t.word " word "\n\tj 2f\n"              \
        "\t.balign 4\n1:\tli %0, 0\n\tla t0, 2f\n\tcsrw mepc, t0\n\tmret\n2:\tcsrw mtvec, t1"                \
        : "=&r"(ok_) : : "t0", "t1", "t2", "memory"); ok_; })

static void probe(void) {
    uint64_t misa = CSR("misa");
    uint64_t mstatus = CSR("mstatus");
    printf("tailor-cpu-model: mvendorid=0x%llx marchid=0x%llx mimpid=0x%llx\n", (unsigned long long)CSR("mvendorid"),
           (unsigned long long)CSR("marchid"), (unsigned long long)CSR("mimpid"));

    printf("tailor-cpu: riscv64:");
    /* misa's letters (bit n is 'a' + n); a hart may answer 0 ("not implemented"): then only what this probe, built
     * for RV64GC, already ran on is known. */
    uint64_t letters = misa != 0 ? misa : (1u << 0) | (1u << 2) | (1u << 3) | (1u << 5) | (1u << 8) | (1u << 12);
    feature(BIT(letters, 0), "a");
    feature(BIT(letters, 2), "c");
    feature(BIT(letters, 3), "d");
    feature(BIT(letters, 5), "f");
    feature(BIT(letters, 8), "i");
    feature(BIT(letters, 12), "m");
    feature(BIT(letters, 16), "q");
    /* V only when the runtime could switch the vector unit on (mstatus.VS), as Linux reports it only when enabled */
    feature(BIT(letters, 21) && ((mstatus >> 9) & 3u) != 0, "v");
    feature(1, "zicsr");                       /* the csrr above ran */
    feature(TRY("0x0000100f"), "zifencei");    /* fence.i */
    feature(TRY("0x2073a3b3"), "zba");         /* sh1add t2, t2, t2 */
    feature(TRY("0x4073f3b3"), "zbb");         /* andn t2, t2, t2 */
    feature(TRY("0x0a7393b3"), "zbc");         /* clmul t2, t2, t2 */
    feature(TRY("0x287393b3"), "zbs");         /* bset t2, t2, t2 */
    printf("\n");
}

#endif

int main(void) {
    probe();
    return 0;
}
