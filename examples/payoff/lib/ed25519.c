/* Ed25519: see ed25519.h. Points use extended twisted Edwards coordinates (RFC 8032 5.1.4). */
#include "ed25519.h"

#include <string.h>

#include "f25519.h"
#include "sha512.h"

/* (X:Y:Z:T) with x = X/Z, y = Y/Z, x*y = T/Z */
typedef struct {
    fe X, Y, Z, T;
} ge_p3;

/* An affine point ready for mixed addition: y+x, y-x, 2*d*x*y. The identity is (1, 1, 0). */
typedef struct {
    fe ypx, ymx, xy2d;
} ge_niels;

/* A projective point ready for addition: Y+X, Y-X, 2*Z, 2*d*T. */
typedef struct {
    fe ypx, ymx, z2, t2d;
} ge_cached;

/* Curve constants, little-endian (RFC 8032 5.1): d = -121665/121666, 2d, and sqrt(-1) = 2^((p-1)/4). */
static const uint8_t D_BYTES[32] = {0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41,
                                    0x41, 0x4d, 0x0a, 0x70, 0x00, 0x98, 0xe8, 0x79, 0x77, 0x79, 0x40,
                                    0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52};
static const uint8_t D2_BYTES[32] = {0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83,
                                     0x82, 0x9a, 0x14, 0xe0, 0x00, 0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80,
                                     0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24};
static const uint8_t SQRTM1_BYTES[32] = {0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f,
                                         0xad, 0x06, 0x18, 0x43, 0x2f, 0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00,
                                         0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b};
/* The base point B's encoding: y = 4/5 with x even (RFC 8032 5.1). */
static const uint8_t B_BYTES[32] = {0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66};

static fe curve_d, curve_d2, sqrt_m1;

/* base_table[i][j] = (j + 1) * 256^i * B: a radix-16 signed digit at position 2i or 2i+1 picks one entry. */
static ge_niels base_table[32][8];
static int precomputed;

/* ---------------- point arithmetic ---------------- */

static void ge_identity(ge_p3 *p) {
    fe_set_small(&p->X, 0);
    fe_set_small(&p->Y, 1);
    fe_set_small(&p->Z, 1);
    fe_set_small(&p->T, 0);
}

/* The common tail of addition and doubling (RFC 8032 5.1.4): X3 = E*F, Y3 = G*H, T3 = E*H, Z3 = F*G. */
static void ge_from_efgh(ge_p3 *r, const fe *e, const fe *f, const fe *g, const fe *h) {
    fe_mul(&r->X, e, f);
    fe_mul(&r->Y, g, h);
    fe_mul(&r->T, e, h);
    fe_mul(&r->Z, f, g);
}

/* r = p + q given A = (Y1-X1)(Y2-X2), B = (Y1+X1)(Y2+X2), C = 2d T1 T2, D = 2 Z1 Z2. */
static void ge_add_finish(ge_p3 *r, const fe *a, const fe *b, const fe *c, const fe *d) {
    fe e, f, g, h;
    fe_sub(&e, b, a);
    fe_sub(&f, d, c);
    fe_add(&g, d, c);
    fe_add(&h, b, a);
    ge_from_efgh(r, &e, &f, &g, &h);
}

static void ge_add_cached(ge_p3 *r, const ge_p3 *p, const ge_cached *q) {
    fe a, b, c, d, t;
    fe_sub(&t, &p->Y, &p->X);
    fe_mul(&a, &t, &q->ymx);
    fe_add(&t, &p->Y, &p->X);
    fe_mul(&b, &t, &q->ypx);
    fe_mul(&c, &p->T, &q->t2d);
    fe_mul(&d, &p->Z, &q->z2);
    ge_add_finish(r, &a, &b, &c, &d);
}

static void ge_add_niels(ge_p3 *r, const ge_p3 *p, const ge_niels *q) {
    fe a, b, c, d, t;
    fe_sub(&t, &p->Y, &p->X);
    fe_mul(&a, &t, &q->ymx);
    fe_add(&t, &p->Y, &p->X);
    fe_mul(&b, &t, &q->ypx);
    fe_mul(&c, &p->T, &q->xy2d);
    fe_add(&d, &p->Z, &p->Z);
    ge_add_finish(r, &a, &b, &c, &d);
}

