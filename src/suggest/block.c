/* block.c - multi-line suggestions copied from matching places (block.h). */
#include "suggest/block.h"

#include "util/buf.h"
#include "util/fsio.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define BLOCK_MAX_PLACES 64 /* places of the cursor's line looked at */

/* One line of a text: its leading white space ws[0..nws), then its text
 * s[0..n) without trailing white space (n 0: blank). */
typedef struct span {
    const char *ws, *s;
    size_t nws, n;
    int ind; /* indentation in columns (tab = 4) */
} span;

typedef struct lines {
    span *v;
    size_t n;
} lines;

typedef struct place {
    long src;  /* index into src; -1: the buffer */
    size_t at; /* line of the cursor's line there */
    int ctx;   /* previous lines matched */
} place;

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Index of the first byte of t[i..len) other than a space, 8 bytes a step
 * while 8 remain (indentation is most of a large buffer's lines). */
static size_t skip_spaces(const char *t, size_t len, size_t i)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, t + i, 8);
        w ^= 0x2020202020202020u;
        if (w) return i + (size_t)__builtin_ctzll(w) / 8;
        i += 8;
    }
#endif
    while (i < len && t[i] == ' ') i++;
    return i;
}

/* Index of the first line break of t[i..len), or len; 16 bytes a step with
 * SSE2 while 16 remain (a buffer's lines are short: no call per line). */
static size_t next_nl(const char *t, size_t len, size_t i)
{
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n');
    while (i + 16 <= len) {
        unsigned bits = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(t + i)), nl));
        if (bits) return i + (size_t)__builtin_ctz(bits);
        i += 16;
    }
#endif
    while (i < len && t[i] != '\n') i++;
    return i;
}

static int lines_split(const char *t, size_t len, lines *out)
{
    size_t i = 0, cap = 64 + len / 32, k = 0;
    out->v = malloc(cap * sizeof *out->v);
    out->n = 0;
    if (!out->v) return TC_ENOMEM;
    for (;;) {
        span *l;
        size_t e, nl;
        int ind;
        if (k == cap) {
            span *v = realloc(out->v, 2 * cap * sizeof *v);
            if (!v) return TC_ENOMEM;
            out->v = v, cap *= 2;
        }
        l = &out->v[k++];
        l->ws = t + i;
        i = skip_spaces(t, len, i);
        ind = (int)(t + i - l->ws);
        while (i < len && (t[i] == ' ' || t[i] == '\t')) ind += t[i++] == '\t' ? 4 : 1;
        l->nws = (size_t)(t + i - l->ws);
        l->s = t + i;
        l->ind = ind;
        e = nl = next_nl(t, len, i);
        while (e > (size_t)(l->s - t) && is_ws(t[e - 1])) e--;
        l->n = e - (size_t)(l->s - t);
        if (nl == len) break;
        i = nl + 1;
    }
    out->n = k;
    return TC_OK;
}

/* a[0..na) and b[0..nb) equal when white space is ignored */
static int norm_eq(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < na && is_ws(a[i])) i++;
        while (j < nb && is_ws(b[j])) j++;
        if (i == na || j == nb) return i == na && j == nb;
        if (a[i++] != b[j++]) return 0;
    }
}

/* Lines end without white space (lines_split), so equal ones end with the
 * same character: a quick no for most lines of a large buffer. */
static int span_eq(const span *a, const span *b)
{
    if (!a->n || !b->n) return a->n == b->n;
    return a->s[a->n - 1] == b->s[b->n - 1] && norm_eq(a->s, a->n, b->s, b->n);
}

/* Names a copy from a renamed place takes: a source's name src[i] stands
 * for the cursor's dst[i] (each a span of the lines compared). */
#define BLOCK_REN_PAIRS 3
typedef struct renames {
    const char *src[BLOCK_REN_PAIRS], *dst[BLOCK_REN_PAIRS];
    size_t nsrc[BLOCK_REN_PAIRS], ndst[BLOCK_REN_PAIRS];
    int n;
} renames;

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* The word at a[i..), digits first or not: its length. */
static size_t word_len(const char *a, size_t n, size_t i)
{
    size_t e = i;
    while (e < n && is_word(a[e])) e++;
    return e - i;
}

/* 1 when the source's line a reads as the cursor's b once some of a's
 * names are replaced by b's, one for one (white space ignored, numbers
 * alike, at most BLOCK_REN_PAIRS names in r in all); r grows by the
 * names this line renames (left as it was on 0). */
