/* buf.h - a growable byte buffer (owned, always NUL-terminated when len>0).
 *
 * tc_buf b = {0}; tc_buf_append(&b, p, n); ... tc_buf_free(&b);
 * Appends return TC_OK or TC_ENOMEM; on failure the buffer is unchanged. */
#ifndef TC_BUF_H
#define TC_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct tc_buf {
    char *data;  /* owned; NULL until the first append */
    size_t len;  /* bytes used, excluding the trailing NUL */
    size_t cap;  /* bytes allocated */
} tc_buf;

int tc_buf_reserve(tc_buf *b, size_t extra);
int tc_buf_append(tc_buf *b, const void *p, size_t n);
int tc_buf_puts(tc_buf *b, const char *s);
int tc_buf_printf(tc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tc_buf_put_u8(tc_buf *b, uint8_t v);
int tc_buf_put_u32(tc_buf *b, uint32_t v);   /* little-endian */
int tc_buf_put_u64(tc_buf *b, uint64_t v);   /* little-endian */
int tc_buf_put_varint(tc_buf *b, uint64_t v); /* LEB128 */
void tc_buf_free(tc_buf *b);
/* A NUL-terminated copy of the n bytes at p (NUL bytes inside are copied
 * too, unlike strndup), or NULL when out of memory. Caller frees. */
char *tc_memdup_str(const void *p, size_t n);
/* Append everything fp still has to read (at most limit bytes more; 0: no
 * limit). TC_OK (b->data is then set, "" for an empty stream), TC_ENOMEM,
 * TC_EIO on a read error, TC_ETOOBIG past limit (b keeps what was read). */
int tc_buf_read_fp(tc_buf *b, FILE *fp, size_t limit);

/* Reading side: a cursor over bytes that never reads past end.
 * Each get returns TC_OK or TC_ECORRUPT (and sets r->err) on overrun. */
typedef struct tc_reader {
    const uint8_t *p, *end;
    int err;
} tc_reader;

int tc_rd_u8(tc_reader *r, uint8_t *v);
int tc_rd_u32(tc_reader *r, uint32_t *v);
int tc_rd_u64(tc_reader *r, uint64_t *v);
int tc_rd_varint(tc_reader *r, uint64_t *v);
int tc_rd_bytes(tc_reader *r, size_t n, const uint8_t **out);
/* Read n varints into out[]: the same values (cast to uint32_t) and the
 * same answer as n calls of tc_rd_varint that each also fail for a value
 * x >= bound, decoded in one loop (values of one to three bytes without a
 * call or a bounds test per byte). TC_OK, or TC_ECORRUPT (the reader has
 * then failed; out[] holds the values read before). */
int tc_rd_varints_u32(tc_reader *r, uint32_t *out, size_t n, uint64_t bound);

/* Decode one LEB128 varint from p (no bounds check: caller guarantees the
 * encoding was produced by tc_buf_put_varint and validated). */
static inline const uint8_t *tc_varint_decode(const uint8_t *p, uint64_t *v)
{
    uint64_t x = 0;
    int shift = 0;
    while (*p & 0x80) {
        x |= (uint64_t)(*p++ & 0x7f) << shift;
        shift += 7;
    }
    x |= (uint64_t)(*p++) << shift;
    *v = x;
    return p;
}

#endif