static void ge_dbl(ge_p3 *r, const ge_p3 *p) {
    fe a, b, c, e, f, g, h, t;
    fe_sq(&a, &p->X);
    fe_sq(&b, &p->Y);
    fe_sq(&c, &p->Z);
    fe_add(&c, &c, &c);
    fe_add(&h, &a, &b);
    fe_add(&t, &p->X, &p->Y);
    fe_sq(&t, &t);
    fe_sub(&e, &h, &t);
    fe_sub(&g, &a, &b);
    fe_add(&f, &c, &g);
    ge_from_efgh(r, &e, &f, &g, &h);
}

static void ge_to_cached(ge_cached *c, const ge_p3 *p) {
    fe_add(&c->ypx, &p->Y, &p->X);
    fe_sub(&c->ymx, &p->Y, &p->X);
    fe_add(&c->z2, &p->Z, &p->Z);
    fe_mul(&c->t2d, &p->T, &curve_d2);
}

/* RFC 8032 5.1.2 */
static void ge_encode(uint8_t s[32], const ge_p3 *p) {
    fe zi, x, y;
    fe_invert(&zi, &p->Z);
    fe_mul(&x, &p->X, &zi);
    fe_mul(&y, &p->Y, &zi);
    fe_tobytes(s, &y);
    s[31] |= (uint8_t)(fe_isnegative(&x) << 7);
}

static int fe_equal(const fe *a, const fe *b) {
    fe t;
    fe_sub(&t, a, b);
    return (int)fe_iszero(&t);
}

/* RFC 8032 5.1.3. Only ever given public data (keys, the base point), so it may branch. Returns 0 if invalid. */
static int ge_decode(ge_p3 *p, const uint8_t s[32]) {
    fe y, u, v, v3, x, t, vx2;
    uint8_t canonical[32];
    fe_frombytes(&y, s);
    fe_tobytes(canonical, &y);
    canonical[31] |= s[31] & 0x80;
    if (memcmp(canonical, s, 32) != 0) {
        return 0; /* y >= p */
    }
    /* x^2 = u / v with u = y^2 - 1, v = d y^2 + 1; candidate x = u v^3 (u v^7)^((p-5)/8) */
    fe one;
    fe_set_small(&one, 1);
    fe_sq(&u, &y);
    fe_mul(&v, &u, &curve_d);
    fe_sub(&u, &u, &one);
    fe_add(&v, &v, &one);
    fe_sq(&v3, &v);
    fe_mul(&v3, &v3, &v);
    fe_sq(&t, &v3);
    fe_mul(&t, &t, &v);
    fe_mul(&t, &t, &u); /* u v^7 */
    fe_pow22523(&t, &t);
    fe_mul(&t, &t, &v3);
    fe_mul(&x, &t, &u);
    fe_sq(&vx2, &x);
    fe_mul(&vx2, &vx2, &v);
    if (!fe_equal(&vx2, &u)) {
        fe neg_u;
        fe_neg(&neg_u, &u);
        if (!fe_equal(&vx2, &neg_u)) {
            return 0; /* not a square: no such point */
        }
        fe_mul(&x, &x, &sqrt_m1);
    }
    uint32_t sign = s[31] >> 7;
    if (fe_iszero(&x) && sign) {
        return 0;
    }
    if (fe_isnegative(&x) != sign) {
        fe_neg(&x, &x);
    }
    p->X = x;
    p->Y = y;
    fe_set_small(&p->Z, 1);
    fe_mul(&p->T, &x, &y);
    return 1;
}

/* ---------------- fixed-base multiplication ---------------- */

