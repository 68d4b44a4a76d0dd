/*
 * The control kernel: ordinary branchy integer work, where newer instruction sets should buy little. An LZ77
 * compressor in the style of deflate's (hash chains over a 32 KiB window, one step of lazy matching) and its
 * decompressor, on 16 KiB of English-like text generated here. The suite's other kernels should gain from tuning;
 * this one shows how much of a gain the compiler alone finds in code that has no use for wider vectors.
 *
 * Compressed format: a 4-byte little-endian length, then groups of up to 8 tokens, each group led by a flag byte
 * (bit k set: token k is a match). A literal is one byte; a match is three: distance - 1 (15 bits, low byte first)
 * and length - 3.
 */
#include <stdio.h>
#include <string.h>

#include "payoff.h"

#define TEXT_SIZE 16384
#define WINDOW 32768 /* deflate's window */
#define WINDOW_MASK (WINDOW - 1)
#define HASH_BITS 13
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CHAIN 128   /* candidates tried per position: zlib level 6 tries 128 */
#define LAZY_LIMIT 32   /* a match this long is taken without looking one byte further */
#define OUT_CAP (4 + TEXT_SIZE + TEXT_SIZE / 8 + 1)

static uint8_t text[TEXT_SIZE], packed[OUT_CAP], unpacked[TEXT_SIZE];
static int32_t head[1 << HASH_BITS]; /* most recent position per hash, -1 for none */
static int32_t prev[WINDOW];         /* the previous position with the same hash, per position mod WINDOW */

/* ---------------- the text ---------------- */

static uint32_t rng_state = 12345;

static uint32_t rng(void) {
    rng_state = rng_state * 1103515245u + 12345u; /* unsigned: the same sequence on every target */
    return rng_state >> 16;
}

/* Roughly by English frequency, so a skewed pick gives a plausible word distribution. */
static const char *const words[] = {
    "the", "of", "and", "to", "a", "in", "is", "it", "you", "that", "he", "was", "for", "on", "are", "with", "as",
    "his", "they", "be", "at", "one", "have", "this", "from", "or", "had", "by", "word", "but", "what", "some", "we",
    "can", "out", "other", "were", "all", "there", "when", "up", "use", "your", "how", "said", "an", "each", "she",
    "which", "do", "their", "time", "if", "will", "way", "about", "many", "then", "them", "write", "would", "like",
    "so", "these", "her", "long", "make", "thing", "see", "him", "two", "has", "look", "more", "day", "could", "go",
    "come", "did", "number", "sound", "no", "most", "people", "my", "over", "know", "water", "than", "call", "first",
    "who", "may", "down", "side", "been", "now", "find", "compiler", "machine", "image", "processor", "instruction",
    "vector", "register", "memory", "kernel", "signature", "handshake", "server", "network", "latency", "bandwidth",
};
#define WORD_COUNT (sizeof words / sizeof words[0])

static void generate_text(void) {
    size_t n = 0;
    int sentence = 0;
    while (n < TEXT_SIZE) {
        int len = 6 + (int)(rng() % 11);
        for (int w = 0; w < len && n < TEXT_SIZE; w++) {
            uint32_t a = rng() % WORD_COUNT, b = rng() % WORD_COUNT;
            const char *word = words[a * b / WORD_COUNT]; /* skewed towards the common words */
            for (size_t k = 0; word[k] && n < TEXT_SIZE; k++) {
                char c = word[k];
                text[n++] = (uint8_t)(w == 0 && k == 0 ? c - 'a' + 'A' : c);
            }
            if (n < TEXT_SIZE) {
                text[n++] = w == len - 1 ? '.' : (rng() % 9 == 0 ? ',' : ' ');
            }
            if (n < TEXT_SIZE && w < len - 1 && text[n - 1] == ',') {
                text[n++] = ' ';
            }
        }
        if (n < TEXT_SIZE) {
            text[n++] = ++sentence % 5 == 0 ? '\n' : ' ';
        }
    }
}

/* ---------------- compression ---------------- */

