/*
 * SHA-256 (FIPS 180-4), HMAC-SHA-256 (RFC 2104), HKDF-SHA-256 (RFC 5869) and the TLS 1.3 key-schedule helpers
 * HKDF-Expand-Label and Derive-Secret (RFC 8446 section 7.1).
 *
 * The compression function is chosen at compile time from the compiler's feature macros:
 *   __SHA__ (with SSE4.1)     x86 SHA extensions (sha256rnds2/sha256msg1/sha256msg2)
 *   __ARM_FEATURE_SHA2        Armv8 SHA-256 instructions (sha256h/sha256h2/sha256su0/sha256su1)
 *   otherwise                 portable C
 * sha256_impl names the one compiled in.
 *
 * The file also carries the Merkle-Damgard buffering and padding that SHA-512 shares (sha2_*).
 */
#ifndef PAYOFF_SHA256_H
#define PAYOFF_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BLOCK_SIZE 64
#define SHA256_BLOCK_LOG2 6
#define SHA256_DIGEST_SIZE 32

typedef struct {
    uint32_t h[8];
    uint64_t total; /* bytes absorbed so far */
    size_t fill;    /* bytes waiting in buf */
    uint8_t buf[SHA256_BLOCK_SIZE];
} sha256_ctx;

extern const char sha256_impl[];

void sha256_init(sha256_ctx *ctx);
void sha256_update(sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

/* HMAC keeps the two keyed states, so a MAC under one key costs no key processing after init. */
typedef struct {
    sha256_ctx inner, outer;
} hmac_sha256_ctx;

void hmac_sha256_init(hmac_sha256_ctx *ctx, const void *key, size_t key_len);
void hmac_sha256_update(hmac_sha256_ctx *ctx, const void *data, size_t len);
void hmac_sha256_final(hmac_sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);
void hmac_sha256(const void *key, size_t key_len, const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

/* RFC 5869. A NULL or empty salt means HashLen zero bytes (section 2.2). out_len is at most 255 * 32. */
void hkdf_sha256_extract(const void *salt, size_t salt_len, const void *ikm, size_t ikm_len,
                         uint8_t prk[SHA256_DIGEST_SIZE]);
void hkdf_sha256_expand(const uint8_t prk[SHA256_DIGEST_SIZE], const void *info, size_t info_len, uint8_t *out,
                        size_t out_len);

/*
 * RFC 8446 7.1: HKDF-Expand-Label(Secret, Label, Context, Length), where label is given without its "tls13 " prefix
 * (at most 249 bytes) and context is at most 255 bytes.
 */
void tls13_hkdf_expand_label(const uint8_t secret[SHA256_DIGEST_SIZE], const char *label, const void *context,
                             size_t context_len, uint8_t *out, size_t out_len);

/* Derive-Secret(Secret, Label, Messages), taking Transcript-Hash(Messages) already computed. */
void tls13_derive_secret(const uint8_t secret[SHA256_DIGEST_SIZE], const char *label,
                         const uint8_t transcript_hash[SHA256_DIGEST_SIZE], uint8_t out[SHA256_DIGEST_SIZE]);

/*
 * Merkle-Damgard plumbing shared by SHA-256 and SHA-512: both buffer partial blocks the same way and pad with 0x80,
 * zeros and the big-endian bit length (8 bytes for 64-byte blocks, 16 bytes for 128-byte blocks).
 * compress(state, blocks, n) processes n whole blocks. The block size is given as its log2 (6 or 7) so that no
 * division is needed: 32-bit Arm has no divide instruction in its baseline.
 */
typedef void (*sha2_compress_fn)(void *state, const uint8_t *blocks, size_t n);

void sha2_absorb(void *state, sha2_compress_fn compress, uint8_t *buf, unsigned block_log2, size_t *fill,
                 const uint8_t *in, size_t len);
void sha2_pad(void *state, sha2_compress_fn compress, uint8_t *buf, unsigned block_log2, size_t fill, uint64_t total);

#endif
