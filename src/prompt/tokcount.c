/* tokcount.c - token counts with the model's tokenizer, cached per unit;
 * see prompt.h for what a unit is and why sums of units are exact. */
#include "prompt/prompt.h"
#include "util/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define TK_CACHE_BITS 16 /* direct-mapped: 64K units, 768 KiB */
#define TK_PENDING UINT32_MAX /* a cache slot's count: queued for the tokenizer */
#define TK_MAX_PENDING 8192   /* units queued at most (the rest: estimates only) */

typedef struct tk_slot {
    uint64_t key; /* 0: empty */
    uint32_t ntok;
} tk_slot;

/* A unit queued for a deferred tokenizer (text owned). */
typedef struct pend {
    uint64_t key;
    char *text;
    size_t n;
} pend;

struct tc_tokcount {
    tc_tokenizer tk;
    int has_tk;
    int deferred;       /* misses are estimated and queued (tc_tokcount_batch_take) */
    pend *pend;
    size_t npend, pend_cap;
    double ratio; /* bytes per token, for estimates */
    tk_slot *cache;
    uint32_t *ends;
    size_t nends, ends_cap;
    uint64_t requests, hits, estimated;
};

/* A unit waiting for a count. */
typedef struct miss {
    size_t span;   /* which span it belongs to */
    const char *p;
    size_t n;
    uint64_t key;
} miss;

int tc_tokcount_new(const tc_tokenizer *tk, double bytes_per_token, tc_tokcount **out)
{
    tc_tokcount *tc = calloc(1, sizeof *tc);
    *out = NULL;
    if (!tc) return TC_ENOMEM;
    tc->cache = calloc((size_t)1 << TK_CACHE_BITS, sizeof *tc->cache);
    if (!tc->cache) {
        free(tc);
        return TC_ENOMEM;
    }
    if (tk && tk->tokenize) {
        tc->tk = *tk;
        tc->has_tk = 1;
    }
    tc->ratio = bytes_per_token > 0 ? bytes_per_token : 3.0;
    *out = tc;
    return TC_OK;
}

void tc_tokcount_free(tc_tokcount *tc)
{
    size_t i;
    if (!tc) return;
    for (i = 0; i < tc->npend; i++) free(tc->pend[i].text);
    free(tc->pend);
    free(tc->cache);
    free(tc->ends);
    free(tc);
}

int tc_tokcount_has_tokenizer(const tc_tokcount *tc) { return tc && (tc->has_tk || tc->deferred); }
void tc_tokcount_set_deferred(tc_tokcount *tc, int on) { tc->deferred = on; }
size_t tc_tokcount_npending(const tc_tokcount *tc) { return tc->npend; }
double tc_tokcount_ratio(const tc_tokcount *tc) { return tc->ratio; }

void tc_tokcount_stats(const tc_tokcount *tc, uint64_t *requests, uint64_t *hits, uint64_t *estimated)
{
    if (requests) *requests = tc->requests;
    if (hits) *hits = tc->hits;
    if (estimated) *estimated = tc->estimated;
}

uint32_t tc_tokcount_estimate(const tc_tokcount *tc, size_t bytes)
{
    if (!bytes) return 0;
    return (uint32_t)ceil((double)bytes / tc->ratio);
}

void tc_tokcount_observe(tc_tokcount *tc, size_t bytes, uint32_t ntok)
{
    double r;
    if (!ntok || bytes < 64) return;
    r = (double)bytes / ntok;
    if (r < 1 || r > 8) return;
    /* lean to the low side: an estimate that runs high only wastes budget */
    tc->ratio = 0.8 * tc->ratio + 0.2 * (r * 0.95);
}

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* Does the line starting at s[i] hold a non-blank character? */
static int line_has_content(const char *s, size_t n, size_t i)
{
    for (; i < n && s[i] != '\n'; i++)
        if (!blank(s[i])) return 1;
    return 0;
}

size_t tc_tok_units(const char *s, size_t n, size_t *ends, size_t max)
{
    size_t i, k = 0;
    if (!n || !max) return 0;
    for (i = 1; i < n; i++) {
        if (s[i - 1] != '\n' || !line_has_content(s, n, i)) continue;
        ends[k++] = i;
        if (k == max) return k;
    }
    ends[k++] = n;
    return k;
}

static uint64_t unit_key(const char *p, size_t n)
{
    uint64_t h = XXH3_64bits(p, n) ^ ((uint64_t)n * 0x9E3779B97F4A7C15ull);
    return h ? h : 1;
}

