/*
 * An app whose speed depends on the rung, by construction: without AVX2 it does its work three times over, with
 * AVX2 (x86_64-v3 and every rung above) once. The work is a serial chain of multiply-xorshift steps that no
 * compiler can vectorise, so each pass costs the same on every rung; only the number of passes differs. The
 * answer is the same everywhere. Tailor's tests and bench/auto-ladder use it to check that the auto policy keeps
 * the rung that pays (v3) and steps down from the ones above it that do not.
 */
#include <stdint.h>
#include <stdio.h>
#include <tailor.h>

#ifdef __AVX2__
#define PASSES 1
#else
#define PASSES 3
#endif

#define STEPS 6000000u

static uint64_t pass(uint64_t x) {
    for (uint32_t i = 0; i < STEPS; i++) {
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9ull;
        x ^= x >> 32;
    }
    return x;
}

int main(void) {
    uint64_t start = tailor_now_ns();
    volatile uint64_t seed = 0x9e3779b97f4a7c15ull;
    uint64_t answer = 0;
    for (int p = 0; p < PASSES; p++) {
        answer = pass(seed); /* each pass recomputes the same chain: the extra ones are pure waste */
    }
    double seconds = (double)(tailor_now_ns() - start) / 1e9;
    printf("rung-bound: answer %016llx\n", (unsigned long long)answer);
    tailor_metric("steps_per_s", seconds > 0 ? STEPS / seconds : 0);
    return 0;
}
