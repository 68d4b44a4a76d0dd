/*
 * GHASH and AES-GCM, NIST SP 800-38D.
 *
 * Every path represents a GHASH block as the 128-bit integer its 16 bytes spell big-endian. GCM numbers the
 * bits of a block the other way round (the first bit is the coefficient of x^0), so in this representation the
 * carry-less product of two elements comes out bit-reflected and one bit short: shifting it left by one gives
 * the reflected 256-bit product, whose low half (the high-degree coefficients) is then folded back with
 * x^128 = x^7 + x^2 + x + 1, which in reflected order means right shifts by 1, 2 and 7 (the shift-based
 * reduction of Gueron and Kounavis, "Intel Carry-Less Multiplication Instruction and its Usage for Computing
 * the GCM Mode").
 */
#include "gcm.h"
#include "bytes.h"

#include <string.h>
#include <tailor.h>

#if defined(__VPCLMULQDQ__) && defined(__PCLMUL__) && defined(__SSSE3__) && defined(__AVX512F__) &&           \
    defined(__AVX512BW__)
#define GHASH_VPCLMUL512 1
#define GHASH_PCLMUL 1 /* for single blocks and tails */
#define GHASH_POWERS 32
#elif defined(__VPCLMULQDQ__) && defined(__PCLMUL__) && defined(__SSSE3__) && defined(__AVX2__)
#define GHASH_VPCLMUL256 1
#define GHASH_PCLMUL 1
#define GHASH_POWERS 16
#elif defined(__PCLMUL__) && defined(__SSSE3__)
#define GHASH_PCLMUL 1
#define GHASH_POWERS 8
#elif defined(__ARM_FEATURE_AES) && defined(__ARM_NEON) && defined(__aarch64__)
#define GHASH_PMULL 1
#define GHASH_POWERS 8
#else
#define GHASH_CT 1
#define GHASH_POWERS 1
#endif

#if defined(GHASH_PCLMUL)
#include <immintrin.h>
#include <wmmintrin.h>
#elif defined(GHASH_PMULL)
#include <arm_neon.h>
#endif

/* ------------------------------------------------------------------------------------------------------------
 * Portable, constant-time GHASH
 * ------------------------------------------------------------------------------------------------------------ */
#if defined(GHASH_CT)

/*
 * Carry-less 32x32 -> 64 multiplication with ordinary integer multiplies (Pornin's trick in BearSSL's
 * ghash_ctmul): keeping only every fourth bit of each operand leaves three-bit holes between the bits that
 * matter, and since at most eight partial products land on any bit, their carries stay inside the holes and
 * are masked off. No branch or memory index depends on data, unlike the 4-bit table method of the SP 800-38D
 * reference code. (BearSSL's 64-bit variant, half the multiplies but bit reversals for the high half,
 * measured no faster on a Zen 5, so this one serves 32- and 64-bit targets alike.)
 */
static uint64_t bmul32(uint32_t x, uint32_t y) {
    uint32_t x0 = x & 0x11111111u, x1 = x & 0x22222222u, x2 = x & 0x44444444u, x3 = x & 0x88888888u;
    uint32_t y0 = y & 0x11111111u, y1 = y & 0x22222222u, y2 = y & 0x44444444u, y3 = y & 0x88888888u;
#define M(a, b) ((uint64_t)(a) * (b))
    uint64_t z0 = M(x0, y0) ^ M(x1, y3) ^ M(x2, y2) ^ M(x3, y1);
    uint64_t z1 = M(x0, y1) ^ M(x1, y0) ^ M(x2, y3) ^ M(x3, y2);
    uint64_t z2 = M(x0, y2) ^ M(x1, y1) ^ M(x2, y0) ^ M(x3, y3);
    uint64_t z3 = M(x0, y3) ^ M(x1, y2) ^ M(x2, y1) ^ M(x3, y0);
#undef M
    return (z0 & 0x1111111111111111ull) | (z1 & 0x2222222222222222ull) | (z2 & 0x4444444444444444ull) |
           (z3 & 0x8888888888888888ull);
}

/* 64x64 -> 128 by Karatsuba: three 32-bit products instead of four. */
static void clmul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
    uint32_t a0 = (uint32_t)a, a1 = (uint32_t)(a >> 32), b0 = (uint32_t)b, b1 = (uint32_t)(b >> 32);
    uint64_t l = bmul32(a0, b0), h = bmul32(a1, b1), m = bmul32(a0 ^ a1, b0 ^ b1) ^ l ^ h;
    *lo = l ^ m << 32;
    *hi = h ^ m >> 32;
}