static int renamed_eq(const span *sa, const span *sb, renames *r)
{
    renames t;
    const char *a = sa->s, *b = sb->s;
    size_t i = 0, j = 0, na = sa->n, nb = sb->n, wa, wb;
    int k;
    if (na && nb) {
        /* the lines' tokens pair off in order, names with names and other
         * characters with themselves, so their last ones must (lines end
         * without white space): a quick no for most lines */
        char x = a[na - 1], y = b[nb - 1];
        if (is_word(x) ? !is_word(y) : x != y) return 0;
        while (i < na && is_ws(a[i])) i++;
        while (j < nb && is_ws(b[j])) j++;
        x = a[i], y = b[j]; /* and their first ones (non-blank lines) */
        if (is_word(x) ? !is_word(y) : x != y) return 0;
    }
    t = *r;
    for (;;) {
        while (i < na && is_ws(a[i])) i++;
        while (j < nb && is_ws(b[j])) j++;
        if (i == na || j == nb) break;
        wa = word_len(a, na, i);
        wb = word_len(b, nb, j);
        if (!wa || !wb) {
            if (wa || wb || a[i++] != b[j++]) return 0;
            continue;
        }
        for (k = 0; k < t.n; k++)
            if ((t.nsrc[k] == wa && memcmp(t.src[k], a + i, wa) == 0) ||
                (t.ndst[k] == wb && memcmp(t.dst[k], b + j, wb) == 0))
                break;
        if (k < t.n) {
            /* a name renamed already: the same pair again */
            if (t.nsrc[k] != wa || memcmp(t.src[k], a + i, wa) || t.ndst[k] != wb || memcmp(t.dst[k], b + j, wb))
                return 0;
        } else if (wa != wb || memcmp(a + i, b + j, wa)) {
            if (t.n == BLOCK_REN_PAIRS || (a[i] >= '0' && a[i] <= '9') || (b[j] >= '0' && b[j] <= '9')) return 0;
            t.src[t.n] = a + i, t.nsrc[t.n] = wa, t.dst[t.n] = b + j, t.ndst[t.n] = wb, t.n++;
        }
        i += wa, j += wb;
    }
    if (i != na || j != nb) return 0;
    *r = t;
    return 1;
}

/* l's text with r's names replaced, appended to out. */
static int rename_append(tc_buf *out, const span *l, const renames *r)
{
    size_t i = 0, w;
    int k;
    while (i < l->n) {
        w = word_len(l->s, l->n, i);
        if (!w) {
            if (tc_buf_append(out, l->s + i, 1)) return TC_ENOMEM;
            i++;
            continue;
        }
        for (k = 0; k < r->n && (r->nsrc[k] != w || memcmp(r->src[k], l->s + i, w)); k++)
            ;
        if (tc_buf_append(out, k < r->n ? r->dst[k] : l->s + i, k < r->n ? r->ndst[k] : w)) return TC_ENOMEM;
        i += w;
    }
    return TC_OK;
}

/* The characters bracket_delta looks at (a large buffer is scanned on
 * every request that finds a place). */
static const unsigned char is_special[256] = {['\''] = 1, ['"'] = 1, ['`'] = 1, ['/'] = 1, ['('] = 1,
                                              [')'] = 1,  ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1};

/* Index of the first special character of s[i..n), or n; 16 bytes a step
 * with SSE2 while 16 remain. */
static size_t next_special(const char *s, size_t n, size_t i)
{
#ifdef __SSE2__
    const __m128i c0 = _mm_set1_epi8('\''), c1 = _mm_set1_epi8('"'), c2 = _mm_set1_epi8('`'), c3 = _mm_set1_epi8('/'),
                  c4 = _mm_set1_epi8('('), c5 = _mm_set1_epi8(')'), c6 = _mm_set1_epi8('['), c7 = _mm_set1_epi8(']'),
                  c8 = _mm_set1_epi8('{'), c9 = _mm_set1_epi8('}');
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, c0), _mm_cmpeq_epi8(v, c1)),
                                              _mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, c3))),
                                 _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, c4), _mm_cmpeq_epi8(v, c5)),
                                              _mm_or_si128(_mm_cmpeq_epi8(v, c6), _mm_cmpeq_epi8(v, c7))));
        unsigned bits = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, c8), _mm_cmpeq_epi8(v, c9))));
        if (bits) return i + (size_t)__builtin_ctz(bits);
        i += 16;
    }
