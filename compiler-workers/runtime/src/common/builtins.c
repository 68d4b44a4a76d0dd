/*
 * The compiler support routines plain C needs on these bare targets, since clang's compiler-rt
 * builtins are not installed for them: 64-bit division on 32-bit CPUs, 32-bit division on ARM
 * cores without a divide instruction, 128-bit division on 64-bit CPUs, bit counting, and
 * 64-bit integer <-> floating point conversions on 32-bit CPUs.
 * Written with shifts and subtractions only, so nothing here can call back into itself.
 */
#include <stddef.h>
#include <stdint.h>

typedef int64_t di;
typedef uint64_t du;
typedef int32_t si;
typedef uint32_t su;

/* ---- bit counting ---- */

int __popcountsi2(su a) {
    a = a - ((a >> 1) & 0x55555555u);
    a = (a & 0x33333333u) + ((a >> 2) & 0x33333333u);
    a = (a + (a >> 4)) & 0x0f0f0f0fu;
    return (int)((a + (a >> 8) + (a >> 16) + (a >> 24)) & 0x3f);
}

int __popcountdi2(du a) { return __popcountsi2((su)a) + __popcountsi2((su)(a >> 32)); }

int __clzsi2(su a) {
    int n = 0;
    if (a == 0) return 32;
    if ((a & 0xffff0000u) == 0) { n += 16; a <<= 16; }
    if ((a & 0xff000000u) == 0) { n += 8; a <<= 8; }
    if ((a & 0xf0000000u) == 0) { n += 4; a <<= 4; }
    if ((a & 0xc0000000u) == 0) { n += 2; a <<= 2; }
    if ((a & 0x80000000u) == 0) { n += 1; }
    return n;
}

int __clzdi2(du a) { return (a >> 32) ? __clzsi2((su)(a >> 32)) : 32 + __clzsi2((su)a); }

int __ctzsi2(su a) {
    int n = 0;
    if (a == 0) return 32;
    if ((a & 0xffffu) == 0) { n += 16; a >>= 16; }
    if ((a & 0xffu) == 0) { n += 8; a >>= 8; }
    if ((a & 0xfu) == 0) { n += 4; a >>= 4; }
    if ((a & 0x3u) == 0) { n += 2; a >>= 2; }
    if ((a & 0x1u) == 0) { n += 1; }
    return n;
}

int __ctzdi2(du a) { return (su)a ? __ctzsi2((su)a) : 32 + __ctzsi2((su)(a >> 32)); }
int __ffssi2(su a) { return a ? __ctzsi2(a) + 1 : 0; }
int __ffsdi2(du a) { return a ? __ctzdi2(a) + 1 : 0; }
int __paritysi2(su a) { return __popcountsi2(a) & 1; }
int __paritydi2(du a) { return __popcountdi2(a) & 1; }
su __bswapsi2(su a) { return (a >> 24) | ((a >> 8) & 0xff00u) | ((a << 8) & 0xff0000u) | (a << 24); }
du __bswapdi2(du a) { return ((du)__bswapsi2((su)a) << 32) | __bswapsi2((su)(a >> 32)); }

/* ---- division ---- */

static su udivmod32(su n, su d, su *rem) {
    if (d == 0) { /* what hardware dividers return on ARM; x86 would trap before calling us */
        *rem = n;
        return 0;
    }
    su q = 0, r = 0;
    for (int i = 31; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1u << i;
        }
    }
    *rem = r;
    return q;
}

du __udivmoddi4(du n, du d, du *rem) {
    du q = 0, r = 0;
    if (d == 0) {
        if (rem) *rem = n;
        return 0;
    }
    if ((n >> 32) == 0 && (d >> 32) == 0) {
        su r32;
        q = udivmod32((su)n, (su)d, &r32);
        if (rem) *rem = r32;
        return q;
    }
    int shift = __clzdi2(d) - __clzdi2(n);
    if (shift < 0) {
        if (rem) *rem = n;
        return 0;
    }
    r = n;
    du dd = d << shift;
    for (int i = shift; i >= 0; i--) {
        if (r >= dd) {
            r -= dd;
            q |= (du)1 << i;
        }
        dd >>= 1;
    }
    if (rem) *rem = r;
    return q;
}

du __udivdi3(du n, du d) { return __udivmoddi4(n, d, NULL); }

du __umoddi3(du n, du d) {
    du r;
    __udivmoddi4(n, d, &r);
    return r;
}

di __divmoddi4(di a, di b, di *rem) {
    du ua = a < 0 ? 0 - (du)a : (du)a;
    du ub = b < 0 ? 0 - (du)b : (du)b;
    du r;
    du q = __udivmoddi4(ua, ub, &r);
    if (rem) *rem = a < 0 ? -(di)r : (di)r;
    return (a < 0) != (b < 0) ? -(di)q : (di)q;
}

di __divdi3(di a, di b) { return __divmoddi4(a, b, NULL); }

di __moddi3(di a, di b) {
    di r;
    __divmoddi4(a, b, &r);
    return r;
}

su __udivsi3(su n, su d) {
    su r;
    return udivmod32(n, d, &r);
}

su __umodsi3(su n, su d) {
    su r;
    udivmod32(n, d, &r);
    return r;
}

si __divsi3(si a, si b) {
    su r;
    su q = udivmod32(a < 0 ? 0 - (su)a : (su)a, b < 0 ? 0 - (su)b : (su)b, &r);
    return (a < 0) != (b < 0) ? -(si)q : (si)q;
}