/* a * b in GF(2^128), both as (high, low) halves of the big-endian block; the result overwrites a. */
static void gf_mul_ct(uint64_t a[2], const uint64_t b[2]) {
    uint64_t x0, x1, x2, x3, m0, m1;
    clmul64(a[1], b[1], &x1, &x0);
    clmul64(a[0], b[0], &x3, &x2);
    clmul64(a[0] ^ a[1], b[0] ^ b[1], &m1, &m0);
    m0 ^= x0 ^ x2;
    m1 ^= x1 ^ x3;
    x1 ^= m0;
    x2 ^= m1;
    /* The reflected product is one bit short of 256. */
    x3 = x3 << 1 | x2 >> 63;
    x2 = x2 << 1 | x1 >> 63;
    x1 = x1 << 1 | x0 >> 63;
    x0 <<= 1;
    /* Fold the low 128 bits (degrees 128..255) twice: the second fold takes what the first pushed below bit 0. */
    x1 ^= x0 << 63 ^ x0 << 62 ^ x0 << 57;
    x2 ^= x0 ^ x0 >> 1 ^ x0 >> 2 ^ x0 >> 7 ^ x1 << 63 ^ x1 << 62 ^ x1 << 57;
    x3 ^= x1 ^ x1 >> 1 ^ x1 >> 2 ^ x1 >> 7;
    a[0] = x3;
    a[1] = x2;
}

void ghash_init(ghash_key *k, const uint8_t h[16]) {
    __builtin_memset(k, 0, sizeof *k);
    /* Stored as (high, low) here: the portable path never loads it into a vector. */
    k->hpow[GHASH_MAX_POWERS - 1][0] = load64be(h);
    k->hpow[GHASH_MAX_POWERS - 1][1] = load64be(h + 8);
}

static void ct_block(const ghash_key *k, uint64_t y[2], const uint8_t *p) {
    y[0] ^= load64be(p);
    y[1] ^= load64be(p + 8);
    gf_mul_ct(y, k->hpow[GHASH_MAX_POWERS - 1]);
}

void ghash_update(const ghash_key *k, uint8_t yb[16], const uint8_t *data, size_t len) {
    uint64_t y[2] = {load64be(yb), load64be(yb + 8)};
    for (; len >= 16; len -= 16, data += 16) {
        ct_block(k, y, data);
    }
    if (len > 0) {
        uint8_t last[16] = {0};
        memcpy(last, data, len);
        ct_block(k, y, last);
    }
    store64be(yb, y[0]);
    store64be(yb + 8, y[1]);
}

const char *ghash_impl(void) { return "ctmul32"; }

#endif /* GHASH_CT */

/* ------------------------------------------------------------------------------------------------------------
 * PCLMULQDQ (and, below, VPCLMULQDQ)
 * ------------------------------------------------------------------------------------------------------------ */
#if defined(GHASH_PCLMUL)

static inline __m128i bswap_block(__m128i x) {
    return _mm_shuffle_epi8(x, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

/* Schoolbook 128x128 product, accumulated unreduced: reduction is linear, so a group of products shares one. */
static inline void clmul_acc(__m128i a, __m128i b, __m128i *lo, __m128i *mid, __m128i *hi) {
    *lo = _mm_xor_si128(*lo, _mm_clmulepi64_si128(a, b, 0x00));
    *hi = _mm_xor_si128(*hi, _mm_clmulepi64_si128(a, b, 0x11));
    *mid = _mm_xor_si128(*mid, _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01), _mm_clmulepi64_si128(a, b, 0x10)));
}

/* The shift-based reduction of the 256-bit product hi:mid<<64:lo; see the comment at the top. */
static inline __m128i clmul_reduce(__m128i lo, __m128i mid, __m128i hi) {
    lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
    hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
    __m128i clo = _mm_srli_epi64(lo, 63), chi = _mm_srli_epi64(hi, 63);
    lo = _mm_or_si128(_mm_slli_epi64(lo, 1), _mm_slli_si128(clo, 8));
    hi = _mm_or_si128(_mm_or_si128(_mm_slli_epi64(hi, 1), _mm_slli_si128(chi, 8)), _mm_srli_si128(clo, 8));
    __m128i t = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(lo, 63), _mm_slli_epi64(lo, 62)), _mm_slli_epi64(lo, 57));
    lo = _mm_xor_si128(lo, _mm_slli_si128(t, 8));
    __m128i s = _mm_xor_si128(_mm_xor_si128(lo, _mm_srli_epi64(lo, 1)),
                              _mm_xor_si128(_mm_srli_epi64(lo, 2), _mm_srli_epi64(lo, 7)));
    __m128i u = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(lo, 63), _mm_slli_epi64(lo, 62)), _mm_slli_epi64(lo, 57));
    return _mm_xor_si128(_mm_xor_si128(hi, s), _mm_srli_si128(u, 8));
}

