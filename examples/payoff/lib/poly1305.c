/*
 * Poly1305, RFC 8439 section 2.5: h = (h + block + 2^128) * r mod 2^130 - 5 per 16-byte block, tag = h + s mod
 * 2^128. The limb layout follows Andrew Moon's poly1305-donna: limbs smaller than the word leave room for the
 * sums of products, and 2^130 = 5 (mod p) turns the overflow of each product back into small multiples.
 * Everything is branch-free on data; the final reduction selects with a mask.
 */
#include "chacha20poly1305.h"
#include "bytes.h"

#include <string.h>

#if defined(POLY1305_LIMBS44)

/* 44 + 44 + 42 bits: each product is under 2^88 and a sum of three stays under 2^128 when multiplied by 20. */
typedef unsigned __int128 u128;

#define M44 0xfffffffffffull
#define M42 0x3ffffffffffull

void poly1305_init(poly1305_ctx *ctx, const uint8_t key[32]) {
    uint64_t t0 = load64le(key), t1 = load64le(key + 8);
    /* The clamping of section 2.5.1 applied while splitting r into limbs. */
    ctx->r[0] = t0 & 0xffc0fffffffull;
    ctx->r[1] = (t0 >> 44 | t1 << 20) & 0xfffffc0ffffull;
    ctx->r[2] = (t1 >> 24) & 0x00ffffffc0full;
    ctx->h[0] = ctx->h[1] = ctx->h[2] = 0;
    ctx->pad[0] = load64le(key + 16);
    ctx->pad[1] = load64le(key + 24);
    ctx->used = 0;
#if defined(POLY1305_VEC_LANES)
    ctx->have_rpow = 0;
#endif
}

/* hibit is 2^128 in limb 2's scale for full blocks; 0 for the final short block, which carries its own 1 byte. */
static void blocks(poly1305_ctx *ctx, const uint8_t *m, size_t len, uint64_t hibit) {
    const uint64_t r0 = ctx->r[0], r1 = ctx->r[1], r2 = ctx->r[2];
    const uint64_t s1 = r1 * (5 << 2), s2 = r2 * (5 << 2); /* 2^132 = 4 * 2^130 = 20 (mod p) */
    uint64_t h0 = ctx->h[0], h1 = ctx->h[1], h2 = ctx->h[2];
    for (; len >= 16; len -= 16, m += 16) {
        uint64_t t0 = load64le(m), t1 = load64le(m + 8);
        h0 += t0 & M44;
        h1 += (t0 >> 44 | t1 << 20) & M44;
        h2 += ((t1 >> 24) & M42) | hibit;
        u128 d0 = (u128)h0 * r0 + (u128)h1 * s2 + (u128)h2 * s1;
        u128 d1 = (u128)h0 * r1 + (u128)h1 * r0 + (u128)h2 * s2;
        u128 d2 = (u128)h0 * r2 + (u128)h1 * r1 + (u128)h2 * r0;
        uint64_t c = (uint64_t)(d0 >> 44);
        h0 = (uint64_t)d0 & M44;
        d1 += c;
        c = (uint64_t)(d1 >> 44);
        h1 = (uint64_t)d1 & M44;
        d2 += c;
        c = (uint64_t)(d2 >> 42);
        h2 = (uint64_t)d2 & M42;
        h0 += c * 5;
        c = h0 >> 44;
        h0 &= M44;
        h1 += c;
    }
    ctx->h[0] = h0;
    ctx->h[1] = h1;
    ctx->h[2] = h2;
}

/* Full carry, then h - p computed alongside and chosen if it did not borrow, then + s mod 2^128. */
static void finish(poly1305_ctx *ctx, uint8_t tag[16]) {
    uint64_t h0 = ctx->h[0], h1 = ctx->h[1], h2 = ctx->h[2], c;
    c = h1 >> 44; h1 &= M44; h2 += c;
    c = h2 >> 42; h2 &= M42; h0 += c * 5;
    c = h0 >> 44; h0 &= M44; h1 += c;
    c = h1 >> 44; h1 &= M44; h2 += c;
    c = h2 >> 42; h2 &= M42; h0 += c * 5;
    c = h0 >> 44; h0 &= M44; h1 += c;

    uint64_t g0 = h0 + 5;
    c = g0 >> 44; g0 &= M44;
    uint64_t g1 = h1 + c;
    c = g1 >> 44; g1 &= M44;
    uint64_t g2 = h2 + c - (1ull << 42);
    uint64_t mask = (g2 >> 63) - 1; /* all ones when h >= p */
    h0 = (h0 & ~mask) | (g0 & mask);
    h1 = (h1 & ~mask) | (g1 & mask);
    h2 = (h2 & ~mask) | (g2 & mask);

    uint64_t t0 = ctx->pad[0], t1 = ctx->pad[1];
    h0 += t0 & M44;
    c = h0 >> 44; h0 &= M44;
    h1 += ((t0 >> 44 | t1 << 20) & M44) + c;
    c = h1 >> 44; h1 &= M44;
    h2 += ((t1 >> 24) & M42) + c;
    h2 &= M42;
    store64le(tag, h0 | h1 << 44);
    store64le(tag + 8, h1 >> 20 | h2 << 24);
}

