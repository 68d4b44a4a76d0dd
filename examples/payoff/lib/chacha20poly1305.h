/*
 * ChaCha20, Poly1305 and the ChaCha20-Poly1305 AEAD, RFC 8439.
 *
 * ChaCha20 computes several blocks at once in vector registers when the build has them (see chacha20_impl()):
 * 16 with AVX-512, 8 with AVX2, 4 with SSE2, NEON or WebAssembly SIMD, otherwise one block at a time in
 * scalar code. Poly1305 is scalar with 44-bit limbs and 64x64->128 multiplies on 64-bit targets that have
 * them, 26-bit limbs with 32x32->64 multiplies elsewhere; with AVX2 (AVX-512) it takes long messages 4 (8)
 * blocks at a time in vector registers. All of it is constant time by construction.
 */
#ifndef PAYOFF_CHACHA20POLY1305_H
#define PAYOFF_CHACHA20POLY1305_H

#include <stddef.h>
#include <stdint.h>

/* The ChaCha20 block function (RFC 8439 section 2.3): 64 bytes of key stream for one counter value. */
void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], uint8_t out[64]);

/*
 * ChaCha20 encryption (section 2.4): XORs len bytes of in with the key stream starting at block `counter` into
 * out (they may be the same buffer). The 32-bit block counter wraps, as in the RFC's 96-bit-nonce variant.
 */
void chacha20_xor(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter, const uint8_t *in,
                  uint8_t *out, size_t len);

const char *chacha20_impl(void);

#if defined(__SIZEOF_INT128__) && __SIZEOF_POINTER__ == 8
#define POLY1305_LIMBS44 1
#if defined(__AVX512F__)
#define POLY1305_VEC_LANES 8
#elif defined(__AVX2__)
#define POLY1305_VEC_LANES 4
#endif
#endif

typedef struct {
#if defined(POLY1305_LIMBS44)
    uint64_t r[3], h[3], pad[2];
#else
    uint32_t r[5], h[5], pad[4];
#endif
#if defined(POLY1305_VEC_LANES)
    uint32_t rpow[POLY1305_VEC_LANES][5]; /* r^1 .. r^lanes in 26-bit limbs, once a long message needs them */
    int have_rpow;
#endif
    uint8_t buf[16];
    size_t used; /* bytes waiting in buf */
} poly1305_ctx;

/* Poly1305 (section 2.5) with a one-time 32-byte key r || s. */
void poly1305_init(poly1305_ctx *ctx, const uint8_t key[32]);
void poly1305_update(poly1305_ctx *ctx, const uint8_t *m, size_t len);
void poly1305_final(poly1305_ctx *ctx, uint8_t tag[16]);
void poly1305_mac(const uint8_t key[32], const uint8_t *m, size_t len, uint8_t tag[16]);

/* The AEAD (section 2.8); the context only holds the key, so a static one is as good as any. */
typedef struct {
    uint8_t key[32];
} chacha20poly1305_ctx;

void chacha20poly1305_init(chacha20poly1305_ctx *ctx, const uint8_t key[32]);

/* Encrypts len bytes of in into out (they may be the same buffer) and writes the tag over aad and out. */
void chacha20poly1305_seal(const chacha20poly1305_ctx *ctx, const uint8_t nonce[12], const uint8_t *aad,
                           size_t aad_len, const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16]);

/* Checks the tag in constant time and only then decrypts: 0 with the plaintext in out, or -1 with out untouched. */
int chacha20poly1305_open(const chacha20poly1305_ctx *ctx, const uint8_t nonce[12], const uint8_t *aad,
                          size_t aad_len, const uint8_t *in, size_t len, const uint8_t tag[16], uint8_t *out);

#endif