static inline __m128i hpow128(const ghash_key *k, size_t i) { return _mm_loadu_si128((const __m128i *)k->hpow[i]); }

/* Y = (Y ^ P0) * H^n ^ P1 * H^(n-1) ^ ... ^ P(n-1) * H, for 1 <= n <= GHASH_POWERS. */
static inline __m128i pclmul_blocks(const ghash_key *k, __m128i y, const uint8_t *p, size_t n) {
    __m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;
    size_t first = GHASH_MAX_POWERS - n;
    for (size_t j = 1; j < n; j++) {
        clmul_acc(bswap_block(_mm_loadu_si128((const __m128i *)(p + 16 * j))), hpow128(k, first + j), &lo, &mid, &hi);
    }
    /* The block that depends on y goes last, so the other products need not wait for the previous group. */
    __m128i d = _mm_xor_si128(bswap_block(_mm_loadu_si128((const __m128i *)p)), y);
    clmul_acc(d, hpow128(k, first), &lo, &mid, &hi);
    return clmul_reduce(lo, mid, hi);
}

void ghash_init(ghash_key *k, const uint8_t h[16]) {
    __builtin_memset(k, 0, sizeof *k);
    __m128i hv = bswap_block(_mm_loadu_si128((const __m128i *)h)), p = hv;
    _mm_storeu_si128((__m128i *)k->hpow[GHASH_MAX_POWERS - 1], hv);
    for (int i = 2; i <= GHASH_POWERS; i++) {
        __m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;
        clmul_acc(p, hv, &lo, &mid, &hi);
        p = clmul_reduce(lo, mid, hi);
        _mm_storeu_si128((__m128i *)k->hpow[GHASH_MAX_POWERS - i], p);
    }
}

#if defined(GHASH_VPCLMUL512)

static inline __m128i xor_lanes512(__m512i x) {
    __m256i t = _mm256_xor_si256(_mm512_castsi512_si256(x), _mm512_extracti64x4_epi64(x, 1));
    return _mm_xor_si128(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1));
}

static inline void v512_acc(__m512i d, __m512i h, __m512i *lo, __m512i *mid, __m512i *hi) {
    *lo = _mm512_xor_si512(*lo, _mm512_clmulepi64_epi128(d, h, 0x00));
    *hi = _mm512_xor_si512(*hi, _mm512_clmulepi64_epi128(d, h, 0x11));
    *mid = _mm512_xor_si512(*mid, _mm512_xor_si512(_mm512_clmulepi64_epi128(d, h, 0x01),
                                                   _mm512_clmulepi64_epi128(d, h, 0x10)));
}

/* 4 * regs blocks (regs <= 8), four per register, each lane multiplied by its own power of H. */
static inline __m128i v512_blocks(const ghash_key *k, __m128i y, const uint8_t *p, size_t regs) {
    const __m512i swap =
        _mm512_broadcast_i32x4(_mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    const uint64_t(*h)[2] = k->hpow + GHASH_MAX_POWERS - 4 * regs;
    __m512i lo = _mm512_setzero_si512(), mid = lo, hi = lo;
    for (size_t j = 1; j < regs; j++) {
        __m512i d = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)(p + 64 * j)), swap);
        v512_acc(d, _mm512_loadu_si512((const void *)h[4 * j]), &lo, &mid, &hi);
    }
    /* The register that depends on y goes last, so the other products need not wait for the previous group. */
    __m512i d = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)p), swap);
    d = _mm512_xor_si512(d, _mm512_zextsi128_si512(y));
    v512_acc(d, _mm512_loadu_si512((const void *)h[0]), &lo, &mid, &hi);
    return clmul_reduce(xor_lanes512(lo), xor_lanes512(mid), xor_lanes512(hi));
}

