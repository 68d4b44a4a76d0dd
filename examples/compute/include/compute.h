/* Kernels that vectorise and use crypto/CRC instructions when the target allows, with portable results. */
#ifndef COMPUTE_H
#define COMPUTE_H
#include <stddef.h>
#include <stdint.h>

void sha256(const uint8_t *data, size_t len, uint8_t out[32]);
uint32_t crc32(uint32_t crc, const uint8_t *data, size_t len);
/* A dot product and a saturating-add pass over int16 vectors, folded into 64 bits. */
uint64_t vector_kernel(int16_t *a, const int16_t *b, size_t n);
#endif
