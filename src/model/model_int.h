/* model_int.h - what only src/model/ sees: the truncated suffix array, the
 * smoothing step, the model's corpus and its deltas, persistence.
 *
 * Corpus layout. Every counted file is laid out as
 *     BOS t1 t2 ... tn SEP
 * and the files are concatenated in path order, so that every directory is
 * one contiguous position interval (the nested models count inside it). The
 * text is followed by TC_MODEL_MAX_ORDER extra SEPs so that reading any
 * position < n plus an offset < order stays in bounds, whatever a (possibly
 * damaged) position array says.
 *
 * Counting. A tc_sa is the set of non-SEP positions of a text range, sorted
 * by the first `order` tokens starting there (ties by position). The
 * occurrences of an n-gram g are one contiguous range of it; narrowing the
 * range of g by the token at offset |g| gives the range of g+w. A context's
 * count excludes its occurrences followed by SEP (file end), so that it is
 * exactly the sum of its continuations' counts.
 *
 * Edits. The main corpus is static; a file whose content changed is a delta:
 * its main copy, if any, becomes a "dead" source counted with sign -1, its
 * new content an "added" source with sign +1. Each source is a tc_sa; a
 * count is the signed sum over sources. Many or large deltas trigger a
 * rebuild of the main corpus (lazily, before the next query or at save),
 * which merges rather than re-sorts (tc_model_rebuild).
 */
#ifndef TC_MODEL_INT_H
#define TC_MODEL_INT_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>

#define TC_SEP 0xFFFFFFFFu     /* file separator in a corpus; never a vocab id */
#define TC_MODEL_MAX_ORDER 8   /* opts.order is clamped to [1, this] */

/* Four 32-bit lanes (GCC's and clang's vector extension: SIMD where the
 * target has it), for the counting loops of sa.c and query.c. */
typedef uint32_t tc_v4u __attribute__((vector_size(16)));
typedef int32_t tc_v4i __attribute__((vector_size(16)));

typedef struct tc_rng {
    uint32_t lo, hi; /* [lo, hi) entries of a tc_sa */
} tc_rng;

typedef struct tc_sa {
    const uint32_t *text; /* tokens (not owned); padded with SEPs past the end */
    uint32_t *pos;        /* sorted positions into text (owned: malloc'd, or
                             inside the mapping below) */
    void *map;            /* NULL, or a read-only file mapping holding pos */
    size_t map_len;
    uint32_t n;           /* entries in pos */
    uint32_t *bucket;     /* NULL, or nbucket+1 starts by first token (owned) */
    uint32_t nbucket;     /* tokens ids < nbucket have a bucket */
    uint32_t *h0;         /* small arrays: open-addressing table of the
                             first-token ranges, (token, lo, hi) triples;
                             token TC_SEP: empty slot (owned) */
    uint32_t h0mask;      /* slots - 1 */
} tc_sa;

/* Sort the non-SEP positions of text[a..b) (b <= 2^32-1) by their first
 * `order` tokens (tokens at or past b read as SEP). with_bucket: also keep
 * the first-token bucket table. TC_OK or TC_ENOMEM (sa left empty). */
int tc_sa_build(tc_sa *sa, const uint32_t *text, size_t a, size_t b, int order,
                int with_bucket);
void tc_sa_free(tc_sa *sa);
/* Make sa from an already sorted position array of every non-SEP position
 * of text[0..ntext) (loaded from disk; every pos[i] < ntext, checked by the
 * loader), taking ownership of pos (map: the mapping holding it, to unmap
 * on free; NULL: pos is malloc'd) and computing the buckets from the
 * token counts. TC_OK or TC_ENOMEM (nothing taken). */
int tc_sa_adopt(tc_sa *sa, const uint32_t *text, uint32_t ntext, uint32_t *pos, uint32_t n,
                void *map, size_t map_len);
/* The array tc_sa_build(sa, all->text, a, b, order, 0) builds, taken from
 * all (the bucketed array of the whole text, same order) by keeping its
 * positions in [a, b): when [a, b) is one file of a corpus (BOS .. SEP, no
 * other SEP), a window there meets the file's SEP before any token past b,
 * so both orders agree. Cheaper than sorting when the file is large
 * against the whole. TC_OK or TC_ENOMEM (sa left empty). */
