/*
 * X25519 (RFC 7748 section 5): Diffie-Hellman on Curve25519 with the Montgomery ladder. The field arithmetic is
 * f25519's, so this code is the same on every target and gets faster wherever the field does.
 */
#ifndef PAYOFF_X25519_H
#define PAYOFF_X25519_H

#include <stdint.h>

#define X25519_SIZE 32

/* out = X25519(scalar, u): the scalar is clamped and the top bit of u ignored, as the RFC requires. */
void x25519(uint8_t out[X25519_SIZE], const uint8_t scalar[X25519_SIZE], const uint8_t u[X25519_SIZE]);

/* out = X25519(scalar, 9): the public key for a private scalar. */
void x25519_base(uint8_t out[X25519_SIZE], const uint8_t scalar[X25519_SIZE]);

#endif
