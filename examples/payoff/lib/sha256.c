/* SHA-256, HMAC, HKDF and the TLS 1.3 HKDF helpers: see sha256.h. */
#include "sha256.h"

#include <string.h>

#if defined(__SHA__) && defined(__SSE4_1__)
#define SHA256_X86_SHANI 1
#include <immintrin.h>
#elif defined(__ARM_FEATURE_SHA2) && defined(__ARM_NEON)
#define SHA256_ARM_SHA2 1
#include <arm_neon.h>
#endif

/* FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t K256[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#if defined(SHA256_X86_SHANI)
const char sha256_impl[] = "x86-sha-ni";

/*
 * sha256rnds2 wants the state as the lane pairs ABEF and CDGH and does two rounds per call, taking W+K for those
 * rounds from the low 64 bits of its third operand; msg1/msg2 compute the message schedule four words at a time.
 */
#define SHANI_4ROUNDS(m, k)                                                                                            \
    do {                                                                                                               \
        __m128i wk = _mm_add_epi32((m), _mm_load_si128((const __m128i *)&K256[k]));                                    \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);                                                                  \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));                                         \
    } while (0)

/* W[t..t+3] from W[t-16..t-1] held in m0 (oldest) to m3 (newest); the result replaces m0. */
#define SHANI_SCHEDULE(m0, m1, m2, m3)                                                                                 \
    (m0) = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32((m0), (m1)), _mm_alignr_epi8((m3), (m2), 4)), (m3))

static void compress_blocks(uint32_t state[8], const uint8_t *p, size_t n) {
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);
    for (; n > 0; n--, p += 64) {
        __m128i abef0 = abef, cdgh0 = cdgh;
        __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 0)), bswap);
        __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
        __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
        __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
        SHANI_4ROUNDS(m0, 0);
        SHANI_4ROUNDS(m1, 4);
        SHANI_4ROUNDS(m2, 8);
        SHANI_4ROUNDS(m3, 12);
        for (int k = 16; k < 64; k += 16) {
            SHANI_SCHEDULE(m0, m1, m2, m3);
            SHANI_4ROUNDS(m0, k);
            SHANI_SCHEDULE(m1, m2, m3, m0);
            SHANI_4ROUNDS(m1, k + 4);
            SHANI_SCHEDULE(m2, m3, m0, m1);
            SHANI_4ROUNDS(m2, k + 8);
            SHANI_SCHEDULE(m3, m0, m1, m2);
            SHANI_4ROUNDS(m3, k + 12);
        }
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }
    __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xf0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

#elif defined(SHA256_ARM_SHA2)
const char sha256_impl[] = "arm-sha2";

/* sha256h/sha256h2 each update one half of the state (ABCD, EFGH) by four rounds, both from the old ABCD. */
#define ARM_4ROUNDS(m, k)                                                                                              \
    do {                                                                                                               \
        uint32x4_t wk = vaddq_u32((m), vld1q_u32(&K256[k]));                                                           \
        uint32x4_t abcd_old = abcd;                                                                                    \
        abcd = vsha256hq_u32(abcd, efgh, wk);                                                                          \
        efgh = vsha256h2q_u32(efgh, abcd_old, wk);                                                                     \
    } while (0)

#define ARM_SCHEDULE(m0, m1, m2, m3) (m0) = vsha256su1q_u32(vsha256su0q_u32((m0), (m1)), (m2), (m3))

/* Byte loads (vld1q_u8) keep this legal under -mstrict-align whatever the input's alignment. */
static inline uint32x4_t load_be32x4(const uint8_t *p) {
    return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p)));
}

