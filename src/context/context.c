/* context.c - context for a cursor within a token budget; see context.h. */
#include "context/context.h"
#include "context/secrets.h"
#include "lang/lang.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/status.h"
#include "workspace/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define CTX_QUERY_LINES 12   /* lines before the cursor that form the retrieval query */
#define CTX_HEADER_TOKENS 1  /* a file separator (or comment marker) per chunk */

typedef struct chunk {
    char *path;
    char *text;       /* redacted, whole lines */
    size_t len;
    uint32_t ntok;    /* tokens of text */
    uint32_t nhdr;    /* tokens of the chunk's header ("path\n" and a separator) */
    uint32_t line;    /* first line, 1-based */
    uint32_t nlines;
    float score;
    uint8_t kind;
} chunk;

struct tc_ctx {
    tc_ctx_opts o;
    const tc_privacy *priv;
    tc_privacy *own_priv;
    chunk *ring;          /* recent chunks, oldest first */
    size_t nring;
    chunk *ret;           /* retrieved chunks, in prompt order */
    size_t nret;
    chunk last_area;      /* around the cursor when the chunks were chosen */
    chunk after;          /* TC_CHUNK_AFTER: the file beyond the near suffix */
    /* the prefix region before the cursor's line at the last build */
    int memo_ok;
    const tc_tokcount *memo_tc; /* the counter its counts came from */
    tc_buf memo_red;           /* its bytes, redacted */
    size_t *memo_ends;         /* its units' ends in memo_red */
    uint32_t *memo_cnt;        /* their token counts */
    size_t memo_nu;
    int need_after;       /* choose `after` in this build */
    char *anchor_path;
    long anchor_line;
    uint64_t extra_sig;
    tc_buf pre, suf;      /* redacted prefix / suffix regions */
    tc_secrets sec;       /* the secrets of the text around the cursor */
    tc_fim_chunk *extra;
    size_t cap_extra;
    size_t *uends;
    size_t cap_uends;
    tc_items items, offs;
    tc_toks toks;
};

static void chunk_free(chunk *k)
{
    free(k->path);
    free(k->text);
    memset(k, 0, sizeof *k);
}

int tc_ctx_new(const tc_ctx_opts *opts, const tc_privacy *priv, tc_ctx **out)
{
    tc_ctx *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c) return TC_ENOMEM;
    if (opts) c->o = *opts;
    if (!c->o.max_tokens) c->o.max_tokens = 2048;
    if (!c->o.max_prefix_tokens) c->o.max_prefix_tokens = c->o.max_tokens * 3 / 5;
    if (!c->o.max_suffix_tokens) c->o.max_suffix_tokens = c->o.max_tokens / 5;
    if (!c->o.n_retrieved) c->o.n_retrieved = 3;
    if (!c->o.n_recent) c->o.n_recent = 4;
    if (!c->o.chunk_lines) c->o.chunk_lines = 24;
    if (!c->o.requery_lines) c->o.requery_lines = 12;
    if (!c->o.snap_lines) c->o.snap_lines = 16;
    if (!c->o.max_lines) c->o.max_lines = 400;
    if (!c->o.near_suffix_tokens) c->o.near_suffix_tokens = 32;
    if (c->o.n_retrieved < 0) c->o.n_retrieved = 0;
    if (c->o.n_recent < 0) c->o.n_recent = 0;
    if (!priv) {
        if (tc_privacy_new(&c->own_priv)) {
            free(c);
            return TC_ENOMEM;
        }
        priv = c->own_priv;
    }
    c->priv = priv;
    c->ring = calloc((size_t)c->o.n_recent + 1, sizeof *c->ring);
    if (!c->ring) {
        tc_ctx_free(c);
        return TC_ENOMEM;
    }
    *out = c;
    return TC_OK;
}

void tc_ctx_reset(tc_ctx *c)
{
    size_t i;
    for (i = 0; i < c->nret; i++) chunk_free(&c->ret[i]);
    free(c->ret);
    c->ret = NULL;
    c->nret = 0;
    free(c->anchor_path);
    c->anchor_path = NULL;
    chunk_free(&c->after);
}

