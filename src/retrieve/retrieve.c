/* retrieve.c - see retrieve.h.
 *
 * Windows live in one array; the first nbase have postings (an inverted
 * index in CSR form: for each identifier id, the windows containing it),
 * those after nbase form the overlay of windows rebuilt after edits and are
 * scored by direct set intersection. A window's identifier set is a sorted,
 * duplicate-free run of ids in the flat sets array. */
#include "retrieve/retrieve.h"
#include "lang/lang.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

typedef struct win {
    uint32_t fileno;
    uint32_t item_lo, item_hi;
    uint32_t set_len;
    uint64_t set_off;
    uint8_t dead;
} win;

struct tc_retriever {
    tc_index *ix;
    win *w;
    size_t nw, capw, nbase;
    uint32_t *sets;
    size_t nsets, capsets;
    uint32_t nvocab_base;   /* ids below have postings */
    uint64_t *post_off;     /* nvocab_base + 1 */
    uint32_t *post;
    uint16_t *overlap;      /* per base window, scratch for queries */
    uint32_t *touched;
    uint64_t max_windows;
    size_t nbase_goal;      /* windows always allowed (the overlay after edits) */
    tc_items scratch;
    uint32_t *ids;          /* scratch for one window's identifiers */
    size_t cap_ids;
    int attached;           /* registered as the index's listener */
    uint32_t *stamp;        /* per vocab id: the window generation that took it */
    uint32_t nstamp, stamp_gen;
};

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static size_t sort_unique(uint32_t *v, size_t n)
{
    size_t i, j = 0;
    if (!n) return 0;
    qsort(v, n, sizeof *v, cmp_u32);
    for (i = 1; i < n; i++)
        if (v[i] != v[j]) v[++j] = v[i];
    return j + 1;
}

static int add_window(tc_retriever *r, uint32_t fileno, const uint32_t *items, uint32_t lo, uint32_t hi)
{
    const tc_vocab *voc = tc_index_vocab(r->ix);
    size_t n = 0, i;
    win *w;
    if (r->nw == r->capw) {
        size_t cap = r->capw ? r->capw * 2 : 4096;
        win *nw = realloc(r->w, cap * sizeof *nw);
        if (!nw) return TC_ENOMEM;
        r->w = nw;
        r->capw = cap;
    }
    if (r->cap_ids < hi - lo) {
        uint32_t *p = realloc(r->ids, (hi - lo) * sizeof *p);
        if (!p) return TC_ENOMEM;
        r->ids = p;
        r->cap_ids = hi - lo;
    }
    /* Unique identifiers of the window: a stamp per vocab id says "already
     * taken for this window", then a small insertion sort (windows hold tens
     * of distinct names). */
    r->stamp_gen++;
    for (i = lo; i < hi; i++) {
        uint32_t id = TC_ITEM_ID(items[i]);
        if (tc_vocab_kind(voc, id) != TC_TOK_IDENT) continue;
        if (id < r->nstamp) {
            if (r->stamp[id] == r->stamp_gen) continue;
            r->stamp[id] = r->stamp_gen;
        }
        r->ids[n++] = id;
    }
    {
        size_t a, b;
        for (a = 1; a < n; a++) {
            uint32_t x = r->ids[a];
            for (b = a; b > 0 && r->ids[b - 1] > x; b--) r->ids[b] = r->ids[b - 1];
            r->ids[b] = x;
        }
        if (r->nstamp == 0) n = sort_unique(r->ids, n); /* no stamp table: dedupe the sorted run */
    }
    if (r->nsets + n > r->capsets) {
        size_t cap = r->capsets ? r->capsets * 2 : 65536;
        uint32_t *p;
        while (cap < r->nsets + n) cap *= 2;
        p = realloc(r->sets, cap * sizeof *p);
        if (!p) return TC_ENOMEM;
        r->sets = p;
        r->capsets = cap;
    }
    memcpy(r->sets + r->nsets, r->ids, n * sizeof *r->ids);
    w = &r->w[r->nw++];
    w->fileno = fileno;
    w->item_lo = lo;
    w->item_hi = hi;
    w->set_off = r->nsets;
    w->set_len = (uint32_t)n;
    w->dead = 0;
    r->nsets += n;
    return TC_OK;
}

