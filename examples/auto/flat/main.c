/*
 * An app whose speed does not depend on the rung: the same serial chain of multiply-xorshift steps as rung-bound,
 * once, on every rung. No instruction set Tailor can target makes a dependent chain of 64-bit multiplies faster,
 * so every rung above the baseline buys nothing, and the auto policy should serve the baseline to every device.
 */
#include <stdint.h>
#include <stdio.h>
#include <tailor.h>

#define STEPS 6000000u

int main(void) {
    volatile uint64_t seed = 0x9e3779b97f4a7c15ull;
    uint64_t x = seed;
    for (uint32_t i = 0; i < STEPS; i++) {
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9ull;
        x ^= x >> 32;
    }
    printf("flat: answer %016llx\n", (unsigned long long)x);
    return 0;
}