static uint32_t hash3(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static void insert(const uint8_t *in, size_t pos) {
    uint32_t h = hash3(in + pos);
    prev[pos & WINDOW_MASK] = head[h];
    head[h] = (int32_t)pos;
}

/* The longest earlier match for in[pos..], at most MAX_CHAIN candidates back; 0 if none reaches MIN_MATCH. */
static size_t longest_match(const uint8_t *in, size_t n, size_t pos, size_t *dist) {
    size_t best = 0, max = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
    int32_t limit = pos > WINDOW ? (int32_t)(pos - WINDOW) : -1;
    int32_t cand = head[hash3(in + pos)];
    for (int chain = MAX_CHAIN; cand > limit && chain > 0; chain--) {
        const uint8_t *a = in + cand, *b = in + pos;
        if (a[best] == b[best]) { /* cannot beat best unless this byte matches */
            size_t len = 0;
            while (len < max && a[len] == b[len]) {
                len++;
            }
            if (len > best) {
                best = len;
                *dist = pos - (size_t)cand;
                if (len == max) {
                    break;
                }
            }
        }
        int32_t next = prev[cand & WINDOW_MASK];
        if (next >= cand) {
            break; /* the slot was reused by a newer position: the chain ends here */
        }
        cand = next;
    }
    return best >= MIN_MATCH ? best : 0;
}

typedef struct {
    uint8_t *out;
    size_t len, flag_at;
    int flag_bit;
} writer;

static void token(writer *w, int is_match) {
    if (w->flag_bit == 8) {
        w->flag_at = w->len++;
        w->out[w->flag_at] = 0;
        w->flag_bit = 0;
    }
    w->out[w->flag_at] |= (uint8_t)(is_match << w->flag_bit);
    w->flag_bit++;
}

static void emit_literal(writer *w, uint8_t c) {
    token(w, 0);
    w->out[w->len++] = c;
}

static void emit_match(writer *w, size_t len, size_t dist) {
    token(w, 1);
    w->out[w->len++] = (uint8_t)(dist - 1);
    w->out[w->len++] = (uint8_t)((dist - 1) >> 8);
    w->out[w->len++] = (uint8_t)(len - MIN_MATCH);
}

static size_t compress(const uint8_t *in, size_t n, uint8_t *out) {
    writer w = {out, 4, 0, 8};
    for (int i = 0; i < 4; i++) {
        out[i] = (uint8_t)(n >> (8 * i));
    }
    memset(head, 0xff, sizeof head);
    size_t i = 0;
    while (i < n) {
        size_t len = 0, dist = 0;
        if (i + MIN_MATCH <= n) {
            len = longest_match(in, n, i, &dist);
            insert(in, i);
        }
        if (len == 0) {
            emit_literal(&w, in[i++]);
            continue;
        }
        /* Lazy matching: if the match starting one byte later is longer, emit a literal and take that one. */
        if (len < LAZY_LIMIT && i + 1 + MIN_MATCH <= n) {
            size_t dist2 = 0, len2 = longest_match(in, n, i + 1, &dist2);
            if (len2 > len) {
                emit_literal(&w, in[i++]);
                insert(in, i);
                len = len2, dist = dist2;
            }
        }
        emit_match(&w, len, dist);
        for (size_t k = 1; k < len && i + k + MIN_MATCH <= n; k++) {
            insert(in, i + k);
        }
        i += len;
    }
    return w.len;
}

/* Returns the decompressed length, or -1 for a malformed stream (it never writes outside out[0..cap)). */
static long decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap) {
    if (in_len < 4) {
        return -1;
    }
    size_t n = (size_t)in[0] | (size_t)in[1] << 8 | (size_t)in[2] << 16 | (size_t)in[3] << 24;
    size_t ip = 4, op = 0;
    if (n > cap) {
        return -1;
    }
    while (op < n) {
        if (ip >= in_len) {
            return -1;
        }
        uint8_t flags = in[ip++];
        for (int bit = 0; bit < 8 && op < n; bit++) {
            if (!(flags >> bit & 1)) {
                if (ip >= in_len) {
                    return -1;
                }
                out[op++] = in[ip++];
                continue;
            }
            if (ip + 3 > in_len) {
                return -1;
            }
            size_t dist = ((size_t)in[ip] | (size_t)in[ip + 1] << 8) + 1, len = (size_t)in[ip + 2] + MIN_MATCH;
            ip += 3;
            if (dist > op || len > n - op) {
                return -1;
            }
            for (size_t k = 0; k < len; k++) { /* byte by byte: a match may overlap its own output */
                out[op + k] = out[op + k - dist];
            }
            op += len;
        }
    }
    return ip == in_len ? (long)n : -1;
}

/* ---------------- checks and measurement ---------------- */

static uint32_t fnv1a(const uint8_t *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

static void kat(void) {
    int printable = 1;
    for (size_t i = 0; i < TEXT_SIZE; i++) {
        printable &= (text[i] >= ' ' && text[i] <= 'z') || text[i] == '\n';
    }
    payoff_check("lz77 text is printable", printable);
    size_t len = compress(text, TEXT_SIZE, packed);
    printf("control: compressed %u bytes to %u, fnv1a %08x\n", (unsigned)TEXT_SIZE, (unsigned)len,
           (unsigned)fnv1a(packed, len));
    uint8_t got[8], *g = got;
    uint32_t h = fnv1a(packed, len);
    for (int i = 0; i < 4; i++) {
        *g++ = (uint8_t)(len >> (24 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
        *g++ = (uint8_t)(h >> (24 - 8 * i));
    }
    /* Pinned from the first run; integer-only code, so every target must produce the same bytes. */
    payoff_expect("lz77 compressed size and fnv1a", got, "00002410 25dff378", sizeof got);
    long n = decompress(packed, len, unpacked, sizeof unpacked);
    payoff_check("lz77 round trip", n == TEXT_SIZE && memcmp(unpacked, text, TEXT_SIZE) == 0);
    payoff_check("lz77 truncated stream rejected", decompress(packed, len - 1, unpacked, sizeof unpacked) < 0);
}

/* One op compresses the text and decompresses it again. */
static void lz77_op(void *ctx) {
    (void)ctx;
    size_t len = compress(text, TEXT_SIZE, packed);
    long n = decompress(packed, len, unpacked, sizeof unpacked);
    payoff_sink(&n, sizeof n);
    payoff_sink(unpacked + TEXT_SIZE - 8, 8);
}

int main(void) {
    payoff_features();
    generate_text();
    kat();
    payoff_measure("lz77-16k", TEXT_SIZE, lz77_op, NULL);
    return payoff_done();
}