#endif
    while (i < n && !is_special[(unsigned char)s[i]]) i++;
    return i;
}

/* Net bracket depth change of s[0..n) (strings and a trailing // comment
 * skipped); *low gets the lowest running depth (<= 0). */
static int bracket_delta(const char *s, size_t n, int *low)
{
    int d = 0;
    size_t i;
    *low = 0;
    for (i = 0; (i = next_special(s, n, i)) < n; i++) {
        char c = s[i];
        if (c == '\'' && !(i + 2 < n && (s[i + 2] == '\'' || s[i + 1] == '\\'))) {
            continue; /* a lifetime or an apostrophe, not a character literal */
        } else if (c == '"' || c == '\'' || c == '`') {
            for (i++; i < n && s[i] != c; i++)
                if (s[i] == '\\') i++;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            break;
        } else if (c == '(' || c == '[' || c == '{') {
            d++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (--d < *low) *low = d;
        }
    }
    return d;
}

static int is_closer(char c) { return c == ')' || c == ']' || c == '}'; }

static int opens_block(const span *l)
{
    char c = l->n ? l->s[l->n - 1] : 0;
    return c == '{' || c == ':' || c == '(' || c == '[';
}

/* A line that leaves its statement for the next line to finish (an
 * opener, a trailing operator or comma, `else`, a continued macro): a
 * block does not end on it. */
static int continues(const span *l)
{
    char c = l->n ? l->s[l->n - 1] : 0;
    if (opens_block(l) || (c && strchr(",=+-*/%&|<>?\\", c))) return 1;
    return (l->n == 4 || (l->n > 4 && is_ws(l->s[l->n - 5]))) && memcmp(l->s + l->n - 4, "else", 4) == 0;
}

/* The continuation after line `at` of L, by block.h's stopping rules; the
 * lines go to out[0..max), their count is returned. next: the buffer's next
 * non-blank line after the cursor's (NULL: none), reached when a line
 * equals it at the same indentation relative to the cursor's line (cind
 * columns). net: the buffer's bracket depth at its end (with the cursor's
 * line): closers it lacks (net > 0) the copy may supply, so brackets opened
 * before the place are closed only that often; closers in surplus (net <
 * 0) close brackets the copy leaves open. A preprocessor line (`#`) keeps
 * its own indentation. ren: the names the copy takes (none: n 0). */
static size_t continuation(const lines *L, size_t at, const span *next, int cind, int net, const renames *ren,
                           size_t *out, size_t max)
{
    int lack = net > 0 ? net : 0, surplus = net < 0 ? -net : 0;
    const span *first = &L->v[at];
    int low, base = bracket_delta(first->s, first->n, &low), c = 0, opener = opens_block(first);
    size_t i, k = 0, keep = 0;
    if (base < 0) base = 0;
    for (i = at + 1; i < L->n && k < max; i++) {
        const span *l = &L->v[i];
        int d;
        if (!l->n) break;
        if (next && l->ind - first->ind == next->ind - cind) {
            renames r = *ren;
            if (ren->n ? renamed_eq(l, next, &r) && r.n == ren->n : span_eq(l, next)) break; /* no name renamed anew */
        }
        d = bracket_delta(l->s, l->n, &low);
        if (c + low < -lack) break; /* a closer the buffer already has */
        if (l->ind < first->ind && l->s[0] != '#') {
            /* the enclosing block resumes: only through a closer it lacks */
            if (!is_closer(l->s[0])) break;
            out[k++] = i, c += d;
            if (c <= surplus) keep = k;
            break; /* the block ends with it */
        } else if (opener && l->ind == first->ind && k) {
            if (is_closer(l->s[0]) && c + d == -base) out[k++] = i, keep = k;
            break;
        }
        out[k++] = i;
        c += d;
        if (c <= surplus && !continues(l)) keep = k;
    }
    return keep;
}

/* The previous non-blank line before line i of L, or (size_t)-1. */
static size_t prev_nonblank(const lines *L, size_t i)
{
    while (i > 0)
        if (L->v[--i].n) return i;
    return (size_t)-1;
}

void tc_block_free(tc_block *b)
{
    if (!b) return;
    free(b->text);
    b->text = NULL;
}

