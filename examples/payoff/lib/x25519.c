/* X25519: see x25519.h. */
#include "x25519.h"

#include <string.h>

#include "f25519.h"

/* a24 = (486662 - 2) / 4 (RFC 7748 section 5) */
#define A24 121665

/*
 * One step of the ladder (RFC 7748 section 5, the loop body after the conditional swap): (x2:z2) doubles and
 * (x3:z3) becomes the sum, x1 being their known difference.
 */
static void ladder_step(fe *x2, fe *z2, fe *x3, fe *z3, const fe *x1) {
    fe a, aa, b, bb, e, c, d, da, cb, t;
    fe_add(&a, x2, z2);
    fe_sq(&aa, &a);
    fe_sub(&b, x2, z2);
    fe_sq(&bb, &b);
    fe_sub(&e, &aa, &bb);
    fe_add(&c, x3, z3);
    fe_sub(&d, x3, z3);
    fe_mul(&da, &d, &a);
    fe_mul(&cb, &c, &b);
    fe_add(&t, &da, &cb);
    fe_sq(x3, &t);
    fe_sub(&t, &da, &cb);
    fe_sq(&t, &t);
    fe_mul(z3, x1, &t);
    fe_mul(x2, &aa, &bb);
    fe_mul_small(&t, &e, A24);
    fe_add(&t, &aa, &t);
    fe_mul(z2, &e, &t);
}

void x25519(uint8_t out[X25519_SIZE], const uint8_t scalar[X25519_SIZE], const uint8_t u[X25519_SIZE]) {
    /* decodeScalar25519: clear the cofactor bits, set bit 254 so every scalar takes the same number of steps */
    uint8_t k[32];
    memcpy(k, scalar, sizeof k);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;

    fe x1, x2, z2, x3, z3;
    fe_frombytes(&x1, u);
    fe_set_small(&x2, 1);
    fe_set_small(&z2, 0);
    x3 = x1;
    fe_set_small(&z3, 1);
    /* The swap is deferred and merged (RFC 7748's "swap ^= k_t"): one pair of constant-time swaps per bit. */
    uint32_t swap = 0;
    for (int t = 254; t >= 0; t--) {
        uint32_t bit = (k[t >> 3] >> (t & 7)) & 1;
        swap ^= bit;
        fe_cswap(&x2, &x3, swap);
        fe_cswap(&z2, &z3, swap);
        swap = bit;
        ladder_step(&x2, &z2, &x3, &z3, &x1);
    }
    fe_cswap(&x2, &x3, swap);
    fe_cswap(&z2, &z3, swap);

    fe_invert(&z2, &z2);
    fe_mul(&x2, &x2, &z2);
    fe_tobytes(out, &x2);
}

void x25519_base(uint8_t out[X25519_SIZE], const uint8_t scalar[X25519_SIZE]) {
    static const uint8_t nine[32] = {9};
    x25519(out, scalar, nine);
}
