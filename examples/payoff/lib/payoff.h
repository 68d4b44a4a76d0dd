/*
 * The payoff harness every kernel of examples/payoff shares: known-answer checks that stop the app on a wrong
 * result, and a timing loop that prints one parseable line per measurement.
 *
 * Output (one line each, on the console):
 *   payoff: kat <what> ok
 *   payoff: kat <what> FAILED got <hex> expected <hex>          (then the app exits with status 1)
 *   payoff: result name=<name> bytes=<bytes per op> ops=<ops timed> ns_per_op=<median over batches>
 *           min_ns_per_op=<fastest batch> max_ns_per_op=<slowest batch> mb_per_s=<bytes/ns_per_op, 0 if bytes=0>
 *   payoff: features <the compiler feature macros this build was compiled with>
 *
 * Apps choose their code at compile time from the compiler's feature macros, never at run time.
 */
#ifndef PAYOFF_H
#define PAYOFF_H

#include <stddef.h>
#include <stdint.h>

/* How long each measurement runs, in milliseconds (a manifest may set it with defines: {PAYOFF_BUDGET_MS: "5"}). */
#ifndef PAYOFF_BUDGET_MS
#define PAYOFF_BUDGET_MS 300
#endif

/* Compares n bytes against an expected value written in hex; on a mismatch prints both and exits with 1. */
void payoff_expect(const char *what, const void *got, const char *expected_hex, size_t n);

/* Like payoff_expect, for a condition. */
void payoff_check(const char *what, int ok);

/* Parses hex into out (at most cap bytes); returns the byte count. Spaces are skipped. */
size_t payoff_hex(const char *hex, uint8_t *out, size_t cap);

/*
 * Runs op(ctx) in batches for about PAYOFF_BUDGET_MS and prints a result line. bytes is what one op processes
 * (0 for operations such as a signature, where MB/s means nothing).
 */
void payoff_measure(const char *name, size_t bytes, void (*op)(void *ctx), void *ctx);

/* Prints the feature macros the code was compiled with (the "payoff: features" line). */
void payoff_features(void);

/* Folds bytes into a checksum the harness prints at the end, so no timed work can be optimised away. */
void payoff_sink(const void *p, size_t n);

/* Prints the final "payoff: done" line with the sink's value; main returns its result. */
int payoff_done(void);

#endif
