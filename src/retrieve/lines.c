/* lines.c - see lines.h. Two sorted arrays of (key, place): one keyed by
 * the previous line, one by the two previous lines. */
#include "retrieve/lines.h"
#include "lang/lang.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct ent {
    uint64_t key;
    tc_lineref ref;
} ent;

struct tc_lineidx {
    ent *o1, *o2, *pre;
    size_t n1, n2, npre;
};

static uint64_t prefix_key(const uint32_t *ids, size_t n)
{
    uint64_t h = 0x84222325cbf29ce4ull ^ n;
    size_t i;
    for (i = 0; i < n; i++) {
        h = (h ^ ids[i]) * 0x100000001b3ull;
        h ^= h >> 31;
    }
    return XXH3_64bits(&h, sizeof h) | 1;
}

static int cmp_ent(const void *a, const void *b)
{
    const ent *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    if (x->ref.fileno != y->ref.fileno) return x->ref.fileno < y->ref.fileno ? -1 : 1;
    return x->ref.item < y->ref.item ? -1 : x->ref.item > y->ref.item;
}

static int is_indent(const tc_vocab *v, uint32_t id)
{
    uint8_t k = tc_vocab_kind(v, id);
    return k == TC_TOK_INDENT || k == TC_TOK_DEDENT;
}

uint64_t tc_lineidx_key(const tc_vocab *v, const uint32_t *ids, size_t n)
{
    size_t i, m = 0;
    uint64_t h = 0xcbf29ce484222325ull;
    for (i = 0; i < n; i++) {
        if (ids[i] == TC_VOCAB_EOL || ids[i] == TC_VOCAB_BOS || is_indent(v, ids[i])) continue;
        h = (h ^ ids[i]) * 0x100000001b3ull;
        h ^= h >> 29;
        m++;
    }
    if (!m) return 0;
    h = XXH3_64bits(&h, sizeof h);
    return h ? h : 1;
}

static int push(ent **v, size_t *n, size_t *cap, uint64_t key, uint32_t f, uint32_t item)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 4096;
        ent *p = realloc(*v, c * sizeof *p);
        if (!p) return TC_ENOMEM;
        *v = p;
        *cap = c;
    }
    (*v)[*n].key = key;
    (*v)[*n].ref.fileno = f;
    (*v)[*n].ref.item = item;
    (*n)++;
    return TC_OK;
}

int tc_lineidx_build(tc_index *ix, tc_lineidx **out)
{
    const tc_vocab *v = tc_index_vocab(ix);
    tc_lineidx *li = calloc(1, sizeof *li);
    tc_items it = {0};
    uint32_t *ids = NULL;
    size_t f, nf = tc_index_nfiles(ix), c1 = 0, c2 = 0, cp = 0, cap_ids = 0;
    int rc = TC_OK;
    *out = NULL;
    if (!li || !v) {
        free(li);
        return TC_ENOMEM;
    }
    for (f = 0; f < nf && !rc && li->n1 < TC_LINEIDX_MAX_LINES; f++) {
        const tc_file_info *fi = tc_index_file(ix, f);
        size_t i, start = 0;
        uint64_t k1 = 0, k2 = 0; /* keys of the previous two non-blank lines */
        if (fi->removed || fi->skip || fi->buffer || !fi->ntok) continue;
        if (tc_index_file_items(ix, f, &it)) continue;
        if (cap_ids < it.n) {
            uint32_t *p = realloc(ids, it.n * sizeof *p);
            if (!p) {
                rc = TC_ENOMEM;
                break;
            }
            ids = p;
            cap_ids = it.n;
        }
        for (i = 0; i < it.n; i++) ids[i] = TC_ITEM_ID(it.v[i]);
        for (i = 0; i <= it.n && !rc; i++) {
            uint64_t k;
            if (i < it.n && ids[i] != TC_VOCAB_EOL) continue;
            /* line [start, i) */
            k = tc_lineidx_key(v, ids + start, i - start);
            if (k) {
                size_t b = start, len;
                while (b < i && is_indent(v, ids[b])) b++;
                for (len = 1; len <= TC_LINEIDX_PREFIX && b + len <= i && !rc; len++)
                    rc = push(&li->pre, &li->npre, &cp, prefix_key(ids + b, len), (uint32_t)f, (uint32_t)b);
                if (k1) rc = push(&li->o1, &li->n1, &c1, k1, (uint32_t)f, (uint32_t)start);
                if (!rc && k1 && k2) rc = push(&li->o2, &li->n2, &c2, k2 ^ (k1 * 0x9E3779B97F4A7C15ull), (uint32_t)f, (uint32_t)start);
                k2 = k1;
                k1 = k;
            }
            start = i + 1;
        }
    }
    tc_items_free(&it);
    free(ids);
    if (rc) {
        tc_lineidx_free(li);
        return rc;
    }
    if (li->n1) qsort(li->o1, li->n1, sizeof *li->o1, cmp_ent);
    if (li->n2) qsort(li->o2, li->n2, sizeof *li->o2, cmp_ent);
    if (li->npre) qsort(li->pre, li->npre, sizeof *li->pre, cmp_ent);
    *out = li;
    return TC_OK;
}

void tc_lineidx_free(tc_lineidx *li)
{
    if (!li) return;
    free(li->o1);
    free(li->o2);
    free(li->pre);
    free(li);
}

size_t tc_lineidx_nlines(const tc_lineidx *li) { return li ? li->n1 : 0; }

size_t tc_lineidx_find(const tc_lineidx *li, int order, uint64_t k2, uint64_t k1, long exclude, tc_lineref *out,
                       size_t max)
{
    const ent *a;
    size_t n, lo = 0, hi, w = 0, total = 0;
    uint64_t key;
    if (!li || !k1 || (order == 2 && !k2)) return 0;
    a = order == 2 ? li->o2 : li->o1;
    n = order == 2 ? li->n2 : li->n1;
    key = order == 2 ? k2 ^ (k1 * 0x9E3779B97F4A7C15ull) : k1;
    hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].key < key) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < n && a[lo].key == key; lo++) {
        if ((long)a[lo].ref.fileno == exclude) continue;
        if (w < max) out[w++] = a[lo].ref;
        total++;
    }
    return total;
}

size_t tc_lineidx_prefix(const tc_lineidx *li, const uint32_t *ids, size_t n, long exclude, tc_lineref *out,
                         size_t max)
{
    size_t lo = 0, hi, w = 0, total = 0;
    uint64_t key;
    if (!li || !n || !li->npre) return 0;
    key = prefix_key(ids, n < TC_LINEIDX_PREFIX ? n : TC_LINEIDX_PREFIX);
    hi = li->npre;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (li->pre[mid].key < key) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < li->npre && li->pre[lo].key == key; lo++) {
        if ((long)li->pre[lo].ref.fileno == exclude) continue;
        if (w < max) out[w++] = li->pre[lo].ref;
        total++;
    }
    return total;
}
