#include "suggest/freq.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "lang/lang.h"
#include "util/status.h"
#include "workspace/tokens.h"

/* One (context, line) pair while counting. */
typedef struct pair {
    uint64_t key; /* the context; 0: an empty slot */
    uint64_t lh;  /* the line's hash */
    uint32_t ids[TC_FREQ_TOKENS];
    uint32_t files, last;          /* files counted; the last one (+1) */
    uint32_t first[TC_FREQ_FILES]; /* the first files */
    uint8_t n, sp;                 /* tokens; space bits */
} pair;

/* A context's kept lines, in the final table. */
typedef struct slot {
    uint64_t key;
    uint32_t at, n; /* lines[at .. at + n) */
} slot;

typedef struct kline {
    uint32_t ids[TC_FREQ_TOKENS];
    uint32_t files;
    uint32_t first[TC_FREQ_FILES];
    uint8_t n, sp;
} kline;

struct tc_freq {
    slot *s; /* sorted by key */
    size_t ns;
    kline *l;
};

uint64_t tc_freq_key(unsigned lang, uint32_t first, uint32_t last, uint32_t ind)
{
    uint32_t k[4] = {lang, first, last, ind};
    return XXH3_64bits(k, sizeof k) | 1;
}

static int is_indent(const tc_vocab *v, uint32_t id)
{
    uint8_t k = tc_vocab_kind(v, id);
    return k == TC_TOK_INDENT || k == TC_TOK_DEDENT;
}

static void count(pair *t, size_t *used, uint64_t key, const uint32_t *it, size_t n, uint32_t fileno)
{
    uint32_t ids[TC_FREQ_TOKENS];
    size_t i, h;
    uint64_t lh;
    uint8_t sp = 0;
    for (i = 0; i < n; i++) {
        ids[i] = TC_ITEM_ID(it[i]);
        sp |= (uint8_t)(TC_ITEM_SP(it[i]) << i);
    }
    lh = XXH3_64bits(ids, n * sizeof *ids);
    for (h = (size_t)((key ^ (lh * 0x9E3779B97F4A7C15ull)) >> 20) & (TC_FREQ_SLOTS - 1); t[h].key;
         h = (h + 1) & (TC_FREQ_SLOTS - 1))
        if (t[h].key == key && t[h].lh == lh) {
            if (t[h].last != fileno + 1) {
                if (t[h].files < TC_FREQ_FILES) t[h].first[t[h].files] = fileno;
                t[h].files++;
                t[h].last = fileno + 1;
            }
            return;
        }
    if (*used >= TC_FREQ_SLOTS / 4 * 3) return; /* full: new pairs are not counted */
    (*used)++;
    t[h].key = key;
    t[h].lh = lh;
    memcpy(t[h].ids, ids, n * sizeof *ids);
    t[h].n = (uint8_t)n;
    t[h].sp = sp;
    t[h].files = 1;
    t[h].last = fileno + 1;
    t[h].first[0] = fileno;
}

static void count_file(const tc_vocab *v, const tc_items *it, unsigned lang, uint32_t fileno, pair *t, size_t *used)
{
    size_t i = 0, n = it->n;
    uint32_t first = TC_VOCAB_BOS, last = TC_VOCAB_BOS;
    while (i < n) {
        size_t b, e;
        uint32_t ind = 0;
        for (b = i; b < n && is_indent(v, TC_ITEM_ID(it->v[b])); b++) ind = TC_ITEM_ID(it->v[b]);
        for (e = b; e < n && TC_ITEM_ID(it->v[e]) != TC_VOCAB_EOL; e++)
            ;
        i = e + 1;
        if (e == b) continue; /* blank: the context stays */
        if (e - b <= TC_FREQ_TOKENS) count(t, used, tc_freq_key(lang, first, last, ind), it->v + b, e - b, fileno);
        first = TC_ITEM_ID(it->v[b]);
        last = TC_ITEM_ID(it->v[e - 1]);
    }
}

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    if (x->files != y->files) return x->files > y->files ? -1 : 1;
    return x->lh < y->lh ? -1 : x->lh > y->lh;
}

int tc_freq_build(tc_index *ix, tc_freq **out)
{
    const tc_vocab *v = tc_index_vocab(ix);
    size_t nf = tc_index_nfiles(ix), f, used = 0, i, np = 0, nl = 0;
    pair *t = calloc(TC_FREQ_SLOTS, sizeof *t);
    tc_freq *fr = calloc(1, sizeof *fr);
    tc_items it = {0};
    int rc = TC_ENOMEM;
    *out = NULL;
    if (!t || !fr) goto out;
    for (f = 0; f < nf; f++) {
        const tc_file_info *fi = tc_index_file(ix, f);
        if (!fi || fi->removed || fi->skip || fi->buffer || !fi->ntok || tc_index_file_items(ix, f, &it)) continue;
        count_file(v, &it, fi->lang, (uint32_t)f, t, &used);
    }
    /* the pairs in at least 2 files, by context then files */
    for (i = 0; i < TC_FREQ_SLOTS; i++)
        if (t[i].key && t[i].files >= 2) t[np++] = t[i];
    qsort(t, np, sizeof *t, cmp_pair);
    for (i = 0; i < np; i++) fr->ns += !i || t[i].key != t[i - 1].key;
    fr->s = malloc((fr->ns + 1) * sizeof *fr->s);
    fr->l = malloc((np + 1) * sizeof *fr->l);
    if (!fr->s || !fr->l) goto out;
    fr->ns = 0;
    for (i = 0; i < np; i++) {
        kline *k;
        if (!i || t[i].key != t[i - 1].key) {
            fr->s[fr->ns].key = t[i].key;
            fr->s[fr->ns].at = (uint32_t)nl;
            fr->s[fr->ns++].n = 0;
        }
        if (fr->s[fr->ns - 1].n == TC_FREQ_KEEP) continue;
        fr->s[fr->ns - 1].n++;
        k = &fr->l[nl++];
        memcpy(k->ids, t[i].ids, sizeof k->ids);
        memcpy(k->first, t[i].first, sizeof k->first);
        k->files = t[i].files;
        k->n = t[i].n;
        k->sp = t[i].sp;
    }
    rc = TC_OK;
out:
    tc_items_free(&it);
    free(t);
    if (rc) tc_freq_free(fr);
    else *out = fr;
    return rc;
}

void tc_freq_free(tc_freq *f)
{
    if (!f) return;
    free(f->s);
    free(f->l);
    free(f);
}

size_t tc_freq_find(const tc_freq *f, uint64_t key, long exclude, tc_freq_line *out, size_t max)
{
    size_t lo = 0, hi, i, n = 0;
    if (!f) return 0;
    hi = f->ns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->s[mid].key < key) lo = mid + 1;
        else hi = mid;
    }
    if (lo == f->ns || f->s[lo].key != key) return 0;
    for (i = 0; i < f->s[lo].n && n < max; i++) {
        const kline *k = &f->l[f->s[lo].at + i];
        uint32_t files = k->files, j, self = 0;
        for (j = 0; j < TC_FREQ_FILES && j < k->files; j++) self |= (long)k->first[j] == exclude;
        if (exclude >= 0 && (self || k->files > TC_FREQ_FILES)) files--; /* it may stand in the excluded file */
        if (files < 2) continue;
        memcpy(out[n].ids, k->ids, k->n * sizeof *k->ids);
        for (j = 0; j < k->n; j++) out[n].sp[j] = (int8_t)((k->sp >> j) & 1);
        out[n].n = k->n;
        out[n].files = files;
        n++;
    }
    return n;
}