static void compress_blocks(uint32_t state[8], const uint8_t *p, size_t n) {
    uint32x4_t abcd = vld1q_u32(&state[0]);
    uint32x4_t efgh = vld1q_u32(&state[4]);
    for (; n > 0; n--, p += 64) {
        uint32x4_t abcd0 = abcd, efgh0 = efgh;
        uint32x4_t m0 = load_be32x4(p), m1 = load_be32x4(p + 16), m2 = load_be32x4(p + 32), m3 = load_be32x4(p + 48);
        for (int k = 0; k < 48; k += 16) {
            ARM_4ROUNDS(m0, k);
            ARM_SCHEDULE(m0, m1, m2, m3);
            ARM_4ROUNDS(m1, k + 4);
            ARM_SCHEDULE(m1, m2, m3, m0);
            ARM_4ROUNDS(m2, k + 8);
            ARM_SCHEDULE(m2, m3, m0, m1);
            ARM_4ROUNDS(m3, k + 12);
            ARM_SCHEDULE(m3, m0, m1, m2);
        }
        ARM_4ROUNDS(m0, 48);
        ARM_4ROUNDS(m1, 52);
        ARM_4ROUNDS(m2, 56);
        ARM_4ROUNDS(m3, 60);
        abcd = vaddq_u32(abcd, abcd0);
        efgh = vaddq_u32(efgh, efgh0);
    }
    vst1q_u32(&state[0], abcd);
    vst1q_u32(&state[4], efgh);
}

#else
const char sha256_impl[] = "portable";

#define ROR32(x, n) ((x) >> (n) | (x) << (32 - (n)))
#define BSIG0(x) (ROR32(x, 2) ^ ROR32(x, 13) ^ ROR32(x, 22))
#define BSIG1(x) (ROR32(x, 6) ^ ROR32(x, 11) ^ ROR32(x, 25))
#define SSIG0(x) (ROR32(x, 7) ^ ROR32(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROR32(x, 17) ^ ROR32(x, 19) ^ ((x) >> 10))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* The schedule keeps only the last 16 words: W[t] overwrites W[t-16]. */
#define W_LOAD(k) w[k]
#define W_NEXT(k) (w[k] += SSIG1(w[((k) + 14) & 15]) + w[((k) + 9) & 15] + SSIG0(w[((k) + 1) & 15]))

/* Rather than shifting eight variables every round, each round renames them; only d and h are written. */
#define ROUND(a, b, c, d, e, f, g, h, k, W)                                                                            \
    do {                                                                                                               \
        uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + K256[j + (k)] + W(k);                                               \
        d += t1;                                                                                                       \
        h = t1 + BSIG0(a) + MAJ(a, b, c);                                                                              \
    } while (0)

#define ROUNDS16(W)                                                                                                    \
    do {                                                                                                               \
        ROUND(a, b, c, d, e, f, g, h, 0, W);                                                                           \
        ROUND(h, a, b, c, d, e, f, g, 1, W);                                                                           \
        ROUND(g, h, a, b, c, d, e, f, 2, W);                                                                           \
        ROUND(f, g, h, a, b, c, d, e, 3, W);                                                                           \
        ROUND(e, f, g, h, a, b, c, d, 4, W);                                                                           \
        ROUND(d, e, f, g, h, a, b, c, 5, W);                                                                           \
        ROUND(c, d, e, f, g, h, a, b, 6, W);                                                                           \
        ROUND(b, c, d, e, f, g, h, a, 7, W);                                                                           \
        ROUND(a, b, c, d, e, f, g, h, 8, W);                                                                           \
        ROUND(h, a, b, c, d, e, f, g, 9, W);                                                                           \
        ROUND(g, h, a, b, c, d, e, f, 10, W);                                                                          \
        ROUND(f, g, h, a, b, c, d, e, 11, W);                                                                          \
        ROUND(e, f, g, h, a, b, c, d, 12, W);                                                                          \
        ROUND(d, e, f, g, h, a, b, c, 13, W);                                                                          \
        ROUND(c, d, e, f, g, h, a, b, 14, W);                                                                          \
        ROUND(b, c, d, e, f, g, h, a, 15, W);                                                                          \
    } while (0)