/* Cut one file's items into windows. */
static int add_file(tc_retriever *r, uint32_t fileno, const uint32_t *items, size_t n)
{
    uint32_t *starts = NULL;
    size_t nl = 0, i, s;
    int rc = TC_OK;
    if (!n) return TC_OK;
    starts = malloc((n + 2) * sizeof *starts);
    if (!starts) return TC_ENOMEM;
    starts[nl++] = 0;
    for (i = 0; i < n; i++)
        if (TC_ITEM_ID(items[i]) == TC_VOCAB_EOL && i + 1 < n) starts[nl++] = (uint32_t)i + 1;
    starts[nl] = (uint32_t)n; /* sentinel: end of the last line */
    for (s = 0; s < nl && !rc; s += TC_WIN_STRIDE) {
        size_t e = s + TC_WIN_LINES < nl ? s + TC_WIN_LINES : nl;
        if (r->max_windows && r->nw >= r->max_windows) break;
        if (r->nsets >= TC_RETRIEVE_MAX_ENTRIES && r->nw >= r->nbase_goal) break;
        rc = add_window(r, fileno, items, starts[s], starts[e]);
        if (e == nl) break;
    }
    free(starts);
    return rc;
}

static void on_change(void *ud, size_t fileno, const uint32_t *old_items, size_t old_n,
                      const uint32_t *new_items, size_t new_n)
{
    tc_retriever *r = ud;
    size_t i;
    (void)old_items;
    (void)old_n;
    for (i = 0; i < r->nw; i++)
        if (r->w[i].fileno == fileno) r->w[i].dead = 1;
    if (new_items) add_file(r, (uint32_t)fileno, new_items, new_n);
}

static int build_postings(tc_retriever *r)
{
    size_t i, j;
    r->nvocab_base = tc_vocab_size(tc_index_vocab(r->ix));
    r->post_off = calloc((size_t)r->nvocab_base + 1, sizeof *r->post_off);
    r->post = malloc((r->nsets ? r->nsets : 1) * sizeof *r->post);
    r->overlap = calloc(r->nw ? r->nw : 1, sizeof *r->overlap);
    r->touched = malloc((r->nw ? r->nw : 1) * sizeof *r->touched);
    if (!r->post_off || !r->post || !r->overlap || !r->touched) return TC_ENOMEM;
    r->nbase_goal = (size_t)-1; /* from now on, edits always get their windows */
    for (i = 0; i < r->nsets; i++) r->post_off[r->sets[i] + 1]++;
    for (i = 0; i < r->nvocab_base; i++) r->post_off[i + 1] += r->post_off[i];
    {
        uint64_t *fill = malloc(((size_t)r->nvocab_base + 1) * sizeof *fill);
        if (!fill) return TC_ENOMEM;
        memcpy(fill, r->post_off, ((size_t)r->nvocab_base + 1) * sizeof *fill);
        for (i = 0; i < r->nw; i++)
            for (j = 0; j < r->w[i].set_len; j++) r->post[fill[r->sets[r->w[i].set_off + j]]++] = (uint32_t)i;
        free(fill);
    }
    r->nbase = r->nw;
    return TC_OK;
}

int tc_retriever_open(tc_index *ix, uint64_t max_windows, tc_retriever **out)
{
    int rc = tc_retriever_build(ix, max_windows, out);
    if (!rc && (rc = tc_retriever_attach(*out))) {
        tc_retriever_free(*out);
        *out = NULL;
    }
    return rc;
}

int tc_retriever_attach(tc_retriever *r)
{
    int rc = tc_index_add_listener(r->ix, on_change, r);
    if (!rc) r->attached = 1;
    return rc;
}

