/*
 * ChaCha20, RFC 8439 section 2. The vector paths put one block in each lane ("vertical" layout: vector i holds
 * state word i of every block), so the rounds are the scalar rounds on vectors and only the final transpose is
 * vector-specific. They are written with clang's portable vector extensions, which lower to SSE2, AVX2,
 * AVX-512, NEON or WebAssembly SIMD as the build allows (rotations become VPROLD on AVX-512 and byte shuffles
 * for 16 and 8 bits where the target has them).
 */
#include "chacha20poly1305.h"
#include "bytes.h"

#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the vector paths store state words as little-endian bytes directly"
#endif

#if defined(__AVX512F__)
#define CHACHA_LANES 16
#elif defined(__AVX2__)
#define CHACHA_LANES 8
#elif defined(__SSE2__) || defined(__ARM_NEON) || defined(__wasm_simd128__)
#define CHACHA_LANES 4
#else
#define CHACHA_LANES 1
#endif

/* Section 2.3: the constants "expand 32-byte k", the key, the block counter, the nonce. */
static void chacha_setup(uint32_t s[16], const uint8_t key[32], uint32_t counter, const uint8_t nonce[12]) {
    s[0] = 0x61707865;
    s[1] = 0x3320646e;
    s[2] = 0x79622d32;
    s[3] = 0x6b206574;
    for (int i = 0; i < 8; i++) {
        s[4 + i] = load32le(key + 4 * i);
    }
    s[12] = counter;
    s[13] = load32le(nonce);
    s[14] = load32le(nonce + 4);
    s[15] = load32le(nonce + 8);
}

#define ROTL(v, n) ((v) << (n) | (v) >> (32 - (n)))

/* Section 2.1's quarter round; works on scalars and on vectors alike. */
#define QR(a, b, c, d)                                                                                             \
    do {                                                                                                           \
        a += b; d ^= a; d = ROTL(d, 16);                                                                           \
        c += d; b ^= c; b = ROTL(b, 12);                                                                           \
        a += b; d ^= a; d = ROTL(d, 8);                                                                            \
        c += d; b ^= c; b = ROTL(b, 7);                                                                            \
    } while (0)

/* Ten double rounds: columns, then diagonals (section 2.3). */
#define DOUBLE_ROUNDS(x)                                                                                           \
    for (int i_ = 0; i_ < 10; i_++) {                                                                              \
        QR(x[0], x[4], x[8], x[12]);                                                                               \
        QR(x[1], x[5], x[9], x[13]);                                                                               \
        QR(x[2], x[6], x[10], x[14]);                                                                              \
        QR(x[3], x[7], x[11], x[15]);                                                                              \
        QR(x[0], x[5], x[10], x[15]);                                                                              \
        QR(x[1], x[6], x[11], x[12]);                                                                              \
        QR(x[2], x[7], x[8], x[13]);                                                                               \
        QR(x[3], x[4], x[9], x[14]);                                                                               \
    }

static void block_scalar(const uint32_t s[16], uint8_t out[64]) {
    uint32_t x[16];
    for (int i = 0; i < 16; i++) {
        x[i] = s[i];
    }
    DOUBLE_ROUNDS(x);
    for (int i = 0; i < 16; i++) {
        store32le(out + 4 * i, x[i] + s[i]);
    }
}

void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], uint8_t out[64]) {
    uint32_t s[16];
    chacha_setup(s, key, counter, nonce);
    block_scalar(s, out);
}

#if CHACHA_LANES > 1

typedef uint32_t vec __attribute__((vector_size(4 * CHACHA_LANES)));
typedef uint32_t v4 __attribute__((vector_size(16)));

/*
 * 32-bit and 64-bit interleaves within each 128-bit group of lanes (x86's punpck{l,h}{dq,qdq}, NEON's zip):
 * with them, four vectors transpose into four blocks' worth of words in every 128-bit group.
 */
#if CHACHA_LANES == 4
#define LO32(a, b) __builtin_shufflevector(a, b, 0, 4, 1, 5)
#define HI32(a, b) __builtin_shufflevector(a, b, 2, 6, 3, 7)
#define LO64(a, b) __builtin_shufflevector(a, b, 0, 1, 4, 5)
#define HI64(a, b) __builtin_shufflevector(a, b, 2, 3, 6, 7)
#elif CHACHA_LANES == 8
#define LO32(a, b) __builtin_shufflevector(a, b, 0, 8, 1, 9, 4, 12, 5, 13)
#define HI32(a, b) __builtin_shufflevector(a, b, 2, 10, 3, 11, 6, 14, 7, 15)
#define LO64(a, b) __builtin_shufflevector(a, b, 0, 1, 8, 9, 4, 5, 12, 13)
#define HI64(a, b) __builtin_shufflevector(a, b, 2, 3, 10, 11, 6, 7, 14, 15)
#else
#define LO32(a, b) __builtin_shufflevector(a, b, 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29)
#define HI32(a, b) __builtin_shufflevector(a, b, 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31)
#define LO64(a, b) __builtin_shufflevector(a, b, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29)
#define HI64(a, b) __builtin_shufflevector(a, b, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31)
#endif

