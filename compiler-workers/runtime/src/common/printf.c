/*
 * The printf family: %d %i %u %x %X %o %c %s %p %% %f %e %g with flags (- + space 0 #), width,
 * precision (also *), and length modifiers hh h l ll z j t. Floating point is printed exactly enough
 * for checksums and timings, not with full IEEE round-trip precision.
 */
#include "rt.h"
#include <tailor.h>

struct out {
    char *buf;
    size_t cap;
    size_t len;
};

static void emit(struct out *o, char c) {
    if (o->buf == NULL) {
        tailor_write(&c, 1);
    } else if (o->len + 1 < o->cap) {
        o->buf[o->len] = c;
    }
    o->len++;
}

static void emit_n(struct out *o, char c, int n) {
    while (n-- > 0) emit(o, c);
}

struct spec {
    int left, plus, space, zero, alt;
    int width, prec;
};

/* Writes a number already converted to digits, with sign/prefix, padding and precision. */
static void emit_number(struct out *o, const struct spec *sp, const char *digits, int nd, const char *prefix) {
    int np = (int)strlen(prefix);
    int zeros = sp->prec > nd ? sp->prec - nd : 0;
    int total = np + zeros + nd;
    int pad = sp->width > total ? sp->width - total : 0;
    if (!sp->left && !(sp->zero && sp->prec < 0)) emit_n(o, ' ', pad);
    for (int i = 0; i < np; i++) emit(o, prefix[i]);
    if (!sp->left && sp->zero && sp->prec < 0) emit_n(o, '0', pad);
    emit_n(o, '0', zeros);
    for (int i = 0; i < nd; i++) emit(o, digits[i]);
    if (sp->left) emit_n(o, ' ', pad);
}

static int utoa(unsigned long long v, unsigned base, int upper, char *tmp) {
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    int n = 0;
    do {
        rev[n++] = dig[v % base];
        v /= base;
    } while (v != 0);
    for (int i = 0; i < n; i++) tmp[i] = rev[n - 1 - i];
    return n;
}

static void emit_str(struct out *o, const struct spec *sp, const char *s, int n) {
    int pad = sp->width > n ? sp->width - n : 0;
    if (!sp->left) emit_n(o, ' ', pad);
    for (int i = 0; i < n; i++) emit(o, s[i]);
    if (sp->left) emit_n(o, ' ', pad);
}

/* Fixed-point digits of v >= 0 with prec fraction digits into tmp; returns the length. */
static int ftoa_fixed(double v, int prec, int alt, char *tmp, int cap) {
    double scale = 1;
    for (int i = 0; i < prec; i++) scale *= 10;
    double ip = (double)(unsigned long long)v;
    double frac = (v - ip) * scale + 0.5;
    unsigned long long f = (unsigned long long)frac;
    unsigned long long ipart = (unsigned long long)ip;
    if ((double)f >= scale) {
        f -= (unsigned long long)scale;
        ipart++;
    }
    int n = utoa(ipart, 10, 0, tmp);
    if (prec > 0 || alt) tmp[n++] = '.';
    if (prec > 0) {
        char fd[24];
        int fn = utoa(f, 10, 0, fd);
        for (int i = fn; i < prec && n < cap; i++) tmp[n++] = '0';
        for (int i = 0; i < fn && n < cap; i++) tmp[n++] = fd[i];
    }
    return n;
}

static int ftoa_exp(double v, int prec, int alt, int upper, char *tmp, int cap) {
    int e = 0;
    if (v != 0) {
        while (v >= 10) { v /= 10; e++; }
        while (v < 1) { v *= 10; e--; }
    }
    int n = ftoa_fixed(v, prec, alt, tmp, cap - 6);
    if (tmp[0] == '1' && tmp[1] == '0') { /* rounding carried into a new digit: 9.99 -> 10.0 */
        v /= 10;
        e++;
        n = ftoa_fixed(v, prec, alt, tmp, cap - 6);
    }
    tmp[n++] = upper ? 'E' : 'e';
    tmp[n++] = e < 0 ? '-' : '+';
    if (e < 0) e = -e;
    if (e >= 100) tmp[n++] = (char)('0' + e / 100);
    tmp[n++] = (char)('0' + (e / 10) % 10);
    tmp[n++] = (char)('0' + e % 10);
    return n;
}

