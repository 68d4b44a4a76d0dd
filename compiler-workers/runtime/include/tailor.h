/*
 * tailor.h: the API a Tailor app sees. Apps are plain C with `int main(void)`; main's return value
 * becomes the exit code of the (virtual) machine. See README.md for exit codes and the boot protocol.
 */
#ifndef TAILOR_H
#define TAILOR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit codes the runtime itself uses; an app should return 0..119 from main. */
#define TAILOR_EXIT_PANIC 120               /* abort(), tailor_panic(), a failed assert() */
#define TAILOR_EXIT_ILLEGAL_INSTRUCTION 121 /* the CPU lacks an instruction the image uses */
#define TAILOR_EXIT_FAULT 122               /* any other CPU exception: bad memory access, alignment, divide error... */
#define TAILOR_EXIT_BAD_STATUS 123          /* main returned a value outside 0..119 */

#define TAILOR_EXIT_MAX_APP 119

/* Console (COM1 on x86, PL011 on ARM). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int sprintf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int puts(const char *s);
int putchar(int c);
void tailor_write(const char *s, size_t n);

/* Memory: a heap whose size the manifest sets at build time. */
void *malloc(size_t n);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
size_t tailor_heap_size(void);
size_t tailor_heap_free(void);

/* Strings and memory. */
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *restrict d, const char *restrict s);
char *strncpy(char *restrict d, const char *restrict s, size_t n);
char *strcat(char *restrict d, const char *restrict s);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int atoi(const char *s);
int abs(int v);
long labs(long v);

/* Leaving. */
_Noreturn void exit(int code);
_Noreturn void abort(void);
_Noreturn void tailor_exit(int code);
_Noreturn void tailor_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Time: nanoseconds since an arbitrary point at boot, never going backwards. */
uint64_t tailor_now_ns(void);

/*
 * A figure of the app's own, for payoff runs: prints "tailor-metric: <name>=<value>" on the console. Names are
 * [a-z0-9_], at most 63 characters; Tailor records the median of each over a payoff run's repetitions beside the
 * time of main, e.g. tailor_metric("handshakes_per_s", n / seconds).
 */
void tailor_metric(const char *name, double value);

/* What is running: the values the boot banner prints. */
const char *tailor_target_id(void);
const char *tailor_build_key(void);
const char *tailor_app_name(void);
const char *tailor_arch(void);

#ifdef __cplusplus
}
#endif

#endif