#if defined(POLY1305_VEC_LANES)

/*
 * Vector Poly1305 (the approach of Goll and Gueron, "Vectorization of Poly1305 Message Authentication Code",
 * 2015): lane j of a group of POLY1305_VEC_LANES (W) blocks runs its own Horner chain with multiplier r^W,
 * so that h = sum of m_i * r^(n-i) is unchanged, and the last group multiplies lane j by r^(W-j) instead
 * before the lanes are added up. Limbs are 26 bits in 64-bit lanes, so VPMULUDQ (32x32->64) does the
 * products and five of them sum without overflow.
 */
#include <immintrin.h>

#define W POLY1305_VEC_LANES
#define M26 0x3ffffffu

#if W == 8
typedef uint64_t pvec __attribute__((vector_size(64)));
#define MULU(a, b) ((pvec)_mm512_mul_epu32((__m512i)(a), (__m512i)(b)))
#define EVEN(a, b) __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14)
#define ODD(a, b) __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15)
#else
typedef uint64_t pvec __attribute__((vector_size(32)));
#define MULU(a, b) ((pvec)_mm256_mul_epu32((__m256i)(a), (__m256i)(b)))
#define EVEN(a, b) __builtin_shufflevector(a, b, 0, 2, 4, 6)
#define ODD(a, b) __builtin_shufflevector(a, b, 1, 3, 5, 7)
#endif

/* 44-bit limbs (carried so that only the top one may exceed its width) to 26-bit limbs. */
static void to26(uint32_t l[5], uint64_t h0, uint64_t h1, uint64_t h2) {
    uint64_t c = h0 >> 44;
    h0 &= M44;
    h1 += c;
    c = h1 >> 44;
    h1 &= M44;
    h2 += c;
    l[0] = (uint32_t)h0 & M26;
    l[1] = (uint32_t)((h0 >> 26 | h1 << 18) & M26);
    l[2] = (uint32_t)(h1 >> 8) & M26;
    l[3] = (uint32_t)((h1 >> 34 | h2 << 10) & M26);
    l[4] = (uint32_t)(h2 >> 16);
}

/* Five 26-bit-ish limbs (sums of a few lanes) back to the 44-bit limbs of the scalar code. */
static void to44(uint64_t h[3], uint64_t l0, uint64_t l1, uint64_t l2, uint64_t l3, uint64_t l4) {
    uint64_t c = l0 >> 26;
    l0 &= M26; l1 += c; c = l1 >> 26;
    l1 &= M26; l2 += c; c = l2 >> 26;
    l2 &= M26; l3 += c; c = l3 >> 26;
    l3 &= M26; l4 += c; c = l4 >> 26;
    l4 &= M26; l0 += c * 5; c = l0 >> 26;
    l0 &= M26; l1 += c;
    /* Everything below 2^128 in one integer; l4's top two bits land on 2^128 in the top limb. */
    u128 lo = (u128)l0 + ((u128)l1 << 26) + ((u128)l2 << 52) + ((u128)l3 << 78) + ((u128)(l4 & 0xffffff) << 104);
    h[0] = (uint64_t)lo & M44;
    h[1] = (uint64_t)(lo >> 44) & M44;
    h[2] = (uint64_t)(lo >> 88) + ((l4 >> 24) << 40);
}

