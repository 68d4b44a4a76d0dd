/*
 * The ChaCha20-Poly1305 kernel: seals a 16 KiB record (TLS's largest). ChaCha20 has no dedicated
 * instructions; what pays off is vector width: 4 blocks at a time with SSE2/NEON/WebAssembly SIMD, 8 with
 * AVX2, 16 with AVX-512, against one block in scalar code on targets without SIMD.
 */
#include <stdio.h>
#include <string.h>

#include "chacha20poly1305.h"
#include "payoff.h"

static uint8_t msg[16384], out[16384], back[16384];
static uint8_t tag[16];
static chacha20poly1305_ctx ctx, kat_ctx;

static const uint8_t aad[13] = {0, 0, 0, 0, 0, 0, 0, 1, 0x17, 0x03, 0x03, 0x40, 0x00};
static const uint8_t nonce[12] = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111};

/* The plaintext of RFC 8439 sections 2.4.2 and 2.8.2. */
static const char sunscreen[] = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
                                "the future, sunscreen would be it.";

/* RFC 8439 section 2.3.2 (block function) and 2.4.2 (encryption), both with key 00 01 ... 1f. */
static void kat_chacha20(void) {
    uint8_t key[32], n[12], block[64], ct[114];
    payoff_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", key, sizeof key);
    payoff_hex("000000090000004a00000000", n, sizeof n);
    chacha20_block(key, 1, n, block);
    payoff_expect("chacha20 block rfc8439-2.3.2", block,
                  "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                  "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
                  64);
    payoff_hex("000000000000004a00000000", n, sizeof n);
    chacha20_xor(key, n, 1, (const uint8_t *)sunscreen, ct, sizeof ct);
    payoff_expect("chacha20 rfc8439-2.4.2", ct,
                  "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                  "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                  "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                  "5af90bbf74a35be6b40b8eedf2785e42874d",
                  sizeof ct);
}

/* RFC 8439 section 2.5.2. */
static void kat_poly1305(void) {
    static const char text[] = "Cryptographic Forum Research Group";
    uint8_t key[32], t[16];
    payoff_hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b", key, sizeof key);
    poly1305_mac(key, (const uint8_t *)text, sizeof text - 1, t);
    payoff_expect("poly1305 rfc8439-2.5.2", t, "a8061dc1305136c6c22b8baf0c0127a9", 16);
}

/* RFC 8439 section 2.8.2. */
static void kat_aead(void) {
    uint8_t key[32], n[12], a[12], ct[114], pt[114], t[16];
    payoff_hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", key, sizeof key);
    payoff_hex("070000004041424344454647", n, sizeof n);
    payoff_hex("50515253c0c1c2c3c4c5c6c7", a, sizeof a);
    chacha20poly1305_init(&kat_ctx, key);
    chacha20poly1305_seal(&kat_ctx, n, a, sizeof a, (const uint8_t *)sunscreen, sizeof ct, ct, t);
    payoff_expect("chacha20poly1305 rfc8439-2.8.2 ciphertext", ct,
                  "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                  "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                  "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                  "3ff4def08e4b7a9de576d26586cec64b6116",
                  sizeof ct);
    payoff_expect("chacha20poly1305 rfc8439-2.8.2 tag", t, "1ae10b594f09e26a7e902ecbd0600691", 16);
    payoff_check("chacha20poly1305 rfc8439-2.8.2 open",
                 chacha20poly1305_open(&kat_ctx, n, a, sizeof a, ct, sizeof ct, t, pt) == 0 &&
                     memcmp(pt, sunscreen, sizeof pt) == 0);
}

/*
 * The RFC vectors are at most two blocks, shorter than a 16-block vector step. These seal the benchmark's own
 * inputs at lengths 0, 13, ..., 1092 (every residue mod 16, past the 1024-byte AVX-512 step) and at 16384.
 * Expected tags from Python's `cryptography` (OpenSSL) ChaCha20Poly1305 with key 00..1f, nonce 64..6f,
 * message byte i = 7i+3, AAD = the first len%37 message bytes (13 for the 16 KiB one); the sweep XORs its tags.
 */
static void kat_long(void) {
    uint8_t acc[16] = {0};
    for (size_t len = 0; len <= 1100; len += 13) {
        chacha20poly1305_seal(&ctx, nonce, msg, len % 37, msg, len, out, tag);
        for (int i = 0; i < 16; i++) {
            acc[i] ^= tag[i];
        }
    }
    payoff_expect("chacha20poly1305 sweep 0..1092", acc, "5750b74485d075987750c051b84007ab", 16);
    chacha20poly1305_seal(&ctx, nonce, msg, 13, msg, sizeof msg, out, tag);
    payoff_expect("chacha20poly1305 16k tag", tag, "08ccf1c984f57550fc3f3c68daf60011", 16);
    payoff_check("chacha20poly1305 16k open",
                 chacha20poly1305_open(&ctx, nonce, msg, 13, out, sizeof out, tag, back) == 0 &&
                     memcmp(back, msg, sizeof msg) == 0);
    tag[9] ^= 0x01;
    payoff_check("chacha20poly1305 16k flipped tag bit rejected",
                 chacha20poly1305_open(&ctx, nonce, msg, 13, out, sizeof out, tag, back) == -1);
}

static void seal_16k(void *c) {
    chacha20poly1305_seal(c, nonce, aad, sizeof aad, msg, sizeof msg, out, tag);
    payoff_sink(tag, 16);
}

int main(void) {
    payoff_features();
    printf("chacha20-poly1305: chacha20=%s\n", chacha20_impl());
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)(7 * i + 3);
    }
    uint8_t key[32];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)i;
    }
    chacha20poly1305_init(&ctx, key);

    kat_chacha20();
    kat_poly1305();
    kat_aead();
    kat_long();

    payoff_measure("chacha20poly1305-16k", sizeof msg, seal_16k, &ctx);
    return payoff_done();
}
