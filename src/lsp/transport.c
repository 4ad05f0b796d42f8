/* transport.c - LSP base protocol framing.
 *
 * A frame is a header block of ASCII lines, each "Name: value" ended by
 * CRLF (a bare LF is accepted too), a blank line, then exactly
 * Content-Length bytes of body. Content-Type is accepted and ignored (the
 * body is UTF-8 JSON whatever it says); other headers are ignored.
 *
 * Strict limits, so no input can make the reader hang or grow without
 * bound:
 *   - a header block is at most LSP_HEADER_MAX bytes;
 *   - Content-Length is 1..15 decimal digits, nothing else (no sign, no
 *     blanks inside), given once (or repeated with the same value);
 *   - a body over max_body is skipped as it arrives, never stored;
 *   - a Content-Length over LSP_BODY_HARD_MAX (1 GiB) is no message any
 *     client sends: it is a malformed header (the reader resynchronises
 *     at once) rather than a body to skip, which would swallow every
 *     later message while the server seemed to wait.
 * After a malformed header block the reader resynchronises on the next
 * "Content-Length:" in the input, so one bad frame costs that frame only.
 */
#include "lsp/lsp_int.h"
#include "util/status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CL_NAME "content-length"
#define CL_MAX_DIGITS 15
#define LSP_BODY_HARD_MAX ((size_t)1 << 30)

void lsp_rd_init(lsp_reader *r, size_t max_body)
{
    memset(r, 0, sizeof *r);
    r->max_body = max_body;
    r->state = LSP_RS_HEADER;
}

void lsp_rd_free(lsp_reader *r)
{
    tc_buf_free(&r->buf);
    memset(r, 0, sizeof *r);
}

static void rd_compact(lsp_reader *r)
{
    if (!r->pos) return;
    if (r->pos < r->buf.len) memmove(r->buf.data, r->buf.data + r->pos, r->buf.len - r->pos);
    r->buf.len -= r->pos;
    if (r->buf.data) r->buf.data[r->buf.len] = 0;
    r->pos = 0;
}

int lsp_rd_feed(lsp_reader *r, const char *p, size_t n)
{
    if (r->state == LSP_RS_SKIP && r->pos == r->buf.len) {
        /* dropping an oversize body: never store it */
        size_t k = n < r->skip_left ? n : r->skip_left;
        r->skip_left -= k;
        p += k;
        n -= k;
        if (!r->skip_left) {
            r->state = LSP_RS_HEADER;
            r->in_body = 0;
        }
        if (!n) return TC_OK;
    }
    rd_compact(r);
    return tc_buf_append(&r->buf, p, n);
}

int lsp_rd_partial(const lsp_reader *r)
{
    size_t i;
    if (r->state == LSP_RS_BODY || r->state == LSP_RS_SKIP) return 1;
    if (r->state == LSP_RS_RESYNC) return 0;
    for (i = r->pos; i < r->buf.len; i++)
        if (r->buf.data[i] != '\r' && r->buf.data[i] != '\n') return 1;
    return 0;
}

/* Case-insensitive search for "content-length:" in p[0..n). */
static const char *find_cl(const char *p, size_t n)
{
    static const char pat[] = CL_NAME ":";
    size_t m = sizeof pat - 1, i;
    for (i = 0; i + m <= n; i++)
        if ((p[i] | 0x20) == 'c' && strncasecmp(p + i, pat, m) == 0) return p + i;
    return NULL;
}

static int is_token_char(unsigned char c)
{
    return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* Parse one header block p[0..n) (lines without the blank line). Returns
 * NULL and the content length, or a static description of the fault. */
static const char *parse_headers(const char *p, size_t n, size_t *clen)
{
    const char *end = p + n;
    int have = 0;
    *clen = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *le, *colon, *v;
        size_t nlen = 0;
        le = nl ? nl : end;
        if (le > p && le[-1] == '\r') le--;
        colon = memchr(p, ':', (size_t)(le - p));
        if (!colon || colon == p) return "malformed header line (expected 'Name: value')";
        for (v = p; v < colon; v++)
            if (!is_token_char((unsigned char)*v)) return "malformed header name";
        v = colon + 1;
        while (v < le && (*v == ' ' || *v == '\t')) v++;
        while (le > v && (le[-1] == ' ' || le[-1] == '\t')) le--;
        if ((size_t)(colon - p) == sizeof CL_NAME - 1 && strncasecmp(p, CL_NAME, sizeof CL_NAME - 1) == 0) {
            const char *d;
            if (v == le) return "empty Content-Length";
            if ((size_t)(le - v) > CL_MAX_DIGITS) return "Content-Length too large";
            for (d = v; d < le; d++) {
                if (*d < '0' || *d > '9') return "Content-Length is not a non-negative decimal number";
                nlen = nlen * 10 + (size_t)(*d - '0');
            }
            if (have && nlen != *clen) return "conflicting Content-Length headers";
            *clen = nlen;
            have = 1;
        }
        p = nl ? nl + 1 : end;
    }
    return have ? NULL : "missing Content-Length header";
}

