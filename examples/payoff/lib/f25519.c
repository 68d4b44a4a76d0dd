/* GF(2^255 - 19): see f25519.h for the representations and when each is used. */
#include "f25519.h"

#include <stddef.h>

#if defined(F25519_ADX)
/* ======== 4 x 64-bit limbs; any value below 2^256 represents itself mod p (2^256 = 38 mod p) ======== */
#include <immintrin.h>

const char f25519_impl[] = "4x64-mulx-adx";

typedef unsigned long long ull; /* the type the carry intrinsics take pointers to */

/*
 * One row of the schoolbook product: t0..t4 += f * g[off/8] << (64 * row). The low halves go through the CF chain
 * (adcx) and the high halves through the OF chain (adox) at the same time; t4 is fresh and takes both final carries
 * (no overflow: the partial product always fits in the words written so far).
 */
#define ADX_ROW(off, t0, t1, t2, t3, t4)                                                                               \
    "movq " #off "(%[g]), %%rdx\n\t"                                                                                   \
    "xorl %%eax, %%eax\n\t" /* clears CF and OF */                                                                     \
    "mulxq 0(%[f]), %%rax, %%rbx\n\t"                                                                                  \
    "adcxq %%rax, %%" #t0 "\n\t"                                                                                       \
    "adoxq %%rbx, %%" #t1 "\n\t"                                                                                       \
    "mulxq 8(%[f]), %%rax, %%rbx\n\t"                                                                                  \
    "adcxq %%rax, %%" #t1 "\n\t"                                                                                       \
    "adoxq %%rbx, %%" #t2 "\n\t"                                                                                       \
    "mulxq 16(%[f]), %%rax, %%rbx\n\t"                                                                                 \
    "adcxq %%rax, %%" #t2 "\n\t"                                                                                       \
    "adoxq %%rbx, %%" #t3 "\n\t"                                                                                       \
    "mulxq 24(%[f]), %%rax, %%" #t4 "\n\t"                                                                             \
    "adcxq %%rax, %%" #t3 "\n\t"                                                                                       \
    "movl $0, %%eax\n\t" /* mov keeps the flags */                                                                     \
    "adcxq %%rax, %%" #t4 "\n\t"                                                                                       \
    "adoxq %%rax, %%" #t4 "\n\t"

/*
 * Folds the 512-bit product in r8..r15 to 256 bits: lo + 38 * hi (again two carry chains), then the few bits above
 * 2^256 once more. A last carry out leaves the low limbs tiny, so adding 38 for it cannot carry again.
 */
#define ADX_REDUCE_AND_STORE                                                                                           \
    "movl $38, %%edx\n\t"                                                                                              \
    "xorl %%eax, %%eax\n\t"                                                                                            \
    "mulxq %%r12, %%rax, %%rbx\n\t"                                                                                    \
    "adcxq %%rax, %%r8\n\t"                                                                                            \
    "adoxq %%rbx, %%r9\n\t"                                                                                            \
    "mulxq %%r13, %%rax, %%rbx\n\t"                                                                                    \
    "adcxq %%rax, %%r9\n\t"                                                                                            \
    "adoxq %%rbx, %%r10\n\t"                                                                                           \
    "mulxq %%r14, %%rax, %%rbx\n\t"                                                                                    \
    "adcxq %%rax, %%r10\n\t"                                                                                           \
    "adoxq %%rbx, %%r11\n\t"                                                                                           \
    "mulxq %%r15, %%rax, %%r12\n\t"                                                                                    \
    "adcxq %%rax, %%r11\n\t"                                                                                           \
    "movl $0, %%eax\n\t"                                                                                               \
    "adcxq %%rax, %%r12\n\t"                                                                                           \
    "adoxq %%rax, %%r12\n\t"                                                                                           \
    "imulq $38, %%r12, %%r12\n\t"                                                                                      \
    "addq %%r12, %%r8\n\t"                                                                                             \
    "adcq %%rax, %%r9\n\t"                                                                                             \
    "adcq %%rax, %%r10\n\t"                                                                                            \
    "adcq %%rax, %%r11\n\t"                                                                                            \
    "sbbq %%rax, %%rax\n\t"                                                                                            \
    "andq $38, %%rax\n\t"                                                                                              \
    "addq %%rax, %%r8\n\t"                                                                                             \
    "movq %%r8, 0(%[h])\n\t"                                                                                           \
    "movq %%r9, 8(%[h])\n\t"                                                                                           \
    "movq %%r10, 16(%[h])\n\t"                                                                                         \
    "movq %%r11, 24(%[h])\n\t"