static void emit_double(struct out *o, struct spec *sp, double v, char conv) {
    char tmp[64];
    const char *prefix = "";
    int upper = conv == 'F' || conv == 'E' || conv == 'G';
    if (v < 0 || (v == 0 && 1 / v < 0)) {
        prefix = "-";
        v = -v;
    } else if (sp->plus) {
        prefix = "+";
    } else if (sp->space) {
        prefix = " ";
    }
    int n;
    if (v != v) {
        n = 3;
        memcpy(tmp, upper ? "NAN" : "nan", 3);
    } else if (v > 1.7976931348623157e308) {
        n = 3;
        memcpy(tmp, upper ? "INF" : "inf", 3);
    } else {
        int prec = sp->prec < 0 ? 6 : (sp->prec > 17 ? 17 : sp->prec);
        char c = (char)(conv | 0x20);
        if (c == 'g') {
            if (prec == 0) prec = 1;
            int e = 0;
            double t = v;
            if (t != 0) {
                while (t >= 10) { t /= 10; e++; }
                while (t < 1) { t *= 10; e--; }
            }
            if (e < -4 || e >= prec) {
                n = ftoa_exp(v, prec - 1, sp->alt, upper, tmp, sizeof tmp);
            } else {
                n = ftoa_fixed(v, prec - 1 - e, sp->alt, tmp, sizeof tmp);
            }
            if (!sp->alt) { /* %g drops trailing zeros of the fraction */
                int epos = n;
                for (int i = 0; i < n; i++) if (tmp[i] == 'e' || tmp[i] == 'E') epos = i;
                int dot = -1;
                for (int i = 0; i < epos; i++) if (tmp[i] == '.') dot = i;
                if (dot >= 0) {
                    int end = epos;
                    while (end > dot + 1 && tmp[end - 1] == '0') end--;
                    if (end == dot + 1) end = dot;
                    memmove(tmp + end, tmp + epos, (size_t)(n - epos));
                    n -= epos - end;
                }
            }
        } else if (c == 'e' || v >= 1e19) {
            n = ftoa_exp(v, prec, sp->alt, upper, tmp, sizeof tmp);
        } else {
            n = ftoa_fixed(v, prec, sp->alt, tmp, sizeof tmp);
        }
    }
    struct spec s2 = *sp;
    s2.prec = -1;
    if (v != v || v > 1.7976931348623157e308) s2.zero = 0;
    emit_number(o, &s2, tmp, n, prefix);
}

static int format(struct out *o, const char *fmt, va_list ap) {
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(o, *fmt);
            continue;
        }
        struct spec sp = {0, 0, 0, 0, 0, 0, -1};
        for (;; fmt++) {
            char f = fmt[1];
            if (f == '-') sp.left = 1;
            else if (f == '+') sp.plus = 1;
            else if (f == ' ') sp.space = 1;
            else if (f == '0') sp.zero = 1;
            else if (f == '#') sp.alt = 1;
            else break;
        }
        fmt++;
        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = 1;
                sp.width = -sp.width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9') sp.width = sp.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            sp.prec = 0;
            if (*fmt == '*') {
                sp.prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9') sp.prec = sp.prec * 10 + (*fmt++ - '0');
            }
        }
        int size = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long, 3 size_t/ptrdiff_t/intmax_t */
        for (;; fmt++) {
            if (*fmt == 'h') size--;
            else if (*fmt == 'l') size++;
            else if (*fmt == 'z' || *fmt == 't') size = 3;
            else if (*fmt == 'j') size = 2;
            else break;
        }
        char conv = *fmt;
        char tmp[32];
        if (conv == 0) break;
        switch (conv) {
        case 'd':
        case 'i': {
            long long v;
            if (size == 2) v = va_arg(ap, long long);
            else if (size == 1) v = va_arg(ap, long);
            else if (size == 3) v = (long long)va_arg(ap, ptrdiff_t);
            else v = va_arg(ap, int);
            if (size == -1) v = (short)v;
            if (size == -2) v = (signed char)v;
            unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            int n = (sp.prec == 0 && u == 0) ? 0 : utoa(u, 10, 0, tmp);
            emit_number(o, &sp, tmp, n, v < 0 ? "-" : sp.plus ? "+" : sp.space ? " " : "");
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o':
        case 'p': {
            unsigned long long u;
            if (conv == 'p') u = (uintptr_t)va_arg(ap, void *);
            else if (size == 2) u = va_arg(ap, unsigned long long);
            else if (size == 1) u = va_arg(ap, unsigned long);
            else if (size == 3) u = va_arg(ap, size_t);
            else u = va_arg(ap, unsigned int);
            if (size == -1 && conv != 'p') u = (unsigned short)u;
            if (size == -2 && conv != 'p') u = (unsigned char)u;
            unsigned base = conv == 'o' ? 8 : conv == 'u' ? 10 : 16;
            int n = (sp.prec == 0 && u == 0) ? 0 : utoa(u, base, conv == 'X', tmp);
            const char *prefix = "";
            if (conv == 'p' || (sp.alt && u != 0 && base == 16)) prefix = conv == 'X' ? "0X" : "0x";
            if (sp.alt && base == 8 && (n == 0 || tmp[0] != '0')) prefix = "0";
            emit_number(o, &sp, tmp, n, prefix);
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            emit_str(o, &sp, tmp, 1);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL) s = "(null)";
            emit_str(o, &sp, s, (int)(sp.prec >= 0 ? strnlen(s, (size_t)sp.prec) : strlen(s)));
            break;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G':
            emit_double(o, &sp, va_arg(ap, double), conv);
            break;
        case '%':
            emit(o, '%');
            break;
        default:
            emit(o, '%');
            emit(o, conv);
        }
    }
    return (int)o->len;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
    char dummy;
    struct out o = {size ? buf : &dummy, size ? size : 1, 0};
    int n = format(&o, fmt, ap);
    o.buf[o.len < o.cap ? o.len : o.cap - 1] = 0;
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int sprintf(char *buf, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap) {
    struct out o = {NULL, 0, 0};
    return format(&o, fmt, ap);
}

int printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* Here, not in start.c: a double argument needs the tuned (SSE/FP-enabled) calling convention the app uses. */
void tailor_metric(const char *name, double value) {
    printf("tailor-metric: %s=%.17g\n", name, value);
}
