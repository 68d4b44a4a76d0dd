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

/* Each pass stores its result here, so the compiler cannot drop the passes whose result nobody else reads. */
static volatile uint64_t sink;

int main(void) {
    uint64_t start = tailor_now_ns();
    volatile uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int p = 0; p < PASSES; p++) {
        sink = pass(seed); /* each pass recomputes the same chain: the extra ones are pure waste */
    }
    uint64_t answer = sink;
    double seconds = (double)(tailor_now_ns() - start) / 1e9;
    printf("rung-bound: answer %016llx\n", (unsigned long long)answer);
    tailor_metric("steps_per_s", seconds > 0 ? STEPS / seconds : 0);
    return 0;
}
