/* tokcount.c - token counts with the model's tokenizer, cached per unit;
 * see prompt.h for what a unit is and why sums of units are exact. */
#include "prompt/prompt.h"
#include "util/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define TK_CACHE_BITS 16 /* direct-mapped: 64K units, 768 KiB */
#define TK_MAX_SINGLE 32 /* units tokenized one per request before estimating */

typedef struct tk_slot {
    uint64_t key; /* 0: empty */
    uint32_t ntok;
} tk_slot;

struct tc_tokcount {
    tc_tokenizer tk;
    int has_tk;
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
    if (!tc) return;
    free(tc->cache);
    free(tc->ends);
    free(tc);
}

int tc_tokcount_has_tokenizer(const tc_tokcount *tc) { return tc && tc->has_tk; }
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

/* Count misses[0..nm) with the tokenizer; 0 on success. Units that can be
 * joined go in one request (boundaries mapped back through the token end
 * offsets); the rest one request each, up to TK_MAX_SINGLE. Counts not
 * obtained stay UINT32_MAX. */
static void fetch(tc_tokcount *tc, miss *ms, size_t nm, uint32_t *cnt)
{
    size_t i, singles = 0, total = 0, last_open = (size_t)-1;
    char *cat = NULL;
    for (i = 0; i < nm; i++) cnt[i] = UINT32_MAX;
    /* the joined batch: joinable units, plus at most one that does not end
     * with a line break, placed last */
    for (i = 0; i < nm; i++) {
        if (!joinable_start(&ms[i])) continue;
        if (joinable_end(&ms[i])) total += ms[i].n;
        else if (last_open == (size_t)-1) {
            last_open = i;
            total += ms[i].n;
        }
    }
    if (total && (cat = malloc(total))) {
        size_t off = 0, *starts = malloc((nm + 1) * sizeof *starts), *order = malloc((nm + 1) * sizeof *order);
        size_t no = 0;
        if (starts && order) {
            for (i = 0; i < nm; i++)
                if (joinable_start(&ms[i]) && joinable_end(&ms[i])) order[no++] = i;
            if (last_open != (size_t)-1) order[no++] = last_open;
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
        }
        free(starts);
        free(order);
        free(cat);
    }
    for (i = 0; i < nm && singles < TK_MAX_SINGLE; i++) {
        long c;
        if (cnt[i] != UINT32_MAX) continue;
        singles++;
        if ((c = tokenize_count(tc, ms[i].p, ms[i].n)) >= 0) cnt[i] = (uint32_t)c;
    }
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
                if (s->key == key) {
                    out[i] += s->ntok;
                    tc->hits++;
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
