/*
 * GHASH and AES-GCM (NIST SP 800-38D) with 96-bit IVs and 128-bit tags.
 *
 * GHASH's path is chosen at compile time (see ghash_impl()):
 *   __VPCLMULQDQ__ + AVX-512   4 blocks per carry-less multiply instruction, 32 blocks per reduction
 *   __VPCLMULQDQ__ + AVX2      2 blocks per instruction, 16 blocks per reduction
 *   __PCLMUL__ + SSSE3         PCLMULQDQ, 8 blocks per reduction
 *   __ARM_FEATURE_AES          PMULL (part of the ARMv8 crypto extension), 8 blocks per reduction
 *   otherwise                  constant-time carry-less multiplication with integer multiplies and masks
 * The multi-block paths multiply block i of a group by a precomputed power of H and reduce once per group.
 */
#ifndef PAYOFF_GCM_H
#define PAYOFF_GCM_H

#include <stddef.h>
#include <stdint.h>

#include "aes.h"

#define GHASH_MAX_POWERS 32

typedef struct {
    /*
     * hpow[GHASH_MAX_POWERS - i] is H^i as a 128-bit integer in GCM's bit order (the block read big-endian),
     * stored low half first, so that a vector load of consecutive entries gives H^n, H^(n-1), ... in lane
     * order. Only as many powers as the build's path uses are computed; the portable path keeps H alone,
     * high half first.
     */
    _Alignas(16) uint64_t hpow[GHASH_MAX_POWERS][2];
} ghash_key;

void ghash_init(ghash_key *k, const uint8_t h[16]);

/*
 * Folds data into the GHASH state y (16 bytes, in the block byte order of SP 800-38D), as if it were followed by
 * zeros up to the next multiple of 16 bytes.
 */
void ghash_update(const ghash_key *k, uint8_t y[16], const uint8_t *data, size_t len);

const char *ghash_impl(void);

typedef struct {
    aes_key aes;
    ghash_key ghash;
} aes_gcm_ctx;

/* key_len is 16 (AES-128) or 32 (AES-256); 24 also works. */
void aes_gcm_init(aes_gcm_ctx *ctx, const uint8_t *key, size_t key_len);

/* Encrypts len bytes of in into out (they may be the same buffer) and writes the tag over aad and out. */
void aes_gcm_seal(const aes_gcm_ctx *ctx, const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
                  const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16]);

/*
 * Checks the tag in constant time and only then decrypts: 0 with the plaintext in out, or -1 with out untouched.
 * in and out may be the same buffer.
 */
int aes_gcm_open(const aes_gcm_ctx *ctx, const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
                 const uint8_t *in, size_t len, const uint8_t tag[16], uint8_t *out);

#endif
