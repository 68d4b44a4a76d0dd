/* The ChaCha20-Poly1305 AEAD, RFC 8439 section 2.8. */
#include "chacha20poly1305.h"
#include "bytes.h"

#include <string.h>

void chacha20poly1305_init(chacha20poly1305_ctx *ctx, const uint8_t key[32]) { memcpy(ctx->key, key, 32); }

static void pad16(poly1305_ctx *p, size_t len) {
    static const uint8_t zeros[16];
    if (len % 16 != 0) {
        poly1305_update(p, zeros, 16 - len % 16);
    }
}

/*
 * The one-time Poly1305 key is the first half of key stream block 0 (section 2.6); the MAC covers
 * AAD || pad16 || ciphertext || pad16 || le64(len(AAD)) || le64(len(ciphertext)).
 */
static void aead_tag(const chacha20poly1305_ctx *ctx, const uint8_t nonce[12], const uint8_t *aad, size_t aad_len,
                     const uint8_t *ct, size_t len, uint8_t tag[16]) {
    uint8_t block0[64], lens[16];
    poly1305_ctx p;
    chacha20_block(ctx->key, 0, nonce, block0);
    poly1305_init(&p, block0);
    poly1305_update(&p, aad, aad_len);
    pad16(&p, aad_len);
    poly1305_update(&p, ct, len);
    pad16(&p, len);
    store64le(lens, aad_len);
    store64le(lens + 8, len);
    poly1305_update(&p, lens, 16);
    poly1305_final(&p, tag);
    memset(block0, 0, sizeof block0);
}

void chacha20poly1305_seal(const chacha20poly1305_ctx *ctx, const uint8_t nonce[12], const uint8_t *aad,
                           size_t aad_len, const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16]) {
    chacha20_xor(ctx->key, nonce, 1, in, out, len); /* block 0 went to the Poly1305 key */
    aead_tag(ctx, nonce, aad, aad_len, out, len, tag);
}

int chacha20poly1305_open(const chacha20poly1305_ctx *ctx, const uint8_t nonce[12], const uint8_t *aad,
                          size_t aad_len, const uint8_t *in, size_t len, const uint8_t tag[16], uint8_t *out) {
    uint8_t want[16];
    aead_tag(ctx, nonce, aad, aad_len, in, len, want);
    /* Accumulate every difference so the time taken does not reveal how many tag bytes matched. */
    uint8_t diff = 0;
    for (int i = 0; i < 16; i++) {
        diff |= want[i] ^ tag[i];
    }
    if (diff != 0) {
        return -1;
    }
    chacha20_xor(ctx->key, nonce, 1, in, out, len);
    return 0;
}
