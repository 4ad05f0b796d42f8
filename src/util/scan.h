/* scan.h - the one 16-byte scan loop: the index of the first byte of
 * s[i..n) that a class of bytes stops at. With SSE2, 16 bytes a step while
 * 16 remain (no data-dependent branch per byte: most of the lexers' time
 * on real code, and of a large buffer's scans), then byte by byte. The
 * lexers (lang/lex_int.h, lang.c) and suggest/block.c scan with it; each
 * names its class by two functions that must agree:
 *
 *   stop16(v, arg): the stop bits of the 16 bytes v (bit k: byte k stops);
 *                   written with SSE2 intrinsics, so passed through
 *                   TC_SCAN_STOP16(f), NULL without SSE2
 *   stop1(c, arg):  whether the byte c stops
 *
 * arg carries the class's parameters (a quote byte, ...); NULL if none. */
#ifndef TC_SCAN_H
#define TC_SCAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __SSE2__
#include <emmintrin.h>
typedef unsigned (*tc_scan_stop16)(__m128i v, const void *arg);
#define TC_SCAN_STOP16(f) (f)
#else
typedef unsigned (*tc_scan_stop16)(const void *v, const void *arg);
#define TC_SCAN_STOP16(f) NULL
#endif
typedef int (*tc_scan_stop1)(uint8_t c, const void *arg);

/* Index of the first byte of s[i..n) that stops the scan, or n (i <= n;
 * never reads s[n] or beyond). Always inlined, so that the class's two
 * functions, constants at every call, fold into the loop as the hand
 * copies it replaced had them. */
static inline __attribute__((always_inline)) size_t tc_scan_until(const uint8_t *s, size_t n, size_t i,
                                                                  tc_scan_stop16 stop16, tc_scan_stop1 stop1,
                                                                  const void *arg)
{
#ifdef __SSE2__
    while (i + 16 <= n) {
        unsigned bits = stop16(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), arg);
        if (bits) return i + (size_t)__builtin_ctz(bits);
        i += 16;
    }
#else
    (void)stop16;
#endif
    while (i < n && !stop1(s[i], arg)) i++;
    return i;
}

#endif
