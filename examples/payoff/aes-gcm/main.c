/*
 * The AES-256-GCM kernel: seals a 1420-byte record (a TLS record that fits a 1500-byte MTU) and a 16 KiB one
 * (TLS's largest record). Tuned builds use AES-NI/VAES and PCLMULQDQ/VPCLMULQDQ, or ARMv8 AESE and PMULL;
 * the baseline uses the constant-time bitsliced AES and multiply-based GHASH a portable crypto library ships.
 */
#include <stdio.h>
#include <string.h>

#include "gcm.h"
#include "payoff.h"

static uint8_t msg[16384], out[16384], back[16384];
static uint8_t tag[16];
static aes_gcm_ctx ctx, kat_ctx;
static aes_key kat_key;

/* The record header a TLS 1.2 AEAD record authenticates: sequence number, type, version, length. */
static const uint8_t aad[13] = {0, 0, 0, 0, 0, 0, 0, 1, 0x17, 0x03, 0x03, 0x05, 0x8c};
static const uint8_t iv[12] = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111};

/* FIPS 197 appendix C.1 (AES-128) and C.3 (AES-256): the same plaintext under the keys 00 01 02 ... */
static void kat_aes(void) {
    uint8_t key[32], pt[16], ct[16];
    payoff_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", key, sizeof key);
    payoff_hex("00112233445566778899aabbccddeeff", pt, sizeof pt);
    aes_init(&kat_key, key, 16);
    aes_encrypt_block(&kat_key, pt, ct);
    payoff_expect("aes128 fips197-c1", ct, "69c4e0d86a7b0430d8cdb78070b4c55a", 16);
    aes_init(&kat_key, key, 32);
    aes_encrypt_block(&kat_key, pt, ct);
    payoff_expect("aes256 fips197-c3", ct, "8ea2b7ca516745bfeafc49904b496089", 16);
}

/* McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", test case 2: GHASH(H, {}, C) and H. */
static void kat_ghash(void) {
    uint8_t h[16], c[16], y[16] = {0}, lens[16] = {0};
    ghash_key gk;
    payoff_hex("66e94bd4ef8a2c3b884cfa59ca342b2e", h, sizeof h);
    payoff_hex("0388dace60b6a392f328c2b971b2fe78", c, sizeof c);
    lens[14] = 0x00;
    lens[15] = 0x80; /* len(A) = 0, len(C) = 128 bits */
    ghash_init(&gk, h);
    ghash_update(&gk, y, c, 16);
    ghash_update(&gk, y, lens, 16);
    payoff_expect("ghash gcm-spec-tc2", y, "f38cbb1ad69223dcc3457ae5b6b0f885", 16);
}

/* The GCM spec's test cases 4 (AES-128) and 16 (AES-256): 60-byte plaintext, 20-byte AAD. */
static void kat_gcm_case(const char *what, const char *key_hex, size_t key_len, const char *ct_hex,
                         const char *tag_hex) {
    static const char pt_hex[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                 "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    uint8_t key[32], gcm_iv[12], a[20], pt[60], ct[60], t[16];
    char name[64];
    payoff_hex(key_hex, key, sizeof key);
    payoff_hex("cafebabefacedbaddecaf888", gcm_iv, sizeof gcm_iv);
    payoff_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2", a, sizeof a);
    payoff_hex(pt_hex, pt, sizeof pt);
    aes_gcm_init(&kat_ctx, key, key_len);
    aes_gcm_seal(&kat_ctx, gcm_iv, a, sizeof a, pt, sizeof pt, ct, t);
    snprintf(name, sizeof name, "%s ciphertext", what);
    payoff_expect(name, ct, ct_hex, sizeof ct);
    snprintf(name, sizeof name, "%s tag", what);
    payoff_expect(name, t, tag_hex, sizeof t);
    memset(pt, 0, sizeof pt);
    snprintf(name, sizeof name, "%s open", what);
    payoff_check(name, aes_gcm_open(&kat_ctx, gcm_iv, a, sizeof a, ct, sizeof ct, t, pt) == 0);
    snprintf(name, sizeof name, "%s plaintext", what);
    payoff_expect(name, pt, pt_hex, sizeof pt);
}

static void kat_gcm(void) {
    kat_gcm_case("aes128gcm gcm-spec-tc4", "feffe9928665731c6d6a8f9467308308", 16,
                 "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                 "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
                 "5bc94fbc3221a5db94fae95ae7121a47");
    kat_gcm_case("aes256gcm gcm-spec-tc16", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", 32,
                 "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                 "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
                 "76fc6ece0f4e1768cddf8853bb2d551b");
}

/*
 * The standard vectors are at most four blocks, shorter than any multi-block path. These seal the benchmark's
 * own inputs at lengths 0, 13, ..., 559 (every residue mod 16, past the widest 512-byte CTR step and 256-byte
 * GHASH step) and at 1420 and 16384 bytes. Expected tags from Python's `cryptography` (OpenSSL) AESGCM with
 * key 00..1f, IV 64..6f, message byte i = 7i+3, AAD = the first len%37 message bytes (13 bytes of aad[] for
 * the long ones); the sweep XORs its tags together.
 */
static void kat_long(void) {
    uint8_t acc[16] = {0};
    for (size_t len = 0; len <= 560; len += 13) {
        aes_gcm_seal(&ctx, iv, msg, len % 37, msg, len, out, tag);
        for (int i = 0; i < 16; i++) {
            acc[i] ^= tag[i];
        }
    }
    payoff_expect("aes256gcm sweep 0..559", acc, "7c33a87c5f364d47c4307b379a0da95b", 16);
    aes_gcm_seal(&ctx, iv, msg, 13, msg, 1420, out, tag);
    payoff_expect("aes256gcm 1420 tag", tag, "844414eea70910f5850960da3687c899", 16);
    aes_gcm_seal(&ctx, iv, msg, 13, msg, sizeof msg, out, tag);
    payoff_expect("aes256gcm 16k tag", tag, "f2fbd1b4eb9364ce51fe4b867823135d", 16);
    payoff_check("aes256gcm 16k open", aes_gcm_open(&ctx, iv, msg, 13, out, sizeof out, tag, back) == 0 &&
                                           memcmp(back, msg, sizeof msg) == 0);
    tag[5] ^= 0x10;
    payoff_check("aes256gcm 16k flipped tag bit rejected",
                 aes_gcm_open(&ctx, iv, msg, 13, out, sizeof out, tag, back) == -1);
}

static void seal_1420(void *c) {
    aes_gcm_seal(c, iv, aad, sizeof aad, msg, 1420, out, tag);
    payoff_sink(tag, 16);
}

static void seal_16k(void *c) {
    aes_gcm_seal(c, iv, aad, sizeof aad, msg, sizeof msg, out, tag);
    payoff_sink(tag, 16);
}

int main(void) {
    payoff_features();
    printf("aes-gcm: aes=%s ghash=%s\n", aes_impl(), ghash_impl());
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)(7 * i + 3);
    }
    uint8_t key[32];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)i;
    }
    aes_gcm_init(&ctx, key, sizeof key);

    kat_aes();
    kat_ghash();
    kat_gcm();
    kat_long();

    payoff_measure("aes256gcm-1420", 1420, seal_1420, &ctx);
    payoff_measure("aes256gcm-16k", sizeof msg, seal_16k, &ctx);
    return payoff_done();
}
