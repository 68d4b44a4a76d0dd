/*
 * AES encryption, FIPS 197. One path per build, chosen from the compiler's feature macros (see aes.h).
 *
 * The portable path is bitsliced so that it is constant time: no memory access depends on a secret. The state
 * of four blocks lives in eight 64-bit words, word i holding bit i of all 64 state bytes; SubBytes is then the
 * Boyar-Peralta boolean circuit for the S-box ("A depth-16 circuit for the AES S-box", Boyar and Peralta,
 * 2011) applied to the eight words, and ShiftRows/MixColumns become shifts and rotations. The layout follows
 * Thomas Pornin's aes_ct64 (BearSSL).
 */
#include "aes.h"
#include "bytes.h"

#include <tailor.h>

#if defined(__VAES__) && defined(__AES__) && defined(__AVX512F__) && defined(__AVX512BW__)
#define AES_VAES512 1
#elif defined(__VAES__) && defined(__AES__) && defined(__AVX2__)
#define AES_VAES256 1
#elif defined(__AES__) && defined(__SSE2__)
#define AES_NI 1
#elif defined(__ARM_FEATURE_AES) && defined(__ARM_NEON)
#define AES_ARMV8 1
#else
#define AES_CT64 1
#endif

#if defined(AES_VAES512) || defined(AES_VAES256)
#define AES_NI 1 /* the VAES paths use AES-NI for single blocks and short tails */
#endif

#if defined(AES_NI)
#include <immintrin.h>
#include <wmmintrin.h>
#elif defined(AES_ARMV8)
#include <arm_neon.h>
#endif

static void xor_bytes(uint8_t *out, const uint8_t *in, const uint8_t *ks, size_t n) {
    for (size_t i = 0; i < n; i++) {
        out[i] = in[i] ^ ks[i];
    }
}

/* ------------------------------------------------------------------------------------------------------------
 * Bitsliced AES (portable, constant time)
 * ------------------------------------------------------------------------------------------------------------ */
#if defined(AES_CT64)

/*
 * Where the build has SIMD, each "word" is a vector of 64-bit lanes and every lane runs its own four blocks:
 * the bitsliced operations are the same per lane, so SSE2, NEON and WebAssembly SIMD double the blocks per
 * instruction, AVX2 quadruples them and AVX-512 takes eight times as many, all still constant time.
 */
#if defined(__AVX512F__)
#define CT_LANES 8
#elif defined(__AVX2__)
#define CT_LANES 4
#elif defined(__SSE2__) || defined(__ARM_NEON) || defined(__wasm_simd128__)
#define CT_LANES 2
#else
#define CT_LANES 1
#endif

#if CT_LANES > 1
typedef uint64_t ct_word __attribute__((vector_size(8 * CT_LANES)));
#else
typedef uint64_t ct_word;
#endif

#define CT_BLOCKS (4 * CT_LANES)

/* The state of CT_BLOCKS blocks, as words or lane by lane. */
typedef union {
    ct_word v[8];
    uint64_t u[8][CT_LANES];
} ct_state;

/*
 * SubBytes on bitsliced words: q[7] holds the most significant bit of every byte. The circuit is the published
 * one: a linear top layer (y1..y21), a shared non-linear middle (GF(2^4) inversion, t2..t45 and z0..z17), and a
 * linear bottom layer; the NOTs fold in the affine constant 0x63.
 */