static void build_base_table(void) {
    /* Montgomery's batch inversion keeps this to one field inversion; prefix[n] is the product of Z_0..Z_(n-1). */
    static fe prefix[256];
    ge_p3 p, m;
    ge_cached pc;
    ge_decode(&p, B_BYTES);
    for (int i = 0; i < 32; i++) {
        ge_to_cached(&pc, &p);
        m = p;
        for (int j = 0; j < 8; j++) {
            /* park X, Y, Z in the entry until the batch inversion below */
            base_table[i][j].ypx = m.X;
            base_table[i][j].ymx = m.Y;
            base_table[i][j].xy2d = m.Z;
            ge_add_cached(&m, &m, &pc);
        }
        for (int k = 0; k < 8; k++) {
            ge_dbl(&p, &p);
        }
    }
    fe acc, inv, zinv, x, y;
    fe_set_small(&acc, 1);
    for (int n = 0; n < 256; n++) {
        prefix[n] = acc;
        fe_mul(&acc, &acc, &base_table[n / 8][n % 8].xy2d);
    }
    fe_invert(&inv, &acc);
    for (int n = 255; n >= 0; n--) {
        ge_niels *e = &base_table[n / 8][n % 8];
        fe z = e->xy2d;
        fe_mul(&zinv, &inv, &prefix[n]);
        fe_mul(&inv, &inv, &z);
        fe_mul(&x, &e->ypx, &zinv);
        fe_mul(&y, &e->ymx, &zinv);
        fe_add(&e->ypx, &y, &x);
        fe_sub(&e->ymx, &y, &x);
        fe_mul(&e->xy2d, &x, &y);
        fe_mul(&e->xy2d, &e->xy2d, &curve_d2);
    }
}

void ed25519_precompute(void) {
    if (precomputed) {
        return;
    }
    fe_frombytes(&curve_d, D_BYTES);
    fe_frombytes(&curve_d2, D2_BYTES);
    fe_frombytes(&sqrt_m1, SQRTM1_BYTES);
    build_base_table();
    precomputed = 1;
}

static uint32_t equal_small(uint32_t a, uint32_t b) {
    return ((a ^ b) - 1) >> 31; /* 1 iff a == b, for values below 2^31 */
}

static void niels_cmov(ge_niels *t, const ge_niels *u, uint32_t b) {
    fe_cmov(&t->ypx, &u->ypx, b);
    fe_cmov(&t->ymx, &u->ymx, b);
    fe_cmov(&t->xy2d, &u->xy2d, b);
}

/* t = b * 256^pos * B for b in [-8, 8], reading every entry of the row so the access pattern is always the same. */
static void select_niels(ge_niels *t, int pos, int8_t b) {
    uint32_t negative = (uint32_t)((uint8_t)b >> 7);
    uint32_t babs = (uint32_t)(b - 2 * (-(int32_t)negative & b));
    fe_set_small(&t->ypx, 1);
    fe_set_small(&t->ymx, 1);
    fe_set_small(&t->xy2d, 0);
    for (uint32_t j = 0; j < 8; j++) {
        niels_cmov(t, &base_table[pos][j], equal_small(babs, j + 1));
    }
    /* -(x, y) = (-x, y): swap y+x with y-x and negate 2dxy */
    ge_niels minus;
    minus.ypx = t->ymx;
    minus.ymx = t->ypx;
    fe_neg(&minus.xy2d, &t->xy2d);
    niels_cmov(t, &minus, negative);
}

/*
 * h = a * B for a below 2^255, as in ref10: a = sum e[i] 16^i with signed digits e[i] in [-8, 8]; the odd digits'
 * sum is multiplied by 16 with four doublings, so one table of 256^i multiples serves all 64 digits.
 */
static void ge_scalarmult_base(ge_p3 *h, const uint8_t a[32]) {
    int8_t e[64];
    for (int i = 0; i < 32; i++) {
        e[2 * i] = (int8_t)(a[i] & 15);
        e[2 * i + 1] = (int8_t)(a[i] >> 4);
    }
    int8_t carry = 0;
    for (int i = 0; i < 63; i++) {
        e[i] = (int8_t)(e[i] + carry);
        carry = (int8_t)((e[i] + 8) >> 4);
        e[i] = (int8_t)(e[i] - carry * 16);
    }
    e[63] = (int8_t)(e[63] + carry);

    ge_niels t;
    ge_identity(h);
    for (int i = 1; i < 64; i += 2) {
        select_niels(&t, i / 2, e[i]);
        ge_add_niels(h, h, &t);
    }
    for (int k = 0; k < 4; k++) {
        ge_dbl(h, h);
    }
    for (int i = 0; i < 64; i += 2) {
        select_niels(&t, i / 2, e[i]);
        ge_add_niels(h, h, &t);
    }
}