void tc_ctx_free(tc_ctx *c)
{
    size_t i;
    if (!c) return;
    tc_ctx_reset(c);
    for (i = 0; i < c->nring; i++) chunk_free(&c->ring[i]);
    free(c->ring);
    chunk_free(&c->last_area);
    chunk_free(&c->after);
    tc_secrets_free(&c->sec);
    tc_buf_free(&c->memo_red);
    free(c->memo_ends);
    free(c->memo_cnt);
    tc_privacy_free(c->own_priv);
    tc_buf_free(&c->pre);
    tc_buf_free(&c->suf);
    free(c->extra);
    free(c->uends);
    tc_items_free(&c->items);
    tc_items_free(&c->offs);
    tc_toks_free(&c->toks);
    free(c);
}

int tc_ctx_mid_line(const char *buf, size_t len, size_t cursor)
{
    size_t i;
    for (i = cursor; i < len && buf[i] != '\n'; i++) {
        char ch = buf[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == ')' || ch == ']' || ch == '}' || ch == '"' ||
            ch == '\'' || ch == '`' || ch == ';' || ch == ',')
            continue;
        return 1;
    }
    return 0;
}

/* ---- lines ---------------------------------------------------------------------- */

static size_t line_start(const char *b, size_t off)
{
    while (off > 0 && b[off - 1] != '\n') off--;
    return off;
}

static size_t line_end(const char *b, size_t len, size_t off)
{
    const char *nl = memchr(b + off, '\n', len - off);
    return nl ? (size_t)(nl - b) + 1 : len;
}

static uint32_t count_lines(const char *b, size_t n)
{
    uint32_t k = 0;
    const char *p = b, *e = b + n;
    while (p < e && (p = memchr(p, '\n', (size_t)(e - p)))) {
        k++;
        p++;
    }
    return k;
}

/* A chunk of whole lines [from, to) of text, redacted, not yet counted. */
static int chunk_make(chunk *k, const char *path, const char *text, size_t from, size_t to, uint32_t line,
                      uint8_t kind, size_t *redactions)
{
    tc_buf b = {0};
    size_t nr = 0;
    memset(k, 0, sizeof *k);
    if (tc_redact_range(text, from, to, &b, &nr)) goto nomem;
    if (!b.len || b.data[b.len - 1] != '\n')
        if (tc_buf_puts(&b, "\n")) goto nomem;
    if (!(k->path = strdup(path))) goto nomem;
    k->text = b.data;
    k->len = b.len;
    k->line = line;
    k->nlines = count_lines(b.data, b.len);
    k->kind = kind;
    if (redactions) *redactions += nr;
    return TC_OK;
nomem:
    tc_buf_free(&b);
    free(k->path);
    k->path = NULL;
    return TC_ENOMEM;
}

static int chunk_count(chunk *k, tc_tokcount *tc)
{
    char hdr[512];
    tc_span sp[2];
    uint32_t n[2];
    int len = snprintf(hdr, sizeof hdr, "%s\n", k->path);
    sp[0].p = k->text;
    sp[0].n = k->len;
    sp[1].p = hdr;
    sp[1].n = len < (int)sizeof hdr ? (size_t)len : sizeof hdr - 1;
    if (tc_tokcount_spans(tc, sp, 2, n, NULL)) return TC_ENOMEM;
    k->ntok = n[0];
    k->nhdr = n[1] + CTX_HEADER_TOKENS;
    return TC_OK;
}

/* Lines around cursor as a chunk. */
static int area_chunk(chunk *k, const char *relpath, const char *buf, size_t len, size_t cursor, int nlines,
                      uint8_t kind)
{
    size_t from = line_start(buf, cursor), to = line_end(buf, len, cursor);
    int i;
    for (i = 0; i < nlines / 2 && from > 0; i++) from = line_start(buf, from - 1);
    while (i < nlines && to < len) {
        to = line_end(buf, len, to);
        i++;
    }
    return chunk_make(k, relpath, buf, from, to, count_lines(buf, from) + 1, kind, NULL);
}