static void ct64_sbox(ct_word *q) {
    ct_word x0 = q[7], x1 = q[6], x2 = q[5], x3 = q[4], x4 = q[3], x5 = q[2], x6 = q[1], x7 = q[0];

    /* Top linear transformation. */
    ct_word y14 = x3 ^ x5, y13 = x0 ^ x6, y9 = x0 ^ x3, y8 = x0 ^ x5;
    ct_word t0 = x1 ^ x2, y1 = t0 ^ x7, y4 = y1 ^ x3, y12 = y13 ^ y14;
    ct_word y2 = y1 ^ x0, y5 = y1 ^ x6, y3 = y5 ^ y8, t1 = x4 ^ y12;
    ct_word y15 = t1 ^ x5, y20 = t1 ^ x1, y6 = y15 ^ x7, y10 = y15 ^ t0;
    ct_word y11 = y20 ^ y9, y7 = x7 ^ y11, y17 = y10 ^ y11, y19 = y10 ^ y8;
    ct_word y16 = t0 ^ y11, y21 = y13 ^ y16, y18 = x0 ^ y16;

    /* Non-linear middle. */
    ct_word t2 = y12 & y15, t3 = y3 & y6, t4 = t3 ^ t2, t5 = y4 & x7;
    ct_word t6 = t5 ^ t2, t7 = y13 & y16, t8 = y5 & y1, t9 = t8 ^ t7;
    ct_word t10 = y2 & y7, t11 = t10 ^ t7, t12 = y9 & y11, t13 = y14 & y17;
    ct_word t14 = t13 ^ t12, t15 = y8 & y10, t16 = t15 ^ t12, t17 = t4 ^ t14;
    ct_word t18 = t6 ^ t16, t19 = t9 ^ t14, t20 = t11 ^ t16, t21 = t17 ^ y20;
    ct_word t22 = t18 ^ y19, t23 = t19 ^ y21, t24 = t20 ^ y18;

    ct_word t25 = t21 ^ t22, t26 = t21 & t23, t27 = t24 ^ t26, t28 = t25 & t27;
    ct_word t29 = t28 ^ t22, t30 = t23 ^ t24, t31 = t22 ^ t26, t32 = t31 & t30;
    ct_word t33 = t32 ^ t24, t34 = t23 ^ t33, t35 = t27 ^ t33, t36 = t24 & t35;
    ct_word t37 = t36 ^ t34, t38 = t27 ^ t36, t39 = t29 & t38, t40 = t25 ^ t39;

    ct_word t41 = t40 ^ t37, t42 = t29 ^ t33, t43 = t29 ^ t40, t44 = t33 ^ t37, t45 = t42 ^ t41;
    ct_word z0 = t44 & y15, z1 = t37 & y6, z2 = t33 & x7, z3 = t43 & y16;
    ct_word z4 = t40 & y1, z5 = t29 & y7, z6 = t42 & y11, z7 = t45 & y17;
    ct_word z8 = t41 & y10, z9 = t44 & y12, z10 = t37 & y3, z11 = t33 & y4;
    ct_word z12 = t43 & y13, z13 = t40 & y5, z14 = t29 & y2, z15 = t42 & y9;
    ct_word z16 = t45 & y14, z17 = t41 & y8;

    /* Bottom linear transformation. */
    ct_word t46 = z15 ^ z16, t47 = z10 ^ z11, t48 = z5 ^ z13, t49 = z9 ^ z10;
    ct_word t50 = z2 ^ z12, t51 = z2 ^ z5, t52 = z7 ^ z8, t53 = z0 ^ z3;
    ct_word t54 = z6 ^ z7, t55 = z16 ^ z17, t56 = z12 ^ t48, t57 = t50 ^ t53;
    ct_word t58 = z4 ^ t46, t59 = z3 ^ t54, t60 = t46 ^ t57, t61 = z14 ^ t57;
    ct_word t62 = t52 ^ t58, t63 = t49 ^ t58, t64 = z4 ^ t59, t65 = t61 ^ t62;
    ct_word t66 = z1 ^ t63, t67 = t64 ^ t65;
    ct_word s0 = t59 ^ t63, s6 = t56 ^ ~t62, s7 = t48 ^ ~t60, s3 = t53 ^ t66;
    ct_word s4 = t51 ^ t66, s5 = t47 ^ t65, s1 = t64 ^ ~s3, s2 = t55 ^ ~t67;

    q[7] = s0;
    q[6] = s1;
    q[5] = s2;
    q[4] = s3;
    q[3] = s4;
    q[2] = s5;
    q[1] = s6;
    q[0] = s7;
}

/*
 * Transposes the 8x8 bit matrix in each byte lane across the eight words; it is its own inverse. After
 * ct64_interleave_in it turns four blocks into bitsliced form: bit 16*row + 4*column + block of q[i] is bit i of
 * that state byte.
 */