/* r = k * p by plain double-and-add: variable time, for verification (public data) only. */
static void ge_scalarmult_vartime(ge_p3 *r, const uint8_t k[32], const ge_p3 *p) {
    ge_cached pc;
    ge_to_cached(&pc, p);
    ge_identity(r);
    for (int i = 255; i >= 0; i--) {
        ge_dbl(r, r);
        if ((k[i >> 3] >> (i & 7)) & 1) {
            ge_add_cached(r, r, &pc);
        }
    }
}

/* ---------------- scalars mod L ---------------- */

/* L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 5.1), in 32-bit words, least significant first */
static const uint32_t L_WORDS[9] = {0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de, 0, 0, 0, 0x10000000, 0};
/* Barrett's mu = floor(2^512 / L) */
static const uint32_t MU_WORDS[9] = {0x0a2c131b, 0xed9ce5a3, 0x086329a7, 0x2106215d, 0xffffffeb,
                                     0xffffffff, 0xffffffff, 0xffffffff, 0x0000000f};

/* out[0 .. out_words) = the low out_words words of a * b (out zeroed by the caller). Fixed trip counts only. */
static void mul_words(uint32_t *out, size_t out_words, const uint32_t *a, size_t na, const uint32_t *b, size_t nb) {
    for (size_t i = 0; i < na && i < out_words; i++) {
        uint64_t carry = 0;
        size_t j = 0;
        for (; j < nb && i + j < out_words; j++) {
            uint64_t t = (uint64_t)a[i] * b[j] + out[i + j] + carry;
            out[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        if (i + j < out_words) {
            out[i + j] = (uint32_t)carry;
        }
    }
}

/* r = r - L if r >= L, without branching on r. */
static void cond_sub_l(uint32_t r[9]) {
    uint32_t t[9];
    uint64_t borrow = 0;
    for (int i = 0; i < 9; i++) {
        uint64_t d = (uint64_t)r[i] - L_WORDS[i] - borrow;
        t[i] = (uint32_t)d;
        borrow = (d >> 32) & 1;
    }
    uint32_t keep = (uint32_t)0 - (uint32_t)borrow; /* all ones: r < L, keep r */
    for (int i = 0; i < 9; i++) {
        r[i] = (r[i] & keep) | (t[i] & ~keep);
    }
}

/*
 * out = x mod L for a 512-bit x, by Barrett reduction with base 2^32 and k = 8 (HAC algorithm 14.42): the quotient
 * estimate is at most 2 too small, so two conditional subtractions finish the job.
 */
static void barrett_reduce(uint32_t out[8], const uint32_t x[16]) {
    uint32_t q2[18] = {0}, r2[9] = {0}, r[9];
    mul_words(q2, 18, x + 7, 9, MU_WORDS, 9); /* q1 * mu, q1 = x / 2^224 */
    mul_words(r2, 9, q2 + 9, 9, L_WORDS, 9);  /* (q3 * L) mod 2^288, q3 = q2 / 2^288 */
    uint64_t borrow = 0;
    for (int i = 0; i < 9; i++) { /* r = (x mod 2^288 - r2) mod 2^288 */
        uint64_t d = (uint64_t)x[i] - r2[i] - borrow;
        r[i] = (uint32_t)d;
        borrow = (d >> 32) & 1;
    }
    cond_sub_l(r);
    cond_sub_l(r);
    memcpy(out, r, 8 * sizeof(uint32_t));
}

static void load_words(uint32_t *w, const uint8_t *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        w[i] = (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 | (uint32_t)s[4 * i + 2] << 16 |
               (uint32_t)s[4 * i + 3] << 24;
    }
}

static void store_words(uint8_t *s, const uint32_t *w, size_t n) {
    for (size_t i = 0; i < n; i++) {
        for (int b = 0; b < 4; b++) {
            s[4 * i + b] = (uint8_t)(w[i] >> (8 * b));
        }
    }
}

/* s = h mod L for a 64-byte little-endian h (a SHA-512 output). */
static void sc_reduce(uint8_t s[32], const uint8_t h[64]) {
    uint32_t x[16], r[8];
    load_words(x, h, 16);
    barrett_reduce(r, x);
    store_words(s, r, 8);
}

/* s = (a * b + c) mod L for 256-bit a, b, c: a*b + c stays below 2^512. */
static void sc_muladd(uint8_t s[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32]) {
    uint32_t aw[8], bw[8], cw[8], x[16] = {0}, r[8];
    load_words(aw, a, 8);
    load_words(bw, b, 8);
    load_words(cw, c, 8);
    mul_words(x, 16, aw, 8, bw, 8);
    uint64_t carry = 0;
    for (int i = 0; i < 16; i++) {
        uint64_t t = (uint64_t)x[i] + (i < 8 ? cw[i] : 0) + carry;
        x[i] = (uint32_t)t;
        carry = t >> 32;
    }
    barrett_reduce(r, x);
    store_words(s, r, 8);
}

/* 1 if s < L (RFC 8032 5.1.7 rejects S >= L to rule out malleability). Public data: may exit early. */
static int sc_is_canonical(const uint8_t s[32]) {
    uint32_t w[8];
    load_words(w, s, 8);
    for (int i = 7; i >= 0; i--) {
        if (w[i] != L_WORDS[i]) {
            return w[i] < L_WORDS[i];
        }
    }
    return 0;
}

/* ---------------- RFC 8032 5.1.5 - 5.1.7 ---------------- */

void ed25519_key_from_seed(ed25519_key *key, const uint8_t seed[ED25519_SEED_SIZE]) {
    uint8_t h[64];
    ge_p3 a;
    ed25519_precompute();
    sha512(seed, ED25519_SEED_SIZE, h);
    h[0] &= 248; /* clamp: a multiple of the cofactor 8, with bit 254 set and bit 255 clear */
    h[31] &= 127;
    h[31] |= 64;
    memcpy(key->scalar, h, 32);
    memcpy(key->prefix, h + 32, 32);
    ge_scalarmult_base(&a, key->scalar);
    ge_encode(key->public_key, &a);
}

void ed25519_sign(uint8_t sig[ED25519_SIGNATURE_SIZE], const ed25519_key *key, const void *msg, size_t len) {
    uint8_t h[64], r[32], k[32];
    sha512_ctx ctx;
    ge_p3 rp;
    ed25519_precompute();
    /* the deterministic nonce r = SHA-512(prefix || M) mod L */
    sha512_init(&ctx);
    sha512_update(&ctx, key->prefix, 32);
    sha512_update(&ctx, msg, len);
    sha512_final(&ctx, h);
    sc_reduce(r, h);
    ge_scalarmult_base(&rp, r);
    ge_encode(sig, &rp);
    /* k = SHA-512(R || A || M) mod L, S = (r + k * s) mod L */
    sha512_init(&ctx);
    sha512_update(&ctx, sig, 32);
    sha512_update(&ctx, key->public_key, 32);
    sha512_update(&ctx, msg, len);
    sha512_final(&ctx, h);
    sc_reduce(k, h);
    sc_muladd(sig + 32, k, key->scalar, r);
}

int ed25519_verify(const uint8_t sig[ED25519_SIGNATURE_SIZE], const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE],
                   const void *msg, size_t len) {
    ge_p3 a, sb, ka, check;
    ge_cached minus_ka;
    uint8_t h[64], k[32], r[32];
    sha512_ctx ctx;
    ed25519_precompute();
    if (!ge_decode(&a, public_key) || !sc_is_canonical(sig + 32)) {
        return 0;
    }
    sha512_init(&ctx);
    sha512_update(&ctx, sig, 32);
    sha512_update(&ctx, public_key, 32);
    sha512_update(&ctx, msg, len);
    sha512_final(&ctx, h);
    sc_reduce(k, h);
    /* R must equal [S]B - [k]A */
    ge_scalarmult_base(&sb, sig + 32);
    ge_scalarmult_vartime(&ka, k, &a);
    fe_neg(&ka.X, &ka.X);
    fe_neg(&ka.T, &ka.T);
    ge_to_cached(&minus_ka, &ka);
    ge_add_cached(&check, &sb, &minus_ka);
    ge_encode(r, &check);
    return memcmp(r, sig, 32) == 0;
}