/* a * b mod p in scalar 26-bit limbs (poly1305-donna-32's multiplication), fully carried. */
static void mul26(uint32_t out[5], const uint32_t a[5], const uint32_t b[5]) {
    uint64_t s1 = b[1] * 5ull, s2 = b[2] * 5ull, s3 = b[3] * 5ull, s4 = b[4] * 5ull;
    uint64_t d[5];
    d[0] = a[0] * (uint64_t)b[0] + a[1] * s4 + a[2] * s3 + a[3] * s2 + a[4] * s1;
    d[1] = a[0] * (uint64_t)b[1] + a[1] * (uint64_t)b[0] + a[2] * s4 + a[3] * s3 + a[4] * s2;
    d[2] = a[0] * (uint64_t)b[2] + a[1] * (uint64_t)b[1] + a[2] * (uint64_t)b[0] + a[3] * s4 + a[4] * s3;
    d[3] = a[0] * (uint64_t)b[3] + a[1] * (uint64_t)b[2] + a[2] * (uint64_t)b[1] + a[3] * (uint64_t)b[0] + a[4] * s4;
    d[4] = a[0] * (uint64_t)b[4] + a[1] * (uint64_t)b[3] + a[2] * (uint64_t)b[2] + a[3] * (uint64_t)b[1] +
           a[4] * (uint64_t)b[0];
    uint64_t c = 0;
    for (int i = 0; i < 5; i++) {
        d[i] += c;
        c = d[i] >> 26;
        out[i] = (uint32_t)d[i] & M26;
    }
    out[0] += (uint32_t)c * 5;
    out[1] += out[0] >> 26;
    out[0] &= M26;
}

static void compute_rpow(poly1305_ctx *ctx) {
    to26(ctx->rpow[0], ctx->r[0], ctx->r[1], ctx->r[2]);
    for (int i = 1; i < W; i++) {
        mul26(ctx->rpow[i], ctx->rpow[i - 1], ctx->rpow[0]);
    }
    ctx->have_rpow = 1;
}

static inline pvec splat(uint32_t x) { return (pvec){0} + x; }

/* h = h * r in every lane (r's limbs given with s = 5 * r for the wrapped products), then one carry pass. */
static inline void vmul(pvec h[5], const pvec r[5], const pvec s[5]) {
    pvec d0 = MULU(h[0], r[0]) + MULU(h[1], s[4]) + MULU(h[2], s[3]) + MULU(h[3], s[2]) + MULU(h[4], s[1]);
    pvec d1 = MULU(h[0], r[1]) + MULU(h[1], r[0]) + MULU(h[2], s[4]) + MULU(h[3], s[3]) + MULU(h[4], s[2]);
    pvec d2 = MULU(h[0], r[2]) + MULU(h[1], r[1]) + MULU(h[2], r[0]) + MULU(h[3], s[4]) + MULU(h[4], s[3]);
    pvec d3 = MULU(h[0], r[3]) + MULU(h[1], r[2]) + MULU(h[2], r[1]) + MULU(h[3], r[0]) + MULU(h[4], s[4]);
    pvec d4 = MULU(h[0], r[4]) + MULU(h[1], r[3]) + MULU(h[2], r[2]) + MULU(h[3], r[1]) + MULU(h[4], r[0]);
    const pvec m = splat(M26);
    pvec c = d0 >> 26;
    h[0] = d0 & m;
    d1 += c; c = d1 >> 26; h[1] = d1 & m;
    d2 += c; c = d2 >> 26; h[2] = d2 & m;
    d3 += c; c = d3 >> 26; h[3] = d3 & m;
    d4 += c; c = d4 >> 26; h[4] = d4 & m;
    h[0] += c * 5;
    c = h[0] >> 26;
    h[0] &= m;
    h[1] += c;
}

/* Adds W consecutive blocks (with their 2^128 bit), one per lane. */
static inline void add_blocks(pvec h[5], const uint8_t *m) {
    pvec a, b;
    __builtin_memcpy(&a, m, sizeof a);
    __builtin_memcpy(&b, m + sizeof a, sizeof b);
    pvec t0 = EVEN(a, b), t1 = ODD(a, b); /* the low and high eight bytes of each block */
    const pvec mask = splat(M26);
    h[0] += t0 & mask;
    h[1] += (t0 >> 26) & mask;
    h[2] += (t0 >> 52 | t1 << 12) & mask;
    h[3] += (t1 >> 14) & mask;
    h[4] += t1 >> 40 | splat(1u << 24);
}