#define ADX_CLOBBERS "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc", "memory"

void fe_mul(fe *h, const fe *f, const fe *g) {
    __asm__ volatile(
        /* row 0 has nothing to add to, so a single adc chain will do */
        "movq 0(%[g]), %%rdx\n\t"
        "mulxq 0(%[f]), %%r8, %%r9\n\t"
        "mulxq 8(%[f]), %%rax, %%r10\n\t"
        "addq %%rax, %%r9\n\t"
        "mulxq 16(%[f]), %%rax, %%r11\n\t"
        "adcq %%rax, %%r10\n\t"
        "mulxq 24(%[f]), %%rax, %%r12\n\t"
        "adcq %%rax, %%r11\n\t"
        "adcq $0, %%r12\n\t" /**/
        ADX_ROW(8, r9, r10, r11, r12, r13)   /**/
        ADX_ROW(16, r10, r11, r12, r13, r14) /**/
        ADX_ROW(24, r11, r12, r13, r14, r15) /**/
        ADX_REDUCE_AND_STORE
        :
        : [h] "D"(h->v), [f] "S"(f->v), [g] "c"(g->v)
        : ADX_CLOBBERS);
}

/*
 * Squaring computes each cross product f[i]*f[j] (i < j) once, doubles the sum with one shift chain, then adds the
 * squares f[i]^2: 10 multiplications instead of 16.
 */
void fe_sq(fe *h, const fe *f) {
    __asm__ volatile(
        /* cross products: r9..r15 = sum f[i]*f[j] * 2^(64(i+j)), i < j */
        "movq 0(%[f]), %%rdx\n\t"
        "mulxq 8(%[f]), %%r9, %%r10\n\t"  /* f0*f1 at 1 */
        "mulxq 16(%[f]), %%rax, %%r11\n\t" /* f0*f2 at 2 */
        "addq %%rax, %%r10\n\t"
        "mulxq 24(%[f]), %%rax, %%r12\n\t" /* f0*f3 at 3 */
        "adcq %%rax, %%r11\n\t"
        "movq 8(%[f]), %%rdx\n\t"
        "mulxq 24(%[f]), %%rax, %%r13\n\t" /* f1*f3 at 4 */
        "adcq %%rax, %%r12\n\t"
        "movq 16(%[f]), %%rdx\n\t"
        "mulxq 24(%[f]), %%rax, %%r14\n\t" /* f2*f3 at 5 */
        "adcq %%rax, %%r13\n\t"
        "adcq $0, %%r14\n\t"
        "movl $0, %%r15d\n\t"
        "movq 8(%[f]), %%rdx\n\t"
        "mulxq 16(%[f]), %%rax, %%rbx\n\t" /* f1*f2 at 3; the sum can reach position 7 */
        "addq %%rax, %%r11\n\t"
        "adcq %%rbx, %%r12\n\t"
        "adcq $0, %%r13\n\t"
        "adcq $0, %%r14\n\t"
        "adcq $0, %%r15\n\t"
        /* double: r9..r15 <<= 1 (twice the cross sum is below f^2 < 2^512, so nothing carries out) */
        "addq %%r9, %%r9\n\t"
        "adcq %%r10, %%r10\n\t"
        "adcq %%r11, %%r11\n\t"
        "adcq %%r12, %%r12\n\t"
        "adcq %%r13, %%r13\n\t"
        "adcq %%r14, %%r14\n\t"
        "adcq %%r15, %%r15\n\t"
        /* squares on the diagonal: r8..r15 += f[i]^2 * 2^(128 i) */
        "movq 0(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %%r8, %%rbx\n\t"
        "addq %%rbx, %%r9\n\t"
        "movq 8(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %%rax, %%rbx\n\t"
        "adcq %%rax, %%r10\n\t"
        "adcq %%rbx, %%r11\n\t"
        "movq 16(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %%rax, %%rbx\n\t"
        "adcq %%rax, %%r12\n\t"
        "adcq %%rbx, %%r13\n\t"
        "movq 24(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %%rax, %%rbx\n\t"
        "adcq %%rax, %%r14\n\t"
        "adcq %%rbx, %%r15\n\t" /**/
        ADX_REDUCE_AND_STORE
        :
        : [h] "D"(h->v), [f] "S"(f->v)
        : ADX_CLOBBERS);
}