/* Whole registers first: 32 blocks per reduction, then what is left in fewer registers. */
static __m128i wide_blocks(const ghash_key *k, __m128i y, const uint8_t **p, size_t *len) {
    for (; *len >= 512; *len -= 512, *p += 512) {
        y = v512_blocks(k, y, *p, 8);
    }
    if (*len >= 64) {
        size_t regs = *len / 64;
        y = v512_blocks(k, y, *p, regs);
        *p += 64 * regs;
        *len -= 64 * regs;
    }
    return y;
}

const char *ghash_impl(void) { return "vpclmulqdq-avx512"; }

#elif defined(GHASH_VPCLMUL256)

static inline __m128i xor_lanes256(__m256i x) {
    return _mm_xor_si128(_mm256_castsi256_si128(x), _mm256_extracti128_si256(x, 1));
}

static inline void v256_acc(__m256i d, __m256i h, __m256i *lo, __m256i *mid, __m256i *hi) {
    *lo = _mm256_xor_si256(*lo, _mm256_clmulepi64_epi128(d, h, 0x00));
    *hi = _mm256_xor_si256(*hi, _mm256_clmulepi64_epi128(d, h, 0x11));
    *mid = _mm256_xor_si256(*mid, _mm256_xor_si256(_mm256_clmulepi64_epi128(d, h, 0x01),
                                                   _mm256_clmulepi64_epi128(d, h, 0x10)));
}

/* 2 * regs blocks (regs <= 8), two per register. */
static inline __m128i v256_blocks(const ghash_key *k, __m128i y, const uint8_t *p, size_t regs) {
    const __m256i swap =
        _mm256_broadcastsi128_si256(_mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    const uint64_t(*h)[2] = k->hpow + GHASH_MAX_POWERS - 2 * regs;
    __m256i lo = _mm256_setzero_si256(), mid = lo, hi = lo;
    for (size_t j = 1; j < regs; j++) {
        __m256i d = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)(p + 32 * j)), swap);
        v256_acc(d, _mm256_loadu_si256((const __m256i *)h[2 * j]), &lo, &mid, &hi);
    }
    /* The register that depends on y goes last, so the other products need not wait for the previous group. */
    __m256i d = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)p), swap);
    d = _mm256_xor_si256(d, _mm256_zextsi128_si256(y));
    v256_acc(d, _mm256_loadu_si256((const __m256i *)h[0]), &lo, &mid, &hi);
    return clmul_reduce(xor_lanes256(lo), xor_lanes256(mid), xor_lanes256(hi));
}

static __m128i wide_blocks(const ghash_key *k, __m128i y, const uint8_t **p, size_t *len) {
    for (; *len >= 256; *len -= 256, *p += 256) {
        y = v256_blocks(k, y, *p, 8);
    }
    if (*len >= 32) {
        size_t regs = *len / 32;
        y = v256_blocks(k, y, *p, regs);
        *p += 32 * regs;
        *len -= 32 * regs;
    }
    return y;
}

const char *ghash_impl(void) { return "vpclmulqdq-avx2"; }

#else

static __m128i wide_blocks(const ghash_key *k, __m128i y, const uint8_t **p, size_t *len) {
    for (; *len >= 128; *len -= 128, *p += 128) {
        y = pclmul_blocks(k, y, *p, 8);
    }
    return y;
}

const char *ghash_impl(void) { return "pclmulqdq"; }

#endif

void ghash_update(const ghash_key *k, uint8_t yb[16], const uint8_t *data, size_t len) {
    __m128i y = bswap_block(_mm_loadu_si128((const __m128i *)yb));
    y = wide_blocks(k, y, &data, &len);
    if (len >= 16) {
        size_t n = len / 16;
        y = pclmul_blocks(k, y, data, n);
        data += 16 * n;
        len -= 16 * n;
    }
    if (len > 0) {
        uint8_t last[16] = {0};
        memcpy(last, data, len);
        y = pclmul_blocks(k, y, last, 1);
    }
    _mm_storeu_si128((__m128i *)yb, bswap_block(y));
}

#endif /* GHASH_PCLMUL */

/* ------------------------------------------------------------------------------------------------------------
 * ARMv8 PMULL
 * ------------------------------------------------------------------------------------------------------------ */
#if defined(GHASH_PMULL)

/*
 * Images build with -mstrict-align, under which the compiler splits an unaligned 16-byte vector load into
 * sixteen byte loads. LD1/ST1 with byte elements need no alignment, so they are spelled out.
 */
