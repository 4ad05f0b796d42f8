/* buf.c - see buf.h. */
#include "util/buf.h"
#include "util/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tc_buf_reserve(tc_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1, cap;
    char *p;
    if (need <= b->cap) return TC_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    p = realloc(b->data, cap);
    if (!p) return TC_ENOMEM;
    b->data = p;
    b->cap = cap;
    return TC_OK;
}

int tc_buf_append(tc_buf *b, const void *p, size_t n)
{
    if (tc_buf_reserve(b, n)) return TC_ENOMEM;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return TC_OK;
}

int tc_buf_puts(tc_buf *b, const char *s) { return tc_buf_append(b, s, strlen(s)); }

int tc_buf_printf(tc_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return TC_EINVAL;
    if (tc_buf_reserve(b, (size_t)n)) return TC_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return TC_OK;
}

int tc_buf_put_u8(tc_buf *b, uint8_t v) { return tc_buf_append(b, &v, 1); }

int tc_buf_put_u32(tc_buf *b, uint32_t v)
{
    uint8_t s[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return tc_buf_append(b, s, 4);
}

int tc_buf_put_u64(tc_buf *b, uint64_t v)
{
    if (tc_buf_put_u32(b, (uint32_t)v)) return TC_ENOMEM;
    return tc_buf_put_u32(b, (uint32_t)(v >> 32));
}

int tc_buf_put_varint(tc_buf *b, uint64_t v)
{
    uint8_t s[10];
    int n = 0;
    while (v >= 0x80) {
        s[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    s[n++] = (uint8_t)v;
    return tc_buf_append(b, s, (size_t)n);
}

int tc_buf_read_fp(tc_buf *b, FILE *fp, size_t limit)
{
    char tmp[65536];
    size_t n, start = b->len;
    if (tc_buf_reserve(b, 0)) return TC_ENOMEM;
    b->data[b->len] = 0;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) {
        if (tc_buf_append(b, tmp, n)) return TC_ENOMEM;
        if (limit && b->len - start > limit) return TC_ETOOBIG;
    }
    return ferror(fp) ? TC_EIO : TC_OK;
}

void tc_buf_free(tc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *tc_memdup_str(const void *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) return NULL;
    if (n) memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static int rd_fail(tc_reader *r)
{
    r->err = 1;
    r->p = r->end;
    return TC_ECORRUPT;
}

int tc_rd_u8(tc_reader *r, uint8_t *v)
{
    if (r->end - r->p < 1) return rd_fail(r);
    *v = *r->p++;
    return TC_OK;
}

int tc_rd_u32(tc_reader *r, uint32_t *v)
{
    const uint8_t *p = r->p;
    if (r->end - r->p < 4) return rd_fail(r);
    *v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    r->p += 4;
    return TC_OK;
}

int tc_rd_u64(tc_reader *r, uint64_t *v)
{
    uint32_t lo, hi;
    if (tc_rd_u32(r, &lo) || tc_rd_u32(r, &hi)) return rd_fail(r);
    *v = (uint64_t)hi << 32 | lo;
    return TC_OK;
}

int tc_rd_varint(tc_reader *r, uint64_t *v)
{
    uint64_t x = 0;
    int shift = 0;
    for (;;) {
        uint8_t c;
        if (r->p >= r->end || shift > 63) return rd_fail(r);
        c = *r->p++;
        x |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) break;
        shift += 7;
    }
    *v = x;
    return TC_OK;
}

int tc_rd_varints_u32(tc_reader *r, uint32_t *out, size_t n, uint64_t bound)
{
    const uint8_t *p = r->p, *end = r->end;
    size_t i = 0;
    while (i < n) {
        uint64_t x;
        if (p < end && p[0] < 0x80) { /* most values: one byte */
            x = p[0];
            p++;
        } else if (end - p >= 2 && p[1] < 0x80) {
            x = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
            p += 2;
        } else if (end - p >= 3 && p[2] < 0x80) {
            x = (uint64_t)(p[0] & 0x7f) | (uint64_t)(p[1] & 0x7f) << 7 | (uint64_t)p[2] << 14;
            p += 3;
        } else {
            r->p = p; /* longer values and the last bytes: one at a time */
            if (tc_rd_varint(r, &x)) return TC_ECORRUPT;
            p = r->p;
        }
        if (x >= bound) {
            r->p = p;
            return rd_fail(r);
        }
        out[i++] = (uint32_t)x;
    }
    r->p = p;
    return TC_OK;
}

int tc_rd_bytes(tc_reader *r, size_t n, const uint8_t **out)
{
    if ((size_t)(r->end - r->p) < n) return rd_fail(r);
    *out = r->p;
    r->p += n;
    return TC_OK;
}