/* Adds 38 * carry (carry = the bits above 2^256, times 2^256 = 38 mod p) with a second fold for its own carry. */
static void fold_store(fe *h, ull r0, ull r1, ull r2, ull r3, ull top) {
    unsigned char c = _addcarry_u64(0, r0, top * 38, &r0);
    c = _addcarry_u64(c, r1, 0, &r1);
    c = _addcarry_u64(c, r2, 0, &r2);
    c = _addcarry_u64(c, r3, 0, &r3);
    h->v[0] = r0 + (38 & (0 - (ull)c)); /* a carry left r0 below 38 * 2^17, so this cannot carry */
    h->v[1] = r1, h->v[2] = r2, h->v[3] = r3;
}

void fe_add(fe *h, const fe *f, const fe *g) {
    ull r0, r1, r2, r3;
    unsigned char c = _addcarry_u64(0, f->v[0], g->v[0], &r0);
    c = _addcarry_u64(c, f->v[1], g->v[1], &r1);
    c = _addcarry_u64(c, f->v[2], g->v[2], &r2);
    c = _addcarry_u64(c, f->v[3], g->v[3], &r3);
    fold_store(h, r0, r1, r2, r3, c);
}

void fe_sub(fe *h, const fe *f, const fe *g) {
    /* A borrow means the result is 2^256 too big, i.e. 38 too big mod p; subtracting 38 can borrow once more. */
    ull r0, r1, r2, r3;
    unsigned char b = _subborrow_u64(0, f->v[0], g->v[0], &r0);
    b = _subborrow_u64(b, f->v[1], g->v[1], &r1);
    b = _subborrow_u64(b, f->v[2], g->v[2], &r2);
    b = _subborrow_u64(b, f->v[3], g->v[3], &r3);
    b = _subborrow_u64(0, r0, 38 & (0 - (ull)b), &r0);
    b = _subborrow_u64(b, r1, 0, &r1);
    b = _subborrow_u64(b, r2, 0, &r2);
    b = _subborrow_u64(b, r3, 0, &r3);
    h->v[0] = r0 - (38 & (0 - (ull)b));
    h->v[1] = r1, h->v[2] = r2, h->v[3] = r3;
}

void fe_mul_small(fe *h, const fe *f, uint32_t c) {
    unsigned __int128 t = (unsigned __int128)f->v[0] * c;
    ull r0 = (ull)t;
    t = (unsigned __int128)f->v[1] * c + (ull)(t >> 64);
    ull r1 = (ull)t;
    t = (unsigned __int128)f->v[2] * c + (ull)(t >> 64);
    ull r2 = (ull)t;
    t = (unsigned __int128)f->v[3] * c + (ull)(t >> 64);
    ull r3 = (ull)t;
    fold_store(h, r0, r1, r2, r3, (ull)(t >> 64));
}

void fe_frombytes(fe *h, const uint8_t s[32]) {
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        for (int b = 7; b >= 0; b--) {
            w = w << 8 | s[8 * i + b];
        }
        h->v[i] = w;
    }
    h->v[3] &= 0x7fffffffffffffffull;
}