int tc_block_find(const char *buf, size_t len, size_t cursor, const char *first, size_t nfirst,
                  const tc_block_src *src, size_t nsrc, tc_block *out)
{
    lines B = {0}, *S = NULL;
    tc_buf cur = {0}, text = {0};
    span cs, ctx[TC_BLOCK_CONTEXT];
    const span *next = NULL;
    place pl[BLOCK_MAX_PLACES];
    size_t cl, ls, i, j, nctx = 0, npl = 0, ncur, cont[TC_BLOCK_MAX_LINES], k = 0;
    size_t cw = 0; /* the cursor line's indentation bytes */
    int rc = TC_OK, best = 0, any_alnum = 0, cind = 0, net = 0, low;
    long bi = -2;
    renames ren = {0}; /* names the copy takes from a renamed place */

    memset(out, 0, sizeof *out);
    out->why = "no place with the cursor's line in the same context";
    if (cursor > len || memchr(first, '\n', nfirst)) {
        out->why = "the suggestion already spans lines";
        return TC_OK;
    }
    for (i = cursor; i < len && buf[i] != '\n'; i++)
        if (!is_ws(buf[i])) {
            out->why = "text right of the cursor";
            return TC_OK;
        }
    ls = cursor;
    while (ls > 0 && buf[ls - 1] != '\n') ls--;
    while (ls + cw < cursor && (buf[ls + cw] == ' ' || buf[ls + cw] == '\t')) cind += buf[ls + cw++] == '\t' ? 4 : 1;
    if (tc_buf_append(&cur, buf + ls, cursor - ls) || tc_buf_append(&cur, first, nfirst)) goto nomem;
    for (ncur = cur.len; ncur && is_ws(cur.data[ncur - 1]); ncur--)
        ;
    for (i = 0; i < ncur; i++) {
        char c = cur.data[i];
        any_alnum |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    /* the line's indentation left out: every comparison ignores it */
    for (i = 0; i < ncur && is_ws(cur.data[i]); i++)
        ;
    cs.s = cur.data + i;
    cs.n = ncur - i;
    if (lines_split(buf, len, &B)) goto nomem;
    {
        /* the cursor's line: the one that starts at ls */
        size_t lo = 0, hi = B.n - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo + 1) / 2;
            if (B.v[mid].ws <= buf + ls) lo = mid;
            else hi = mid - 1;
        }
        cl = lo;
    }
    for (j = cl; nctx < TC_BLOCK_CONTEXT && (j = prev_nonblank(&B, j)) != (size_t)-1;) ctx[nctx++] = B.v[j];
    for (j = cl + 1; j < B.n && !next; j++)
        if (B.v[j].n) next = &B.v[j];
    if (!nctx) goto done;
    if (nsrc && !(S = calloc(nsrc, sizeof *S))) goto nomem;
    /* every place of the cursor's line, with its context match */
    for (bi = -1; bi < (long)nsrc; bi++) {
        lines *L = bi < 0 ? &B : &S[bi];
        if (bi >= 0 && lines_split(src[bi].text, src[bi].len, L)) goto nomem;
        for (i = 0; i < L->n; i++) {
            int m = 0;
            if (bi < 0 && i == cl) continue;
            if (!span_eq(&L->v[i], &cs)) continue;
            for (j = i; m < (int)nctx && (j = prev_nonblank(L, j)) != (size_t)-1 && span_eq(&L->v[j], &ctx[m]);) m++;
            out->places++;
            if (!m) continue;
            if (m > best) best = m, npl = 0;
            if (m == best && npl < BLOCK_MAX_PLACES) pl[npl++] = (place){bi, i, m};
        }
    }
    if (any_alnum && (!best || (best < TC_BLOCK_MIN_CONTEXT && npl < TC_BLOCK_MIN_AGREE))) {
        /* no place as it stands: a renamed one, its names replaced by the
         * cursor's alike on its line and TC_BLOCK_MIN_CONTEXT lines above */
        int rbest = 0;
        for (bi = -1; bi < (long)nsrc; bi++) {
            const lines *L = bi < 0 ? &B : &S[bi];
            for (i = 0; i < L->n; i++) {
                renames r;
                int m = 0;
                if ((bi < 0 && i == cl) || !L->v[i].n) continue;
                /* renamed_eq's first no, without the call: the last characters */
                if (cs.n && (is_word(L->v[i].s[L->v[i].n - 1]) ? !is_word(cs.s[cs.n - 1])
                                                               : L->v[i].s[L->v[i].n - 1] != cs.s[cs.n - 1]))
                    continue;
                r = (renames){0}; /* not before the quick no: most lines stop there */
                if (!renamed_eq(&L->v[i], &cs, &r)) continue;
                for (j = i; m < (int)nctx && (j = prev_nonblank(L, j)) != (size_t)-1 && renamed_eq(&L->v[j], &ctx[m], &r);)
                    m++;
                if (r.n && m >= TC_BLOCK_MIN_CONTEXT && m > rbest) rbest = m, ren = r, pl[0] = (place){bi, i, m};
            }
        }
        if (rbest) best = rbest, npl = 1;
        out->renamed = ren.n;
    }
    out->context = best;
    out->agree = (int)npl;
    if (!best) goto done;
    if (best < TC_BLOCK_MIN_CONTEXT && (npl < TC_BLOCK_MIN_AGREE || !any_alnum)) {
        out->why = any_alnum ? "context too short and no other place agrees" : "context too short for a line without a word";
        goto done;
    }
    /* the buffer's bracket balance, counting the cursor's line as
     * suggested (a whole-buffer pass: only once a place is found) */
    for (i = 0; i < B.n; i++) net += i == cl ? bracket_delta(cs.s, cs.n, &low) : bracket_delta(B.v[i].s, B.v[i].n, &low);
    /* the places with the longest match agree on their common lines; the
     * text comes from the buffer's place when there is one (its style) */
    {
        size_t c2[TC_BLOCK_MAX_LINES], n2, chosen = 0;
        const lines *L0;
        for (i = 0; i < npl; i++)
            if (pl[i].src < 0) {
                chosen = i;
                break;
            }
        L0 = pl[chosen].src < 0 ? &B : &S[pl[chosen].src];
        k = continuation(L0, pl[chosen].at, next, cind, net, &ren, cont, TC_BLOCK_MAX_LINES - 1);
        for (i = 0; i < npl && k; i++) {
            const lines *L = pl[i].src < 0 ? &B : &S[pl[i].src];
            if (i == chosen) continue;
            n2 = continuation(L, pl[i].at, next, cind, net, &ren, c2, TC_BLOCK_MAX_LINES - 1);
            for (j = 0; j < k && j < n2 && span_eq(&L0->v[cont[j]], &L->v[c2[j]]); j++)
                ;
            k = j;
        }
        /* common lines may end inside brackets they opened: cut back */
        {
            int c = 0;
            size_t keep = 0;
            for (j = 0; j < k; j++) {
                c += bracket_delta(L0->v[cont[j]].s, L0->v[cont[j]].n, &low);
                if (c <= (net < 0 ? -net : 0) && !continues(&L0->v[cont[j]])) keep = j + 1;
            }
            k = keep;
        }
        if (!k) {
            out->why = "the places agree on no further line";
            goto done;
        }
        /* rebase the indentation on the cursor's line */
        {
            const span *f = &L0->v[pl[chosen].at];
            for (j = 0; j < k; j++) {
                const span *l = &L0->v[cont[j]];
                if (tc_buf_puts(&text, "\n")) goto nomem;
                if (l->ind < f->ind && l->s[0] == '#') {
                    if (tc_buf_append(&text, l->ws, l->nws)) goto nomem;
                } else if (l->ind < f->ind) {
                    /* dedented: the cursor's indentation less the difference */
                    size_t w = cw;
                    int gone = 0;
                    while (w > 0 && gone < f->ind - l->ind) gone += buf[ls + --w] == '\t' ? 4 : 1;
                    if (tc_buf_append(&text, buf + ls, w)) goto nomem;
                } else if (tc_buf_append(&text, buf + ls, cw)) {
                    goto nomem;
                } else if (l->nws >= f->nws && memcmp(l->ws, f->ws, f->nws) == 0) {
                    if (tc_buf_append(&text, l->ws + f->nws, l->nws - f->nws)) goto nomem;
                } else {
                    int c;
                    for (c = f->ind; c < l->ind; c++)
                        if (tc_buf_puts(&text, " ")) goto nomem;
                }
                if (ren.n ? rename_append(&text, l, &ren) : tc_buf_append(&text, l->s, l->n)) goto nomem;
            }
        }
        out->text = text.data;
        text.data = NULL;
        out->nlines = (int)k;
        out->src = pl[chosen].src < 0 ? NULL : src[pl[chosen].src].name;
        out->src_line = pl[chosen].at + 1;
        out->why = NULL;
    }
    goto done;
