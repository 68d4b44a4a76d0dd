/*
 * SHA-512 (FIPS 180-4), for Ed25519 (RFC 8032 hashes the key seed and the nonce input with it).
 * One portable implementation: no target the suite builds for has SHA-512 instructions in its baseline or
 * feature macros that the kernels measure.
 */
#ifndef PAYOFF_SHA512_H
#define PAYOFF_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_BLOCK_SIZE 128
#define SHA512_BLOCK_LOG2 7
#define SHA512_DIGEST_SIZE 64

typedef struct {
    uint64_t h[8];
    uint64_t total; /* bytes absorbed so far (2^64 bytes is far beyond anything here) */
    size_t fill;    /* bytes waiting in buf */
    uint8_t buf[SHA512_BLOCK_SIZE];
} sha512_ctx;

void sha512_init(sha512_ctx *ctx);
void sha512_update(sha512_ctx *ctx, const void *data, size_t len);
void sha512_final(sha512_ctx *ctx, uint8_t out[SHA512_DIGEST_SIZE]);
void sha512(const void *data, size_t len, uint8_t out[SHA512_DIGEST_SIZE]);

#endif