void fe_tobytes(uint8_t s[32], const fe *f) {
    /* Fold bit 255 (2^255 = 19): the value drops below 2^255 + 19 < 2p. */
    ull r0, r1, r2, r3 = f->v[3] & 0x7fffffffffffffffull;
    unsigned char c = _addcarry_u64(0, f->v[0], 19 * (f->v[3] >> 63), &r0);
    c = _addcarry_u64(c, f->v[1], 0, &r1);
    c = _addcarry_u64(c, f->v[2], 0, &r2);
    _addcarry_u64(c, r3, 0, &r3);
    /* v >= p exactly when v + 19 reaches 2^255; then v - p is v + 19 without that bit. */
    ull t0, t1, t2, t3;
    c = _addcarry_u64(0, r0, 19, &t0);
    c = _addcarry_u64(c, r1, 0, &t1);
    c = _addcarry_u64(c, r2, 0, &t2);
    _addcarry_u64(c, r3, 0, &t3);
    ull take = 0 - (t3 >> 63);
    ull w[4] = {(t0 & take) | (r0 & ~take), (t1 & take) | (r1 & ~take), (t2 & take) | (r2 & ~take),
                ((t3 & 0x7fffffffffffffffull) & take) | (r3 & ~take)};
    for (int i = 0; i < 32; i++) {
        s[i] = (uint8_t)(w[i / 8] >> (8 * (i % 8)));
    }
}

#else
/* ======== 5 x 51 or 10 x 25.5 bits: the same code over different limb sizes ======== */

#if defined(F25519_R51)
const char f25519_impl[] = "5x51-int128";
typedef unsigned __int128 fe_wide;
#define LIMB_BITS(i) 51
#define ODD_PAIRS_DOUBLE 0
#else
const char f25519_impl[] = "10x25.5-32bit";
typedef uint64_t fe_wide;
#define LIMB_BITS(i) (26 - ((i) & 1))
/*
 * Limb i sits at bit ceil(25.5 i): for two odd limbs the positions add up to one bit more than limb (i + j)'s, so
 * their product counts twice.
 */
#define ODD_PAIRS_DOUBLE 1
#endif
#define N F25519_LIMBS
#define LIMB_MASK(i) (((fe_limb)1 << LIMB_BITS(i)) - 1)

/*
 * Carries every limb into the next and the top one back into limb 0 as 19 times itself (2^255 = 19 mod p), then
 * limb 0 once more. Afterwards every limb fits its width except limb 1, which may exceed it by a few bits' worth.
 * The carries themselves fit 64 bits (products stay below 2^111 resp. 2^61), so only the chain needs fe_wide.
 */
static void carry_wide(fe *h, fe_wide r[N]) {
    uint64_t t[N];
#pragma clang loop unroll(full)
    for (int i = 0; i < N - 1; i++) {
        r[i + 1] += (uint64_t)(r[i] >> LIMB_BITS(i));
        t[i] = (uint64_t)r[i] & LIMB_MASK(i);
    }
    t[0] += (uint64_t)(r[N - 1] >> LIMB_BITS(N - 1)) * 19;
    t[N - 1] = (uint64_t)r[N - 1] & LIMB_MASK(N - 1);
    t[1] += t[0] >> LIMB_BITS(0);
    t[0] &= LIMB_MASK(0);
#pragma clang loop unroll(full)
    for (int i = 0; i < N; i++) {
        h->v[i] = (fe_limb)t[i];
    }
}

/* The same on limbs, for sums that still fit them (after add, sub and for encoding). */
static void carry_limbs(fe_limb h[N]) {
#pragma clang loop unroll(full)
    for (int i = 0; i < N - 1; i++) {
        h[i + 1] += h[i] >> LIMB_BITS(i);
        h[i] &= LIMB_MASK(i);
    }
    h[0] += (h[N - 1] >> LIMB_BITS(N - 1)) * 19;
    h[N - 1] &= LIMB_MASK(N - 1);
    h[1] += h[0] >> LIMB_BITS(0);
    h[0] &= LIMB_MASK(0);
}

void fe_add(fe *h, const fe *f, const fe *g) {
#pragma clang loop unroll(full)
    for (int i = 0; i < N; i++) {
        h->v[i] = f->v[i] + g->v[i];
    }
    carry_limbs(h->v);
}