int tc_sa_subset(tc_sa *sa, const tc_sa *all, size_t a, size_t b);
/* all's inverse: (*inv)[p] = the entry of all holding position p, for
 * every p < ntext not holding SEP (0 for SEP positions: read only where
 * text[p] is not SEP); malloc'd, 4 bytes a position. TC_OK or TC_ENOMEM
 * (*inv NULL). */
int tc_sa_inverse(const tc_sa *all, size_t ntext, uint32_t **inv);
/* tc_sa_subset's array from all's inverse (tc_sa_inverse; b <= its
 * ntext): the entries of the positions in [a, b), sorted by entry (radix
 * passes over the file's entries, or for a file of more than 1/256 of
 * all a bitmap of all's entries read in order; never a pass over all's
 * array). TC_OK or TC_ENOMEM (sa left empty). */
int tc_sa_subset_inv(tc_sa *sa, const tc_sa *all, const uint32_t *inv, size_t a, size_t b);
static inline tc_rng tc_sa_all(const tc_sa *sa)
{
    tc_rng r = {0, sa->n};
    return r;
}
/* tc_sa_narrow's cases that take a search: a small array's first token
 * (its h0 table), a range of more than 8 entries (a binary search for the
 * group's start, a gallop for its end). Only through tc_sa_narrow. */
tc_rng tc_sa_narrow_search(const tc_sa *sa, tc_rng r, int off, uint32_t w);
/* Entries of r whose token at offset off is w (r's entries must agree on
 * offsets < off). Empty: {0, 0} when r is empty or r is the whole array at
 * offset 0 (w absent from the first-token table), else {l, l} at the first
 * entry reading more than w. Inline: the cases that need no search (an
 * empty range, the main array's first-token buckets, a range of at most 8
 * entries scanned in order) are most of the model's look-ups, and a call
 * cost as much as their work. */
static inline tc_rng tc_sa_narrow(const tc_sa *sa, tc_rng r, int off, uint32_t w)
{
    tc_rng out = {0, 0};
    if (r.lo >= r.hi) return out;
    if (off == 0 && r.lo == 0 && r.hi == sa->n) {
        if (!sa->bucket) return tc_sa_narrow_search(sa, r, off, w); /* the h0 table */
        if (w >= sa->nbucket) return out;
        out.lo = sa->bucket[w];
        out.hi = sa->bucket[w + 1];
        return out;
    }
    if (r.hi - r.lo <= 8) {
        const uint32_t *text = sa->text + off;
        uint32_t x = r.lo;
        while (x < r.hi && text[sa->pos[x]] < w) x++;
        out.lo = x;
        while (x < r.hi && text[sa->pos[x]] == w) x++;
        out.hi = x;
        return out;
    }
    return tc_sa_narrow_search(sa, r, off, w);
}
/* tc_sa_ctx_count's case that takes a search (r's last entry followed by
 * SEP): where the SEPs start. Only through tc_sa_ctx_count. */
uint32_t tc_sa_ctx_count_sep(const tc_sa *sa, tc_rng r, int off);
/* Entries of r not followed by SEP at offset off (the context count).
 * Inline: the SEPs sort last, and r's last entry is usually not one. */
static inline uint32_t tc_sa_ctx_count(const tc_sa *sa, tc_rng r, int off)
{
    if (r.lo >= r.hi) return 0;
    if (off == 0 || sa->text[(size_t)sa->pos[r.hi - 1] + (size_t)off] != TC_SEP) return r.hi - r.lo;
    return tc_sa_ctx_count_sep(sa, r, off);
}

/* A group of r: the entries continuing with token w at offset off. */
typedef struct tc_grp {
    uint32_t w;
    tc_rng r;
} tc_grp;
/* Write r's first groups (at most max; SEP excluded) to out (NULL: only
 * count them) in token order; returns how many were found. */
size_t tc_sa_groups(const tc_sa *sa, tc_rng r, int off, tc_grp *out, size_t max);

/* Smoothing: one order of n-gram smoothing.
 *
 * Every step is an interpolation p = a(w) + g * p_lower(w) whose weights are
 * independent of w except through c_w, so each order's distribution sums to
 * 1 over the vocabulary when the lower one does:
 *   JM  (Jelinek-Mercer, SLP-Core's default) lambda = 0.5:
 *       p = lambda c_w/c + (1 - lambda) p_lower
 *   WB  (Witten-Bell): lambda = c / (c + N1+), same form
 *   AD  (absolute discounting, D = 0.75):
 *       p = max(c_w - D, 0)/c + (D N1+ / c) p_lower
 * The unigram order sits on a uniform floor over the vocabulary with
 * lambda = c / (c + 1) for JM (SLP-Core renormalises to the same effect),
 * and the order's own rule for WB and AD.
 *
 * Inline: the model's eval takes a step per order, level and candidate. */