static void ct64_ortho(ct_word *q) {
#define CT64_SWAP(cl, ch, s, x, y)                                                                                 \
    do {                                                                                                           \
        ct_word a_ = (x), b_ = (y);                                                                               \
        (x) = (a_ & (uint64_t)(cl)) | ((b_ & (uint64_t)(cl)) << (s));                                              \
        (y) = ((a_ & (uint64_t)(ch)) >> (s)) | (b_ & (uint64_t)(ch));                                              \
    } while (0)
#define CT64_SWAP2(x, y) CT64_SWAP(0x5555555555555555ull, 0xAAAAAAAAAAAAAAAAull, 1, x, y)
#define CT64_SWAP4(x, y) CT64_SWAP(0x3333333333333333ull, 0xCCCCCCCCCCCCCCCCull, 2, x, y)
#define CT64_SWAP8(x, y) CT64_SWAP(0x0F0F0F0F0F0F0F0Full, 0xF0F0F0F0F0F0F0F0ull, 4, x, y)
    CT64_SWAP2(q[0], q[1]);
    CT64_SWAP2(q[2], q[3]);
    CT64_SWAP2(q[4], q[5]);
    CT64_SWAP2(q[6], q[7]);
    CT64_SWAP4(q[0], q[2]);
    CT64_SWAP4(q[1], q[3]);
    CT64_SWAP4(q[4], q[6]);
    CT64_SWAP4(q[5], q[7]);
    CT64_SWAP8(q[0], q[4]);
    CT64_SWAP8(q[1], q[5]);
    CT64_SWAP8(q[2], q[6]);
    CT64_SWAP8(q[3], q[7]);
#undef CT64_SWAP
#undef CT64_SWAP2
#undef CT64_SWAP4
#undef CT64_SWAP8
}

/*
 * Spreads one block (four little-endian words: columns 0..3) over two words, one byte every 16 bits, so that
 * ct64_ortho puts each row in its own 16-bit lane: q0 gets columns 0 and 2, q1 columns 1 and 3.
 */
static void ct64_interleave_in(uint64_t *q0, uint64_t *q1, const uint32_t *w) {
    uint64_t x0 = w[0], x1 = w[1], x2 = w[2], x3 = w[3];
    x0 = (x0 | x0 << 16) & 0x0000FFFF0000FFFFull;
    x1 = (x1 | x1 << 16) & 0x0000FFFF0000FFFFull;
    x2 = (x2 | x2 << 16) & 0x0000FFFF0000FFFFull;
    x3 = (x3 | x3 << 16) & 0x0000FFFF0000FFFFull;
    x0 = (x0 | x0 << 8) & 0x00FF00FF00FF00FFull;
    x1 = (x1 | x1 << 8) & 0x00FF00FF00FF00FFull;
    x2 = (x2 | x2 << 8) & 0x00FF00FF00FF00FFull;
    x3 = (x3 | x3 << 8) & 0x00FF00FF00FF00FFull;
    *q0 = x0 | x2 << 8;
    *q1 = x1 | x3 << 8;
}

static void ct64_interleave_out(uint32_t *w, uint64_t q0, uint64_t q1) {
    uint64_t x0 = q0 & 0x00FF00FF00FF00FFull, x1 = q1 & 0x00FF00FF00FF00FFull;
    uint64_t x2 = (q0 >> 8) & 0x00FF00FF00FF00FFull, x3 = (q1 >> 8) & 0x00FF00FF00FF00FFull;
    x0 = (x0 | x0 >> 8) & 0x0000FFFF0000FFFFull;
    x1 = (x1 | x1 >> 8) & 0x0000FFFF0000FFFFull;
    x2 = (x2 | x2 >> 8) & 0x0000FFFF0000FFFFull;
    x3 = (x3 | x3 >> 8) & 0x0000FFFF0000FFFFull;
    w[0] = (uint32_t)x0 | (uint32_t)(x0 >> 16);
    w[1] = (uint32_t)x1 | (uint32_t)(x1 >> 16);
    w[2] = (uint32_t)x2 | (uint32_t)(x2 >> 16);
    w[3] = (uint32_t)x3 | (uint32_t)(x3 >> 16);
}

/* Row r sits in bits 16r..16r+15, four bits (the four blocks) per column: rotating row r left by r columns is a
 * rotation of that 16-bit lane by 4r bits. */
static void ct64_shift_rows(ct_word *q) {
    for (int i = 0; i < 8; i++) {
        ct_word x = q[i];
        q[i] = (x & 0x000000000000FFFFull) | ((x & 0x00000000FFF00000ull) >> 4) | ((x & 0x00000000000F0000ull) << 12) |
               ((x & 0x0000FF0000000000ull) >> 8) | ((x & 0x000000FF00000000ull) << 8) |
               ((x & 0xF000000000000000ull) >> 12) | ((x & 0x0FFF000000000000ull) << 4);
    }
}

static ct_word rotr32(ct_word x) { return x << 32 | x >> 32; }

