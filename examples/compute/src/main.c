/*
 * A compute workload whose output must not depend on the target: every tuned build prints the same
 * checksum line as the baseline, or the tuning is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include "compute.h"

#ifndef ROUNDS
#define ROUNDS 4
#endif
#define SIZE 16384

static uint8_t buffer[SIZE];
/* Bytes processed, counted atomically as a multi-core version would: LSE atomics on ARMv8.1 and later. */
static uint64_t work_done;

int main(void) {
    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < SIZE; i++) { /* xorshift: the same bytes everywhere */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buffer[i] = (uint8_t)x;
    }
    int16_t *a = malloc(SIZE / 2 * sizeof *a);
    int16_t *b = malloc(SIZE / 2 * sizeof *b);
    if (a == NULL || b == NULL) {
        printf("compute: out of memory\n");
        return 2;
    }
    for (size_t i = 0; i < SIZE / 2; i++) {
        a[i] = (int16_t)(buffer[2 * i] | buffer[2 * i + 1] << 8);
        b[i] = (int16_t)(buffer[SIZE - 1 - i] * 97 - 12000);
    }

    uint64_t t0 = tailor_now_ns();
    uint8_t digest[32];
    uint32_t crc = 0;
    uint64_t vec = 0;
    for (int r = 0; r < ROUNDS; r++) {
        sha256(buffer, SIZE, digest);
        buffer[r] ^= digest[r];
        crc = crc32(crc, buffer, SIZE);
        vec ^= vector_kernel(a, b, SIZE / 2);
        __atomic_fetch_add(&work_done, 3 * SIZE, __ATOMIC_SEQ_CST);
    }
    uint64_t t1 = tailor_now_ns();

    printf("sha256=");
    for (int i = 0; i < 32; i++) {
        printf("%02x", digest[i]);
    }
    printf("\n");
    printf("checksum sha256=%02x%02x%02x%02x crc32=%08x vector=%016llx\n", digest[0], digest[1], digest[2],
           digest[3], (unsigned)crc, (unsigned long long)vec);
    printf("compute: %d rounds, %llu bytes in %llu us\n", ROUNDS, (unsigned long long)__atomic_load_n(&work_done, __ATOMIC_SEQ_CST),
           (unsigned long long)((t1 - t0) / 1000));
    free(a);
    free(b);
    return 0;
}