/* Share of k's lines that another chunk of the same file covers. */
static double overlap(const chunk *a, const char *path, uint32_t line, uint32_t nlines)
{
    uint32_t lo, hi;
    if (strcmp(a->path, path) != 0 || !a->nlines || !nlines) return 0;
    lo = a->line > line ? a->line : line;
    hi = a->line + a->nlines < line + nlines ? a->line + a->nlines : line + nlines;
    return hi > lo ? (double)(hi - lo) / (a->nlines < nlines ? a->nlines : nlines) : 0;
}

/* Add k to the ring (taking ownership): a chunk of the same file that
 * mostly overlaps it is replaced; the oldest goes when full. */
static void ring_push(tc_ctx *c, chunk *k)
{
    size_t i;
    if (!c->o.n_recent) {
        chunk_free(k);
        return;
    }
    for (i = 0; i < c->nring; i++)
        if (overlap(&c->ring[i], k->path, k->line, k->nlines) > 0.5) {
            chunk_free(&c->ring[i]);
            memmove(&c->ring[i], &c->ring[i + 1], (c->nring - i - 1) * sizeof *c->ring);
            c->nring--;
            break;
        }
    if (c->nring == (size_t)c->o.n_recent) {
        chunk_free(&c->ring[0]);
        memmove(&c->ring[0], &c->ring[1], (c->nring - 1) * sizeof *c->ring);
        c->nring--;
    }
    c->ring[c->nring++] = *k;
    memset(k, 0, sizeof *k);
}

int tc_ctx_note(tc_ctx *c, const char *relpath, const char *buf, size_t len, size_t cursor)
{
    chunk k;
    int rc;
    if (cursor > len) return TC_EINVAL;
    if (!c->o.n_recent || tc_privacy_path_is_secret(c->priv, relpath)) return TC_OK;
    if ((rc = area_chunk(&k, relpath, buf, len, cursor, c->o.chunk_lines, TC_CHUNK_RECENT))) return rc;
    ring_push(c, &k);
    return TC_OK;
}

/* ---- retrieval ------------------------------------------------------------------ */

/* An indexed file's text, read beneath the root (no symlink followed, no
 * FIFO opened, at most the index's size limit: a file swapped for a link
 * to /dev/zero or to a file outside the workspace since it was indexed
 * reads as nothing). NULL if it cannot be read so. */