/*
 * MixColumns: out_r = 2*a_r ^ 3*a_{r+1} ^ a_{r+2} ^ a_{r+3} = 2*(a_r ^ a_{r+1}) ^ a_{r+1} ^ rot2(a_r ^ a_{r+1}),
 * where rotating by one row is a 16-bit rotation of each word. Doubling in GF(2^8) moves bit i to bit i+1 and
 * folds bit 7 back into bits 0, 1, 3 and 4 (x^8 = x^4 + x^3 + x + 1).
 */
static void ct64_mix_columns(ct_word *q) {
    ct_word q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3], q4 = q[4], q5 = q[5], q6 = q[6], q7 = q[7];
    ct_word r0 = q0 >> 16 | q0 << 48, r1 = q1 >> 16 | q1 << 48, r2 = q2 >> 16 | q2 << 48;
    ct_word r3 = q3 >> 16 | q3 << 48, r4 = q4 >> 16 | q4 << 48, r5 = q5 >> 16 | q5 << 48;
    ct_word r6 = q6 >> 16 | q6 << 48, r7 = q7 >> 16 | q7 << 48;
    q[0] = q7 ^ r7 ^ r0 ^ rotr32(q0 ^ r0);
    q[1] = q0 ^ r0 ^ q7 ^ r7 ^ r1 ^ rotr32(q1 ^ r1);
    q[2] = q1 ^ r1 ^ r2 ^ rotr32(q2 ^ r2);
    q[3] = q2 ^ r2 ^ q7 ^ r7 ^ r3 ^ rotr32(q3 ^ r3);
    q[4] = q3 ^ r3 ^ q7 ^ r7 ^ r4 ^ rotr32(q4 ^ r4);
    q[5] = q4 ^ r4 ^ r5 ^ rotr32(q5 ^ r5);
    q[6] = q5 ^ r5 ^ r6 ^ rotr32(q6 ^ r6);
    q[7] = q6 ^ r6 ^ r7 ^ rotr32(q7 ^ r7);
}

static void ct64_add_round_key(ct_word *q, const uint64_t *rk) {
    for (int i = 0; i < 8; i++) {
        q[i] ^= rk[i];
    }
}

static void ct64_encrypt(const aes_key *k, ct_word *q) {
    ct64_add_round_key(q, k->rk.q[0]);
    for (unsigned r = 1; r < k->rounds; r++) {
        ct64_sbox(q);
        ct64_shift_rows(q);
        ct64_mix_columns(q);
        ct64_add_round_key(q, k->rk.q[r]);
    }
    ct64_sbox(q);
    ct64_shift_rows(q);
    ct64_add_round_key(q, k->rk.q[k->rounds]);
}

/*
 * Encrypts CT_BLOCKS blocks given as little-endian words (w[4*b..4*b+3] is block b), in place. Block
 * 4 * lane + i goes to words i and i + 4 of its lane.
 */
static void ct64_encrypt_blocks(const aes_key *k, uint32_t *w) {
    ct_state s;
    for (int lane = 0; lane < CT_LANES; lane++) {
        for (int i = 0; i < 4; i++) {
            ct64_interleave_in(&s.u[i][lane], &s.u[i + 4][lane], w + 4 * (4 * lane + i));
        }
    }
    ct64_ortho(s.v);
    ct64_encrypt(k, s.v);
    ct64_ortho(s.v);
    for (int lane = 0; lane < CT_LANES; lane++) {
        for (int i = 0; i < 4; i++) {
            ct64_interleave_out(w + 4 * (4 * lane + i), s.u[i][lane], s.u[i + 4][lane]);
        }
    }
}

/* Byte j of x at bit 8j of q[0], transposed, is bit i of byte j at bit 8j of q[i]: one S-box input per lane. */
static uint32_t sub_word(uint32_t x) {
    ct_state s = {0};
    s.u[0][0] = x;
    ct64_ortho(s.v);
    ct64_sbox(s.v);
    ct64_ortho(s.v);
    return (uint32_t)s.u[0][0];
}

/* Each round key bitsliced as if all four blocks of a lane were that key; AddRoundKey copies it to all lanes. */
static void store_round_keys(aes_key *k, const uint32_t *w) {
    for (unsigned r = 0; r <= k->rounds; r++) {
        ct_state s = {0};
        ct64_interleave_in(&s.u[0][0], &s.u[4][0], w + 4 * r);
        s.u[1][0] = s.u[2][0] = s.u[3][0] = s.u[0][0];
        s.u[5][0] = s.u[6][0] = s.u[7][0] = s.u[4][0];
        ct64_ortho(s.v);
        for (int i = 0; i < 8; i++) {
            k->rk.q[r][i] = s.u[i][0];
        }
    }
}

