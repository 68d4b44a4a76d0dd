/*
 * Ed25519 (RFC 8032 section 5.1): key generation from a 32-byte seed, signing, and verification.
 *
 * Signing is constant time: the fixed-base multiplication selects precomputed multiples of the base point by masks
 * (never by a secret index or branch), and scalars are reduced mod L with fixed-length arithmetic. Verification
 * handles only public data and takes the simple variable-time route.
 *
 * The first call builds a table of 256 multiples of the base point (24 to 30 KB of static data by field
 * representation, plus a third of that as scratch; a few thousand field multiplications); ed25519_precompute does
 * it up front, so that no timed operation pays for it.
 */
#ifndef PAYOFF_ED25519_H
#define PAYOFF_ED25519_H

#include <stddef.h>
#include <stdint.h>

#define ED25519_SEED_SIZE 32
#define ED25519_PUBLIC_KEY_SIZE 32
#define ED25519_SIGNATURE_SIZE 64

/* The expanded private key (RFC 8032 5.1.5): the clamped scalar s, the nonce prefix, and the encoded A = [s]B. */
typedef struct {
    uint8_t scalar[32];
    uint8_t prefix[32];
    uint8_t public_key[ED25519_PUBLIC_KEY_SIZE];
} ed25519_key;

void ed25519_precompute(void);
void ed25519_key_from_seed(ed25519_key *key, const uint8_t seed[ED25519_SEED_SIZE]);
void ed25519_sign(uint8_t sig[ED25519_SIGNATURE_SIZE], const ed25519_key *key, const void *msg, size_t len);
/* 1 if sig is a valid signature of msg under public_key (RFC 8032 5.1.7, cofactorless check), else 0. */
int ed25519_verify(const uint8_t sig[ED25519_SIGNATURE_SIZE], const uint8_t public_key[ED25519_PUBLIC_KEY_SIZE],
                   const void *msg, size_t len);

#endif
