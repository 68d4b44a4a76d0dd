/*
 * The Ed25519 kernel: signs a 64-byte message with a key expanded once beforehand, as a server signs with its
 * certificate key. The cost is one fixed-base scalar multiplication (64 constant-time table selections and mixed
 * additions), one inversion, two SHA-512 hashes and the scalar arithmetic mod L; the field arithmetic is
 * f25519's, 4 x 64-bit with mulx/adcx/adox where the CPU has BMI2 and ADX.
 */
#include <stdio.h>
#include <string.h>

#include "ed25519.h"
#include "f25519.h"
#include "payoff.h"
#include "sha512.h"

static ed25519_key key;
static uint8_t msg[64], sig[64];

/* FIPS 180-4 example (NIST CSRC "SHA512.pdf"): SHA-512("abc"). */
static void kat_sha512(void) {
    uint8_t d[64];
    sha512("abc", 3, d);
    payoff_expect("sha512 fips180-4 abc", d,
                  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                  64);
}

static void kat_rfc8032(const char *what, const char *seed_hex, const char *msg_hex, const char *pub_hex,
                        const char *sig_hex) {
    uint8_t seed[32], m[64], s[64];
    ed25519_key k;
    char name[64];
    payoff_hex(seed_hex, seed, sizeof seed);
    size_t len = payoff_hex(msg_hex, m, sizeof m);
    ed25519_key_from_seed(&k, seed);
    snprintf(name, sizeof name, "%s public key", what);
    payoff_expect(name, k.public_key, pub_hex, sizeof k.public_key);
    ed25519_sign(s, &k, m, len);
    snprintf(name, sizeof name, "%s signature", what);
    payoff_expect(name, s, sig_hex, sizeof s);
    snprintf(name, sizeof name, "%s verify", what);
    payoff_check(name, ed25519_verify(s, k.public_key, m, len));
    s[63] ^= 0x01;
    snprintf(name, sizeof name, "%s altered signature rejected", what);
    payoff_check(name, !ed25519_verify(s, k.public_key, m, len));
}

/* RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte). */
static void kat_ed25519(void) {
    kat_rfc8032("ed25519 rfc8032-7.1 test1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25b"
                "f5f0595bbe24655141438e7a100b");
    kat_rfc8032("ed25519 rfc8032-7.1 test2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "72",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b"
                "2eaeb4302aeeb00d291612bb0c00");
}

/*
 * The measured signature itself, expected value from Python's `cryptography` (OpenSSL) Ed25519 with seed 00 01 .. 1f
 * over message byte i = 7i+3.
 */
static void kat_measured(void) {
    ed25519_sign(sig, &key, msg, sizeof msg);
    payoff_expect("ed25519 sign 64", sig,
                  "6d207841df625dc79bf01c1669ab47a08d9d968f7c17e1629f73be67b137eb9d"
                  "ad35c65bc56124609fc4e788cb85cb8f151aa916c49362e528f3c0fdde89be02", sizeof sig);
    payoff_check("ed25519 verify 64", ed25519_verify(sig, key.public_key, msg, sizeof msg));
}

static void sign_op(void *ctx) {
    (void)ctx;
    ed25519_sign(sig, &key, msg, sizeof msg);
    payoff_sink(sig, sizeof sig);
}

int main(void) {
    payoff_features();
    printf("ed25519: field=%s\n", f25519_impl);
    ed25519_precompute();
    uint8_t seed[32];
    for (int i = 0; i < 32; i++) {
        seed[i] = (uint8_t)i;
    }
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)(7 * i + 3);
    }
    ed25519_key_from_seed(&key, seed);

    kat_sha512();
    kat_ed25519();
    kat_measured();

    payoff_measure("ed25519-sign", 0, sign_op, NULL);
    return payoff_done();
}