/* A single block costs as much as CT_BLOCKS: the work is per instruction, not per block. */
void aes_encrypt_block(const aes_key *k, const uint8_t in[16], uint8_t out[16]) {
    uint32_t w[4 * CT_BLOCKS] = {0};
    for (int i = 0; i < 4; i++) {
        w[i] = load32le(in + 4 * i);
    }
    ct64_encrypt_blocks(k, w);
    for (int i = 0; i < 4; i++) {
        store32le(out + 4 * i, w[i]);
    }
}

void aes_ctr32_xor(const aes_key *k, const uint8_t iv[12], uint32_t ctr, const uint8_t *in, uint8_t *out,
                   size_t len) {
    uint32_t n0 = load32le(iv), n1 = load32le(iv + 4), n2 = load32le(iv + 8);
    while (len > 0) {
        uint32_t w[4 * CT_BLOCKS];
        uint8_t ks[16 * CT_BLOCKS];
        for (int b = 0; b < CT_BLOCKS; b++) {
            w[4 * b] = n0;
            w[4 * b + 1] = n1;
            w[4 * b + 2] = n2;
            w[4 * b + 3] = __builtin_bswap32(ctr + (uint32_t)b); /* big-endian counter in a little-endian word */
        }
        ctr += CT_BLOCKS;
        ct64_encrypt_blocks(k, w);
        for (int i = 0; i < 4 * CT_BLOCKS; i++) {
            store32le(ks + 4 * i, w[i]);
        }
        size_t n = len < sizeof ks ? len : sizeof ks;
        xor_bytes(out, in, ks, n);
        in += n;
        out += n;
        len -= n;
    }
}

#if CT_LANES == 8
const char *aes_impl(void) { return "bitsliced-ct64-x8"; }
#elif CT_LANES == 4
const char *aes_impl(void) { return "bitsliced-ct64-x4"; }
#elif CT_LANES == 2
const char *aes_impl(void) { return "bitsliced-ct64-x2"; }
#else
const char *aes_impl(void) { return "bitsliced-ct64"; }
#endif

#endif /* AES_CT64 */

/* ------------------------------------------------------------------------------------------------------------
 * AES-NI (and, below, VAES)
 * ------------------------------------------------------------------------------------------------------------ */
#if defined(AES_NI)

/*
 * AESENCLAST with a zero key is ShiftRows(SubBytes(x)); with the same word in all four columns ShiftRows only
 * moves bytes between equal columns, leaving SubWord.
 */
static uint32_t sub_word(uint32_t x) {
    __m128i v = _mm_aesenclast_si128(_mm_set1_epi32((int)x), _mm_setzero_si128());
    return (uint32_t)_mm_cvtsi128_si32(v);
}

static void store_round_keys(aes_key *k, const uint32_t *w) {
    for (unsigned i = 0; i < 4 * (k->rounds + 1); i++) {
        store32le(&k->rk.b[i / 4][4 * (i % 4)], w[i]);
    }
}

static inline __m128i rk128(const aes_key *k, unsigned r) { return _mm_loadu_si128((const __m128i *)k->rk.b[r]); }

static inline __m128i ni_encrypt1(const aes_key *k, __m128i b) {
    b = _mm_xor_si128(b, rk128(k, 0));
    for (unsigned r = 1; r < k->rounds; r++) {
        b = _mm_aesenc_si128(b, rk128(k, r));
    }
    return _mm_aesenclast_si128(b, rk128(k, k->rounds));
}

void aes_encrypt_block(const aes_key *k, const uint8_t in[16], uint8_t out[16]) {
    _mm_storeu_si128((__m128i *)out, ni_encrypt1(k, _mm_loadu_si128((const __m128i *)in)));
}

/* iv || ctr as a block; the counter is stored big-endian in the last four bytes. */
static inline __m128i ni_counter(__m128i nonce, uint32_t ctr) {
    return _mm_or_si128(nonce, _mm_slli_si128(_mm_cvtsi32_si128((int)__builtin_bswap32(ctr)), 12));
}

static __m128i ni_nonce(const uint8_t iv[12]) {
    return _mm_set_epi32(0, (int)load32le(iv + 8), (int)load32le(iv + 4), (int)load32le(iv));
}

#define NI_WAYS 8