int tc_retriever_build(tc_index *ix, uint64_t max_windows, tc_retriever **out)
{
    tc_retriever *r = calloc(1, sizeof *r);
    size_t f, nf = tc_index_nfiles(ix);
    int rc = TC_OK;
    *out = NULL;
    if (!r) return TC_ENOMEM;
    r->ix = ix;
    r->max_windows = max_windows;
    if (!tc_index_vocab(ix)) {
        rc = TC_ENOMEM;
        goto fail;
    }
    r->nstamp = tc_vocab_size(tc_index_vocab(ix));
    r->stamp = calloc(r->nstamp ? r->nstamp : 1, sizeof *r->stamp);
    if (!r->stamp) r->nstamp = 0; /* fall back to sorting */
    for (f = 0; f < nf && !rc && r->nsets < TC_RETRIEVE_MAX_ENTRIES; f++) {
        const tc_file_info *fi = tc_index_file(ix, f);
        if (fi->removed || fi->skip || !fi->ntok) continue;
        rc = tc_index_file_items(ix, f, &r->scratch);
        if (rc == TC_ECORRUPT) {
            rc = TC_OK;
            continue;
        }
        if (!rc) rc = add_file(r, (uint32_t)f, r->scratch.v, r->scratch.n);
    }
    if (!rc) rc = build_postings(r);
    if (rc) goto fail;
    *out = r;
    return TC_OK;
fail:
    tc_retriever_free(r);
    return rc;
}

void tc_retriever_free(tc_retriever *r)
{
    if (!r) return;
    if (r->attached) tc_index_remove_listener(r->ix, on_change, r);
    free(r->w);
    free(r->sets);
    free(r->post_off);
    free(r->post);
    free(r->overlap);
    free(r->touched);
    free(r->ids);
    free(r->stamp);
    tc_items_free(&r->scratch);
    free(r);
}

uint64_t tc_retriever_nwindows(const tc_retriever *r) { return r->nw; }

static size_t intersect(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j]) i++;
        else if (a[i] > b[j]) j++;
        else {
            n++;
            i++;
            j++;
        }
    }
    return n;
}

static void keep_best(tc_hit *out, size_t *nout, size_t k, const tc_hit *h)
{
    size_t i;
    if (*nout < k) {
        out[(*nout)++] = *h;
    } else if (h->score > out[*nout - 1].score) {
        out[*nout - 1] = *h;
    } else {
        return;
    }
    /* bubble the new entry up: k is small */
    for (i = *nout - 1; i > 0 && out[i].score > out[i - 1].score; i--) {
        tc_hit t = out[i];
        out[i] = out[i - 1];
        out[i - 1] = t;
    }
}

size_t tc_retriever_search(tc_retriever *r, const uint32_t *query, size_t nq, long exclude_fileno,
                           tc_hit *out, size_t k)
{
    uint32_t *q;
    size_t nu, i, j, ntouched = 0, nout = 0;
    /* Identifiers in more than this many windows say little (like "self"). */
    uint64_t common = r->nbase / 20 + 64;
    if (!nq || !k) return 0;
    q = malloc(nq * sizeof *q);
    if (!q) return 0;
    memcpy(q, query, nq * sizeof *q);
    nu = sort_unique(q, nq);
    for (i = 0; i < nu; i++) {
        uint64_t lo, hi;
        if (q[i] >= r->nvocab_base) continue;
        lo = r->post_off[q[i]];
        hi = r->post_off[q[i] + 1];
        if (hi - lo > common) continue;
        for (; lo < hi; lo++) {
            uint32_t wi = r->post[lo];
            if (r->overlap[wi]++ == 0) r->touched[ntouched++] = wi;
        }
    }
    for (j = 0; j < ntouched; j++) {
        uint32_t wi = r->touched[j];
        const win *w = &r->w[wi];
        uint32_t ov = r->overlap[wi];
        r->overlap[wi] = 0;
        if (w->dead || (long)w->fileno == exclude_fileno) continue;
        {
            tc_hit h = {w->fileno, w->item_lo, w->item_hi, (float)ov / (float)(nu + w->set_len - ov)};
            keep_best(out, &nout, k, &h);
        }
    }
    for (j = r->nbase; j < r->nw; j++) {
        const win *w = &r->w[j];
        size_t ov;
        if (w->dead || (long)w->fileno == exclude_fileno) continue;
        ov = intersect(q, nu, r->sets + w->set_off, w->set_len);
        if (ov) {
            tc_hit h = {w->fileno, w->item_lo, w->item_hi, (float)ov / (float)(nu + w->set_len - ov)};
            keep_best(out, &nout, k, &h);
        }
    }
    free(q);
    return nout;
}