static void compress_blocks(uint32_t state[8], const uint8_t *p, size_t n) {
    for (; n > 0; n--, p += 64) {
        uint32_t w[16];
        for (int i = 0; i < 16; i++) {
            /* Byte loads: inputs may be unaligned, and strict-alignment targets forbid casting. */
            w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        int j = 0;
        ROUNDS16(W_LOAD);
        for (j = 16; j < 64; j += 16) {
            ROUNDS16(W_NEXT);
        }
        state[0] += a, state[1] += b, state[2] += c, state[3] += d;
        state[4] += e, state[5] += f, state[6] += g, state[7] += h;
    }
}
#endif

static void sha256_compress(void *state, const uint8_t *blocks, size_t n) {
    compress_blocks(state, blocks, n);
}

/* ---- Merkle-Damgard buffering and padding, shared with SHA-512 ---- */

void sha2_absorb(void *state, sha2_compress_fn compress, uint8_t *buf, unsigned block_log2, size_t *fill,
                 const uint8_t *in, size_t len) {
    size_t block = (size_t)1 << block_log2;
    size_t f = *fill;
    if (f > 0) {
        size_t take = block - f < len ? block - f : len;
        memcpy(buf + f, in, take);
        f += take, in += take, len -= take;
        if (f < block) {
            *fill = f;
            return;
        }
        compress(state, buf, 1);
    }
    /* Whole blocks go straight from the caller's memory: no copy on the bulk path. */
    size_t whole = len >> block_log2;
    if (whole > 0) {
        compress(state, in, whole);
        in += whole * block, len -= whole * block;
    }
    if (len > 0) {
        memcpy(buf, in, len);
    }
    *fill = len;
}

void sha2_pad(void *state, sha2_compress_fn compress, uint8_t *buf, unsigned block_log2, size_t fill, uint64_t total) {
    size_t block = (size_t)1 << block_log2;
    size_t length_field = block / 8; /* FIPS 180-4 5.1: 64 bits for SHA-256, 128 bits for SHA-512 */
    buf[fill++] = 0x80;
    if (fill > block - length_field) {
        memset(buf + fill, 0, block - fill);
        compress(state, buf, 1);
        fill = 0;
    }
    memset(buf + fill, 0, block - fill);
    uint64_t bits = total << 3;
    if (length_field == 16) {
        buf[block - 9] = (uint8_t)(total >> 61); /* the bit count's 65th to 67th bits */
    }
    for (int i = 0; i < 8; i++) {
        buf[block - 1 - i] = (uint8_t)(bits >> (8 * i));
    }
    compress(state, buf, 1);
}

/* ---- SHA-256 ---- */

void sha256_init(sha256_ctx *ctx) {
    /* FIPS 180-4 5.3.3 */
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(ctx->h, iv, sizeof iv);
    ctx->total = 0;
    ctx->fill = 0;
}

void sha256_update(sha256_ctx *ctx, const void *data, size_t len) {
    ctx->total += len;
    sha2_absorb(ctx->h, sha256_compress, ctx->buf, SHA256_BLOCK_LOG2, &ctx->fill, data, len);
}

void sha256_final(sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]) {
    sha2_pad(ctx->h, sha256_compress, ctx->buf, SHA256_BLOCK_LOG2, ctx->fill, ctx->total);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(ctx->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(ctx->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(ctx->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)ctx->h[i];
    }
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]) {
    sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, data, len);
    sha256_final(&ctx, out);
}

/* ---- HMAC (RFC 2104) ---- */

void hmac_sha256_init(hmac_sha256_ctx *ctx, const void *key, size_t key_len) {
    uint8_t k[SHA256_BLOCK_SIZE] = {0}, pad[SHA256_BLOCK_SIZE];
    if (key_len > SHA256_BLOCK_SIZE) {
        sha256(key, key_len, k); /* RFC 2104 section 2: longer keys are hashed first */
    } else if (key_len > 0) {
        memcpy(k, key, key_len);
    }
    for (int i = 0; i < SHA256_BLOCK_SIZE; i++) {
        pad[i] = k[i] ^ 0x36;
    }
    sha256_init(&ctx->inner);
    sha256_update(&ctx->inner, pad, sizeof pad);
    for (int i = 0; i < SHA256_BLOCK_SIZE; i++) {
        pad[i] = k[i] ^ 0x5c;
    }
    sha256_init(&ctx->outer);
    sha256_update(&ctx->outer, pad, sizeof pad);
}