static tk_slot *slot_of(tc_tokcount *tc, uint64_t key)
{
    return &tc->cache[(key >> 7) & (((size_t)1 << TK_CACHE_BITS) - 1)];
}

static void remember(tc_tokcount *tc, uint64_t key, uint32_t ntok)
{
    tk_slot *s = slot_of(tc, key);
    s->key = key;
    s->ntok = ntok;
}

/* Tokenize text; the number of tokens, or -1. */
static long tokenize_count(tc_tokcount *tc, const char *p, size_t n)
{
    tc->nends = 0;
    tc->requests++;
    if (tc->tk.tokenize(tc->tk.ud, p, n, &tc->ends, &tc->nends, &tc->ends_cap)) return -1;
    return (long)tc->nends;
}

/* A unit can be joined after another in one request when its first line has
 * content; it can be followed by one when it ends with a line break. */
static int joinable_start(const miss *m) { return line_has_content(m->p, m->n, 0); }
static int joinable_end(const miss *m) { return m->n && m->p[m->n - 1] == '\n'; }

/* Count misses[0..nm) with the tokenizer, in ONE request: the units that
 * can be joined (boundaries mapped back through the token end offsets),
 * with at most one unit whose first line is blank placed first and one that
 * does not end with a line break placed last. The others, and all of them
 * when the request fails, stay UINT32_MAX (estimated by the caller). */
static void fetch(tc_tokcount *tc, miss *ms, size_t nm, uint32_t *cnt)
{
    size_t i, total = 0, first_blank = (size_t)-1, last_open = (size_t)-1, no = 0, off = 0;
    size_t *starts = NULL, *order = NULL;
    char *cat = NULL;
    for (i = 0; i < nm; i++) cnt[i] = UINT32_MAX;
    if (!(starts = malloc((nm + 1) * sizeof *starts)) || !(order = malloc((nm + 1) * sizeof *order))) goto out;
    for (i = 0; i < nm; i++) {
        int js = joinable_start(&ms[i]), je = joinable_end(&ms[i]);
        if (!js && je && first_blank == (size_t)-1) first_blank = i;
        else if (js && !je && last_open == (size_t)-1) last_open = i;
    }
    if (first_blank != (size_t)-1) order[no++] = first_blank;
    for (i = 0; i < nm; i++)
        if (joinable_start(&ms[i]) && joinable_end(&ms[i])) order[no++] = i;
    if (last_open != (size_t)-1) order[no++] = last_open;
    for (i = 0; i < no; i++) total += ms[order[i]].n;
    if (!total || !(cat = malloc(total))) goto out;
    for (i = 0; i < no; i++) {
        starts[i] = off;
        memcpy(cat + off, ms[order[i]].p, ms[order[i]].n);
        off += ms[order[i]].n;
    }
    starts[no] = off;
    if (tokenize_count(tc, cat, off) >= 0 && tc->nends && tc->ends[tc->nends - 1] == off) {
        size_t t = 0, u;
        for (u = 0; u < no; u++) {
            uint32_t c = 0;
            while (t < tc->nends && tc->ends[t] <= starts[u + 1]) {
                c++;
                t++;
            }
            cnt[order[u]] = c;
        }
        tc_tokcount_observe(tc, off, (uint32_t)tc->nends);
    }
out:
    free(starts);
    free(order);
    free(cat);
}

/* Queue a unit for the deferred tokenizer (once: its cache slot is marked). */
static void enqueue(tc_tokcount *tc, const char *p, size_t n, uint64_t key)
{
    tk_slot *s = slot_of(tc, key);
    char *t;
    if (s->key == key && s->ntok == TK_PENDING) return;
    if (tc->npend == TK_MAX_PENDING) return;
    if (tc->npend == tc->pend_cap) {
        size_t nc = tc->pend_cap ? tc->pend_cap * 2 : 64;
        pend *np = realloc(tc->pend, nc * sizeof *np);
        if (!np) return;
        tc->pend = np;
        tc->pend_cap = nc;
    }
    if (!(t = malloc(n ? n : 1))) return;
    memcpy(t, p, n);
    tc->pend[tc->npend].key = key;
    tc->pend[tc->npend].text = t;
    tc->pend[tc->npend].n = n;
    tc->npend++;
    s->key = key;
    s->ntok = TK_PENDING;
}

