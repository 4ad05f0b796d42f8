/* lines.c - see lines.h. Sorted arrays of (key, place): one keyed by the
 * previous line, one by the two previous lines, one by the line's first
 * tokens; once for the files on disk (merged per changed file) and once
 * for the editor buffers (small: taken again whenever one changes). */
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

/* The three arrays of one set of files. */
typedef struct lineset {
    ent *o1, *o2, *pre;
    size_t n1, n2, npre;
} lineset;

struct tc_lineidx {
    ent *o1, *o2, *pre; /* the files on disk */
    size_t n1, n2, npre;
    uint64_t *stamp; /* per file number: its content hash and token count
                        when its lines were taken (0: not indexed) */
    size_t nstamp;
    lineset buf;        /* the buffer overlays (tc_index_set_buffer) */
    uint64_t buf_stamp; /* their numbers and tokens when taken (0: none) */
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

uint64_t tc_lineidx_pair_key(uint64_t k2, uint64_t k1) { return k2 ^ (k1 * 0x9E3779B97F4A7C15ull); }

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

int tc_lineidx_skips(const tc_vocab *v, uint32_t id)
{
    return id == TC_VOCAB_EOL || id == TC_VOCAB_BOS || is_indent(v, id);
}

uint64_t tc_lineidx_key(const tc_vocab *v, const uint32_t *ids, size_t n)
{
    size_t i, m = 0;
    uint64_t h = 0xcbf29ce484222325ull;
    for (i = 0; i < n; i++) {
        if (tc_lineidx_skips(v, ids[i])) continue;
        h = (h ^ ids[i]) * 0x100000001b3ull;
        h ^= h >> 29;
        m++;
    }
    if (!m) return 0;
    h = XXH3_64bits(&h, sizeof h);
    return h ? h : 1;
}

/* A growing array of entries. */
typedef struct ents {
    ent *v;
    size_t n, cap;
} ents;

static int push(ents *e, uint64_t key, uint32_t f, uint32_t item)
{
    if (e->n == e->cap) {
        size_t c = e->cap ? e->cap * 2 : 4096;
        ent *p = realloc(e->v, c * sizeof *p);
        if (!p) return TC_ENOMEM;
        e->v = p;
        e->cap = c;
    }
    e->v[e->n].key = key;
    e->v[e->n].ref.fileno = f;
    e->v[e->n].ref.item = item;
    e->n++;
    return TC_OK;
}

/* Scratch for reading files: their items, and their ids. */
typedef struct reader {
    tc_items it;
    uint32_t *ids;
    size_t cap;
} reader;

/* Is file f indexed in the disk arrays (its lines there)? */
static int indexed(const tc_file_info *fi)
{
    return !fi->removed && !fi->skip && !fi->buffer && fi->ntok;
}

/* Is file f an editor buffer with lines (in the buffer arrays)? */
static int buffered(const tc_file_info *fi)
{
    return !fi->removed && !fi->skip && fi->buffer && fi->ntok;
}

/* Append file f's entries to o1, o2 and pre (unsorted), if it belongs to
 * the disk arrays (buffer 0) or the buffer arrays (buffer 1). A file that
 * cannot be read adds none. */
static int add_file(tc_index *ix, size_t f, int buffer, reader *rd, ents *o1, ents *o2, ents *pre)
{
    const tc_vocab *v = tc_index_vocab(ix);
    const tc_file_info *fi = tc_index_file(ix, f);
    size_t i, start = 0;
    uint64_t k1 = 0, k2 = 0; /* keys of the previous two non-blank lines */
    int rc = TC_OK;
    if (!(buffer ? buffered(fi) : indexed(fi)) || tc_index_file_items(ix, f, &rd->it)) return TC_OK;
    if (rd->cap < rd->it.n) {
        uint32_t *p = realloc(rd->ids, rd->it.n * sizeof *p);
        if (!p) return TC_ENOMEM;
        rd->ids = p;
        rd->cap = rd->it.n;
    }
    for (i = 0; i < rd->it.n; i++) rd->ids[i] = TC_ITEM_ID(rd->it.v[i]);
    for (i = 0; i <= rd->it.n && !rc; i++) {
        const uint32_t *ids = rd->ids;
        uint64_t k;
        if (i < rd->it.n && ids[i] != TC_VOCAB_EOL) continue;
        /* line [start, i) */
        k = tc_lineidx_key(v, ids + start, i - start);
        if (k) {
            size_t b = start, len;
            while (b < i && is_indent(v, ids[b])) b++;
            for (len = 1; len <= TC_LINEIDX_PREFIX && b + len <= i && !rc; len++)
                rc = push(pre, prefix_key(ids + b, len), (uint32_t)f, (uint32_t)b);
            if (!rc && k1) rc = push(o1, k1, (uint32_t)f, (uint32_t)start);
            if (!rc && k1 && k2) rc = push(o2, tc_lineidx_pair_key(k2, k1), (uint32_t)f, (uint32_t)start);
            k2 = k1;
            k1 = k;
        }
        start = i + 1;
    }
    return rc;
}

/* What the index said of each file when its lines were taken. */
static int take_stamps(tc_lineidx *li, const tc_index *ix)
{
    size_t f, nf = tc_index_nfiles(ix);
    uint64_t *h = realloc(li->stamp, (nf ? nf : 1) * sizeof *h);
    if (!h) return TC_ENOMEM;
    li->stamp = h;
    li->nstamp = nf;
    for (f = 0; f < nf; f++) {
        const tc_file_info *fi = tc_index_file(ix, f);
        h[f] = indexed(fi) ? (fi->hash ^ ((uint64_t)fi->ntok << 32)) | 1 : 0;
    }
    return TC_OK;
}

static void lineset_free(lineset *s)
{
    free(s->o1);
    free(s->o2);
    free(s->pre);
    memset(s, 0, sizeof *s);
}

/* Take the buffers' lines again if any buffer changed since they were taken
 * (their file numbers and tokens hashed: a few open files, read in
 * microseconds). TC_ENOMEM keeps the old ones. */
static int take_buffers(tc_lineidx *li, tc_index *ix)
{
    size_t f, nf = tc_index_nfiles(ix);
    ents o1 = {0}, o2 = {0}, pre = {0};
    reader rd = {{0}, NULL, 0};
    XXH3_state_t *st = XXH3_createState();
    uint64_t stamp = 0;
    int rc = TC_OK, any = 0;
    if (!st) return TC_ENOMEM;
    XXH3_64bits_reset(st);
    for (f = 0; f < nf; f++) {
        uint64_t fn = f;
        if (!buffered(tc_index_file(ix, f)) || tc_index_file_items(ix, f, &rd.it)) continue;
        XXH3_64bits_update(st, &fn, sizeof fn);
        XXH3_64bits_update(st, rd.it.v, rd.it.n * sizeof *rd.it.v);
        any = 1;
    }
    if (any) stamp = XXH3_64bits_digest(st) | 1;
    XXH3_freeState(st);
    if (stamp == li->buf_stamp) goto out;
    for (f = 0; f < nf && !rc; f++) rc = add_file(ix, f, 1, &rd, &o1, &o2, &pre);
    if (rc) goto out;
    if (o1.n) qsort(o1.v, o1.n, sizeof *o1.v, cmp_ent);
    if (o2.n) qsort(o2.v, o2.n, sizeof *o2.v, cmp_ent);
    if (pre.n) qsort(pre.v, pre.n, sizeof *pre.v, cmp_ent);
    lineset_free(&li->buf);
    li->buf = (lineset){o1.v, o2.v, pre.v, o1.n, o2.n, pre.n};
    o1.v = o2.v = pre.v = NULL;
    li->buf_stamp = stamp;
out:
    tc_items_free(&rd.it);
    free(rd.ids);
    free(o1.v);
    free(o2.v);
    free(pre.v);
    return rc;
}

int tc_lineidx_build(tc_index *ix, tc_lineidx **out)
{
    tc_lineidx *li = calloc(1, sizeof *li);
    ents o1 = {0}, o2 = {0}, pre = {0};
    reader rd = {{0}, NULL, 0};
    size_t f, nf = tc_index_nfiles(ix);
    int rc = TC_OK;
    *out = NULL;
    if (!li || !tc_index_vocab(ix)) {
        free(li);
        return TC_ENOMEM;
    }
    for (f = 0; f < nf && !rc && o1.n < TC_LINEIDX_MAX_LINES; f++) rc = add_file(ix, f, 0, &rd, &o1, &o2, &pre);
    tc_items_free(&rd.it);
    free(rd.ids);
    li->o1 = o1.v, li->n1 = o1.n;
    li->o2 = o2.v, li->n2 = o2.n;
    li->pre = pre.v, li->npre = pre.n;
    if (!rc) rc = take_stamps(li, ix);
    if (!rc) rc = take_buffers(li, ix);
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

/* *a (n entries, sorted) less the entries of files marked in gone, merged
 * with add (sorted); *a replaced, add left as it is. */
static int merge(ent **a, size_t *n, const uint8_t *gone, size_t ngone, const ents *add)
{
    ent *m = malloc((*n + add->n ? *n + add->n : 1) * sizeof *m);
    size_t i = 0, j = 0, w = 0;
    if (!m) return TC_ENOMEM;
    while (i < *n || j < add->n) {
        const ent *x = i < *n ? &(*a)[i] : NULL;
        if (x && x->ref.fileno < ngone && gone[x->ref.fileno]) {
            i++;
            continue;
        }
        if (x && (j == add->n || cmp_ent(x, &add->v[j]) <= 0)) m[w++] = (*a)[i++];
        else m[w++] = add->v[j++];
    }
    free(*a);
    *a = m;
    *n = w;
    return TC_OK;
}

int tc_lineidx_refresh(tc_lineidx *li, tc_index *ix)
{
    size_t f, nf = tc_index_nfiles(ix), nchanged = 0;
    uint8_t *changed = calloc(nf ? nf : 1, 1);
    ents o1 = {0}, o2 = {0}, pre = {0};
    reader rd = {{0}, NULL, 0};
    int rc = TC_OK;
    if (!changed) return TC_ENOMEM;
    for (f = 0; f < nf; f++) {
        const tc_file_info *fi = tc_index_file(ix, f);
        uint64_t now = indexed(fi) ? (fi->hash ^ ((uint64_t)fi->ntok << 32)) | 1 : 0;
        if ((f < li->nstamp ? li->stamp[f] : 0) == now) continue;
        changed[f] = 1;
        nchanged++;
        if (li->n1 + o1.n < TC_LINEIDX_MAX_LINES && (rc = add_file(ix, f, 0, &rd, &o1, &o2, &pre))) break;
    }
    if (!rc && nchanged) {
        if (o1.n) qsort(o1.v, o1.n, sizeof *o1.v, cmp_ent);
        if (o2.n) qsort(o2.v, o2.n, sizeof *o2.v, cmp_ent);
        if (pre.n) qsort(pre.v, pre.n, sizeof *pre.v, cmp_ent);
        /* each merge either replaces its array or leaves it: on failure
         * the index stays consistent, if partly stale */
        if (!(rc = merge(&li->o1, &li->n1, changed, nf, &o1)) && !(rc = merge(&li->o2, &li->n2, changed, nf, &o2)) &&
            !(rc = merge(&li->pre, &li->npre, changed, nf, &pre)))
            rc = take_stamps(li, ix);
    }
    if (!rc) rc = take_buffers(li, ix);
    tc_items_free(&rd.it);
    free(rd.ids);
    free(o1.v);
    free(o2.v);
    free(pre.v);
    free(changed);
    return rc;
}

void tc_lineidx_free(tc_lineidx *li)
{
    if (!li) return;
    free(li->o1);
    free(li->o2);
    free(li->pre);
    free(li->stamp);
    lineset_free(&li->buf);
    free(li);
}

size_t tc_lineidx_nlines(const tc_lineidx *li) { return li ? li->n1 + li->buf.n1 : 0; }

/* The key a query of order 1 or 2 looks up; 0 for none (a blank key). */
static uint64_t query_key(int order, uint64_t k2, uint64_t k1)
{
    if (!k1 || (order == 2 && !k2)) return 0;
    return order == 2 ? tc_lineidx_pair_key(k2, k1) : k1;
}

/* The first entry of a[0..n) (sorted by cmp_ent) not below (key, fileno):
 * fileno past every file gives the end of the key's entries. */
static size_t lower(const ent *a, size_t n, uint64_t key, uint64_t fileno)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].key < key || (a[mid].key == key && a[mid].ref.fileno < fileno)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The places with key in a[0..n) (sorted), not in file exclude: appended to
 * out[*w..max); returns how many there are in all. */
static size_t scan(const ent *a, size_t n, uint64_t key, long exclude, tc_lineref *out, size_t max, size_t *w)
{
    size_t lo = lower(a, n, key, 0), total = 0;
    for (; lo < n && a[lo].key == key; lo++) {
        if ((long)a[lo].ref.fileno == exclude) continue;
        if (*w < max) out[(*w)++] = a[lo].ref;
        total++;
    }
    return total;
}

/* The open buffers' places come first: what the user is typing now. */
size_t tc_lineidx_find(const tc_lineidx *li, int order, uint64_t k2, uint64_t k1, long exclude, tc_lineref *out,
                       size_t max)
{
    size_t w = 0;
    uint64_t key = query_key(order, k2, k1);
    if (!li || !key) return 0;
    if (order == 2)
        return scan(li->buf.o2, li->buf.n2, key, exclude, out, max, &w) +
               scan(li->o2, li->n2, key, exclude, out, max, &w);
    return scan(li->buf.o1, li->buf.n1, key, exclude, out, max, &w) + scan(li->o1, li->n1, key, exclude, out, max, &w);
}

/* Entries of a[0..n) with key, less those of file exclude (contiguous:
 * the array is sorted by key, then file). */
static size_t count_key(const ent *a, size_t n, uint64_t key, long exclude)
{
    size_t c = lower(a, n, key, UINT64_MAX) - lower(a, n, key, 0);
    if (exclude >= 0 && c) c -= lower(a, n, key, (uint64_t)exclude + 1) - lower(a, n, key, (uint64_t)exclude);
    return c;
}

size_t tc_lineidx_count(const tc_lineidx *li, int order, uint64_t k2, uint64_t k1, long exclude)
{
    uint64_t key = query_key(order, k2, k1);
    if (!li || !key) return 0;
    if (order == 2) return count_key(li->buf.o2, li->buf.n2, key, exclude) + count_key(li->o2, li->n2, key, exclude);
    return count_key(li->buf.o1, li->buf.n1, key, exclude) + count_key(li->o1, li->n1, key, exclude);
}

size_t tc_lineidx_prefix(const tc_lineidx *li, const uint32_t *ids, size_t n, long exclude, tc_lineref *out,
                         size_t max)
{
    size_t w = 0;
    uint64_t key;
    if (!li || !n) return 0;
    key = prefix_key(ids, n < TC_LINEIDX_PREFIX ? n : TC_LINEIDX_PREFIX);
    return scan(li->buf.pre, li->buf.npre, key, exclude, out, max, &w) +
           scan(li->pre, li->npre, key, exclude, out, max, &w);
}