/*
 * Unaligned 16-byte loads and stores. Apps build with -ffreestanding, which makes plain memcpy an opaque call,
 * hence the builtin; and with -mstrict-align on AArch64, under which the compiler splits an unaligned vector
 * load into byte loads, hence LD1/ST1 with byte elements, which need no alignment. (AArch32 keeps VLD1.8.)
 */
#if defined(__aarch64__)
#include <arm_neon.h>
static inline v4 load16(const uint8_t *p) {
    uint8x16_t v;
    __asm__("ld1 {%0.16b}, [%1]" : "=w"(v) : "r"(p), "m"(*(const uint8_t(*)[16])p));
    return (v4)v;
}

static inline void store16(uint8_t *p, v4 v) {
    __asm__("st1 {%1.16b}, [%2]" : "=m"(*(uint8_t(*)[16])p) : "w"((uint8x16_t)v), "r"(p));
}
#elif defined(__ARM_NEON)
#include <arm_neon.h>
static inline v4 load16(const uint8_t *p) { return (v4)vld1q_u8(p); }
static inline void store16(uint8_t *p, v4 v) { vst1q_u8(p, (uint8x16_t)v); }
#else
static inline v4 load16(const uint8_t *p) {
    v4 v;
    __builtin_memcpy(&v, p, 16);
    return v;
}

static inline void store16(uint8_t *p, v4 v) { __builtin_memcpy(p, &v, 16); }
#endif

static inline void xor16(uint8_t *out, const uint8_t *in, const vec *v, int group) {
    v4 k;
    __builtin_memcpy(&k, (const uint8_t *)v + 16 * group, 16);
    store16(out, load16(in) ^ k);
}

/*
 * Words w..w+3 of every block: after the transpose, 128-bit group g of t[j] is those words of block 4g + j,
 * which belong at byte 64 * (4g + j) + 4w of the output.
 */
static inline void store_words(uint8_t *out, const uint8_t *in, const vec *x, int w) {
    vec a = LO32(x[w], x[w + 1]), b = HI32(x[w], x[w + 1]);
    vec c = LO32(x[w + 2], x[w + 3]), d = HI32(x[w + 2], x[w + 3]);
    vec t[4] = {LO64(a, c), HI64(a, c), LO64(b, d), HI64(b, d)};
    for (int g = 0; g < CHACHA_LANES / 4; g++) {
        for (int j = 0; j < 4; j++) {
            size_t off = (size_t)64 * (4 * g + j) + 4 * w;
            xor16(out + off, in + off, &t[j], g);
        }
    }
}

/* CHACHA_LANES consecutive blocks from counter s[12] on, XORed from in to out (64 * CHACHA_LANES bytes). */
static void blocks_vec(const uint32_t s[16], const uint8_t *in, uint8_t *out) {
    vec x[16], start[16], step;
    for (int i = 0; i < CHACHA_LANES; i++) {
        step[i] = (uint32_t)i;
    }
    for (int i = 0; i < 16; i++) {
        start[i] = (vec){0} + s[i];
    }
    start[12] += step;
    for (int i = 0; i < 16; i++) {
        x[i] = start[i];
    }
    DOUBLE_ROUNDS(x);
    for (int i = 0; i < 16; i++) {
        x[i] += start[i];
    }
    for (int w = 0; w < 16; w += 4) {
        store_words(out, in, x, w);
    }
}

void chacha20_xor(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter, const uint8_t *in,
                  uint8_t *out, size_t len) {
    const size_t step = 64 * CHACHA_LANES;
    uint32_t s[16];
    chacha_setup(s, key, counter, nonce);
    for (; len >= step; len -= step, in += step, out += step) {
        blocks_vec(s, in, out);
        s[12] += CHACHA_LANES;
    }
    if (len > 0) {
        /* A last short group costs as much as a full one; keep it in a buffer. */
        uint8_t buf[64 * CHACHA_LANES];
        memset(buf, 0, sizeof buf);
        memcpy(buf, in, len);
        blocks_vec(s, buf, buf);
        memcpy(out, buf, len);
    }
}

#if CHACHA_LANES == 16
const char *chacha20_impl(void) { return "vector-16x"; }
#elif CHACHA_LANES == 8
const char *chacha20_impl(void) { return "vector-8x"; }
#else
const char *chacha20_impl(void) { return "vector-4x"; }
#endif

#else /* scalar */

void chacha20_xor(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter, const uint8_t *in,
                  uint8_t *out, size_t len) {
    uint32_t s[16];
    chacha_setup(s, key, counter, nonce);
    while (len > 0) {
        uint8_t ks[64];
        block_scalar(s, ks);
        s[12]++;
        size_t n = len < 64 ? len : 64;
        for (size_t i = 0; i < n; i++) {
            out[i] = in[i] ^ ks[i];
        }
        in += n;
        out += n;
        len -= n;
    }
}

const char *chacha20_impl(void) { return "scalar"; }

#endif