/* Eight independent blocks keep the AES units busy: one AESENC's latency covers several issues. */
static inline void ni_encrypt8(const aes_key *k, __m128i *b) {
    __m128i key = rk128(k, 0);
    for (int i = 0; i < NI_WAYS; i++) {
        b[i] = _mm_xor_si128(b[i], key);
    }
    for (unsigned r = 1; r < k->rounds; r++) {
        key = rk128(k, r);
        for (int i = 0; i < NI_WAYS; i++) {
            b[i] = _mm_aesenc_si128(b[i], key);
        }
    }
    key = rk128(k, k->rounds);
    for (int i = 0; i < NI_WAYS; i++) {
        b[i] = _mm_aesenclast_si128(b[i], key);
    }
}

/* CTR eight blocks at a time while eight remain, then block by block; the VAES paths finish with it too. */
static void ni_ctr(const aes_key *k, __m128i nonce, uint32_t ctr, const uint8_t *in, uint8_t *out, size_t len) {
    for (; len >= 16 * NI_WAYS; len -= 16 * NI_WAYS, in += 16 * NI_WAYS, out += 16 * NI_WAYS) {
        __m128i b[NI_WAYS];
        for (int i = 0; i < NI_WAYS; i++) {
            b[i] = ni_counter(nonce, ctr + (uint32_t)i);
        }
        ctr += NI_WAYS;
        ni_encrypt8(k, b);
        for (int i = 0; i < NI_WAYS; i++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(in + 16 * i));
            _mm_storeu_si128((__m128i *)(out + 16 * i), _mm_xor_si128(x, b[i]));
        }
    }
    while (len > 0) {
        uint8_t ks[16];
        _mm_storeu_si128((__m128i *)ks, ni_encrypt1(k, ni_counter(nonce, ctr++)));
        size_t n = len < 16 ? len : 16;
        xor_bytes(out, in, ks, n);
        in += n;
        out += n;
        len -= n;
    }
}

#if !defined(AES_VAES512) && !defined(AES_VAES256)
void aes_ctr32_xor(const aes_key *k, const uint8_t iv[12], uint32_t ctr, const uint8_t *in, uint8_t *out,
                   size_t len) {
    ni_ctr(k, ni_nonce(iv), ctr, in, out, len);
}

const char *aes_impl(void) { return "aes-ni"; }
#endif

#endif /* AES_NI */

#if defined(AES_VAES512)

/*
 * VAES on 512-bit registers: four blocks per instruction, four registers in flight (eight measured no faster on
 * 16 KiB and slower on 1420 bytes, which then leave more to the 128-bit tail). The counters are kept as native
 * integers in the last 32-bit lane of each block and byte-swapped into place, so one vector add steps all of
 * them (and wraps modulo 2^32 as SP 800-38D's inc32 does).
 */
#define V512_REGS 4

static inline __m512i rk512(const aes_key *k, unsigned r) { return _mm512_broadcast_i32x4(rk128(k, r)); }

static inline void v512_encrypt(const aes_key *k, __m512i *b) {
    __m512i key = rk512(k, 0);
    for (int i = 0; i < V512_REGS; i++) {
        b[i] = _mm512_xor_si512(b[i], key);
    }
    for (unsigned r = 1; r < k->rounds; r++) {
        key = rk512(k, r);
        for (int i = 0; i < V512_REGS; i++) {
            b[i] = _mm512_aesenc_epi128(b[i], key);
        }
    }
    key = rk512(k, k->rounds);
    for (int i = 0; i < V512_REGS; i++) {
        b[i] = _mm512_aesenclast_epi128(b[i], key);
    }
}

