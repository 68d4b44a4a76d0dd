/* The payoff harness: see payoff.h. Plain C, no SIMD of its own beyond what the compiler chooses. */
#include "payoff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tailor.h>

static uint64_t sink_value = 0xcbf29ce484222325ull;

void payoff_sink(const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        sink_value = (sink_value ^ b[i]) * 0x100000001b3ull;
    }
}

static int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t payoff_hex(const char *hex, uint8_t *out, size_t cap) {
    size_t n = 0;
    int hi = -1;
    for (const char *s = hex; *s; s++) {
        int v = nibble(*s);
        if (v < 0) {
            continue;
        }
        if (hi < 0) {
            hi = v;
        } else {
            if (n == cap) {
                tailor_panic("payoff_hex: more than %u bytes", (unsigned)cap);
            }
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return n;
}

static void print_hex(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
}

void payoff_expect(const char *what, const void *got, const char *expected_hex, size_t n) {
    static uint8_t want[1024];
    size_t m = payoff_hex(expected_hex, want, sizeof want);
    if (m != n || memcmp(got, want, n) != 0) {
        printf("payoff: kat %s FAILED got ", what);
        print_hex(got, n);
        printf(" expected ");
        print_hex(want, m);
        printf("\n");
        exit(1);
    }
    printf("payoff: kat %s ok\n", what);
}

void payoff_check(const char *what, int ok) {
    if (!ok) {
        printf("payoff: kat %s FAILED\n", what);
        exit(1);
    }
    printf("payoff: kat %s ok\n", what);
}

/* Insertion sort: at most a few hundred batches. */
static void sort(uint64_t *v, int n) {
    for (int i = 1; i < n; i++) {
        uint64_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

#define MAX_BATCHES 64

void payoff_measure(const char *name, size_t bytes, void (*op)(void *ctx), void *ctx) {
    const uint64_t budget = (uint64_t)PAYOFF_BUDGET_MS * 1000000ull;
    op(ctx); /* warm caches and branch predictors */
    /* Grow the batch until one takes about a twentieth of the budget, so the clock's resolution is negligible. */
    uint64_t per_batch = 1;
    for (;;) {
        uint64_t t0 = tailor_now_ns();
        for (uint64_t i = 0; i < per_batch; i++) {
            op(ctx);
        }
        uint64_t dt = tailor_now_ns() - t0;
        if (dt * 20 >= budget || per_batch >= (1ull << 30)) {
            break;
        }
        per_batch *= 2;
    }
    uint64_t batch_ns[MAX_BATCHES]; /* nanoseconds per op, times 1000, per batch */
    int batches = 0;
    uint64_t start = tailor_now_ns();
    do {
        uint64_t t0 = tailor_now_ns();
        for (uint64_t i = 0; i < per_batch; i++) {
            op(ctx);
        }
        uint64_t dt = tailor_now_ns() - t0;
        batch_ns[batches++] = dt * 1000 / per_batch;
    } while (batches < MAX_BATCHES && (batches < 3 || tailor_now_ns() - start < budget));
    sort(batch_ns, batches);
    uint64_t median = batch_ns[batches / 2];
    uint64_t mbps = bytes == 0 || median == 0 ? 0 : (uint64_t)bytes * 1000ull * 1000ull * 1000ull / median;
    printf("payoff: result name=%s bytes=%u ops=%llu ns_per_op=%llu.%03u min_ns_per_op=%llu.%03u "
           "max_ns_per_op=%llu.%03u mb_per_s=%llu.%03u\n",
           name, (unsigned)bytes, (unsigned long long)(per_batch * (uint64_t)batches),
           (unsigned long long)(median / 1000), (unsigned)(median % 1000),
           (unsigned long long)(batch_ns[0] / 1000), (unsigned)(batch_ns[0] % 1000),
           (unsigned long long)(batch_ns[batches - 1] / 1000), (unsigned)(batch_ns[batches - 1] % 1000),
           (unsigned long long)(mbps / 1000), (unsigned)(mbps % 1000));
}

void payoff_features(void) {
    printf("payoff: features");
#ifdef __AES__
    printf(" aes");
#endif
#ifdef __PCLMUL__
    printf(" pclmul");
#endif
#ifdef __SHA__
    printf(" sha");
#endif
#ifdef __SSSE3__
    printf(" ssse3");
#endif
#ifdef __AVX2__
    printf(" avx2");
#endif
#ifdef __AVX512F__
    printf(" avx512f");
#endif
#ifdef __AVX512VL__
    printf(" avx512vl");
#endif
#ifdef __VAES__
    printf(" vaes");
#endif
#ifdef __VPCLMULQDQ__
    printf(" vpclmulqdq");
#endif
#ifdef __BMI2__
    printf(" bmi2");
#endif
#ifdef __ADX__
    printf(" adx");
#endif
#ifdef __ARM_NEON
    printf(" neon");
#endif
#ifdef __ARM_FEATURE_AES
    printf(" arm-aes");
#endif
#ifdef __ARM_FEATURE_SHA2
    printf(" arm-sha2");
#endif
#ifdef __wasm_simd128__
    printf(" simd128");
#endif
    printf("\n");
}

int payoff_done(void) {
    printf("payoff: done sink=%016llx\n", (unsigned long long)sink_value);
    return 0;
}