#define TC_SMOOTH_JM_LAMBDA 0.5
#define TC_SMOOTH_AD_DISCOUNT 0.75
/* One smoothing step: the probability at an order from that order's counts
 * (c_w of the n-gram, c_ctx of its context, n1p distinct continuations of
 * the context) and the lower order's probability. c_ctx > 0. The result
 * sums to 1 over w when p_lower does and sum_w c_w = c_ctx, n1p = #{c_w>0}. */
static inline double tc_smooth_step(tc_smoothing s, double c_w, double c_ctx, double n1p, double p_lower)
{
    double lambda;
    switch (s) {
    case TC_SMOOTH_WB:
        lambda = c_ctx / (c_ctx + (n1p > 0 ? n1p : 1));
        return lambda * (c_w / c_ctx) + (1 - lambda) * p_lower;
    case TC_SMOOTH_AD: {
        double d = c_w > TC_SMOOTH_AD_DISCOUNT ? c_w - TC_SMOOTH_AD_DISCOUNT : 0;
        return d / c_ctx + (TC_SMOOTH_AD_DISCOUNT * n1p / c_ctx) * p_lower;
    }
    case TC_SMOOTH_JM:
    default:
        return TC_SMOOTH_JM_LAMBDA * (c_w / c_ctx) + (1 - TC_SMOOTH_JM_LAMBDA) * p_lower;
    }
}
/* Order 0 (unigram) step over a uniform floor. */
static inline double tc_smooth_base(tc_smoothing s, double c_w, double c_total, double n1p, double uniform)
{
    if (s == TC_SMOOTH_JM) {
        double lambda = c_total / (c_total + 1);
        return lambda * (c_w / c_total) + (1 - lambda) * uniform;
    }
    return tc_smooth_step(s, c_w, c_total, n1p, uniform);
}

/* Where the model's files come from: the index, or (tests) plain arrays. */
typedef struct tc_model_files {
    void *ud;
    size_t (*count)(void *ud);
    /* Path of file i, or NULL if it has nothing to count (removed, skipped). */
    const char *(*path)(void *ud, size_t i);
    /* Token ids of file i into *ids (realloc'd; *cap its capacity). */
    int (*ids)(void *ud, size_t i, uint32_t **ids, size_t *n, size_t *cap);
    uint32_t (*vocab_size)(void *ud);
    /* Token count of file i, to size the corpus up front (may be NULL). */
    size_t (*ntok)(void *ud, size_t i);
} tc_model_files;

typedef struct tc_mfile {
    char *path;       /* owned copy */
    uint32_t fileno;  /* number in the file source */
    uint32_t start;   /* position of its BOS in T */
    uint32_t end;     /* one past its SEP */
} tc_mfile;

typedef struct tc_delta {
    uint32_t fileno;
    char *path;      /* owned */
    int sign;        /* +1: added content; -1: dead main copy */
    uint32_t *text;  /* +1: owned "BOS ids SEP" + padding; -1: NULL (in T) */
    uint32_t ntok;   /* tokens counted (BOS..last token) */
    tc_sa sa;
} tc_delta;

enum { TC_F_DEAD = 1, TC_F_DROPPED = 2 };

/* A direct-mapped cache of narrowings in the main array: (lo, off, w) names
 * one narrowing, since a range at offset off is the one of the off-gram at
 * its first entry. */
#define TC_NMEMO_SIZE 65536
typedef struct tc_nmemo {
    uint32_t lo, w, off, rlo, rhi; /* off == UINT32_MAX: empty slot */
} tc_nmemo;

/* Left-out copies a model keeps (least recently used out), and the most
 * entries they hold together beyond the one being made: main's entries / 4
 * or TC_LOO_MIN_BUDGET, whichever is more (4 bytes an entry). */
#define TC_LOO_SLOTS 64
#define TC_LOO_MIN_BUDGET (1u << 20)

struct tc_model {
    tc_model_opts o;      /* resolved: order, cache_tokens, max_tokens set */
    tc_index *ix;         /* NULL when built from arrays */
    tc_model_files src;
    char *save_path;      /* model file, or NULL: not persisted */
    int loaded;           /* the main array came from save_path */

