/* sa.c - truncated suffix arrays over token corpora, and counting with them.
 *
 * Construction is an LSD radix sort of the positions by their first `order`
 * tokens: order stable counting-sort passes, the last one by the first
 * token (whose counts are the bucket table). A small array's ids are first
 * remapped to dense ranks (a radix sort of the ids when their range is far
 * larger than the text, as a one-file delta against a big vocabulary; else
 * a table over the range) so each pass costs O(text), not O(vocabulary).
 */
#include "model/model_int.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void tc_sa_free(tc_sa *sa)
{
    if (!sa) return;
    if (sa->map) munmap(sa->map, sa->map_len);
    else free(sa->pos);
    free(sa->bucket);
    free(sa->h0);
    memset(sa, 0, sizeof *sa);
}

/* Stable sort of a[0..n) by the high 32 bits (11-bit digits), each below
 * 2^hbits (the digits above are 0: their passes would keep the order). */
static void radix_u64_hi(uint64_t *a, uint64_t *tmp, size_t n, int hbits)
{
    size_t cnt[2048];
    int shift;
    for (shift = 32; shift < 32 + hbits; shift += 11) {
        size_t i, sum = 0;
        memset(cnt, 0, sizeof cnt);
        for (i = 0; i < n; i++) cnt[(a[i] >> shift) & 2047]++;
        for (i = 0; i < 2048; i++) {
            size_t c = cnt[i];
            cnt[i] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++) tmp[cnt[(a[i] >> shift) & 2047]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
}

static uint32_t h0_slot(uint32_t t, uint32_t mask)
{
    return (t * 0x9E3779B1u) & mask;
}

/* The first-token table of a small array (cheap: one pass), at most half
 * full. */
static int build_h0(tc_sa *sa)
{
    uint32_t x, cap = 16, i, ng = 0, *start = malloc(((size_t)sa->n + 1) * sizeof *start), prev = 0;
    if (!start) return TC_ENOMEM;
    /* each group's first entry, in one pass */
    for (x = 0; x < sa->n; x++) {
        uint32_t t = sa->text[sa->pos[x]];
        if (!x || t != prev) start[ng++] = x;
        prev = t;
    }
    start[ng] = sa->n;
    while (cap < 2 * ng) cap *= 2;
    sa->h0 = malloc((size_t)cap * 3 * sizeof *sa->h0);
    if (!sa->h0) {
        free(start);
        return TC_ENOMEM;
    }
    sa->h0mask = cap - 1;
    for (i = 0; i < cap; i++) sa->h0[3 * i] = TC_SEP;
    for (i = 0; i < ng; i++) {
        uint32_t t = sa->text[sa->pos[start[i]]], h;
        for (h = h0_slot(t, sa->h0mask); sa->h0[3 * h] != TC_SEP; h = (h + 1) & sa->h0mask) {}
        sa->h0[3 * h] = t;
        sa->h0[3 * h + 1] = start[i];
        sa->h0[3 * h + 2] = start[i + 1];
    }
    free(start);
    return TC_OK;
}

/* The sort key of the token at q (a <= q < b + order): from rank (q - a)
 * when there is one, else the token itself, SEP and past b the largest. */
static inline uint32_t sort_key(const uint32_t *text, const uint32_t *rank, size_t a, size_t b, uint32_t sepkey,
                                size_t q)
{
    if (rank) return rank[q - a];
    return q >= b || text[q] == TC_SEP ? sepkey : text[q];
}

int tc_sa_build(tc_sa *sa, const uint32_t *text, size_t a, size_t b, int order,
                int with_bucket)
{
    uint32_t *pos = NULL, *tmp = NULL, *cnt = NULL, *rank = NULL, *hist = NULL, *runs = NULL;
    uint32_t maxid = 0, nsym, sepkey, npr = 0, nrun = 0;
    size_t i, n = 0, len = b - a;
    int k, rc = TC_ENOMEM, remap;

    memset(sa, 0, sizeof *sa);
    sa->text = text;
    if (b <= a) return TC_OK;
    for (i = a; i < b; i++) {
        if (text[i] == TC_SEP) continue;
        n++;
        if (text[i] > maxid) maxid = text[i];
    }
    if (n == 0) return TC_OK;
    /* Remap when the id range is far larger than the text. */
    remap = !with_bucket && (uint64_t)maxid + 1 > 4 * (uint64_t)len + 1024;
    pos = malloc(n * sizeof *pos);
    tmp = malloc(n * sizeof *tmp);
    /* small arrays: rank[i - a] is the sort key of text[i] (SEP and past b:
     * the largest), padded with order keys, so that a pass reads it without
     * a test; the main corpus (with buckets) reads the text itself */
    if (!with_bucket) rank = malloc((len + (size_t)order) * sizeof *rank);
    if (!pos || !tmp || (!with_bucket && !rank)) goto out;
    if (remap) {
        /* dense ranks of the range's ids, from a stable radix sort of
         * (id, index) pairs by id */
        uint64_t *pr = malloc(2 * n * sizeof *pr), *pt;
        uint32_t r = 0;
        if (!pr) goto out;
        pt = pr + n;
        for (i = a; i < b; i++) {
            if (text[i] == TC_SEP) rank[i - a] = UINT32_MAX;
            else pr[npr++] = (uint64_t)text[i] << 32 | (uint32_t)(i - a);
        }
        {
            int hbits = 0;
            while (hbits < 32 && (maxid >> hbits)) hbits++;
            radix_u64_hi(pr, pt, npr, hbits);
        }
        for (i = 0; i < npr; i++) {
            if (i > 0 && (pr[i] >> 32) != (pr[i - 1] >> 32)) r++;
            rank[(uint32_t)pr[i]] = r;
        }
        free(pr);
        nsym = npr ? r + 1 : 0;
        for (i = 0; i < len; i++)
            if (rank[i] == UINT32_MAX) rank[i] = nsym;
    } else if (rank) {
        /* the id range is at most 4 len + 1024: dense ranks from a table
         * of the ids present, so that each pass's prefix sum runs over
         * the distinct ids rather than the whole range */
        uint32_t *dense = calloc((size_t)maxid + 1, sizeof *dense), r = 0;
        if (!dense) goto out;
        for (i = a; i < b; i++)
            if (text[i] != TC_SEP) dense[text[i]] = 1;
        for (i = 0; i <= maxid; i++) {
            uint32_t here = dense[i];
            dense[i] = r;
            r += here;
        }
        nsym = r;
        for (i = 0; i < len; i++) rank[i] = text[a + i] == TC_SEP ? nsym : dense[text[a + i]];
        free(dense);
    } else {
        nsym = maxid + 1;
    }
    sepkey = nsym;
    for (i = len; rank && i < len + (size_t)order; i++) rank[i] = sepkey;
    cnt = malloc(((size_t)nsym + 2) * sizeof *cnt);
    if (!cnt) goto out;
    n = 0;
    for (i = a; i < b; i++)
        if (text[i] != TC_SEP) {
            nrun += n == 0 || pos[n - 1] != i - 1;
            pos[n++] = (uint32_t)i;
        }
    /* A small array's positions are few runs of [a, b) between SEPs (one
     * for a buffer, one a file): a pass's counts are the next one's with,
     * per run, its last key out and the key before its first in, instead
     * of a counting loop over every position per pass. */
    if (rank && (size_t)nrun * 8 <= n) {
        hist = malloc(((size_t)nsym + 1) * sizeof *hist);
        runs = malloc(2 * (size_t)nrun * sizeof *runs);
        if (!hist || !runs) goto out;
        nrun = 0;
        for (i = 0; i < n; i++) {
            if (i == 0 || pos[i - 1] != pos[i] - 1) runs[2 * nrun] = pos[i] - (uint32_t)a;
            if (i == n - 1 || pos[i + 1] != pos[i] + 1) runs[2 * nrun++ + 1] = pos[i] + 1 - (uint32_t)a;
        }
    }

    for (k = order - 1; k >= 0; k--) {
        uint32_t sum = 0, *sw, r;
        if (hist && k == order - 1) {
            memset(hist, 0, ((size_t)nsym + 1) * sizeof *hist);
            for (i = 0; i < n; i++) hist[rank[pos[i] - a + (size_t)k]]++;
        } else if (hist) {
            /* a run [s, e) had rank[s + k + 1 .. e + k] in the pass before */
            for (r = 0; r < nrun; r++) {
                hist[rank[runs[2 * r + 1] + (size_t)k]]--;
                hist[rank[runs[2 * r] + (size_t)k]]++;
            }
        }
        if (hist) {
            memcpy(cnt, hist, ((size_t)nsym + 1) * sizeof *cnt);
        } else {
            memset(cnt, 0, ((size_t)nsym + 2) * sizeof *cnt);
            for (i = 0; i < n; i++) cnt[sort_key(text, rank, a, b, sepkey, (size_t)pos[i] + (size_t)k)]++;
        }
        for (i = 0; i <= nsym; i++) {
            uint32_t c = cnt[i];
            cnt[i] = sum;
            sum += c;
        }
        cnt[nsym + 1] = sum;
        if (k == 0 && with_bucket) {
            /* cnt[] now holds each first token's start: the buckets. */
            sa->bucket = malloc(((size_t)nsym + 1) * sizeof *sa->bucket);
            if (!sa->bucket) goto out;
            memcpy(sa->bucket, cnt, (size_t)nsym * sizeof *cnt);
            sa->bucket[nsym] = (uint32_t)n; /* nothing starts with SEP */
            sa->nbucket = nsym;
        }
        if (rank) {
            /* the key of p: rank[p - a + k] (the index wraps as size_t) */
            size_t off = (size_t)k - a;
            for (i = 0; i < n; i++) {
                uint32_t p = pos[i];
                tmp[cnt[rank[p + off]]++] = p;
            }
        } else {
            for (i = 0; i < n; i++) {
                uint32_t p = pos[i];
                tmp[cnt[sort_key(text, rank, a, b, sepkey, (size_t)p + (size_t)k)]++] = p;
            }
        }
        sw = pos;
        pos = tmp;
        tmp = sw;
    }
    sa->pos = pos;
    sa->n = (uint32_t)n;
    pos = NULL;
    if (!with_bucket && (rc = build_h0(sa)) != TC_OK) goto out;
    rc = TC_OK;
out:
    free(pos);
    free(tmp);
    free(cnt);
    free(rank);
    free(hist);
    free(runs);
    if (rc != TC_OK) tc_sa_free(sa);
    return rc;
}

int tc_sa_subset(tc_sa *sa, const tc_sa *all, size_t a, size_t b)
{
    uint32_t x, n = 0, len = b > a ? (uint32_t)(b - a) : 0;
    memset(sa, 0, sizeof *sa);
    sa->text = all->text;
    if (!len) return TC_OK;
    sa->pos = malloc(((size_t)len + 1) * sizeof *sa->pos); /* + 1: written before kept or not */
    if (!sa->pos) return TC_ENOMEM;
    x = 0;
    if (all->n >= 8) {
        /* eight entries at a time: a block with none in [a, b) (most of
         * them when the file is a small part of the whole) is skipped
         * after one vector test (the unsigned p - a < len as a signed
         * compare with both sides' top bit flipped, as count_in does) */
        tc_v4u va = (uint32_t)a - (tc_v4u){0}, top = 0x80000000u - (tc_v4u){0};
        tc_v4i vlen = (int32_t)(len ^ 0x80000000u) - (tc_v4i){0};
        for (; all->n - x >= 8; x += 8) {
            tc_v4u p0, p1;
            tc_v4i in;
            uint64_t w[2];
            uint32_t k;
            memcpy(&p0, all->pos + x, sizeof p0);
            memcpy(&p1, all->pos + x + 4, sizeof p1);
            in = ((tc_v4i)((p0 - va) ^ top) < vlen) | ((tc_v4i)((p1 - va) ^ top) < vlen);
            memcpy(w, &in, sizeof w);
            if (!(w[0] | w[1])) continue;
            for (k = x; k < x + 8; k++) {
                uint32_t p = all->pos[k];
                sa->pos[n] = p;
                n += p - (uint32_t)a < len;
            }
        }
    }
    for (; x < all->n; x++) {
        uint32_t p = all->pos[x];
        sa->pos[n] = p;
        n += p - (uint32_t)a < len; /* kept when a <= p < b */
    }
    sa->n = n;
    if (!n) return TC_OK;
    if (build_h0(sa) != TC_OK) {
        tc_sa_free(sa);
        return TC_ENOMEM;
    }
    return TC_OK;
}

int tc_sa_inverse(const tc_sa *all, size_t ntext, uint32_t **inv)
{
    uint32_t x, *v;
    *inv = NULL;
    v = calloc(ntext ? ntext : 1, sizeof *v); /* untouched pages: no cost */
    if (!v) return TC_ENOMEM;
    for (x = 0; x < all->n; x++)
        if (all->pos[x] < ntext) v[all->pos[x]] = x;
    *inv = v;
    return TC_OK;
}

int tc_sa_subset_inv(tc_sa *sa, const tc_sa *all, const uint32_t *inv, size_t a, size_t b)
{
    uint32_t *e = NULL, *tmp = NULL, n = 0, i, bits = 0;
    size_t p;
    int rc = TC_ENOMEM, shift;
    memset(sa, 0, sizeof *sa);
    sa->text = all->text;
    if (b <= a) return TC_OK;
    e = malloc((b - a) * sizeof *e);
    tmp = malloc((b - a) * sizeof *tmp);
    if (!e || !tmp) goto out;
    for (p = a; p < b; p++)
        if (all->text[p] != TC_SEP && inv[p] < all->n) e[n++] = inv[p];
    if (n && all->n / 64 < 4 * (uint64_t)n) {
        /* a large file: the entries' bits set in a bitmap of all's, read
         * back in order (a word a 64 entries, then one step a bit) */
        size_t nw = ((size_t)all->n + 63) / 64, w;
        uint64_t *bm = calloc(nw, sizeof *bm);
        if (!bm) goto out;
        for (i = 0; i < n; i++) bm[e[i] >> 6] |= 1ull << (e[i] & 63);
        for (n = 0, w = 0; w < nw; w++)
            for (uint64_t x = bm[w]; x; x &= x - 1) e[n++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(x));
        free(bm);
        bits = 0; /* sorted */
    } else {
        while (bits < 32 && all->n > 1 && ((all->n - 1) >> bits)) bits++;
    }
    /* else an LSD radix sort of the entries, 11-bit digits (one or two
     * passes for a main array of up to 2^22 entries): all's order,
     * restricted */
    for (shift = 0; shift < (int)bits; shift += 11) {
        uint32_t cnt[2048], sum = 0, *sw;
        memset(cnt, 0, sizeof cnt);
        for (i = 0; i < n; i++) cnt[(e[i] >> shift) & 2047]++;
        for (i = 0; i < 2048; i++) {
            uint32_t c = cnt[i];
            cnt[i] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++) tmp[cnt[(e[i] >> shift) & 2047]++] = e[i];
        sw = e;
        e = tmp;
        tmp = sw;
    }
    for (i = 0; i < n; i++) e[i] = all->pos[e[i]];
    sa->pos = e;
    sa->n = n;
    e = NULL;
    rc = n ? build_h0(sa) : TC_OK;
out:
    free(e);
    free(tmp);
    if (rc != TC_OK) tc_sa_free(sa);
    return rc;
}

int tc_sa_adopt(tc_sa *sa, const uint32_t *text, uint32_t ntext, uint32_t *pos, uint32_t n,
                void *map, size_t map_len)
{
    uint32_t maxid = 0, i, sum = 0;
    memset(sa, 0, sizeof *sa);
    for (i = 0; i < ntext; i++)
        if (text[i] != TC_SEP && text[i] > maxid) maxid = text[i];
    sa->bucket = calloc((size_t)maxid + 2, sizeof *sa->bucket);
    if (!sa->bucket) return TC_ENOMEM;
    /* sorted by first token: each token's bucket is as long as its count */
    for (i = 0; i < ntext; i++)
        if (text[i] != TC_SEP) sa->bucket[text[i]]++;
    for (i = 0; i <= maxid; i++) {
        uint32_t c = sa->bucket[i];
        sa->bucket[i] = sum;
        sum += c;
    }
    sa->bucket[maxid + 1] = sum < n ? sum : n;
    for (i = 0; i <= maxid; i++)
        if (sa->bucket[i] > n) sa->bucket[i] = n; /* n disagrees with text: stay in bounds */
    sa->nbucket = maxid + 1;
    sa->text = text;
    sa->pos = pos;
    sa->n = n;
    sa->map = map;
    sa->map_len = map_len;
    return TC_OK;
}

#define TOK(sa, x, off) ((sa)->text[(size_t)(sa)->pos[x] + (size_t)(off)])
tc_rng tc_sa_narrow_search(const tc_sa *sa, tc_rng r, int off, uint32_t w)
{
    uint32_t lo = r.lo, hi = r.hi, l;
    tc_rng out = {0, 0};
    if (lo >= hi) return out;
    if (off == 0 && sa->h0 && lo == 0 && hi == sa->n) {
        uint32_t h;
        for (h = h0_slot(w, sa->h0mask); sa->h0[3 * h] != TC_SEP; h = (h + 1) & sa->h0mask)
            if (sa->h0[3 * h] == w) {
                out.lo = sa->h0[3 * h + 1];
                out.hi = sa->h0[3 * h + 2];
                return out;
            }
        out.lo = out.hi = 0;
        return out;
    }
    {
        /* The first entry reading w or more: a search without a branch
         * on the data (a conditional move a step), the answer kept in
         * [base, base + len] */
        const uint32_t *pos = sa->pos, *text = sa->text + off;
        uint32_t base = lo, len = hi - lo;
        while (len > 1) {
            uint32_t half = len / 2;
            base = text[pos[base + half]] < w ? base + half : base;
            len -= half;
        }
        lo = base + (text[pos[base]] < w);
    }
    l = lo;
    if (lo >= r.hi || TOK(sa, lo, off) != w) {
        out.lo = out.hi = l;
        return out;
    }
    /* The group is usually short: gallop from its start for its end. */
    {
        uint32_t step = 1, a = lo, b = lo + 1;
        while (b < r.hi && TOK(sa, b, off) == w) {
            a = b;
            step *= 2;
            b = (r.hi - b > step) ? b + step : r.hi;
        }
        lo = a + 1;
        hi = b;
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (TOK(sa, mid, off) == w) lo = mid + 1;
        else hi = mid;
    }
    out.lo = l;
    out.hi = lo;
    return out;
}

uint32_t tc_sa_ctx_count_sep(const tc_sa *sa, tc_rng r, int off)
{
    uint32_t lo = r.lo, hi = r.hi;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (TOK(sa, mid, off) != TC_SEP) lo = mid + 1;
        else hi = mid;
    }
    return lo - r.lo;
}

size_t tc_sa_groups(const tc_sa *sa, tc_rng r, int off, tc_grp *out, size_t max)
{
    size_t ng = 0;
    uint32_t x = r.lo;
    while (x < r.hi) {
        uint32_t t = TOK(sa, x, off), step = 1, lo, hi;
        if (t == TC_SEP) break;
        /* Gallop to bracket the group's end, then binary search. */
        lo = x;
        hi = x + 1;
        while (hi < r.hi && TOK(sa, hi, off) == t) {
            lo = hi;
            step *= 2;
            hi = (r.hi - hi > step) ? hi + step : r.hi;
        }
        /* TOK(lo) == t; the end lies in (lo, hi]. */
        lo++;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (TOK(sa, mid, off) == t) lo = mid + 1;
            else hi = mid;
        }
        if (out) {
            out[ng].w = t;
            out[ng].r.lo = x;
            out[ng].r.hi = lo;
        }
        ng++;
        x = lo;
        if (ng == max) break;
    }
    return ng;
}