/* groups * W full blocks. */
static void blocks_vec(poly1305_ctx *ctx, const uint8_t *m, size_t groups) {
    if (!ctx->have_rpow) {
        compute_rpow(ctx);
    }
    pvec r[5], s[5], rl[5], sl[5], h[5];
    uint32_t h26[5];
    to26(h26, ctx->h[0], ctx->h[1], ctx->h[2]);
    for (int k = 0; k < 5; k++) {
        r[k] = splat(ctx->rpow[W - 1][k]);
        s[k] = r[k] * 5;
        for (int j = 0; j < W; j++) {
            rl[k][j] = ctx->rpow[W - 1 - j][k]; /* lane j's last multiplier: r^(W - j) */
        }
        sl[k] = rl[k] * 5;
        h[k] = (pvec){0};
        h[k][0] = h26[k];
    }
    for (; groups > 1; groups--, m += 16 * W) {
        add_blocks(h, m);
        vmul(h, r, s);
    }
    add_blocks(h, m);
    vmul(h, rl, sl);
    uint64_t sum[5] = {0};
    for (int k = 0; k < 5; k++) {
        for (int j = 0; j < W; j++) {
            sum[k] += h[k][j];
        }
    }
    to44(ctx->h, sum[0], sum[1], sum[2], sum[3], sum[4]);
}

#undef W
#undef M26

#endif /* POLY1305_VEC_LANES */

#else /* 26-bit limbs */

#define M26 0x3ffffffu

void poly1305_init(poly1305_ctx *ctx, const uint8_t key[32]) {
    /* The clamping of section 2.5.1 applied while splitting r into limbs. */
    ctx->r[0] = load32le(key) & 0x3ffffff;
    ctx->r[1] = (load32le(key + 3) >> 2) & 0x3ffff03;
    ctx->r[2] = (load32le(key + 6) >> 4) & 0x3ffc0ff;
    ctx->r[3] = (load32le(key + 9) >> 6) & 0x3f03fff;
    ctx->r[4] = (load32le(key + 12) >> 8) & 0x00fffff;
    for (int i = 0; i < 5; i++) {
        ctx->h[i] = 0;
    }
    for (int i = 0; i < 4; i++) {
        ctx->pad[i] = load32le(key + 16 + 4 * i);
    }
    ctx->used = 0;
}

#define MUL(a, b) ((uint64_t)(a) * (b))

static void blocks(poly1305_ctx *ctx, const uint8_t *m, size_t len, uint32_t hibit) {
    const uint32_t r0 = ctx->r[0], r1 = ctx->r[1], r2 = ctx->r[2], r3 = ctx->r[3], r4 = ctx->r[4];
    const uint32_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5; /* 2^130 = 5 (mod p) */
    uint32_t h0 = ctx->h[0], h1 = ctx->h[1], h2 = ctx->h[2], h3 = ctx->h[3], h4 = ctx->h[4];
    for (; len >= 16; len -= 16, m += 16) {
        h0 += load32le(m) & M26;
        h1 += (load32le(m + 3) >> 2) & M26;
        h2 += (load32le(m + 6) >> 4) & M26;
        h3 += (load32le(m + 9) >> 6) & M26;
        h4 += (load32le(m + 12) >> 8) | hibit;
        uint64_t d0 = MUL(h0, r0) + MUL(h1, s4) + MUL(h2, s3) + MUL(h3, s2) + MUL(h4, s1);
        uint64_t d1 = MUL(h0, r1) + MUL(h1, r0) + MUL(h2, s4) + MUL(h3, s3) + MUL(h4, s2);
        uint64_t d2 = MUL(h0, r2) + MUL(h1, r1) + MUL(h2, r0) + MUL(h3, s4) + MUL(h4, s3);
        uint64_t d3 = MUL(h0, r3) + MUL(h1, r2) + MUL(h2, r1) + MUL(h3, r0) + MUL(h4, s4);
        uint64_t d4 = MUL(h0, r4) + MUL(h1, r3) + MUL(h2, r2) + MUL(h3, r1) + MUL(h4, r0);
        uint32_t c = (uint32_t)(d0 >> 26);
        h0 = (uint32_t)d0 & M26;
        d1 += c; c = (uint32_t)(d1 >> 26); h1 = (uint32_t)d1 & M26;
        d2 += c; c = (uint32_t)(d2 >> 26); h2 = (uint32_t)d2 & M26;
        d3 += c; c = (uint32_t)(d3 >> 26); h3 = (uint32_t)d3 & M26;
        d4 += c; c = (uint32_t)(d4 >> 26); h4 = (uint32_t)d4 & M26;
        h0 += c * 5;
        c = h0 >> 26;
        h0 &= M26;
        h1 += c;
    }
    ctx->h[0] = h0;
    ctx->h[1] = h1;
    ctx->h[2] = h2;
    ctx->h[3] = h3;
    ctx->h[4] = h4;
}