static char *read_file(const tc_index *ix, const char *rel, size_t *len)
{
    tc_buf b = {0};
    if (tc_fs_read_regular(tc_index_root_fd(ix), rel, tc_index_max_file_size(ix), &b, NULL)) {
        tc_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

/* Identifier ids in the lines before the cursor. */
static size_t query_ids(tc_ctx *c, tc_index *ix, const char *relpath, const char *buf, size_t cursor,
                        uint32_t **out)
{
    tc_vocab *v = tc_index_vocab(ix);
    size_t from = line_start(buf, cursor), i, n = 0;
    int l;
    uint32_t *ids;
    *out = NULL;
    for (l = 0; l < CTX_QUERY_LINES && from > 0; l++) from = line_start(buf, from - 1);
    c->items.n = c->offs.n = 0;
    if (!v || tc_tokens_from_source(v, tc_lang_detect(relpath, buf, cursor < 256 ? cursor : 256), buf + from,
                                    cursor - from, &c->items, NULL, &c->toks))
        return 0;
    if (!(ids = malloc((c->items.n + 1) * sizeof *ids))) return 0;
    for (i = 0; i < c->items.n; i++) {
        uint32_t id = TC_ITEM_ID(c->items.v[i]);
        if (tc_vocab_kind(v, id) == TC_TOK_IDENT) ids[n++] = id;
    }
    *out = ids;
    return n;
}

/* Retrieved windows as chunks (redacted, not counted), best first. */
static int retrieve(tc_ctx *c, const tc_ctx_sources *src, const char *relpath, const char *buf, size_t cursor,
                    chunk **out, size_t *nout, tc_ctx_info *info)
{
    tc_hit hits[24];
    uint32_t *q = NULL;
    size_t nq, nh, i, n = 0, want = (size_t)c->o.n_retrieved;
    chunk *ks;
    int rc = TC_OK;
    *out = NULL;
    *nout = 0;
    if (!want || !src || !src->ix || !src->ret) return TC_OK;
    nq = query_ids(c, src->ix, relpath, buf, cursor, &q);
    if (!nq) {
        free(q);
        return TC_OK;
    }
    nh = tc_retriever_search(src->ret, q, nq, tc_index_find(src->ix, relpath), hits, sizeof hits / sizeof *hits);
    free(q);
    if (!(ks = calloc(want, sizeof *ks))) return TC_ENOMEM;
    for (i = 0; i < nh && n < want && !rc; i++) {
        const tc_file_info *fi = tc_index_file(src->ix, hits[i].fileno);
        char *text;
        size_t len = 0, j, from, to;
        uint32_t line;
        int dup = 0;
        if (!fi || fi->removed || fi->skip || fi->buffer) continue;
        if (tc_privacy_path_is_secret(c->priv, fi->path)) {
            info->secret_skipped++;
            continue;
        }
        if (!(text = read_file(src->ix, fi->path, &len))) continue;
        c->items.n = c->offs.n = 0;
        if (tc_tokens_from_source(tc_index_vocab(src->ix), (tc_lang)fi->lang, text, len, &c->items, &c->offs,
                                  &c->toks) ||
            c->items.n != fi->ntok || hits[i].item_lo >= c->items.n) {
            free(text); /* changed on disk since indexing: offsets unknown */
            continue;
        }
        from = line_start(text, c->offs.v[hits[i].item_lo]);
        j = hits[i].item_hi ? hits[i].item_hi - 1 : 0;
        if (j >= c->items.n) j = c->items.n - 1;
        to = line_end(text, len, c->offs.v[j]);
        line = count_lines(text, from) + 1;
        /* a window of a file already chosen, overlapping it: skip */
        for (j = 0; j < n; j++)
            if (overlap(&ks[j], fi->path, line, count_lines(text + from, to - from)) > 0) dup = 1;
        if (!dup && to > from) {
            rc = chunk_make(&ks[n], fi->path, text, from, to, line, TC_CHUNK_RETRIEVED, &info->redactions);
            if (!rc) ks[n++].score = hits[i].score;
        }
        free(text);
    }
    if (rc) {
        for (i = 0; i < n; i++) chunk_free(&ks[i]);
        free(ks);
        return rc;
    }
    *out = ks;
    *nout = n;
    return TC_OK;
}

/* Replace the retrieved set with fresh (taking ownership). Unless naive,
 * chunks present before keep their place and order; new ones go last. */
static void merge_retrieved(tc_ctx *c, chunk *fresh, size_t nf)
{
    size_t i, j, n = 0;
    chunk *next = calloc(nf + 1, sizeof *next);
    if (!next) {
        for (i = 0; i < nf; i++) chunk_free(&fresh[i]);
        free(fresh);
        return;
    }
    if (!c->o.naive) {
        for (i = 0; i < c->nret; i++)
            for (j = 0; j < nf; j++)
                if (fresh[j].path && strcmp(c->ret[i].path, fresh[j].path) == 0 && c->ret[i].line == fresh[j].line &&
                    c->ret[i].len == fresh[j].len && memcmp(c->ret[i].text, fresh[j].text, fresh[j].len) == 0) {
                    next[n++] = c->ret[i];
                    memset(&c->ret[i], 0, sizeof c->ret[i]);
                    chunk_free(&fresh[j]);
                    break;
                }
    }
    for (j = 0; j < nf; j++)
        if (fresh[j].path) next[n++] = fresh[j];
    for (i = 0; i < c->nret; i++) chunk_free(&c->ret[i]);
    free(c->ret);
    free(fresh);
    c->ret = next;
    c->nret = n;
}

/* ---- build ------------------------------------------------------------------------ */

static int ensure_uends(tc_ctx *c, size_t n)
{
    if (n <= c->cap_uends) return TC_OK;
    {
        size_t *p = realloc(c->uends, n * sizeof *p);
        if (!p) return TC_ENOMEM;
        c->uends = p;
        c->cap_uends = n;
    }
    return TC_OK;
}

/* Units of s[0..n) into c->uends; returns their number. */
static size_t units_of(tc_ctx *c, const char *s, size_t n, size_t *nu)
{
    size_t k = 0, off = 0;
    *nu = 0;
    while (off < n) {
        size_t got;
        if (ensure_uends(c, k + 256)) return 0;
        got = tc_tok_units(s + off, n - off, c->uends + k, 256);
        for (size_t i = 0; i < got; i++) c->uends[k + i] += off;
        k += got;
        off = c->uends[k - 1];
    }
    *nu = k;
    return k;
}

int tc_ctx_build(tc_ctx *c, const tc_ctx_sources *src, tc_tokcount *tc, const char *repo, const char *relpath,
                 const char *buf, size_t len, size_t cursor, tc_fim_input *out, tc_ctx_info *info)
{
    tc_ctx_info dummy;
    size_t pstart, send, scan0, i, nu_pre = 0, nu_suf = 0, first, keep_end, nextra = 0;
    uint32_t cursor_line, *cnt = NULL, used = 0, budget_pre, budget_suf, left;
    tc_span *sp = NULL;
    int rc = TC_OK, exact = 1, l;
    uint64_t sig;
    XXH3_state_t *hs = NULL;

    if (!info) info = &dummy;
    memset(info, 0, sizeof *info);
    memset(out, 0, sizeof *out);
    if (cursor > len) return TC_EINVAL;
    out->path = relpath;
    out->repo = repo;
    if (tc_privacy_path_is_secret(c->priv, relpath)) {
        info->secret_file = 1;
        return TC_OK;
    }
    cursor_line = count_lines(buf, cursor); /* 0-based */

    /* The window around the cursor, and its secrets, found in the whole
     * window (and the text just before it, for a key block that began
     * there) before anything is cut. A cursor inside a secret, or in a
     * value being typed for a secret-sounding name: nothing is built. */
    budget_pre = c->o.max_prefix_tokens < c->o.max_tokens ? c->o.max_prefix_tokens : c->o.max_tokens;
    pstart = line_start(buf, cursor);
    for (l = 0; l < c->o.max_lines && pstart > 0 && cursor - pstart < (size_t)budget_pre * 12; l++)
        pstart = line_start(buf, pstart - 1);
    send = cursor;
    for (l = 0; l <= c->o.max_lines && send < len && send - cursor < (size_t)c->o.max_suffix_tokens * 12; l++)
        send = line_end(buf, len, send);
    scan0 = line_start(buf, pstart > TC_SECRET_LOOKBACK ? pstart - TC_SECRET_LOOKBACK : 0);
    if ((rc = tc_secrets_scan(buf + scan0, send - scan0, &c->sec))) return rc;
    if (tc_secrets_inside(&c->sec, cursor - scan0) || tc_secrets_typing(buf, len, cursor)) {
        info->secret_cursor = 1;
        info->secret_file = 1; /* callers that check only this send nothing either */
        return TC_OK;
    }

    /* Chunks: retrieve again when the cursor moved away (or always, naive). */
    if (c->o.naive || !c->anchor_path || strcmp(c->anchor_path, relpath) != 0 ||
        labs((long)cursor_line - c->anchor_line) > c->o.requery_lines) {
        chunk *fresh = NULL;
        size_t nf = 0;
        if (!c->o.naive && c->last_area.path) {
            ring_push(c, &c->last_area); /* where the user was is now "recent" */
        }
        if ((rc = retrieve(c, src, relpath, buf, cursor, &fresh, &nf, info))) goto out;
        for (i = 0; i < nf; i++)
            if ((rc = chunk_count(&fresh[i], tc))) {
                size_t j;
                for (j = 0; j < nf; j++) chunk_free(&fresh[j]);
                free(fresh);
                goto out;
            }
        merge_retrieved(c, fresh, nf);
        free(c->anchor_path);
        c->anchor_path = strdup(relpath);
        c->anchor_line = cursor_line;
        chunk_free(&c->after);
        c->need_after = !c->o.naive;
        chunk_free(&c->last_area);
        if (!c->o.naive && c->o.n_recent &&
            (rc = area_chunk(&c->last_area, relpath, buf, len, cursor, c->o.chunk_lines, TC_CHUNK_RECENT)))
            goto out;
    }

    for (i = 0; i < c->nring; i++) /* noted chunks are counted once, here */
        if (!c->ring[i].nhdr && (rc = chunk_count(&c->ring[i], tc))) goto out;

    /* Regions around the cursor, redacted (their secrets found above). */
    c->pre.len = c->suf.len = 0;
    {
        /* The lines before the cursor's are usually what they were at the
         * last keystroke: their redaction, units and counts are reused. */
        size_t ls = line_start(buf, cursor), n1 = 0, n2 = 0, n3 = 0, k, memo_len, nsp, nmemo = 0;
        int content = 0, hit;
        for (k = ls; k < cursor && !content; k++) content = buf[k] != ' ' && buf[k] != '\t' && buf[k] != '\r';
        if ((rc = tc_secrets_redact(buf + scan0, &c->sec, pstart - scan0, ls - scan0, &c->pre, &n1))) goto out;
        hit = content && ls > pstart && c->memo_ok && c->memo_tc == tc && c->memo_red.len == c->pre.len &&
              memcmp(c->memo_red.data, c->pre.data, c->pre.len) == 0;
        if (hit) nmemo = c->memo_nu;
        else c->memo_ok = 0;
        memo_len = c->pre.len;
        if ((rc = tc_secrets_redact(buf + scan0, &c->sec, ls - scan0, cursor - scan0, &c->pre, &n3))) goto out;
        if ((rc = tc_secrets_redact(buf + scan0, &c->sec, cursor - scan0, send - scan0, &c->suf, &n2))) goto out;
        if ((rc = tc_buf_puts(&c->pre, "")) || (rc = tc_buf_puts(&c->suf, ""))) goto out;
        info->redactions += n1 + n2 + n3;

        /* units: the memo's, then those of the rest of the prefix */
        units_of(c, c->pre.data + memo_len * hit, c->pre.len - memo_len * hit, &nu_pre);
        nu_pre += nmemo;
        sp = malloc((nu_pre + 1) * sizeof *sp);
        cnt = malloc((nu_pre + 1) * sizeof *cnt);
        if (!sp || !cnt || (c->pre.len > memo_len * hit && nu_pre == nmemo)) {
            rc = TC_ENOMEM;
            goto out;
        }
        for (i = 0; i < nmemo; i++) {
            sp[i].p = c->pre.data + (i ? c->memo_ends[i - 1] : 0);
            sp[i].n = c->memo_ends[i] - (i ? c->memo_ends[i - 1] : 0);
            cnt[i] = c->memo_cnt[i];
        }
        for (i = nmemo; i < nu_pre; i++) {
            size_t base = hit ? memo_len : 0, j = i - nmemo;
            sp[i].p = c->pre.data + base + (j ? c->uends[j - 1] : 0);
            sp[i].n = c->uends[j] - (j ? c->uends[j - 1] : 0);
        }
        /* suffix units (c->uends is reused: the prefix spans are set) */
        units_of(c, c->suf.data, c->suf.len, &nu_suf);
        nsp = nu_pre + nu_suf;
        {
            tc_span *sp2 = realloc(sp, (nsp + 1) * sizeof *sp);
            uint32_t *cnt2 = sp2 ? realloc(cnt, (nsp + 1) * sizeof *cnt) : NULL;
            if (sp2) sp = sp2;
            if (cnt2) cnt = cnt2;
            if (!sp2 || !cnt2 || (c->suf.len && !nu_suf)) {
                rc = TC_ENOMEM;
                goto out;
            }
        }
        for (i = 0; i < nu_suf; i++) {
            sp[nu_pre + i].p = c->suf.data + (i ? c->uends[i - 1] : 0);
            sp[nu_pre + i].n = c->uends[i] - (i ? c->uends[i - 1] : 0);
        }
        if ((rc = tc_tokcount_spans(tc, sp + nmemo, nsp - nmemo, cnt + nmemo, &exact))) goto out;
        if (!hit && content && exact && ls > pstart) {
            /* remember the units that end before the cursor's line */
            size_t nm = 0;
            while (nm < nu_pre && (size_t)(sp[nm].p + sp[nm].n - c->pre.data) <= memo_len) nm++;
            if (nm && (size_t)(sp[nm - 1].p + sp[nm - 1].n - c->pre.data) == memo_len) {
                size_t *e = realloc(c->memo_ends, nm * sizeof *e);
                uint32_t *ct = e ? realloc(c->memo_cnt, nm * sizeof *ct) : NULL;
                if (e) c->memo_ends = e;
                if (ct) c->memo_cnt = ct;
                c->memo_red.len = 0;
                if (e && ct && !tc_buf_append(&c->memo_red, c->pre.data, memo_len)) {
                    for (i = 0; i < nm; i++) {
                        e[i] = (size_t)(sp[i].p + sp[i].n - c->pre.data);
                        ct[i] = cnt[i];
                    }
                    c->memo_nu = nm;
                    c->memo_tc = tc;
                    c->memo_ok = 1;
                }
            }
        }
    }

    /* Prefix: units nearest the cursor first. */
    first = nu_pre;
    while (first > 0 && used + cnt[first - 1] <= budget_pre) used += cnt[--first];
    if (first > 0 && !c->o.naive) {
        /* snap the start to a line number multiple of snap_lines */
        uint32_t line = count_lines(buf, pstart) + count_lines(c->pre.data, (size_t)(sp[first].p - c->pre.data));
        uint32_t window = cursor_line > line ? cursor_line - line : 0, snap = (uint32_t)c->o.snap_lines, snapped;
        /* at most a quarter of the window is given up to the snap */
        if (snap > window / 4) snap = window / 4 ? window / 4 : 1;
        snapped = (line + snap - 1) / snap * snap;
        while (first < nu_pre && line < snapped) {
            line += count_lines(sp[first].p, sp[first].n);
            used -= cnt[first];
            first++;
        }
    }
    out->prefix = first < nu_pre ? sp[first].p : c->pre.data + c->pre.len;
    out->nprefix = (size_t)(c->pre.data + c->pre.len - out->prefix);
    out->ntok_prefix = used;
    info->prefix_line = count_lines(buf, pstart) + 1 + count_lines(c->pre.data, (size_t)(out->prefix - c->pre.data));

    /* Suffix: units from the cursor on. */
    left = c->o.max_tokens - used;
    budget_suf = c->o.max_suffix_tokens < left ? c->o.max_suffix_tokens : left;
    if (!c->o.naive && budget_suf > c->o.near_suffix_tokens) budget_suf = c->o.near_suffix_tokens;
    used = 0;
    for (keep_end = 0; keep_end < nu_suf && used + cnt[nu_pre + keep_end] <= budget_suf; keep_end++)
        used += cnt[nu_pre + keep_end];
    out->suffix = c->suf.data;
    out->nsuffix = keep_end ? (size_t)(sp[nu_pre + keep_end - 1].p + sp[nu_pre + keep_end - 1].n - c->suf.data) : 0;
    out->ntok_suffix = used;
    left -= used;
    if (c->need_after) {
        /* the rest of the suffix budget: the lines after the near suffix,
         * kept as a sticky chunk until the chunks are chosen again */
        uint32_t room = c->o.max_suffix_tokens > used ? c->o.max_suffix_tokens - used : 0, took = 0;
        /* within what is left now, with some slack for the prefix growing */
        if (room + 16 > left) room = left > 16 ? left - 16 : 0;
        size_t u = keep_end, from;
        c->need_after = 0;
        /* whole lines: start after the near suffix's last line break */
        while (u < nu_suf && sp[nu_pre + u].n && sp[nu_pre + u].p[sp[nu_pre + u].n - 1] != '\n') u++;
        from = u;
        while (u < nu_suf && took + cnt[nu_pre + u] <= room) took += cnt[nu_pre + u++];
        if (u > from && took > 8) {
            const char *a = sp[nu_pre + from].p;
            size_t an = (size_t)(sp[nu_pre + u - 1].p + sp[nu_pre + u - 1].n - a);
            uint32_t line = cursor_line + 1 + count_lines(c->suf.data, (size_t)(a - c->suf.data));
            if ((rc = chunk_make(&c->after, relpath, a, 0, an, line, TC_CHUNK_AFTER, NULL))) goto out;
            if ((rc = chunk_count(&c->after, tc))) goto out;
        }
    }

    /* Extra: retrieved best first, then recent newest first, whole or not at
     * all; then emitted recent (oldest first) before retrieved. */
    {
        size_t cap = c->nring + c->nret + 1; /* ring, retrieved, after */
        uint8_t *take = calloc(cap + 1, 1);
        uint32_t pre_line = info->prefix_line, suf_end = cursor_line + 1 + count_lines(out->suffix, out->nsuffix);
        if (!take) {
            rc = TC_ENOMEM;
            goto out;
        }
        if (cap > c->cap_extra) {
            tc_fim_chunk *e = realloc(c->extra, cap * sizeof *e);
            if (!e) {
                free(take);
                rc = TC_ENOMEM;
                goto out;
            }
            c->extra = e;
            c->cap_extra = cap;
        }
        out->ntok_extra = 0;
        if (c->after.path && strcmp(c->after.path, relpath) == 0) {
            uint32_t need = c->after.ntok + c->after.nhdr;
            if (need <= left) {
                take[cap - 1] = 1;
                left -= need;
                out->ntok_extra += need;
            } else {
                info->dropped_chunks++;
            }
        }
        for (i = 0; i < c->nret; i++) {
            /* in naive mode c->ret is in score order already */
            uint32_t need = c->ret[i].ntok + c->ret[i].nhdr;
            if (need <= left) {
                take[c->nring + i] = 1;
                left -= need;
                out->ntok_extra += need;
            } else {
                info->dropped_chunks++;
            }
        }
        for (i = c->nring; i-- > 0;) {
            const chunk *k = &c->ring[i];
            uint32_t need = k->ntok + k->nhdr;
            /* the ring may hold the area being edited: the prefix/suffix has it */
            if (overlap(k, relpath, pre_line, suf_end > pre_line ? suf_end - pre_line : 1) > 0) continue;
            if (need <= left) {
                take[i] = 1;
                left -= need;
                out->ntok_extra += need;
            } else {
                info->dropped_chunks++;
            }
        }
        if (!(hs = XXH3_createState())) {
            free(take);
            rc = TC_ENOMEM;
            goto out;
        }
        XXH3_64bits_reset(hs);
        for (i = 0; i < cap; i++) {
            const chunk *k = i < c->nring ? &c->ring[i] : i + 1 < cap ? &c->ret[i - c->nring] : &c->after;
            tc_fim_chunk *e;
            if (!take[i]) continue;
            e = &c->extra[nextra++];
            e->path = k->path;
            e->text = k->text;
            e->len = k->len;
            e->ntok = k->ntok;
            e->line = k->line;
            e->kind = k->kind;
            XXH3_64bits_update(hs, k->path, strlen(k->path) + 1);
            XXH3_64bits_update(hs, k->text, k->len);
        }
        free(take);
        sig = XXH3_64bits_digest(hs);
        info->extra_changed = sig != c->extra_sig;
        c->extra_sig = sig;
    }
    out->extra = c->extra;
    out->nextra = nextra;
    out->single_line = tc_ctx_mid_line(buf, len, cursor);
    {
        size_t ls = line_start(buf, cursor), k = ls;
        int col = 0;
        while (k < len && (buf[k] == ' ' || buf[k] == '\t')) col += buf[k++] == '\t' ? 4 : 1;
        out->indent = col;
    }
    info->exact = exact && tc_tokcount_has_tokenizer(tc);
    info->ntok_total = out->ntok_prefix + out->ntok_suffix + out->ntok_extra;
out:
    XXH3_freeState(hs);
    free(sp);
    free(cnt);
    return rc;
}