void hmac_sha256_update(hmac_sha256_ctx *ctx, const void *data, size_t len) {
    sha256_update(&ctx->inner, data, len);
}

void hmac_sha256_final(hmac_sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]) {
    uint8_t inner[SHA256_DIGEST_SIZE];
    sha256_final(&ctx->inner, inner);
    sha256_update(&ctx->outer, inner, sizeof inner);
    sha256_final(&ctx->outer, out);
}

void hmac_sha256(const void *key, size_t key_len, const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]) {
    hmac_sha256_ctx ctx;
    hmac_sha256_init(&ctx, key, key_len);
    hmac_sha256_update(&ctx, data, len);
    hmac_sha256_final(&ctx, out);
}

/* ---- HKDF (RFC 5869) ---- */

void hkdf_sha256_extract(const void *salt, size_t salt_len, const void *ikm, size_t ikm_len,
                         uint8_t prk[SHA256_DIGEST_SIZE]) {
    /* An absent salt is HashLen zero bytes, which HMAC's zero-padding of short keys makes equal to an empty key. */
    hmac_sha256(salt, salt ? salt_len : 0, ikm, ikm_len, prk);
}

void hkdf_sha256_expand(const uint8_t prk[SHA256_DIGEST_SIZE], const void *info, size_t info_len, uint8_t *out,
                        size_t out_len) {
    hmac_sha256_ctx keyed, c;
    hmac_sha256_init(&keyed, prk, SHA256_DIGEST_SIZE); /* key once, copy per output block */
    uint8_t t[SHA256_DIGEST_SIZE];
    size_t t_len = 0; /* T(0) is empty */
    for (uint8_t counter = 1; out_len > 0; counter++) {
        c = keyed;
        hmac_sha256_update(&c, t, t_len);
        hmac_sha256_update(&c, info, info_len);
        hmac_sha256_update(&c, &counter, 1);
        hmac_sha256_final(&c, t);
        t_len = SHA256_DIGEST_SIZE;
        size_t n = out_len < t_len ? out_len : t_len;
        memcpy(out, t, n);
        out += n, out_len -= n;
    }
}

/* ---- TLS 1.3 (RFC 8446 section 7.1) ---- */

void tls13_hkdf_expand_label(const uint8_t secret[SHA256_DIGEST_SIZE], const char *label, const void *context,
                             size_t context_len, uint8_t *out, size_t out_len) {
    /* struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; } HkdfLabel; */
    static const char prefix[] = "tls13 ";
    uint8_t info[2 + 1 + 255 + 1 + 255];
    size_t label_len = strlen(label);
    size_t n = 0;
    info[n++] = (uint8_t)(out_len >> 8);
    info[n++] = (uint8_t)out_len;
    info[n++] = (uint8_t)(sizeof prefix - 1 + label_len);
    memcpy(info + n, prefix, sizeof prefix - 1);
    n += sizeof prefix - 1;
    memcpy(info + n, label, label_len);
    n += label_len;
    info[n++] = (uint8_t)context_len;
    if (context_len > 0) {
        memcpy(info + n, context, context_len);
        n += context_len;
    }
    hkdf_sha256_expand(secret, info, n, out, out_len);
}

void tls13_derive_secret(const uint8_t secret[SHA256_DIGEST_SIZE], const char *label,
                         const uint8_t transcript_hash[SHA256_DIGEST_SIZE], uint8_t out[SHA256_DIGEST_SIZE]) {
    tls13_hkdf_expand_label(secret, label, transcript_hash, SHA256_DIGEST_SIZE, out, SHA256_DIGEST_SIZE);
}