int lsp_rd_next(lsp_reader *r, char **body, size_t *len, const char **what)
{
    *body = NULL;
    *len = 0;
    *what = NULL;
    for (;;) {
        char *p = r->buf.data ? r->buf.data + r->pos : NULL;
        size_t avail = r->buf.len - r->pos;
        switch (r->state) {
        case LSP_RS_SKIP: {
            size_t k = avail < r->skip_left ? avail : r->skip_left;
            r->pos += k;
            r->skip_left -= k;
            if (r->skip_left) return LSP_EV_NONE;
            r->state = LSP_RS_HEADER;
            r->in_body = 0;
            continue;
        }
        case LSP_RS_RESYNC: {
            const char *hit = avail ? find_cl(p, avail) : NULL;
            if (hit) {
                r->pos += (size_t)(hit - p);
                r->state = LSP_RS_HEADER;
                continue;
            }
            /* keep a tail that may hold the start of the pattern */
            if (avail > sizeof CL_NAME) r->pos += avail - sizeof CL_NAME;
            return LSP_EV_NONE;
        }
        case LSP_RS_BODY:
            if (avail < r->body_len) return LSP_EV_NONE;
            *body = malloc(r->body_len + 1);
            if (!*body) {
                /* cannot hold it: skip it like an oversize one */
                r->state = LSP_RS_SKIP;
                r->skip_left = r->body_len;
                *len = r->body_len;
                return LSP_EV_TOO_BIG;
            }
            memcpy(*body, p, r->body_len);
            (*body)[r->body_len] = 0;
            *len = r->body_len;
            r->pos += r->body_len;
            r->state = LSP_RS_HEADER;
            r->in_body = 0;
            return LSP_EV_MESSAGE;
        case LSP_RS_HEADER: {
            size_t i = 0, line, blk_end = 0, hdr_len = 0;
            const char *fault;
            /* stray line breaks between frames are harmless */
            while (i < avail && (p[i] == '\r' || p[i] == '\n')) i++;
            r->pos += i;
            p += i;
            avail -= i;
            if (!avail) return LSP_EV_NONE;
            /* find the blank line that ends the block */
            for (line = 0; line < avail;) {
                const char *nl = memchr(p + line, '\n', avail - line);
                size_t ll;
                if (!nl) break;
                ll = (size_t)(nl - (p + line));
                if (ll == 0 || (ll == 1 && p[line] == '\r')) {
                    hdr_len = line;
                    blk_end = (size_t)(nl - p) + 1;
                    break;
                }
                line = (size_t)(nl - p) + 1;
            }
            if (!blk_end) {
                if (avail < LSP_HEADER_MAX) return LSP_EV_NONE;
                r->pos += 1;
                r->state = LSP_RS_RESYNC;
                *what = "header block over 8 KiB without an end";
                return LSP_EV_BAD_HEADER;
            }
            if (blk_end > LSP_HEADER_MAX) {
                r->pos += 1; /* a frame may start inside the junk */
                r->state = LSP_RS_RESYNC;
                *what = "header block over 8 KiB";
                return LSP_EV_BAD_HEADER;
            }
            fault = parse_headers(p, hdr_len, &r->body_len);
            r->pos += blk_end;
            if (fault) {
                r->state = LSP_RS_RESYNC;
                *what = fault;
                return LSP_EV_BAD_HEADER;
            }
            if (r->body_len > LSP_BODY_HARD_MAX) {
                r->state = LSP_RS_RESYNC;
                *what = "Content-Length over 1 GiB, more than any message; skipped to the next header";
                return LSP_EV_BAD_HEADER;
            }
            r->in_body = 1;
            if (r->body_len > r->max_body) {
                r->state = LSP_RS_SKIP;
                r->skip_left = r->body_len;
                *len = r->body_len;
                return LSP_EV_TOO_BIG;
            }
            r->state = LSP_RS_BODY;
            continue;
        }
        default:
            return LSP_EV_NONE;
        }
    }
}

/* ---- UTF-8 ----------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80) return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
        if (c == 0xF4 && s[1] >= 0x90) return 0; /* over U+10FFFF */
        return 4;
    }
    return 0;
}

int lsp_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        if (!(k = utf8_seq(p + i, n - i))) return 0;
        i += k;
    }
    return 1;
}

int lsp_utf8_sanitize(const char *s, size_t n, tc_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    out->len = 0;
    if (tc_buf_reserve(out, n + 1)) return TC_ENOMEM;
    while (i < n) {
        size_t k = p[i] < 0x80 ? 1 : utf8_seq(p + i, n - i);
        if (k) {
            i += k;
            continue;
        }
        if (tc_buf_append(out, s + run, i - run) || tc_buf_append(out, "\xEF\xBF\xBD", 3)) return TC_ENOMEM;
        run = ++i;
    }
    if (tc_buf_append(out, s + run, n - run)) return TC_ENOMEM;
    return tc_buf_puts(out, "");
}

/* ---- writer ---------------------------------------------------------------------- */

void lsp_wr_init(lsp_writer *w, int fd)
{
    memset(w, 0, sizeof *w);
    w->fd = fd;
    pthread_mutex_init(&w->lock, NULL);
}

void lsp_wr_free(lsp_writer *w) { pthread_mutex_destroy(&w->lock); }

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return TC_EIO;
        }
        p += k;
        n -= (size_t)k;
    }
    return TC_OK;
}

int lsp_wr_send(lsp_writer *w, const cJSON *msg)
{
    char *s = cJSON_PrintUnformatted(msg), hdr[64];
    const char *body = s;
    size_t n;
    tc_buf clean = {0};
    int rc = TC_OK, hl;
    if (!s) return TC_ENOMEM;
    n = strlen(s);
    if (!lsp_utf8_valid(s, n)) {
        if (lsp_utf8_sanitize(s, n, &clean)) {
            free(s);
            return TC_ENOMEM;
        }
        body = clean.data;
        n = clean.len;
    }
    hl = snprintf(hdr, sizeof hdr, "Content-Length: %zu\r\n\r\n", n);
    pthread_mutex_lock(&w->lock);
    if (w->dead) rc = TC_EIO;
    else if (write_all(w->fd, hdr, (size_t)hl) || write_all(w->fd, body, n)) w->dead = 1, rc = TC_EIO;
    else w->messages++;
    pthread_mutex_unlock(&w->lock);
    free(s);
    tc_buf_free(&clean);
    return rc;
}
