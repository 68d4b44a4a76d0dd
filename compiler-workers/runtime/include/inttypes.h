/* The printf format macros apps expect with <stdint.h>; sizes follow the target's data model. */
#ifndef TAILOR_INTTYPES_H
#define TAILOR_INTTYPES_H
#include <stdint.h>
#if defined(__LP64__)
#define __TAILOR_PRI64 "l"
#else
#define __TAILOR_PRI64 "ll"
#endif
#define PRId8 "d"
#define PRId16 "d"
#define PRId32 "d"
#define PRId64 __TAILOR_PRI64 "d"
#define PRIu8 "u"
#define PRIu16 "u"
#define PRIu32 "u"
#define PRIu64 __TAILOR_PRI64 "u"
#define PRIx8 "x"
#define PRIx16 "x"
#define PRIx32 "x"
#define PRIx64 __TAILOR_PRI64 "x"
#define PRIX32 "X"
#define PRIX64 __TAILOR_PRI64 "X"
#endif
