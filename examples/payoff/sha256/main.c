/*
 * The SHA-256 kernel: hashes and HMACs a 64-byte message (one block plus padding: the cost per small message, as in
 * a TLS key schedule) and a 16 KiB one (a full TLS record: the bulk rate). Tuned builds use the x86 SHA extensions
 * or the Armv8 SHA-256 instructions; the baseline is portable C.
 */
#include <stdio.h>
#include <string.h>

#include "payoff.h"
#include "sha256.h"

static uint8_t msg[16384];
static uint8_t key[32];
static uint8_t digest[32];

/* FIPS 180-4 examples (NIST CSRC "SHA256.pdf"): one-block "abc" and the two-block 448-bit message. */
static void kat_sha256(void) {
    sha256("abc", 3, digest);
    payoff_expect("sha256 fips180-4 abc", digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                  32);
    static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256(m448, sizeof m448 - 1, digest);
    payoff_expect("sha256 fips180-4 448-bit", digest,
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", 32);
}

/* RFC 4231 section 4: test cases 1, 2 and 6 (a 131-byte key, longer than a block, so it is hashed first). */
static void kat_hmac(void) {
    uint8_t k[131];
    memset(k, 0x0b, 20);
    hmac_sha256(k, 20, "Hi There", 8, digest);
    payoff_expect("hmac-sha256 rfc4231-1", digest, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                  32);
    static const char m2[] = "what do ya want for nothing?";
    hmac_sha256("Jefe", 4, m2, sizeof m2 - 1, digest);
    payoff_expect("hmac-sha256 rfc4231-2", digest, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                  32);
    static const char m6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    memset(k, 0xaa, sizeof k);
    hmac_sha256(k, sizeof k, m6, sizeof m6 - 1, digest);
    payoff_expect("hmac-sha256 rfc4231-6", digest, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                  32);
}

/*
 * The standard vectors are one or two blocks. These hash the benchmark's own input (byte i = 7i+3) at every length
 * 0..299 (every padding case, several blocks per call) XORed together, the 16 KiB input fed in odd-sized pieces,
 * and the measured inputs. Expected values from Python's hashlib/hmac; the HMAC key is 00 01 .. 1f.
 */
static void kat_long(void) {
    uint8_t acc[32] = {0};
    for (size_t n = 0; n < 300; n++) {
        sha256(msg, n, digest);
        for (int i = 0; i < 32; i++) {
            acc[i] ^= digest[i];
        }
    }
    payoff_expect("sha256 sweep 0..299", acc, "ab23bd801cc4f5f5bdfcf1aa4e6a6ccc52b92f0bad7e2a16bcd05a0840b9a74a", 32);
    sha256_ctx ctx;
    sha256_init(&ctx);
    for (size_t off = 0, step = 1; off < sizeof msg; off += step, step = step * 3 % 1021) {
        sha256_update(&ctx, msg + off, off + step <= sizeof msg ? step : sizeof msg - off);
    }
    sha256_final(&ctx, digest);
    payoff_expect("sha256 16k in pieces", digest, "ab571d12466f75ae481bdbbbfec70a0c53bf78e2849862addfa9a049d8f6fbc0",
                  32);
    sha256(msg, 64, digest);
    payoff_expect("sha256 64", digest, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241", 32);
    sha256(msg, sizeof msg, digest);
    payoff_expect("sha256 16k", digest, "ab571d12466f75ae481bdbbbfec70a0c53bf78e2849862addfa9a049d8f6fbc0", 32);
    hmac_sha256(key, sizeof key, msg, 64, digest);
    payoff_expect("hmac-sha256 64", digest, "b46ff212a3a07583c8dd50c674c6cff3558e6f7b5b97081f7c73101a2b0086fb", 32);
    hmac_sha256(key, sizeof key, msg, sizeof msg, digest);
    payoff_expect("hmac-sha256 16k", digest, "4fddac8a8eb10761bdb98ee6857eb3a8f7ef85046a4dc7b926606f18e9e30cc4", 32);
}

static void sha256_64(void *ctx) {
    (void)ctx;
    sha256(msg, 64, digest);
    payoff_sink(digest, sizeof digest);
}

static void sha256_16k(void *ctx) {
    (void)ctx;
    sha256(msg, sizeof msg, digest);
    payoff_sink(digest, sizeof digest);
}

/* HMAC with the key set up in every call, as HKDF and TLS use it: five compressions for 64 bytes. */
static void hmac_64(void *ctx) {
    (void)ctx;
    hmac_sha256(key, sizeof key, msg, 64, digest);
    payoff_sink(digest, sizeof digest);
}

static void hmac_16k(void *ctx) {
    (void)ctx;
    hmac_sha256(key, sizeof key, msg, sizeof msg, digest);
    payoff_sink(digest, sizeof digest);
}

int main(void) {
    payoff_features();
    printf("sha256: impl=%s\n", sha256_impl);
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)(7 * i + 3);
    }
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)i;
    }

    kat_sha256();
    kat_hmac();
    kat_long();

    payoff_measure("sha256-64", 64, sha256_64, NULL);
    payoff_measure("sha256-16k", sizeof msg, sha256_16k, NULL);
    payoff_measure("hmac-sha256-64", 64, hmac_64, NULL);
    payoff_measure("hmac-sha256-16k", sizeof msg, hmac_16k, NULL);
    return payoff_done();
}