void fe_sub(fe *h, const fe *f, const fe *g) {
    /* Adding 4p limb by limb keeps every limb non-negative for any carried g. */
#pragma clang loop unroll(full)
    for (int i = 0; i < N; i++) {
        fe_limb four_p = (LIMB_MASK(i) - (i == 0 ? 18 : 0)) * 4;
        h->v[i] = f->v[i] + four_p - g->v[i];
    }
    carry_limbs(h->v);
}

void fe_mul(fe *h, const fe *f, const fe *g) {
    fe_limb g19[N];
    fe_wide r[N] = {0};
#pragma clang loop unroll(full)
    for (int j = 0; j < N; j++) {
        g19[j] = 19 * g->v[j];
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < N; i++) {
#pragma clang loop unroll(full)
        for (int j = 0; j < N; j++) {
            /* products past limb N-1 wrap around times 19 */
            fe_limb a = ODD_PAIRS_DOUBLE && (i & j & 1) ? 2 * f->v[i] : f->v[i];
            fe_limb b = i + j >= N ? g19[j] : g->v[j];
            r[(i + j) % N] += (fe_wide)a * b;
        }
    }
    carry_wide(h, r);
}

void fe_sq(fe *h, const fe *f) {
    fe_limb f19[N];
    fe_wide r[N] = {0};
#pragma clang loop unroll(full)
    for (int j = 0; j < N; j++) {
        f19[j] = 19 * f->v[j];
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < N; i++) {
#pragma clang loop unroll(full)
        for (int j = i; j < N; j++) {
            /* f[i]f[j] and f[j]f[i] are one product counted twice */
            fe_limb a = f->v[i] * (i == j ? 1 : 2) * (ODD_PAIRS_DOUBLE && (i & j & 1) ? 2 : 1);
            fe_limb b = i + j >= N ? f19[j] : f->v[j];
            r[(i + j) % N] += (fe_wide)a * b;
        }
    }
    carry_wide(h, r);
}

void fe_mul_small(fe *h, const fe *f, uint32_t c) {
    fe_wide r[N];
#pragma clang loop unroll(full)
    for (int i = 0; i < N; i++) {
        r[i] = (fe_wide)f->v[i] * c;
    }
    carry_wide(h, r);
}

/* Bit-stream conversion; the loop trip counts depend only on the limb widths, never on the data. */
void fe_frombytes(fe *h, const uint8_t s[32]) {
    uint64_t acc = 0;
    int bits = 0, k = 0;
    for (int i = 0; i < N; i++) {
        while (bits < LIMB_BITS(i)) {
            acc |= (uint64_t)s[k++] << bits;
            bits += 8;
        }
        h->v[i] = (fe_limb)(acc & LIMB_MASK(i)); /* the last limb's mask drops bit 255 */
        acc >>= LIMB_BITS(i);
        bits -= LIMB_BITS(i);
    }
}

