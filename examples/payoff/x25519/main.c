/*
 * The X25519 kernel: one Diffie-Hellman scalar multiplication by an arbitrary point (the shared-secret half of a
 * TLS key exchange). Builds for x86-64 CPUs with BMI2 and ADX multiply in 4 x 64-bit limbs with mulx/adcx/adox;
 * other 64-bit builds use 5 x 51-bit limbs with 128-bit products; 32-bit builds and wasm32 use 10 x 25.5 bits.
 */
#include <stdio.h>
#include <string.h>

#include "f25519.h"
#include "payoff.h"
#include "x25519.h"

static uint8_t scalar[32], point[32], shared[32];

static void x25519_hex(const char *what, const char *scalar_hex, const char *u_hex, const char *expected_hex) {
    uint8_t k[32], u[32], out[32];
    payoff_hex(scalar_hex, k, sizeof k);
    payoff_hex(u_hex, u, sizeof u);
    x25519(out, k, u);
    payoff_expect(what, out, expected_hex, sizeof out);
}

/* RFC 7748 section 5.2: the two single-multiplication vectors (the second has bit 255 of u set, to be ignored). */
static void kat_rfc7748_5_2(void) {
    x25519_hex("x25519 rfc7748-5.2 #1", "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
               "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
               "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    x25519_hex("x25519 rfc7748-5.2 #2", "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
               "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
               "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
}

/* RFC 7748 section 6.1: Alice's and Bob's public keys, and the secret both compute. */
static void kat_rfc7748_6_1(void) {
    static const char alice[] = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    static const char bob[] = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    static const char alice_pub[] = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    static const char bob_pub[] = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    static const char secret[] = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    uint8_t k[32], out[32];
    payoff_hex(alice, k, sizeof k);
    x25519_base(out, k);
    payoff_expect("x25519 rfc7748-6.1 alice public", out, alice_pub, sizeof out);
    payoff_hex(bob, k, sizeof k);
    x25519_base(out, k);
    payoff_expect("x25519 rfc7748-6.1 bob public", out, bob_pub, sizeof out);
    x25519_hex("x25519 rfc7748-6.1 alice shared", alice, bob_pub, secret);
    x25519_hex("x25519 rfc7748-6.1 bob shared", bob, alice_pub, secret);
}

static void x25519_op(void *ctx) {
    (void)ctx;
    x25519(shared, scalar, point);
    payoff_sink(shared, sizeof shared);
}

int main(void) {
    payoff_features();
    printf("x25519: field=%s\n", f25519_impl);
    kat_rfc7748_5_2();
    kat_rfc7748_6_1();
    /* an arbitrary peer share and private scalar (RFC 7748 6.1's Bob's public key and Alice's key) */
    payoff_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", scalar, sizeof scalar);
    payoff_hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", point, sizeof point);
    payoff_measure("x25519", 0, x25519_op, NULL);
    return payoff_done();
}