    uint32_t *T;          /* main corpus, nT + padding */
    uint32_t nT;
    tc_sa main;           /* over T, with buckets */
    tc_mfile *mf;         /* main files by path */
    uint32_t nmf;
    uint64_t tokens_dropped;
    uint32_t files_dropped;
    uint32_t top_uni[16]; /* most frequent main tokens (candidates) */
    uint32_t ntop_uni;
    uint32_t n1p_uni;     /* distinct tokens in main */

    /* per file number */
    size_t nfno, capfno;
    int32_t *fmain;       /* index into mf, or -1 */
    uint8_t *fflags;      /* TC_F_* */
    int32_t *fadd;        /* index of its added delta, or -1 */

    tc_delta *dl;         /* deltas (dead and added) */
    size_t ndl, capdl;
    uint64_t delta_tokens;
    int need_rebuild;

    struct tc_loo {       /* left-out copies (main copy of a file, sign -1
                             in a query), kept while requests move between
                             files; fileno -1: free slot */
        long fileno;
        tc_sa sa;
        uint64_t used;    /* loo_clock at its last query */
    } loo[TC_LOO_SLOTS];
    uint64_t loo_clock;
    uint32_t loo_built;   /* left-out copies made since the main array */
    uint32_t *inv;        /* NULL, or main's inverse (tc_sa_inverse), made
                             by tc_model_prepare_files or at the second
                             left-out copy; freed with main */

    tc_nmemo *memo;       /* narrowing results in large main ranges;
                             cleared when the main corpus is rebuilt */

    uint32_t *scratch;    /* ids buffer for file reads */
    size_t scratch_cap;

    struct tc_pmemo *pm;  /* tc_query_prob's memo (query.c), NULL until the
                             first; entries of an earlier query are stale */
    uint64_t pm_gen;      /* the last query's generation */
    uint64_t main_epoch;  /* moves on whenever the main array is dropped */
};

/* Let go of file fileno's left-out copy (fileno < 0: of every file). */
void tc_model_loo_drop(tc_model *m, long fileno);

/* Build from a file source (no index): tests and tools. */
int tc_model_new_files(const tc_model_files *src, const tc_model_opts *opts,
                       const char *save_path, tc_model **out);
/* File fileno's content changed to ids[0..n) (present=0: it is gone). */
int tc_model_file_changed(tc_model *m, size_t fileno, const uint32_t *ids, size_t n,
                          int present);
/* Stop following the index (tc_model_free does it). */
void tc_model_detach(tc_model *m);
/* Count of n-gram g[0..n) in one component of a query (0: project with
 * leave-one-out; 1..nlev: the levels, outermost first; then the cache),
 * by brute scanning (no SCAN_MAX limit). For tests. -1 if no such part. */
int64_t tc_query_count(tc_query *q, int comp, const uint32_t *g, size_t n);
int tc_query_nlevels(const tc_query *q);
/* Rebuild the main corpus from the file source, dropping all deltas. The
 * new main array is derived from the previous one (the entries of
 * unchanged files kept in order, the rest sorted and merged in): the same
 * array as a full sort, in time linear in the corpus; with the environment
 * variable TACIT_MODEL_FULL_REBUILD set, a full sort (the reference for
 * benchmarks). */
int tc_model_rebuild(tc_model *m);

/* Count of n-gram g[0..n) (n <= order) in the project model (all files,
 * deltas applied; no leave-one-out). For tests. */
int64_t tc_model_count(tc_model *m, const uint32_t *g, size_t n);

/* Persistence (model_io.c). */
int tc_model_io_save(const tc_model *m, const char *path);
/* Map the SA for corpus T[0..nT) from path into sa. TC_ENOENT: no file,
 * or a sound one for other content (stale); TC_ECORRUPT: damaged or of
 * another version; TC_ENOMEM / TC_EIO. */
int tc_model_io_load(const char *path, const uint32_t *T, uint32_t nT, int order, tc_sa *sa);
/* Check the bytes of a model file against T (same codes); on TC_OK *pos
 * gets a malloc'd copy of its array (*npos entries). The fuzz target's
 * entry point. */
int tc_model_io_parse(const uint8_t *p, size_t len, const uint32_t *T, uint32_t nT,
                      int order, uint32_t **pos, uint32_t *npos);
uint64_t tc_model_io_hash_text(const uint32_t *T, uint32_t nT);

#endif