void fe_tobytes(uint8_t s[32], const fe *f) {
    fe_limb h[N];
    for (int i = 0; i < N; i++) {
        h[i] = f->v[i];
    }
    /* Two rounds of carries leave the value below 2^255 with every limb within its width. */
    carry_limbs(h);
    carry_limbs(h);
    /* q = 1 exactly when h >= p, i.e. when h + 19 reaches 2^255; then h - p = h + 19 - 2^255. */
    fe_limb q = (h[0] + 19) >> LIMB_BITS(0);
    for (int i = 1; i < N; i++) {
        q = (h[i] + q) >> LIMB_BITS(i);
    }
    h[0] += 19 * q;
    for (int i = 0; i < N - 1; i++) {
        h[i + 1] += h[i] >> LIMB_BITS(i);
        h[i] &= LIMB_MASK(i);
    }
    h[N - 1] &= LIMB_MASK(N - 1);
    uint64_t acc = 0;
    int bits = 0, k = 0;
    for (int i = 0; i < N; i++) {
        acc |= (uint64_t)h[i] << bits;
        bits += LIMB_BITS(i);
        while (bits >= 8) {
            s[k++] = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
    s[31] = (uint8_t)acc; /* the last 7 bits */
}
#endif

/* ======== Representation-independent ======== */

void fe_set_small(fe *h, uint32_t v) {
    for (int i = 0; i < F25519_LIMBS; i++) {
        h->v[i] = 0;
    }
    h->v[0] = v;
}

void fe_neg(fe *h, const fe *f) {
    fe zero;
    fe_set_small(&zero, 0);
    fe_sub(h, &zero, f);
}

void fe_cswap(fe *f, fe *g, uint32_t b) {
    fe_limb mask = (fe_limb)0 - (fe_limb)b;
    for (int i = 0; i < F25519_LIMBS; i++) {
        fe_limb x = mask & (f->v[i] ^ g->v[i]);
        f->v[i] ^= x;
        g->v[i] ^= x;
    }
}

void fe_cmov(fe *f, const fe *g, uint32_t b) {
    fe_limb mask = (fe_limb)0 - (fe_limb)b;
    for (int i = 0; i < F25519_LIMBS; i++) {
        f->v[i] ^= mask & (f->v[i] ^ g->v[i]);
    }
}

static void fe_sq_n(fe *h, const fe *f, int n) {
    fe_sq(h, f);
    for (int i = 1; i < n; i++) {
        fe_sq(h, h);
    }
}

/* z^(2^250 - 1) and z^11: the common prefix of the addition chains for p - 2 and (p - 5) / 8 (from ref10). */
static void pow_2_250_1(fe *out, fe *z11, const fe *z) {
    fe z2, z9, t, z_5_0, z_10_0, z_20_0, z_50_0, z_100_0;
    fe_sq(&z2, z);               /* z^2 */
    fe_sq_n(&t, &z2, 2);         /* z^8 */
    fe_mul(&z9, &t, z);          /* z^9 */
    fe_mul(z11, &z9, &z2);       /* z^11 */
    fe_sq(&t, z11);              /* z^22 */
    fe_mul(&z_5_0, &t, &z9);     /* z^(2^5 - 1) */
    fe_sq_n(&t, &z_5_0, 5);      /* z^(2^10 - 2^5) */
    fe_mul(&z_10_0, &t, &z_5_0); /* z^(2^10 - 1) */
    fe_sq_n(&t, &z_10_0, 10);
    fe_mul(&z_20_0, &t, &z_10_0); /* z^(2^20 - 1) */
    fe_sq_n(&t, &z_20_0, 20);
    fe_mul(&t, &t, &z_20_0); /* z^(2^40 - 1) */
    fe_sq_n(&t, &t, 10);
    fe_mul(&z_50_0, &t, &z_10_0); /* z^(2^50 - 1) */
    fe_sq_n(&t, &z_50_0, 50);
    fe_mul(&z_100_0, &t, &z_50_0); /* z^(2^100 - 1) */
    fe_sq_n(&t, &z_100_0, 100);
    fe_mul(&t, &t, &z_100_0); /* z^(2^200 - 1) */
    fe_sq_n(&t, &t, 50);
    fe_mul(out, &t, &z_50_0); /* z^(2^250 - 1) */
}

void fe_invert(fe *h, const fe *f) {
    fe t, z11;
    pow_2_250_1(&t, &z11, f);
    fe_sq_n(&t, &t, 5);  /* z^(2^255 - 2^5) */
    fe_mul(h, &t, &z11); /* z^(2^255 - 21) = z^(p - 2) */
}

void fe_pow22523(fe *h, const fe *f) {
    fe t, z11;
    pow_2_250_1(&t, &z11, f);
    fe_sq_n(&t, &t, 2); /* z^(2^252 - 4) */
    fe_mul(h, &t, f);   /* z^(2^252 - 3) = z^((p - 5) / 8) */
}

uint32_t fe_isnegative(const fe *f) {
    uint8_t s[32];
    fe_tobytes(s, f);
    return s[0] & 1;
}

uint32_t fe_iszero(const fe *f) {
    uint8_t s[32];
    fe_tobytes(s, f);
    uint32_t acc = 0;
    for (int i = 0; i < 32; i++) {
        acc |= s[i];
    }
    return (acc - 1) >> 31; /* acc is at most 255: only 0 - 1 sets the top bit */
}