int tc_tokcount_batch_take(tc_tokcount *tc, size_t max_bytes, tc_tok_batch *out)
{
    size_t i, k = 0, bytes = 0;
    memset(out, 0, sizeof *out);
    if (!tc->npend) return TC_OK;
    while (k < tc->npend && (k == 0 || bytes + tc->pend[k].n <= max_bytes)) bytes += tc->pend[k++].n;
    out->text = malloc(k * sizeof *out->text);
    out->len = malloc(k * sizeof *out->len);
    out->key = malloc(k * sizeof *out->key);
    if (!out->text || !out->len || !out->key) {
        tc_tokcount_batch_free(out);
        return TC_ENOMEM;
    }
    for (i = 0; i < k; i++) {
        out->text[i] = tc->pend[i].text;
        out->len[i] = tc->pend[i].n;
        out->key[i] = tc->pend[i].key;
    }
    out->n = k;
    memmove(tc->pend, tc->pend + k, (tc->npend - k) * sizeof *tc->pend);
    tc->npend -= k;
    tc->requests++;
    return TC_OK;
}

void tc_tokcount_batch_done(tc_tokcount *tc, tc_tok_batch *b, const uint32_t *counts)
{
    size_t i, bytes = 0;
    uint64_t ntok = 0;
    for (i = 0; i < b->n; i++) {
        tk_slot *s = slot_of(tc, b->key[i]);
        if (counts && counts[i] != UINT32_MAX) {
            remember(tc, b->key[i], counts[i]);
            bytes += b->len[i];
            ntok += counts[i];
        } else if (s->key == b->key[i] && s->ntok == TK_PENDING) {
            s->key = 0; /* asked again when next seen */
        }
    }
    if (ntok) tc_tokcount_observe(tc, bytes, (uint32_t)(ntok > UINT32_MAX ? UINT32_MAX : ntok));
    tc_tokcount_batch_free(b);
}

void tc_tokcount_batch_free(tc_tok_batch *b)
{
    size_t i;
    for (i = 0; b->text && i < b->n; i++) free(b->text[i]);
    free(b->text);
    free(b->len);
    free(b->key);
    memset(b, 0, sizeof *b);
}

int tc_tokcount_spans(tc_tokcount *tc, const tc_span *spans, size_t n, uint32_t *out, int *exact)
{
    miss *ms = NULL;
    size_t nm = 0, cap = 0, i;
    uint32_t *cnt = NULL;
    size_t ends[256];
    int est = 0;
    for (i = 0; i < n; i++) {
        size_t k, u, from, off = 0;
        out[i] = 0;
        /* units, 256 at a time */
        while (off < spans[i].n) {
            const char *base = spans[i].p + off;
            k = tc_tok_units(base, spans[i].n - off, ends, 256);
            from = 0;
            for (u = 0; u < k; u++) {
                const char *p = base + from;
                size_t len = ends[u] - from;
                uint64_t key = unit_key(p, len);
                tk_slot *s = slot_of(tc, key);
                if (s->key == key && s->ntok != TK_PENDING) {
                    out[i] += s->ntok;
                    tc->hits++;
                } else if (tc->deferred) {
                    /* no tokenizer call here: estimate now, count later */
                    out[i] += tc_tokcount_estimate(tc, len);
                    tc->estimated++;
                    est = 1;
                    enqueue(tc, p, len, key);
                } else {
                    if (nm == cap) {
                        size_t nc = cap ? cap * 2 : 64;
                        miss *nmv = realloc(ms, nc * sizeof *ms);
                        if (!nmv) {
                            free(ms);
                            return TC_ENOMEM;
                        }
                        ms = nmv;
                        cap = nc;
                    }
                    ms[nm].span = i;
                    ms[nm].p = p;
                    ms[nm].n = len;
                    ms[nm].key = key;
                    nm++;
                }
                from = ends[u];
            }
            off += from;
        }
    }
    if (nm) {
        cnt = malloc(nm * sizeof *cnt);
        if (!cnt) {
            free(ms);
            return TC_ENOMEM;
        }
        if (tc->has_tk) fetch(tc, ms, nm, cnt);
        else
            for (i = 0; i < nm; i++) cnt[i] = UINT32_MAX;
        for (i = 0; i < nm; i++) {
            if (cnt[i] == UINT32_MAX) {
                out[ms[i].span] += tc_tokcount_estimate(tc, ms[i].n);
                tc->estimated++;
                est = 1;
            } else {
                out[ms[i].span] += cnt[i];
                remember(tc, ms[i].key, cnt[i]);
            }
        }
    }
    free(cnt);
    free(ms);
    if (exact) *exact = !est;
    return TC_OK;
}

uint32_t tc_tokcount_text(tc_tokcount *tc, const char *s, size_t n)
{
    tc_span sp = {s, n};
    uint32_t c = 0;
    if (tc_tokcount_spans(tc, &sp, 1, &c, NULL)) return tc_tokcount_estimate(tc, n);
    return c;
}