si __modsi3(si a, si b) {
    su r;
    udivmod32(a < 0 ? 0 - (su)a : (su)a, b < 0 ? 0 - (su)b : (su)b, &r);
    return a < 0 ? -(si)r : (si)r;
}

/* 64-bit shifts and multiply: LLVM usually inlines them, but some configurations call out. */
di __ashldi3(di a, int b) { return (di)((du)a << b); }
di __ashrdi3(di a, int b) { return a >> b; }
di __lshrdi3(di a, int b) { return (di)((du)a >> b); }
di __muldi3(di a, di b) { return (di)((du)a * (du)b); }

#if defined(__SIZEOF_INT128__) && defined(__LP64__) /* wasm32 has __int128 too, but no compiler-rt for it */
typedef unsigned __int128 tu;
typedef __int128 ti;

tu __udivmodti4(tu n, tu d, tu *rem) {
    tu q = 0, r = 0;
    if (d == 0) {
        if (rem) *rem = n;
        return 0;
    }
    for (int i = 127; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= (tu)1 << i;
        }
    }
    if (rem) *rem = r;
    return q;
}

tu __udivti3(tu n, tu d) { return __udivmodti4(n, d, NULL); }

tu __umodti3(tu n, tu d) {
    tu r;
    __udivmodti4(n, d, &r);
    return r;
}

ti __divti3(ti a, ti b) {
    tu q = __udivmodti4(a < 0 ? 0 - (tu)a : (tu)a, b < 0 ? 0 - (tu)b : (tu)b, NULL);
    return (a < 0) != (b < 0) ? -(ti)q : (ti)q;
}

ti __modti3(ti a, ti b) {
    tu r;
    __udivmodti4(a < 0 ? 0 - (tu)a : (tu)a, b < 0 ? 0 - (tu)b : (tu)b, &r);
    return a < 0 ? -(ti)r : (ti)r;
}
#endif

#if defined(__arm__)
/* ARM run-time ABI division. Results in r0 (quotient) and r1 (remainder): a 64-bit return value. */
#define AAPCS __attribute__((pcs("aapcs")))

AAPCS su __aeabi_uidiv(su n, su d) { return __udivsi3(n, d); }
AAPCS si __aeabi_idiv(si a, si b) { return __divsi3(a, b); }

AAPCS du __aeabi_uidivmod(su n, su d) {
    su r;
    su q = udivmod32(n, d, &r);
    return ((du)r << 32) | q;
}

AAPCS du __aeabi_idivmod(si a, si b) {
    si q = __divsi3(a, b);
    si r = a - q * b;
    return ((du)(su)r << 32) | (su)q;
}

AAPCS di __aeabi_llsl(di a, int b) { return __ashldi3(a, b); }
AAPCS di __aeabi_llsr(di a, int b) { return __lshrdi3(a, b); }
AAPCS di __aeabi_lasr(di a, int b) { return __ashrdi3(a, b); }
AAPCS di __aeabi_lmul(di a, di b) { return __muldi3(a, b); }
#endif

/* ---- 64-bit integer <-> floating point on 32-bit CPUs ---- */
#if !defined(__LP64__) && !defined(__wasm__) && !defined(TAILOR_NO_FLOAT_BUILTINS)

#define TWO32 4294967296.0

/* Both terms are exact, so the one rounding of the sum is the correct rounding. */
double __floatundidf(du a) { return (double)(su)(a >> 32) * TWO32 + (double)(su)a; }
double __floatdidf(di a) { return (double)(si)(a >> 32) * TWO32 + (double)(su)a; }

float __floatundisf(du a) {
    if ((a >> 53) == 0) {
        return (float)(double)a; /* exact in double, rounded once to float */
    }
    /* Keep a sticky bit below the 53 kept bits so the final rounding to float stays correct. */
    du kept = (a >> 11) | ((a & 0x7ff) != 0);
    return (float)(__floatundidf(kept) * 2048.0);
}

float __floatdisf(di a) { return a < 0 ? -__floatundisf(0 - (du)a) : __floatundisf((du)a); }

du __fixunsdfdi(double d) {
    if (!(d > 0)) return 0;
    if (d >= TWO32 * TWO32) return ~(du)0;
    su hi = (su)(d / TWO32);
    su lo = (su)(d - (double)hi * TWO32);
    return ((du)hi << 32) | lo;
}

di __fixdfdi(double d) {
    if (d != d) return 0;
    if (d >= 9223372036854775807.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return d < 0 ? -(di)__fixunsdfdi(-d) : (di)__fixunsdfdi(d);
}

du __fixunssfdi(float f) { return __fixunsdfdi((double)f); }
di __fixsfdi(float f) { return __fixdfdi((double)f); }

#if defined(__arm__)
AAPCS double __aeabi_l2d(di a) { return __floatdidf(a); }
AAPCS double __aeabi_ul2d(du a) { return __floatundidf(a); }
AAPCS float __aeabi_l2f(di a) { return __floatdisf(a); }
AAPCS float __aeabi_ul2f(du a) { return __floatundisf(a); }
AAPCS di __aeabi_d2lz(double d) { return __fixdfdi(d); }
AAPCS du __aeabi_d2ulz(double d) { return __fixunsdfdi(d); }
AAPCS di __aeabi_f2lz(float f) { return __fixsfdi(f); }
AAPCS du __aeabi_f2ulz(float f) { return __fixunssfdi(f); }
#endif
#endif