static inline uint8x16_t ld16(const uint8_t *p) {
    uint8x16_t v;
    __asm__("ld1 {%0.16b}, [%1]" : "=w"(v) : "r"(p), "m"(*(const uint8_t(*)[16])p));
    return v;
}

static inline void st16(uint8_t *p, uint8x16_t v) {
    __asm__("st1 {%1.16b}, [%2]" : "=m"(*(uint8_t(*)[16])p) : "w"(v), "r"(p));
}

/* Full 16-byte reversal: the block read big-endian, low half in lane 0. */
static inline uint64x2_t pmull_load(const uint8_t *p) {
    uint8x16_t x = vrev64q_u8(ld16(p));
    return vreinterpretq_u64_u8(vextq_u8(x, x, 8));
}

static inline void pmull_store(uint8_t *p, uint64x2_t v) {
    uint8x16_t x = vrev64q_u8(vreinterpretq_u8_u64(v));
    st16(p, vextq_u8(x, x, 8));
}

static inline uint64x2_t pmull_lo(poly64x2_t a, poly64x2_t b) {
    return vreinterpretq_u64_p128(vmull_p64(vgetq_lane_p64(a, 0), vgetq_lane_p64(b, 0)));
}

/* PMULL takes the low halves, PMULL2 the high ones; swapping b's halves gives the two cross products. */
static inline void pmull_acc(uint64x2_t a, uint64x2_t b, uint64x2_t *lo, uint64x2_t *mid, uint64x2_t *hi) {
    poly64x2_t pa = vreinterpretq_p64_u64(a), pb = vreinterpretq_p64_u64(b);
    poly64x2_t ps = vreinterpretq_p64_u64(vextq_u64(b, b, 1));
    *lo = veorq_u64(*lo, pmull_lo(pa, pb));
    *hi = veorq_u64(*hi, vreinterpretq_u64_p128(vmull_high_p64(pa, pb)));
    *mid = veorq_u64(*mid, veorq_u64(pmull_lo(pa, ps), vreinterpretq_u64_p128(vmull_high_p64(pa, ps))));
}

/* The same reduction as the x86 path; vextq with a zero vector moves a 64-bit half across lanes. */
static inline uint64x2_t pmull_reduce(uint64x2_t lo, uint64x2_t mid, uint64x2_t hi) {
    const uint64x2_t z = vdupq_n_u64(0);
    lo = veorq_u64(lo, vextq_u64(z, mid, 1));
    hi = veorq_u64(hi, vextq_u64(mid, z, 1));
    uint64x2_t clo = vshrq_n_u64(lo, 63), chi = vshrq_n_u64(hi, 63);
    lo = vorrq_u64(vshlq_n_u64(lo, 1), vextq_u64(z, clo, 1));
    hi = vorrq_u64(vorrq_u64(vshlq_n_u64(hi, 1), vextq_u64(z, chi, 1)), vextq_u64(clo, z, 1));
    uint64x2_t t = veorq_u64(veorq_u64(vshlq_n_u64(lo, 63), vshlq_n_u64(lo, 62)), vshlq_n_u64(lo, 57));
    lo = veorq_u64(lo, vextq_u64(z, t, 1));
    uint64x2_t s = veorq_u64(veorq_u64(lo, vshrq_n_u64(lo, 1)), veorq_u64(vshrq_n_u64(lo, 2), vshrq_n_u64(lo, 7)));
    uint64x2_t u = veorq_u64(veorq_u64(vshlq_n_u64(lo, 63), vshlq_n_u64(lo, 62)), vshlq_n_u64(lo, 57));
    return veorq_u64(veorq_u64(hi, s), vextq_u64(u, z, 1));
}

static inline uint64x2_t hpow_neon(const ghash_key *k, size_t i) {
    return vld1q_u64((const uint64_t *)__builtin_assume_aligned(k->hpow[i], 16));
}

static inline uint64x2_t pmull_blocks(const ghash_key *k, uint64x2_t y, const uint8_t *p, size_t n) {
    uint64x2_t lo = vdupq_n_u64(0), mid = lo, hi = lo;
    size_t first = GHASH_MAX_POWERS - n;
    for (size_t j = 1; j < n; j++) {
        pmull_acc(pmull_load(p + 16 * j), hpow_neon(k, first + j), &lo, &mid, &hi);
    }
    /* The block that depends on y goes last, so the other products need not wait for the previous group. */
    pmull_acc(veorq_u64(pmull_load(p), y), hpow_neon(k, first), &lo, &mid, &hi);
    return pmull_reduce(lo, mid, hi);
}

