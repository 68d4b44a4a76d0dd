/* assert() for freestanding apps: a failed assertion is a panic (exit code TAILOR_EXIT_PANIC). */
#include <tailor.h>
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : tailor_panic("assertion failed: %s (%s:%d)", #e, __FILE__, __LINE__))
#endif
