/*
 * Arithmetic in GF(2^255 - 19), shared by X25519 (RFC 7748) and Ed25519 (RFC 8032).
 *
 * The representation is chosen at compile time (f25519_impl names it):
 *   x86_64 with __BMI2__ and __ADX__   4 x 64-bit limbs, multiplication in inline assembly with mulx and the two
 *                                      independent carry chains of adcx/adox (clang's _addcarryx_u64 only ever
 *                                      becomes adc, one chain, which loses most of the gain)
 *   other 64-bit targets (__int128)    5 x 51-bit limbs, 64x64->128 products
 *   32-bit targets and wasm32          10 limbs of 26/25 bits (radix 2^25.5), 32x32->64 products; wasm32 has
 *                                      __int128 in the front end but no __multi3 to back it
 *
 * Values are kept partially reduced between operations; only fe_tobytes produces the canonical encoding.
 * Everything here runs in constant time: no branch or memory index depends on a field value.
 */
#ifndef PAYOFF_F25519_H
#define PAYOFF_F25519_H

#include <stdint.h>

#if defined(__x86_64__) && defined(__BMI2__) && defined(__ADX__)
#define F25519_ADX 1
#define F25519_LIMBS 4
typedef uint64_t fe_limb;
#elif defined(__SIZEOF_INT128__) && defined(__LP64__) && !defined(__wasm__)
#define F25519_R51 1
#define F25519_LIMBS 5
typedef uint64_t fe_limb;
#else
#define F25519_R25 1
#define F25519_LIMBS 10
typedef uint32_t fe_limb;
#endif

typedef struct {
    fe_limb v[F25519_LIMBS];
} fe;

extern const char f25519_impl[];

/* Decodes 32 little-endian bytes, ignoring bit 255 (as RFC 7748 5 and RFC 8032 5.1.3 both need). */
void fe_frombytes(fe *h, const uint8_t s[32]);
/* Encodes the unique representative in [0, p). */
void fe_tobytes(uint8_t s[32], const fe *f);
/* h = v for a small v (below 2^25). */
void fe_set_small(fe *h, uint32_t v);

void fe_add(fe *h, const fe *f, const fe *g);
void fe_sub(fe *h, const fe *f, const fe *g);
void fe_neg(fe *h, const fe *f);
void fe_mul(fe *h, const fe *f, const fe *g);
void fe_sq(fe *h, const fe *f);
/* h = f * c for c below 2^17 (X25519's a24 = 121665). */
void fe_mul_small(fe *h, const fe *f, uint32_t c);

/* Swap f and g (cswap) or set f = g (cmov) when b is 1, do nothing when b is 0; b must be 0 or 1. */
void fe_cswap(fe *f, fe *g, uint32_t b);
void fe_cmov(fe *f, const fe *g, uint32_t b);

/* h = f^(p-2) = 1/f (0 for 0), by Fermat's little theorem. */
void fe_invert(fe *h, const fe *f);
/* h = f^((p-5)/8), the exponentiation in Ed25519's square root (RFC 8032 5.1.3 step 2). */
void fe_pow22523(fe *h, const fe *f);

/* 1 if the canonical value is odd (RFC 8032's "negative" x), else 0. */
uint32_t fe_isnegative(const fe *f);
/* 1 if f is 0 mod p, else 0. */
uint32_t fe_iszero(const fe *f);

#endif
