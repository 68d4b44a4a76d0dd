/*
 * AES (FIPS 197) encryption: key expansion, single blocks and CTR mode with a 32-bit big-endian counter (the
 * counter mode GCM uses, SP 800-38D section 6.5). Decryption is not provided: GCM and CTR only need the forward
 * cipher.
 *
 * The code path is chosen at compile time from the compiler's feature macros (see aes_impl()):
 *   __VAES__ + AVX-512   4 blocks per instruction, 16 blocks in flight
 *   __VAES__ + AVX2      2 blocks per instruction, 16 blocks in flight
 *   __AES__              AES-NI, 8 blocks in flight
 *   __ARM_FEATURE_AES    ARMv8 AESE/AESMC, 8 blocks in flight
 *   otherwise            constant-time bitsliced AES on 64-bit words, 4 blocks per word, with words of 2, 4
 *                        or 8 vector lanes where SSE2/NEON/WebAssembly SIMD, AVX2 or AVX-512 allow
 */
#ifndef PAYOFF_AES_H
#define PAYOFF_AES_H

#include <stddef.h>
#include <stdint.h>

#define AES_MAX_ROUNDS 14

typedef struct {
    /*
     * The hardware paths read b: the FIPS 197 round keys in byte order. The portable path reads q: each round
     * key bitsliced the way the state is (eight words, one per bit of every byte), already copied into the
     * four block slots so that AddRoundKey is eight XORs.
     */
    union {
        _Alignas(16) uint8_t b[AES_MAX_ROUNDS + 1][16]; /* aligned: strict-alignment ARM builds load it whole */
        uint64_t q[AES_MAX_ROUNDS + 1][8];
    } rk;
    unsigned rounds; /* 10, 12 or 14 */
} aes_key;

/* Expands a 16-, 24- or 32-byte key (any other length panics). */
void aes_init(aes_key *k, const uint8_t *key, size_t key_len);

/* Encrypts one block; in and out may be the same. */
void aes_encrypt_block(const aes_key *k, const uint8_t in[16], uint8_t out[16]);

/*
 * XORs len bytes of in with the key stream E(iv || ctr), E(iv || ctr+1), ... (the counter is big-endian and
 * wraps modulo 2^32) into out; the final block may be partial. in and out may be the same buffer.
 */
void aes_ctr32_xor(const aes_key *k, const uint8_t iv[12], uint32_t ctr, const uint8_t *in, uint8_t *out,
                   size_t len);

/* The code path this build uses, e.g. "aes-ni" or "bitsliced-ct64". */
const char *aes_impl(void);

#endif