void ghash_init(ghash_key *k, const uint8_t h[16]) {
    __builtin_memset(k, 0, sizeof *k);
    uint64x2_t hv = pmull_load(h), p = hv;
    vst1q_u64(k->hpow[GHASH_MAX_POWERS - 1], hv);
    for (int i = 2; i <= GHASH_POWERS; i++) {
        uint64x2_t lo = vdupq_n_u64(0), mid = lo, hi = lo;
        pmull_acc(p, hv, &lo, &mid, &hi);
        p = pmull_reduce(lo, mid, hi);
        vst1q_u64(k->hpow[GHASH_MAX_POWERS - i], p);
    }
}

void ghash_update(const ghash_key *k, uint8_t yb[16], const uint8_t *data, size_t len) {
    uint64x2_t y = pmull_load(yb);
    for (; len >= 128; len -= 128, data += 128) {
        y = pmull_blocks(k, y, data, 8);
    }
    if (len >= 16) {
        size_t n = len / 16;
        y = pmull_blocks(k, y, data, n);
        data += 16 * n;
        len -= 16 * n;
    }
    if (len > 0) {
        uint8_t last[16] = {0};
        memcpy(last, data, len);
        y = pmull_blocks(k, y, last, 1);
    }
    pmull_store(yb, y);
}

const char *ghash_impl(void) { return "pmull"; }

#endif /* GHASH_PMULL */

/* ------------------------------------------------------------------------------------------------------------
 * GCM (SP 800-38D section 7, with the 96-bit IV of section 7.1 step 2: J0 = IV || 0^31 || 1)
 * ------------------------------------------------------------------------------------------------------------ */

void aes_gcm_init(aes_gcm_ctx *ctx, const uint8_t *key, size_t key_len) {
    uint8_t h[16] = {0};
    aes_init(&ctx->aes, key, key_len);
    aes_encrypt_block(&ctx->aes, h, h);
    ghash_init(&ctx->ghash, h);
}

/* T = E(K, J0) ^ GHASH(A || pad || C || pad || [len(A)]64 || [len(C)]64), lengths in bits; y holds the GHASH
 * of A and C so far. */
static void gcm_finish(const aes_gcm_ctx *ctx, const uint8_t iv[12], uint8_t y[16], size_t aad_len, size_t len,
                       uint8_t tag[16]) {
    uint8_t lens[16], j0[16];
    store64be(lens, (uint64_t)aad_len * 8);
    store64be(lens + 8, (uint64_t)len * 8);
    ghash_update(&ctx->ghash, y, lens, 16);
    __builtin_memcpy(j0, iv, 12); /* -ffreestanding makes plain memcpy an opaque call */
    j0[12] = j0[13] = j0[14] = 0;
    j0[15] = 1;
    aes_encrypt_block(&ctx->aes, j0, j0);
    for (int i = 0; i < 16; i++) {
        tag[i] = y[i] ^ j0[i];
    }
}

void aes_gcm_seal(const aes_gcm_ctx *ctx, const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
                  const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16]) {
    /*
     * Two passes over the record rather than one interleaved loop: on the Zen 5 this was measured on, AES and
     * carry-less multiplies compete for the same vector pipes, and interleaving in chunks was slower.
     */
    uint8_t y[16] = {0};
    aes_ctr32_xor(&ctx->aes, iv, 2, in, out, len); /* the first data block uses inc32(J0) */
    ghash_update(&ctx->ghash, y, aad, aad_len);
    ghash_update(&ctx->ghash, y, out, len);
    gcm_finish(ctx, iv, y, aad_len, len, tag);
}

int aes_gcm_open(const aes_gcm_ctx *ctx, const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
                 const uint8_t *in, size_t len, const uint8_t tag[16], uint8_t *out) {
    uint8_t want[16], y[16] = {0};
    ghash_update(&ctx->ghash, y, aad, aad_len);
    ghash_update(&ctx->ghash, y, in, len);
    gcm_finish(ctx, iv, y, aad_len, len, want);
    /* Accumulate every difference so the time taken does not reveal how many tag bytes matched. */
    uint8_t diff = 0;
    for (int i = 0; i < 16; i++) {
        diff |= want[i] ^ tag[i];
    }
    if (diff != 0) {
        return -1;
    }
    aes_ctr32_xor(&ctx->aes, iv, 2, in, out, len);
    return 0;
}