nomem:
    rc = TC_ENOMEM;
    free(out->text);
    out->text = NULL;
    out->why = "out of memory";
done:
    if (S)
        for (i = 0; i < nsrc; i++) free(S[i].v);
    free(S);
    free(B.v);
    tc_buf_free(&cur);
    tc_buf_free(&text);
    return rc;
}

int tc_block_closer_unneeded(const char *buf, size_t len, size_t cursor, const char *text)
{
    size_t i, n = 0, ls = cursor, pe, ps;
    int ind = 0, pind = 0, net = 0;
    span prev;
    for (i = 0; text[i]; i++) {
        if (is_closer(text[i])) n++;
        else if (!is_ws(text[i]) && text[i] != ';' && text[i] != ',') return 0;
    }
    if (!n || cursor > len) return 0;
    while (ls > 0 && buf[ls - 1] != '\n') ls--;
    for (i = ls; i < cursor; i++) {
        if (!is_ws(buf[i])) return 0; /* a typed line: the line's own business */
        ind += buf[i] == '\t' ? 4 : 1;
    }
    /* the previous non-blank line */
    for (pe = ls; pe > 0;) {
        ps = pe - 1;
        while (ps > 0 && buf[ps - 1] != '\n') ps--;
        prev.ws = buf + ps;
        for (i = ps, pind = 0; i < pe - 1 && (buf[i] == ' ' || buf[i] == '\t'); i++) pind += buf[i] == '\t' ? 4 : 1;
        prev.s = buf + i;
        prev.n = pe - 1 - i;
        while (prev.n && is_ws(prev.s[prev.n - 1])) prev.n--;
        if (prev.n) break;
        pe = ps;
    }
    if (pe == 0) return 0;
    /* at the body's level (not an empty block after its opener) ... */
    if (ind < pind || (ind == pind && opens_block(&prev))) return 0;
    /* ... and the buffer's brackets balance without it */
    for (i = 0; i < len;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - buf) : len;
        int low;
        if (i != ls) net += bracket_delta(buf + i, e - i, &low);
        i = e + 1;
    }
    return net < (int)n;
}

