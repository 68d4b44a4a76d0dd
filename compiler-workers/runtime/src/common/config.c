/*
 * The per-build part of the runtime: compiled for every image (not cached with the rest), because
 * the banner's build key and the heap size belong to one build. The driver passes the values as -D.
 */
#include <stddef.h>

#ifndef TAILOR_TARGET_ID
#define TAILOR_TARGET_ID "unknown"
#endif
#ifndef TAILOR_BUILD_KEY
#define TAILOR_BUILD_KEY "unknown"
#endif
#ifndef TAILOR_APP_NAME
#define TAILOR_APP_NAME "app"
#endif
#ifndef TAILOR_HEAP_SIZE
#define TAILOR_HEAP_SIZE (1024 * 1024)
#endif

const char tailor_config_target[] = TAILOR_TARGET_ID;
const char tailor_config_build[] = TAILOR_BUILD_KEY;
const char tailor_config_app[] = TAILOR_APP_NAME;
const size_t tailor_heap_bytes = TAILOR_HEAP_SIZE;

/* Its own section, which the linker scripts keep out of .bss: the heap is never cleared at boot. */
__attribute__((aligned(64))) unsigned char tailor_heap[TAILOR_HEAP_SIZE];