/* Full carry, then h - p computed alongside and chosen if it did not borrow, then + s mod 2^128. */
static void finish(poly1305_ctx *ctx, uint8_t tag[16]) {
    uint32_t h0 = ctx->h[0], h1 = ctx->h[1], h2 = ctx->h[2], h3 = ctx->h[3], h4 = ctx->h[4], c;
    c = h1 >> 26; h1 &= M26; h2 += c;
    c = h2 >> 26; h2 &= M26; h3 += c;
    c = h3 >> 26; h3 &= M26; h4 += c;
    c = h4 >> 26; h4 &= M26; h0 += c * 5;
    c = h0 >> 26; h0 &= M26; h1 += c;

    uint32_t g0 = h0 + 5;
    c = g0 >> 26; g0 &= M26;
    uint32_t g1 = h1 + c;
    c = g1 >> 26; g1 &= M26;
    uint32_t g2 = h2 + c;
    c = g2 >> 26; g2 &= M26;
    uint32_t g3 = h3 + c;
    c = g3 >> 26; g3 &= M26;
    uint32_t g4 = h4 + c - (1u << 26);
    uint32_t mask = (g4 >> 31) - 1; /* all ones when h >= p */
    h0 = (h0 & ~mask) | (g0 & mask);
    h1 = (h1 & ~mask) | (g1 & mask);
    h2 = (h2 & ~mask) | (g2 & mask);
    h3 = (h3 & ~mask) | (g3 & mask);
    h4 = (h4 & ~mask) | (g4 & mask);

    uint32_t w0 = h0 | h1 << 26, w1 = h1 >> 6 | h2 << 20, w2 = h2 >> 12 | h3 << 14, w3 = h3 >> 18 | h4 << 8;
    uint64_t f = (uint64_t)w0 + ctx->pad[0];
    store32le(tag, (uint32_t)f);
    f = (uint64_t)w1 + ctx->pad[1] + (f >> 32);
    store32le(tag + 4, (uint32_t)f);
    f = (uint64_t)w2 + ctx->pad[2] + (f >> 32);
    store32le(tag + 8, (uint32_t)f);
    f = (uint64_t)w3 + ctx->pad[3] + (f >> 32);
    store32le(tag + 12, (uint32_t)f);
}

#endif

#if defined(POLY1305_LIMBS44)
#define HIBIT (1ull << 40)
#else
#define HIBIT (1u << 24)
#endif

void poly1305_update(poly1305_ctx *ctx, const uint8_t *m, size_t len) {
    if (ctx->used > 0) {
        size_t n = 16 - ctx->used < len ? 16 - ctx->used : len;
        memcpy(ctx->buf + ctx->used, m, n);
        ctx->used += n;
        m += n;
        len -= n;
        if (ctx->used < 16) {
            return;
        }
        blocks(ctx, ctx->buf, 16, HIBIT);
        ctx->used = 0;
    }
    size_t full = len & ~(size_t)15;
#if defined(POLY1305_VEC_LANES)
    /* Two groups at least: the vector path's set-up and final fold cost about one group. */
    if (full >= 2 * 16 * POLY1305_VEC_LANES) {
        size_t groups = full / (16 * POLY1305_VEC_LANES);
        blocks_vec(ctx, m, groups);
        m += groups * 16 * POLY1305_VEC_LANES;
        len -= groups * 16 * POLY1305_VEC_LANES;
        full -= groups * 16 * POLY1305_VEC_LANES;
    }
#endif
    blocks(ctx, m, full, HIBIT);
    memcpy(ctx->buf, m + full, len - full);
    ctx->used = len - full;
}

/* A short last block gets a 1 byte after its data instead of 2^128 (section 2.5.1). */
void poly1305_final(poly1305_ctx *ctx, uint8_t tag[16]) {
    if (ctx->used > 0) {
        ctx->buf[ctx->used] = 1;
        memset(ctx->buf + ctx->used + 1, 0, 15 - ctx->used);
        blocks(ctx, ctx->buf, 16, 0);
    }
    finish(ctx, tag);
    memset(ctx, 0, sizeof *ctx);
}

void poly1305_mac(const uint8_t key[32], const uint8_t *m, size_t len, uint8_t tag[16]) {
    poly1305_ctx ctx;
    poly1305_init(&ctx, key);
    poly1305_update(&ctx, m, len);
    poly1305_final(&ctx, tag);
}