void aes_ctr32_xor(const aes_key *k, const uint8_t iv[12], uint32_t ctr, const uint8_t *in, uint8_t *out,
                   size_t len) {
    const size_t step = 64 * V512_REGS;
    __m128i nonce = ni_nonce(iv);
    if (len >= step) {
        /* Swaps the bytes of the counter lane only; the nonce bytes stay where they are. */
        const __m512i swap = _mm512_broadcast_i32x4(_mm_set_epi8(12, 13, 14, 15, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
        const __m512i four = _mm512_broadcast_i32x4(_mm_set_epi32(4, 0, 0, 0));
        __m512i c = _mm512_add_epi32(_mm512_broadcast_i32x4(_mm_insert_epi32(nonce, (int)ctr, 3)),
                                     _mm512_set_epi32(3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0));
        for (; len >= step; len -= step, in += step, out += step) {
            __m512i b[V512_REGS];
            for (int i = 0; i < V512_REGS; i++) {
                b[i] = _mm512_shuffle_epi8(c, swap);
                c = _mm512_add_epi32(c, four);
            }
            ctr += 4 * V512_REGS;
            v512_encrypt(k, b);
            for (int i = 0; i < V512_REGS; i++) {
                __m512i x = _mm512_loadu_si512((const void *)(in + 64 * i));
                _mm512_storeu_si512((void *)(out + 64 * i), _mm512_xor_si512(x, b[i]));
            }
        }
    }
    ni_ctr(k, nonce, ctr, in, out, len); /* what is left, up to 15 blocks, eight at a time */
}

const char *aes_impl(void) { return "vaes-avx512"; }

#endif /* AES_VAES512 */

#if defined(AES_VAES256)

/* VAES on 256-bit registers (Zen 3 has VAES without AVX-512): two blocks per instruction, eight registers. */
#define V256_REGS 8

static inline __m256i rk256(const aes_key *k, unsigned r) { return _mm256_broadcastsi128_si256(rk128(k, r)); }

static inline void v256_encrypt(const aes_key *k, __m256i *b) {
    __m256i key = rk256(k, 0);
    for (int i = 0; i < V256_REGS; i++) {
        b[i] = _mm256_xor_si256(b[i], key);
    }
    for (unsigned r = 1; r < k->rounds; r++) {
        key = rk256(k, r);
        for (int i = 0; i < V256_REGS; i++) {
            b[i] = _mm256_aesenc_epi128(b[i], key);
        }
    }
    key = rk256(k, k->rounds);
    for (int i = 0; i < V256_REGS; i++) {
        b[i] = _mm256_aesenclast_epi128(b[i], key);
    }
}

void aes_ctr32_xor(const aes_key *k, const uint8_t iv[12], uint32_t ctr, const uint8_t *in, uint8_t *out,
                   size_t len) {
    const size_t step = 32 * V256_REGS;
    __m128i nonce = ni_nonce(iv);
    if (len >= step) {
        const __m256i swap =
            _mm256_broadcastsi128_si256(_mm_set_epi8(12, 13, 14, 15, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
        const __m256i two = _mm256_set_epi32(2, 0, 0, 0, 2, 0, 0, 0);
        __m256i c = _mm256_add_epi32(_mm256_broadcastsi128_si256(_mm_insert_epi32(nonce, (int)ctr, 3)),
                                     _mm256_set_epi32(1, 0, 0, 0, 0, 0, 0, 0));
        for (; len >= step; len -= step, in += step, out += step) {
            __m256i b[V256_REGS];
            for (int i = 0; i < V256_REGS; i++) {
                b[i] = _mm256_shuffle_epi8(c, swap);
                c = _mm256_add_epi32(c, two);
            }
            ctr += 2 * V256_REGS;
            v256_encrypt(k, b);
            for (int i = 0; i < V256_REGS; i++) {
                __m256i x = _mm256_loadu_si256((const __m256i *)(in + 32 * i));
                _mm256_storeu_si256((__m256i *)(out + 32 * i), _mm256_xor_si256(x, b[i]));
            }
        }
    }
    ni_ctr(k, nonce, ctr, in, out, len);
}

const char *aes_impl(void) { return "vaes-avx2"; }

#endif /* AES_VAES256 */

/* ------------------------------------------------------------------------------------------------------------
 * ARMv8 Cryptography Extension
 * ------------------------------------------------------------------------------------------------------------ */
#if defined(AES_ARMV8)

#if defined(__aarch64__)
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
#else
#define ld16 vld1q_u8 /* AArch32 keeps VLD1.8 as is */
#define st16 vst1q_u8
#endif

/* The round keys are 16-byte aligned (see aes.h), which lets the compiler load them whole. */
static inline uint8x16_t rk_arm(const aes_key *k, unsigned r) {
    return vld1q_u8((const uint8_t *)__builtin_assume_aligned(k->rk.b[r], 16));
}

/* AESE with a zero key is ShiftRows(SubBytes(x)); equal columns make ShiftRows a no-op, leaving SubWord. */
static uint32_t sub_word(uint32_t x) {
    uint8x16_t v = vaeseq_u8(vreinterpretq_u8_u32(vdupq_n_u32(x)), vdupq_n_u8(0));
    return vgetq_lane_u32(vreinterpretq_u32_u8(v), 0);
}

static void store_round_keys(aes_key *k, const uint32_t *w) {
    for (unsigned i = 0; i < 4 * (k->rounds + 1); i++) {
        store32le(&k->rk.b[i / 4][4 * (i % 4)], w[i]);
    }
}

/*
 * AESE is AddRoundKey + SubBytes + ShiftRows and AESMC is MixColumns, so a FIPS 197 round r maps to
 * AESMC(AESE(s, rk[r-1])) and the final AddRoundKey is a plain XOR.
 */
static inline uint8x16_t arm_encrypt1(const aes_key *k, uint8x16_t b) {
    unsigned r;
    for (r = 0; r + 1 < k->rounds; r++) {
        b = vaesmcq_u8(vaeseq_u8(b, rk_arm(k, r)));
    }
    b = vaeseq_u8(b, rk_arm(k, r));
    return veorq_u8(b, rk_arm(k, r + 1));
}

void aes_encrypt_block(const aes_key *k, const uint8_t in[16], uint8_t out[16]) {
    st16(out, arm_encrypt1(k, ld16(in)));
}

#define ARM_WAYS 8

static inline void arm_encrypt8(const aes_key *k, uint8x16_t *b) {
    unsigned r;
    for (r = 0; r + 1 < k->rounds; r++) {
        uint8x16_t key = rk_arm(k, r);
        for (int i = 0; i < ARM_WAYS; i++) {
            b[i] = vaesmcq_u8(vaeseq_u8(b[i], key));
        }
    }
    uint8x16_t key = rk_arm(k, r), last = rk_arm(k, r + 1);
    for (int i = 0; i < ARM_WAYS; i++) {
        b[i] = veorq_u8(vaeseq_u8(b[i], key), last);
    }
}

static inline uint8x16_t arm_counter(uint32x4_t nonce, uint32_t ctr) {
    return vreinterpretq_u8_u32(vsetq_lane_u32(__builtin_bswap32(ctr), nonce, 3));
}

void aes_ctr32_xor(const aes_key *k, const uint8_t iv[12], uint32_t ctr, const uint8_t *in, uint8_t *out,
                   size_t len) {
    uint32x4_t nonce = {load32le(iv), load32le(iv + 4), load32le(iv + 8), 0};
    for (; len >= 16 * ARM_WAYS; len -= 16 * ARM_WAYS, in += 16 * ARM_WAYS, out += 16 * ARM_WAYS) {
        uint8x16_t b[ARM_WAYS];
        for (int i = 0; i < ARM_WAYS; i++) {
            b[i] = arm_counter(nonce, ctr + (uint32_t)i);
        }
        ctr += ARM_WAYS;
        arm_encrypt8(k, b);
        for (int i = 0; i < ARM_WAYS; i++) {
            st16(out + 16 * i, veorq_u8(ld16(in + 16 * i), b[i]));
        }
    }
    while (len > 0) {
        uint8_t ks[16];
        st16(ks, arm_encrypt1(k, arm_counter(nonce, ctr++)));
        size_t n = len < 16 ? len : 16;
        xor_bytes(out, in, ks, n);
        in += n;
        out += n;
        len -= n;
    }
}

const char *aes_impl(void) { return "armv8-aes"; }

#endif /* AES_ARMV8 */

/* ------------------------------------------------------------------------------------------------------------
 * Key expansion (FIPS 197 section 5.2), shared by every path; only SubWord differs.
 * ------------------------------------------------------------------------------------------------------------ */

void aes_init(aes_key *k, const uint8_t *key, size_t key_len) {
    if (key_len != 16 && key_len != 24 && key_len != 32) {
        tailor_panic("aes_init: key length %u", (unsigned)key_len);
    }
    unsigned nk = (unsigned)key_len / 4;
    k->rounds = nk + 6;
    unsigned total = 4 * (k->rounds + 1);
    uint32_t w[4 * (AES_MAX_ROUNDS + 1)];
    uint32_t rcon = 1;
    for (unsigned i = 0; i < nk; i++) {
        w[i] = load32le(key + 4 * i);
    }
    /* Words are little-endian, so RotWord (a one-byte left rotation in FIPS 197's byte order) is a right
     * rotation by 8 bits, and Rcon lands in the low byte. */
    for (unsigned i = nk; i < total; i++) {
        uint32_t t = w[i - 1];
        if (i % nk == 0) {
            t = sub_word(t >> 8 | t << 24) ^ rcon;
            rcon = (rcon << 1) ^ (0x11b & -(rcon >> 7));
        } else if (nk > 6 && i % nk == 4) {
            t = sub_word(t);
        }
        w[i] = w[i - nk] ^ t;
    }
    store_round_keys(k, w);
}