int tc_block_extend(tc_index *ix, const uint32_t *files, size_t nfiles, const char *buf, size_t len, size_t cursor,
                    char **text, tc_block *info)
{
    tc_buf *fb = NULL;
    tc_block_src *src = NULL;
    tc_block b;
    size_t i, j, ns = 0;
    int rc = TC_OK;
    memset(&b, 0, sizeof b);
    if (info) memset(info, 0, sizeof *info);
    if (nfiles && (!(fb = calloc(nfiles, sizeof *fb)) || !(src = calloc(nfiles, sizeof *src)))) {
        rc = TC_ENOMEM;
        goto out;
    }
    for (i = 0; i < nfiles; i++) {
        const tc_file_info *fi = tc_index_file(ix, files[i]);
        int dup = 0;
        for (j = 0; j < i && !dup; j++) dup = files[j] == files[i];
        if (dup || !fi || fi->removed || fi->buffer || fi->skip) continue;
        /* beneath the root, no symlink followed, at most the size it was
         * indexed at (another file's newer text is as good a source) */
        if (tc_fs_read_regular(tc_index_root_fd(ix), fi->path, fi->size ? fi->size : 1, &fb[ns], NULL)) {
            fb[ns].len = 0;
            continue;
        }
        src[ns] = (tc_block_src){fb[ns].data, fb[ns].len, fi->path};
        ns++;
    }
    rc = tc_block_find(buf, len, cursor, *text, strlen(*text), src, ns, &b);
    if (!rc && b.text) {
        tc_buf t = {0};
        if (tc_buf_puts(&t, *text) || tc_buf_puts(&t, b.text)) {
            tc_buf_free(&t);
            rc = TC_ENOMEM;
            goto out;
        }
        free(*text);
        *text = t.data;
    }
out:
    if (info) {
        *info = b;
        free(info->text);
        info->text = NULL;
    } else {
        tc_block_free(&b);
    }
    for (i = 0; fb && i < nfiles; i++) tc_buf_free(&fb[i]);
    free(fb);
    free(src);
    return rc;
}
