#include "compute.h"

static int16_t sat_add(int16_t x, int16_t y) {
    int32_t s = (int32_t)x + y;
    return (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s);
}

uint64_t vector_kernel(int16_t *a, const int16_t *b, size_t n) {
    int64_t dot = 0;
    for (size_t i = 0; i < n; i++) {
        dot += (int32_t)a[i] * b[i];
    }
    for (size_t i = 0; i < n; i++) {
        a[i] = sat_add(a[i], b[i]);
    }
    uint64_t fold = (uint64_t)dot;
    for (size_t i = 0; i < n; i++) {
        fold = fold * 31 + (uint16_t)a[i];
    }
    return fold;
}
