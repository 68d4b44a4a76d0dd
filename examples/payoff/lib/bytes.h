/*
 * Byte-order loads and stores, one byte at a time: any alignment on every target (aarch64 images build with
 * -mstrict-align), and the compiler turns them into single loads where the target allows.
 */
#ifndef PAYOFF_BYTES_H
#define PAYOFF_BYTES_H

#include <stdint.h>

static inline uint32_t load32le(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store32le(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static inline uint64_t load64le(const uint8_t *p) {
    return (uint64_t)load32le(p) | (uint64_t)load32le(p + 4) << 32;
}

static inline void store64le(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static inline uint64_t load64be(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static inline void store64be(uint8_t *p, uint64_t v) {
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

#endif
