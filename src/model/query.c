/* query.c - predictions: the nested, cached mixture and the line beam search.
 *
 * Components of one query (see model.h):
 *   project  signed sum of sources: the main corpus, every delta except the
 *            edited file's own added copy, and (leave-one-out) the edited
 *            file's main copy with sign -1
 *   level L  the same counts restricted to the files under the L-th folder
 *            of the edited file's path (outermost first). The main corpus
 *            part is counted by scanning the context's suffix-array range
 *            for positions inside the folder's interval, so a level only
 *            uses orders whose range is at most SCAN_MAX entries; below
 *            those it starts from the project model's distribution.
 *   cache    counts over the buffer's last cache_tokens tokens
 * Each component's probability is a smoothed chain from order 0 up to K,
 * its deepest order whose context was seen; components are mixed with
 * weights 2^(K+1) (SLP-Core's 1/(1 - confidence), confidence 1 - 2^-hits),
 * times 1 + the component's depth (project 0, levels 1.., cache last), so
 * that inner components win ties (tuned on held-out stdlib files). The
 * weights do not depend on the predicted token, so the mixture sums to 1.
 *
 * A context state keeps, for every source and order j, the suffix-array
 * range of the last j tokens; feeding a token narrows each range into the
 * next order's range, so a step of the beam costs a few binary searches
 * inside already small ranges.
 */
#include "model/model_int.h"
#include "util/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SRC 40      /* main + deltas + leave-one-out + cache */
#define MAX_LEVELS 8
#define MAX_COMP (MAX_LEVELS + 2)
#define SCAN_MAX 4096   /* main range entries a level may scan */
#define MAX_CANDS 160

typedef struct qsrc {
    const tc_sa *sa;
    int sign;  /* +1 / -1 in the project model; 0: the cache */
    int depth; /* levels [0, depth) contain this source's file */
} qsrc;

typedef struct qstate {
    int hlen;                                  /* history tokens known, <= order-1 */
    tc_rng r[MAX_SRC][TC_MODEL_MAX_ORDER];     /* range of ctx_j per source */
} qstate;

/* What one context gives every component, independent of the next token. */
typedef struct qprep {
    const qstate *st;
    int K[MAX_COMP];                          /* deepest seen order; -1: off */
    double C[MAX_COMP][TC_MODEL_MAX_ORDER];   /* context counts */
    double N1[MAX_COMP][TC_MODEL_MAX_ORDER];  /* distinct continuations (WB/AD) */
    double wt[MAX_COMP];                      /* mixture weights, sum 1 */
    int j0;                                   /* first order the levels use */
    int kmax;                                 /* the largest K; -1: every component off */
} qprep;

struct tc_query {
    tc_model *m;
    int order;
    tc_smoothing sm;
    double uniform;            /* 1 / vocabulary size */
    qsrc src[MAX_SRC];
    int nsrc;                  /* project sources: src[0] is main */
    int cache;                 /* index of the cache source, or -1 */
    int nlev;
    uint32_t lev_lo[MAX_LEVELS], lev_hi[MAX_LEVELS]; /* main position intervals */
    int nested;                /* each level's interval lies inside the one before */
    int ncomp;                 /* 1 + nlev + (cache >= 0) */
    tc_sa cache_sa;
    uint32_t *cache_text;
    double n1_0[MAX_COMP];     /* order-0 distinct counts (WB/AD), < 0: unknown */
    qstate tmp;                /* scratch state for single predictions */
    qprep tprep;
    /* the narrowings of tc_query_prob's last eval: each source's context
     * ranges narrowed by lw, sub[s][j] for j < nsub[s] (the next context's
     * state, ctx + lw, is made of them: state_feed's narrowings again).
     * The query's own: it never outlives its sources. lklen < 0: none. */
    struct {
        uint32_t key[TC_MODEL_MAX_ORDER];
        int klen;
        uint32_t w;
        int nsub[MAX_SRC];
        tc_rng sub[MAX_SRC][TC_MODEL_MAX_ORDER];
    } last;
    uint64_t gen;              /* this query's entries in m->pm */
    uint32_t lm_gen;           /* the stamp of these levels' entries in
                                  m->pm's level tables; 0: not used */
};

/* What tc_query_prob computed before in this query, by context (its last
 * order-1 tokens, all it reads): the prepared context, and the probability
 * of each next token asked. Candidates share contexts (a common start, the
 * same last tokens before the next line), and each look-up would otherwise
 * narrow, scan and count from scratch. Direct-mapped: a collision replaces.
 * Kept by the model (allocated once, zeroed: generation 0 is empty), an
 * entry valid for the query whose generation it holds. */
#define PM_CTX 256   /* prepared contexts kept */
#define PM_PROB 4096 /* probabilities kept */
typedef struct pm_ctx {
    uint64_t gen;
    uint32_t key[TC_MODEL_MAX_ORDER];
    int klen;
    qstate st;
    qprep pp;
} pm_ctx;
typedef struct pm_prob {
    uint64_t gen;
    uint32_t key[TC_MODEL_MAX_ORDER];
    uint32_t w;
    int klen;
    double p;
} pm_prob;
/* Level counts of main ranges (scan_levels) and the main part of the
 * levels' distinct continuations (n1p_levels), by range: they depend only
 * on the main array and the query's level intervals, so they hold for
 * every query whose levels are the same (the same folder: every request
 * in one document, and its neighbours), until the main array is rebuilt.
 * Contexts share their last tokens, so the low orders' large ranges recur
 * across candidates, beam steps and requests. Direct-mapped; an entry is
 * stamped with its levels' stamp, one of the LV_SETS level sets seen last
 * (a set let go takes its stamp with it: stamps are never reused). */
#define LM_SIZE 8192 /* entries per table */
#define LM_MIN 48    /* smaller ranges are scanned directly */
#define LV_SETS 8
typedef struct lm_ent {
    uint32_t gen;
    uint32_t lo, hi, j; /* j: the offset of n1's groups; 0 for counts */
    uint32_t v[MAX_LEVELS];
} lm_ent;
/* Narrowings of ranges the model's memo leaves out (other sources than
 * main, main ranges under MEMO_MIN) but too large for a short scan: the
 * beam's hypotheses share their last tokens, so the same range is narrowed
 * by the same candidate again. Per query (the cache's and the left-out
 * copy's arrays are the query's), stamped with its generation. */
#define SN_SIZE 4096
#define SN_MIN 16
typedef struct sn_ent {
    uint64_t gen;
    uint32_t lo, hi, w, rlo, rhi;
    uint16_t s, j;
} sn_ent;
struct tc_pmemo {
    pm_ctx ctx[PM_CTX];
    pm_prob prob[PM_PROB];
    /* the level sets the lm tables hold */
    uint32_t lv_last;           /* the last stamp given */
    struct {
        uint32_t gen;           /* stamp; 0: free */
        uint64_t epoch;         /* the main array's */
        uint64_t used;          /* the query generation that last used it */
        int nlev, nested;
        uint32_t lo[MAX_LEVELS], hi[MAX_LEVELS];
    } lv[LV_SETS];
    lm_ent cnt[LM_SIZE]; /* scan_levels */
    lm_ent n1[LM_SIZE];  /* n1p_levels' main part */
    sn_ent sn[SN_SIZE];  /* narrow: this query's small ranges */
};

#define MEMO_MIN 512 /* main ranges at least this large go through the memo */

/* narrow's ranges of SN_MIN entries and more (j > 0), through the memos. */
static tc_rng narrow_kept(const tc_query *q, int s, tc_rng r, int j, uint32_t w)
{
    tc_nmemo *e;
    tc_rng out;
    if (s != 0 || r.hi - r.lo < MEMO_MIN || !q->m->memo) {
        sn_ent *x;
        if (!q->m->pm) return tc_sa_narrow(q->src[s].sa, r, j, w);
        x = &q->m->pm->sn[(r.lo * 0x9E3779B1u ^ w * 0x85EBCA77u ^ (uint32_t)j * 0xC2B2AE3Du ^
                           (uint32_t)s * 0x27D4EB2Fu) >> (32 - 12)];
        if (x->gen == q->gen && x->lo == r.lo && x->hi == r.hi && x->w == w && x->j == (uint16_t)j &&
            x->s == (uint16_t)s) {
            out.lo = x->rlo;
            out.hi = x->rhi;
            return out;
        }
        out = tc_sa_narrow(q->src[s].sa, r, j, w);
        x->gen = q->gen;
        x->lo = r.lo;
        x->hi = r.hi;
        x->w = w;
        x->j = (uint16_t)j;
        x->s = (uint16_t)s;
        x->rlo = out.lo;
        x->rhi = out.hi;
        return out;
    }
    e = &q->m->memo[(r.lo * 0x9E3779B1u ^ w * 0x85EBCA77u ^ (uint32_t)j * 0xC2B2AE3Du) >>
                    (32 - 16)];
    if (e->lo == r.lo && e->w == w && e->off == (uint32_t)j) {
        out.lo = e->rlo;
        out.hi = e->rhi;
        return out;
    }
    out = tc_sa_narrow(q->src[s].sa, r, j, w);
    e->lo = r.lo;
    e->w = w;
    e->off = (uint32_t)j;
    e->rlo = out.lo;
    e->rhi = out.hi;
    return out;
}

/* tc_sa_narrow on source s, through the model's memo for large main
 * ranges (the test inline: most calls search directly). */
static inline tc_rng narrow(const tc_query *q, int s, tc_rng r, int j, uint32_t w)
{
    if (j == 0 || r.hi - r.lo < SN_MIN) return tc_sa_narrow(q->src[s].sa, r, j, w);
    return narrow_kept(q, s, r, j, w);
}

/* ---- states ---- */

static int nall(const tc_query *q)
{
    return q->nsrc + (q->cache >= 0);
}

static void state_init(const tc_query *q, qstate *st)
{
    int s, n = nall(q);
    st->hlen = 0;
    for (s = 0; s < n; s++) st->r[s][0] = tc_sa_all(q->src[s].sa);
}

/* Next state after token w. in and out may not alias. pre (or NULL):
 * in's ranges already narrowed by w, pre[s][j] for j < npre[s] (eval's,
 * the same narrow calls: the same ranges). */
static void state_feed_pre(const tc_query *q, const qstate *in, uint32_t w, qstate *out,
                           const tc_rng (*pre)[TC_MODEL_MAX_ORDER], const int *npre)
{
    int s, j, n = nall(q), top = in->hlen + 1 < q->order - 1 ? in->hlen + 1 : q->order - 1;
    for (s = 0; s < n; s++) {
        const tc_sa *sa = q->src[s].sa;
        int k = pre ? (npre[s] < top ? npre[s] : top) : 0;
        out->r[s][0] = tc_sa_all(sa);
        for (j = 1; j <= k; j++) out->r[s][j] = pre[s][j - 1];
        for (; j <= top; j++) out->r[s][j] = narrow(q, s, in->r[s][j - 1], j - 1, w);
    }
    out->hlen = top;
}

static void state_feed(const tc_query *q, const qstate *in, uint32_t w, qstate *out)
{
    state_feed_pre(q, in, w, out, NULL, NULL);
}

static void state_from(tc_query *q, const uint32_t *ctx, size_t nctx, qstate *st)
{
    qstate a;
    qstate *cur = st, *nxt = &a; /* fed in turn: one copy at most */
    size_t i, from = nctx > (size_t)(q->order - 1) ? nctx - (size_t)(q->order - 1) : 0;
    state_init(q, st);
    for (i = from; i < nctx; i++) {
        qstate *t = cur;
        state_feed(q, cur, ctx[i], nxt);
        cur = nxt;
        nxt = t;
    }
    if (cur != st) memcpy(st, cur, sizeof *st);
}

/* ---- counts ---- */


/* Entries of pos[a..b) inside [lo, lo + len): eight at a time (GCC's and
 * clang's vector extension, SIMD where the target has it; from 8 entries
 * on, a vector step being cheaper than eight scalar ones), then the rest.
 * The unsigned test p - lo < len is a signed one with both sides' top bit
 * flipped (SSE2 compares signed integers only). */
static uint32_t count_in(const uint32_t *pos, uint32_t a, uint32_t b, uint32_t lo, uint32_t len)
{
    uint32_t x = a, c = 0;
    if (b - a >= 8) {
        tc_v4i acc0 = {0}, acc1 = {0};
        tc_v4u vlo = lo - (tc_v4u){0}, top = 0x80000000u - (tc_v4u){0};
        tc_v4i vlen = (int32_t)(len ^ 0x80000000u) - (tc_v4i){0};
        for (; b - x >= 8; x += 8) {
            tc_v4u p0, p1;
            memcpy(&p0, pos + x, sizeof p0);
            memcpy(&p1, pos + x + 4, sizeof p1);
            acc0 += (tc_v4i)((p0 - vlo) ^ top) < vlen; /* a lane inside: -1 */
            acc1 += (tc_v4i)((p1 - vlo) ^ top) < vlen;
        }
        acc0 += acc1;
        c = -(uint32_t)(acc0[0] + acc0[1] + acc0[2] + acc0[3]);
    }
    for (; x < b; x++) c += pos[x] - lo < len;
    return c;
}

/* Level counts of main entries in r: cnt[L] += entries whose position lies
 * in level L's interval. The levels are nested folders, so (q->nested,
 * checked at the query's start) level L counts its interval alone, level
 * by level without a branch per entry (count_in, eight at a time), and
 * stops at the first level with none: the ones inside it have none either.
 * The sums are of integers, exact in a double: the same counts either way. */
static void scan_levels(const tc_query *q, tc_rng r, double *cnt)
{
    const uint32_t *pos = q->m->main.pos;
    uint32_t x;
    int L;
    if (q->nested) {
        uint32_t c = 0;
        for (L = 0; L < q->nlev; L++) {
            /* a folder holding nothing but the next one (a/static/ of
             * a/static/admin/): the same interval, the same count */
            if (!L || q->lev_lo[L] != q->lev_lo[L - 1] || q->lev_hi[L] != q->lev_hi[L - 1])
                c = count_in(pos, r.lo, r.hi, q->lev_lo[L], q->lev_hi[L] - q->lev_lo[L]);
            if (!c) break;
            cnt[L] += (double)c;
        }
        return;
    }
    for (x = r.lo; x < r.hi; x++) {
        uint32_t p = pos[x];
        for (L = 0; L < q->nlev; L++) {
            if (p < q->lev_lo[L] || p >= q->lev_hi[L]) break;
            cnt[L] += 1;
        }
    }
}

static lm_ent *lm_slot(lm_ent *t, tc_rng r, uint32_t j)
{
    uint32_t h = r.lo * 0x9E3779B1u ^ r.hi * 0x85EBCA77u ^ j * 0xC2B2AE3Du;
    return &t[(h ^ h >> 15) & (LM_SIZE - 1)];
}

/* The memo of q's level counts, or NULL when r is small or q cannot use it. */
static lm_ent *lm_find(const tc_query *q, lm_ent *t, tc_rng r, uint32_t j, int *hit)
{
    lm_ent *e;
    if (!q->lm_gen || r.hi - r.lo < LM_MIN) return NULL;
    e = lm_slot(t, r, j);
    *hit = e->gen == q->lm_gen && e->lo == r.lo && e->hi == r.hi && e->j == j;
    return e;
}

static void lm_store(const tc_query *q, lm_ent *e, tc_rng r, uint32_t j, const double *v)
{
    int L;
    for (L = 0; L < MAX_LEVELS; L++) e->v[L] = L < q->nlev ? (uint32_t)v[L] : 0;
    e->gen = q->lm_gen;
    e->lo = r.lo;
    e->hi = r.hi;
    e->j = j;
}

/* scan_levels through the memo: the same integer counts (an empty range
 * adds nothing: neither scanned nor remembered). */
static void scan_levels_m(const tc_query *q, tc_rng r, double *cnt)
{
    int hit = 0, L;
    lm_ent *e;
    if (r.lo >= r.hi) return;
    e = q->nlev > 0 ? lm_find(q, q->m->pm ? q->m->pm->cnt : NULL, r, 0, &hit) : NULL;
    if (!e) {
        scan_levels(q, r, cnt);
        return;
    }
    if (!hit) {
        double c[MAX_LEVELS] = {0};
        scan_levels(q, r, c);
        lm_store(q, e, r, 0, c);
    }
    for (L = 0; L < q->nlev; L++) cnt[L] += (double)e->v[L];
}

/* q's stamp in m->pm's level tables: its level set's, or a new one in
 * place of the set used least recently. */
static void lm_sync(tc_query *q)
{
    struct tc_pmemo *pm = q->m->pm;
    int L, k, same = 0, old = 0;
    if (!pm) return;
    for (k = 0; k < LV_SETS && !same; k++) {
        same = pm->lv[k].gen && pm->lv[k].epoch == q->m->main_epoch && pm->lv[k].nlev == q->nlev &&
               pm->lv[k].nested == q->nested;
        for (L = 0; same && L < q->nlev; L++)
            same = pm->lv[k].lo[L] == q->lev_lo[L] && pm->lv[k].hi[L] == q->lev_hi[L];
        if (!same && pm->lv[k].used < pm->lv[old].used) old = k;
    }
    if (same) {
        k--;
    } else {
        k = old;
        if (++pm->lv_last == 0) { /* the stamps wrapped: forget them all */
            memset(pm->cnt, 0, sizeof pm->cnt);
            memset(pm->n1, 0, sizeof pm->n1);
            memset(pm->lv, 0, sizeof pm->lv);
            pm->lv_last = 1;
        }
        pm->lv[k].gen = pm->lv_last;
        pm->lv[k].epoch = q->m->main_epoch;
        pm->lv[k].nlev = q->nlev;
        pm->lv[k].nested = q->nested;
        memcpy(pm->lv[k].lo, q->lev_lo, sizeof pm->lv[k].lo);
        memcpy(pm->lv[k].hi, q->lev_hi, sizeof pm->lv[k].hi);
    }
    pm->lv[k].used = q->gen;
    q->lm_gen = pm->lv[k].gen;
}

static int in_level(const tc_query *q, int s, int L)
{
    return L < 0 || s == 0 || L < q->src[s].depth;
}

/* Count of w after ctx_j in source s, restricted to level L (L < 0: no
 * restriction); signed. */
static double src_count(const tc_query *q, const qstate *st, int s, int j, int L, uint32_t w)
{
    tc_rng sub = tc_sa_narrow(q->src[s].sa, st->r[s][j], j, w);
    if (L >= 0 && s == 0) {
        double lc[MAX_LEVELS] = {0};
        scan_levels_m(q, sub, lc);
        return lc[L];
    }
    return q->src[s].sign * (double)(sub.hi - sub.lo);
}

/* Distinct continuations of ctx_j for the project (c == 0) or the cache
 * component (exact, over the signed sum of its sources): the main source's
 * own distinct count, corrected for the tokens the other sources touch.
 * The level components: n1p_levels. */
static double n1p_comp(tc_query *q, const qstate *st, int c, int j)
{
    tc_grp g[256];
    size_t ng, i;
    double n1 = 0;
    int s, s1;
    tc_rng r;
    if (c == q->ncomp - 1 && q->cache >= 0) {
        r = st->r[q->cache][j];
        while (r.lo < r.hi && (ng = tc_sa_groups(q->src[q->cache].sa, r, j, g, 256)) > 0) {
            n1 += (double)ng;
            r.lo = g[ng - 1].r.hi;
        }
        return n1;
    }
    /* main alone */
    r = st->r[0][j];
    if (j == 0) {
        n1 = q->m->n1p_uni;
    } else if (q->m->memo) {
        /* distinct continuations of a main range: memoised beside the
         * narrowings, under w = TC_SEP (never a token) */
        tc_nmemo *e = &q->m->memo[(r.lo * 0x9E3779B1u ^ (uint32_t)j * 0xC2B2AE3Du) >> 16];
        if (e->lo == r.lo && e->w == TC_SEP && e->off == (uint32_t)j && r.lo < r.hi) {
            n1 = e->rlo;
        } else {
            while (r.lo < r.hi && (ng = tc_sa_groups(&q->m->main, r, j, g, 256)) > 0) {
                r.lo = g[ng - 1].r.hi;
                n1 += (double)ng;
            }
            r = st->r[0][j];
            e->lo = r.lo;
            e->w = TC_SEP;
            e->off = (uint32_t)j;
            e->rlo = (uint32_t)n1;
            e->rhi = r.hi;
        }
    } else {
        while (r.lo < r.hi && (ng = tc_sa_groups(&q->m->main, r, j, g, 256)) > 0) {
            r.lo = g[ng - 1].r.hi;
            n1 += (double)ng;
        }
    }
    /* corrections: each token of another source, once */
    for (s = 1; s < q->nsrc; s++) {
        r = st->r[s][j];
        while (r.lo < r.hi && (ng = tc_sa_groups(q->src[s].sa, r, j, g, 256)) > 0) {
            r.lo = g[ng - 1].r.hi;
            for (i = 0; i < ng; i++) {
                uint32_t w = g[i].w;
                double mc, tot;
                int dup = 0;
                for (s1 = 1; s1 < s && !dup; s1++) {
                    tc_rng sub = tc_sa_narrow(q->src[s1].sa, st->r[s1][j], j, w);
                    dup = sub.lo < sub.hi;
                }
                if (dup) continue;
                mc = src_count(q, st, 0, j, -1, w);
                tot = mc;
                for (s1 = 1; s1 < q->nsrc; s1++) tot += src_count(q, st, s1, j, -1, w);
                n1 += (tot > 0) - (mc > 0);
            }
        }
    }
    return n1;
}

/* n1p_comp for every level component at once (n1[L] for level L): the
 * main range's groups are scanned once for all levels, and each token of
 * another source is counted in main once; the same sums of integers as
 * n1p_comp(q, st, 1 + L, j) for each L. */
static void n1p_levels(tc_query *q, const qstate *st, int j, double *n1)
{
    tc_grp g[256];
    size_t ng, i;
    int s, s1, L;
    tc_rng r = st->r[0][j];
    int hit = 0;
    lm_ent *e = lm_find(q, q->m->pm ? q->m->pm->n1 : NULL, r, (uint32_t)j, &hit);
    for (L = 0; L < q->nlev; L++) n1[L] = 0;
    if (e && hit) {
        for (L = 0; L < q->nlev; L++) n1[L] = (double)e->v[L];
    } else {
        while (r.lo < r.hi && (ng = tc_sa_groups(&q->m->main, r, j, g, 256)) > 0) {
            r.lo = g[ng - 1].r.hi;
            for (i = 0; i < ng; i++) {
                double lc[MAX_LEVELS] = {0};
                scan_levels_m(q, g[i].r, lc);
                for (L = 0; L < q->nlev; L++) n1[L] += lc[L] > 0;
            }
        }
        if (e) lm_store(q, e, st->r[0][j], (uint32_t)j, n1);
    }
    /* corrections: each token of another source, once per level it is in */
    for (s = 1; s < q->nsrc; s++) {
        if (!in_level(q, s, 0)) continue;
        r = st->r[s][j];
        while (r.lo < r.hi && (ng = tc_sa_groups(q->src[s].sa, r, j, g, 256)) > 0) {
            r.lo = g[ng - 1].r.hi;
            for (i = 0; i < ng; i++) {
                uint32_t w = g[i].w;
                double lc[MAX_LEVELS] = {0}, cs[MAX_SRC];
                int computed = 0;
                for (L = 0; L < q->nlev && in_level(q, s, L); L++) {
                    double tot;
                    int dup = 0;
                    for (s1 = 1; s1 < s && !dup; s1++) {
                        tc_rng sub;
                        if (!in_level(q, s1, L)) continue;
                        sub = tc_sa_narrow(q->src[s1].sa, st->r[s1][j], j, w);
                        dup = sub.lo < sub.hi;
                    }
                    if (dup) continue;
                    if (!computed) {
                        scan_levels_m(q, tc_sa_narrow(q->src[0].sa, st->r[0][j], j, w), lc);
                        for (s1 = 1; s1 < q->nsrc; s1++) cs[s1] = src_count(q, st, s1, j, -1, w);
                        computed = 1;
                    }
                    tot = lc[L];
                    for (s1 = 1; s1 < q->nsrc; s1++)
                        if (in_level(q, s1, L)) tot += cs[s1];
                    n1[L] += (tot > 0) - (lc[L] > 0);
                }
            }
        }
    }
}

static void prepare(tc_query *q, const qstate *st, qprep *pp)
{
    int s, j, c, L;
    double wsum = 0;
    memset(pp->K, 0xff, sizeof pp->K);
    pp->st = st;
    pp->j0 = -1;
    /* project */
    for (j = 0; j <= st->hlen; j++) {
        double C = 0;
        for (s = 0; s < q->nsrc; s++)
            C += q->src[s].sign * (double)tc_sa_ctx_count(q->src[s].sa, st->r[s][j], j);
        if (C <= 0) break;
        pp->C[0][j] = C;
        pp->K[0] = j;
    }
    /* levels */
    for (j = 0; j <= pp->K[0]; j++)
        if (st->r[0][j].hi - st->r[0][j].lo <= SCAN_MAX) {
            pp->j0 = j;
            break;
        }
    if (pp->j0 >= 0 && q->nlev > 0) {
        int alive[MAX_LEVELS];
        for (L = 0; L < q->nlev; L++) alive[L] = 1;
        for (j = pp->j0; j <= pp->K[0]; j++) {
            double cnt[MAX_LEVELS] = {0};
            tc_rng r = st->r[0][j];
            int any = 0;
            r.hi = r.lo + tc_sa_ctx_count(q->src[0].sa, r, j);
            scan_levels_m(q, r, cnt);
            for (s = 1; s < q->nsrc; s++) {
                double cs = q->src[s].sign *
                            (double)tc_sa_ctx_count(q->src[s].sa, st->r[s][j], j);
                for (L = 0; L < q->src[s].depth && L < q->nlev; L++) cnt[L] += cs;
            }
            for (L = 0; L < q->nlev; L++) {
                if (!alive[L] || cnt[L] <= 0) {
                    alive[L] = 0;
                    continue;
                }
                pp->C[1 + L][j] = cnt[L];
                pp->K[1 + L] = j;
                any = 1;
            }
            if (!any) break;
        }
    }
    /* cache */
    if (q->cache >= 0) {
        c = q->ncomp - 1;
        for (j = 0; j <= st->hlen; j++) {
            double C = tc_sa_ctx_count(q->src[q->cache].sa, st->r[q->cache][j], j);
            if (C <= 0) break;
            pp->C[c][j] = C;
            pp->K[c] = j;
        }
    }
    if (q->sm != TC_SMOOTH_JM) {
        for (c = 0; c < q->ncomp; c++) {
            if (c > 0 && c <= q->nlev) continue; /* below, all levels at once */
            for (j = 0; j <= pp->K[c]; j++) {
                if (j == 0) {
                    /* the same for every context of the query */
                    if (q->n1_0[c] < 0) q->n1_0[c] = n1p_comp(q, st, c, 0);
                    pp->N1[c][j] = q->n1_0[c];
                } else {
                    pp->N1[c][j] = n1p_comp(q, st, c, j);
                }
            }
        }
        if (pp->j0 >= 0 && q->nlev > 0) {
            int top = -1;
            for (L = 0; L < q->nlev; L++)
                if (pp->K[1 + L] > top) top = pp->K[1 + L];
            for (j = pp->j0; j <= top; j++) {
                double n1[MAX_LEVELS];
                if (j == 0) {
                    /* the same for every context of the query */
                    if (q->n1_0[1] < 0) {
                        n1p_levels(q, st, 0, n1);
                        for (L = 0; L < q->nlev; L++) q->n1_0[1 + L] = n1[L];
                    }
                    for (L = 0; L < q->nlev; L++) n1[L] = q->n1_0[1 + L];
                } else {
                    n1p_levels(q, st, j, n1);
                }
                for (L = 0; L < q->nlev; L++) pp->N1[1 + L][j] = n1[L];
            }
        }
    }
    pp->kmax = -1;
    for (c = 0; c < q->ncomp; c++) {
        if (pp->K[c] > pp->kmax) pp->kmax = pp->K[c];
        if (pp->K[c] < 0) {
            pp->wt[c] = 0;
            continue;
        }
        pp->wt[c] = (1.0 + c) * (double)(1u << (pp->K[c] + 1)); /* ldexp's, exact */
        wsum += pp->wt[c];
    }
    for (c = 0; c < q->ncomp; c++) pp->wt[c] = wsum > 0 ? pp->wt[c] / wsum : 0;
}

/* Mixed probability of w after the prepared context. nsub (or NULL):
 * each source's narrowings by w are kept in sub[s][j], j < nsub[s]. */
static double eval_keep(tc_query *q, const qprep *pp, uint32_t w, tc_rng (*keep)[TC_MODEL_MAX_ORDER],
                        int *nsub)
{
    const qstate *st = pp->st;
    double pj[TC_MODEL_MAX_ORDER], p = 0, wsum = 0;
    double cw[MAX_SRC][TC_MODEL_MAX_ORDER];
    /* the project's count of w per order, the signed sum over its sources
     * (integers: the same double as summing cw's in turn) */
    int64_t cp[TC_MODEL_MAX_ORDER] = {0};
    tc_rng sub0[TC_MODEL_MAX_ORDER] = {{0, 0}};
    int s, j, c, L, n = nall(q);

    for (s = 0; nsub && s < n; s++) nsub[s] = 0;
    if (pp->kmax < 0) return q->uniform;
    for (s = 0; s < n; s++) {
        int top = (s == q->cache) ? pp->K[q->ncomp - 1] : pp->K[0], sign = q->src[s].sign;
        memset(cw[s], 0, sizeof cw[s]); /* past the order where w's range empties: 0 */
        for (j = 0; j <= top; j++) {
            tc_rng sub;
            /* a removed copy only holds what main holds */
            if (sign < 0 && cw[0][j] == 0) break;
            sub = narrow(q, s, st->r[s][j], j, w);
            if (nsub) {
                keep[s][j] = sub;
                nsub[s] = j + 1;
            }
            if (s == 0) sub0[j] = sub;
            cw[s][j] = (double)(sub.hi - sub.lo);
            if (s < q->nsrc) cp[j] += sign * (int64_t)(sub.hi - sub.lo);
            if (sub.lo >= sub.hi) break;
        }
    }
    /* project chain */
    for (j = 0; j <= pp->K[0]; j++) {
        double c_w = (double)cp[j];
        pj[j] = j == 0 ? tc_smooth_base(q->sm, c_w, pp->C[0][0], pp->N1[0][0], q->uniform)
                       : tc_smooth_step(q->sm, c_w, pp->C[0][j], pp->N1[0][j], pj[j - 1]);
    }
    if (pp->K[0] >= 0) {
        p += pp->wt[0] * pj[pp->K[0]];
        wsum += pp->wt[0];
    }
    /* levels */
    if (q->nlev > 0 && pp->j0 >= 0) {
        double lc[TC_MODEL_MAX_ORDER][MAX_LEVELS];
        int top = -1;
        for (L = 0; L < q->nlev; L++)
            if (pp->K[1 + L] > top) top = pp->K[1 + L];
        for (j = pp->j0; j <= top; j++) {
            memset(lc[j], 0, sizeof lc[j]);
            scan_levels_m(q, sub0[j], lc[j]);
            for (s = 1; s < q->nsrc; s++)
                for (L = 0; L < q->src[s].depth && L < q->nlev; L++)
                    lc[j][L] += q->src[s].sign * cw[s][j];
        }
        for (L = 0; L < q->nlev; L++) {
            double v;
            c = 1 + L;
            if (pp->K[c] < 0) continue;
            v = pp->j0 == 0 ? q->uniform : pj[pp->j0 - 1];
            for (j = pp->j0; j <= pp->K[c]; j++)
                v = j == 0 ? tc_smooth_base(q->sm, lc[j][L], pp->C[c][j], pp->N1[c][j], v)
                           : tc_smooth_step(q->sm, lc[j][L], pp->C[c][j], pp->N1[c][j], v);
            p += pp->wt[c] * v;
            wsum += pp->wt[c];
        }
    }
    /* cache */
    if (q->cache >= 0 && pp->K[q->ncomp - 1] >= 0) {
        double v = q->uniform;
        c = q->ncomp - 1;
        for (j = 0; j <= pp->K[c]; j++)
            v = j == 0 ? tc_smooth_base(q->sm, cw[q->cache][j], pp->C[c][j], pp->N1[c][j], v)
                       : tc_smooth_step(q->sm, cw[q->cache][j], pp->C[c][j], pp->N1[c][j], v);
        p += pp->wt[c] * v;
        wsum += pp->wt[c];
    }
    return wsum > 0 ? p / wsum : q->uniform;
}

static double eval(tc_query *q, const qprep *pp, uint32_t w)
{
    return eval_keep(q, pp, w, NULL, NULL);
}

/* ---- candidates ---- */

/* Insertion sort of n elements of size sz by cmp: the arrays sorted here
 * are short (a few dozen entries; longer ones go to qsort) and their
 * orders are total (no two entries compare equal), so it gives qsort's
 * order without its temporary buffer and calls through a pointer. */
static void isort(void *base, size_t n, size_t sz, int (*cmp)(const void *, const void *))
{
    unsigned char *a = base, t[64];
    size_t i, j;
    if (sz > sizeof t || n > 64) {
        qsort(base, n, sz, cmp);
        return;
    }
    for (i = 1; i < n; i++) {
        memcpy(t, a + i * sz, sz);
        for (j = i; j > 0 && cmp(a + (j - 1) * sz, t) > 0; j--) memcpy(a + j * sz, a + (j - 1) * sz, sz);
        if (j != i) memcpy(a + j * sz, t, sz);
    }
}


typedef struct candset {
    uint32_t w[MAX_CANDS];
    size_t n;
} candset;

static void cand_add(candset *cs, uint32_t w)
{
    size_t i;
    if (w == TC_VOCAB_BOS || w == TC_VOCAB_UNK || cs->n >= MAX_CANDS) return;
    for (i = 0; i < cs->n; i++)
        if (cs->w[i] == w) return;
    cs->w[cs->n++] = w;
}

static int hits_cmp(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b; /* (token, hits) pairs */
    if (x[1] != y[1]) return x[1] < y[1] ? 1 : -1;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Candidates for the next token: from the longest contexts down, the
 * continuations of each range, most frequent first: all of a small range,
 * and from a large one the tokens at SAMPLES evenly spaced entries (which
 * include every continuation holding at least 1/SAMPLES of it). All of the
 * longest matched context's continuations are taken, then more until want;
 * the most frequent tokens fill up the rest. */
static void cand_collect(tc_query *q, const qprep *pp, size_t want, candset *cs)
{
    enum { SAMPLES = 48 };
    uint32_t hits[SAMPLES][2], tmax = 0;
    int s, j, n = nall(q), first = 1;
    size_t i, nh, k;
    cs->n = 0;
    for (j = pp->st->hlen; j >= 1 && cs->n < want; j--) {
        int any = 0;
        for (s = 0; s < n; s++) {
            const tc_sa *sa = q->src[s].sa;
            tc_rng r = pp->st->r[s][j];
            uint32_t size = r.hi - r.lo;
            if (!size || q->src[s].sign < 0) continue;
            nh = 0;
            for (i = 0; i < SAMPLES && i < size; i++) {
                uint32_t x = size <= SAMPLES
                                 ? r.lo + (uint32_t)i
                                 : r.lo + (uint32_t)(((uint64_t)size * (2 * i + 1)) / (2 * SAMPLES));
                uint32_t t = sa->text[(size_t)sa->pos[x] + (size_t)j];
                if (t == TC_SEP) continue;
                /* the entries of a context's range are sorted by the token
                 * after it: a token seen before is the last one added, and
                 * one above every token so far is new; the search is left
                 * for an order not seen so far (the same k either way) */
                if (!nh || t > tmax) {
                    k = nh;
                    tmax = t;
                } else if (t == hits[nh - 1][0]) {
                    k = nh - 1;
                } else {
                    for (k = 0; k < nh && hits[k][0] != t; k++) {}
                }
                if (k == nh) {
                    hits[nh][0] = t;
                    hits[nh++][1] = 0;
                }
                hits[k][1]++;
            }
            isort(hits, nh, sizeof hits[0], hits_cmp);
            for (k = 0; k < nh && (first || cs->n < want); k++) cand_add(cs, hits[k][0]);
            any |= nh > 0;
        }
        if (any) first = 0;
    }
    for (i = 0; i < q->m->ntop_uni && cs->n < want; i++) cand_add(cs, q->m->top_uni[i]);
}

typedef struct scored {
    uint32_t w;
    double p;
} scored;

static int scored_cmp(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? 1 : -1;
    return x->w < y->w ? -1 : x->w > y->w;
}

/* The k most likely candidates after the prepared context, most likely
 * first: each scored candidate goes into the sorted top k in place (their
 * order is total, scored_cmp's: the same k and order as sorting them all). */
static size_t predict_prepared(tc_query *q, const qprep *pp, scored *out, size_t k)
{
    candset cs;
    size_t i, x, n = 0;
    cand_collect(q, pp, k + 6, &cs);
    for (i = 0; i < cs.n; i++) {
        scored c;
        c.w = cs.w[i];
        c.p = eval(q, pp, c.w);
        if (n == k && (!k || scored_cmp(&out[k - 1], &c) < 0)) continue;
        x = n < k ? n++ : k - 1;
        for (; x > 0 && scored_cmp(&out[x - 1], &c) > 0; x--) out[x] = out[x - 1];
        out[x] = c;
    }
    return n;
}

/* ---- the query ---- */

static int mf_find(const tc_model *m, const char *path, int prefix)
{
    /* first main file whose path is >= path (prefix=0: exact match or -1) */
    uint32_t lo = 0, hi = m->nmf;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(m->mf[mid].path, path) < 0) lo = mid + 1;
        else hi = mid;
    }
    if (prefix) return (int)lo;
    return lo < m->nmf && !strcmp(m->mf[lo].path, path) ? (int)lo : -1;
}

/* File cur's left-out copy (main file mi): kept from an earlier query, or
 * made in the slot used least recently (and in those before it while the
 * copies kept would hold more than the budget). The same array three ways:
 * from the main array's inverse (tc_model_prepare_files, or made here at
 * the second copy: requests move between files; about 30 instructions a
 * token, two radix passes of the file's entries); for a file of 1/80 of
 * the main array or more, its positions kept in one pass over the main
 * array (about 2.7 instructions an entry); else sorted again (about 230 a
 * token: six radix passes, the rank table). A slot stays valid until the
 * file changes or the main array is dropped (tc_model_loo_drop). TC_OK or
 * TC_ENOMEM (no slot holds cur then). */
static int loo_get(tc_model *m, long cur, int mi, int order, const tc_sa **out)
{
    uint32_t flen = m->mf[mi].end - m->mf[mi].start;
    uint64_t budget = m->main.n / 4 > TC_LOO_MIN_BUDGET ? m->main.n / 4 : TC_LOO_MIN_BUDGET, held;
    struct tc_loo *slot = NULL;
    int k, rc;
    m->loo_clock++;
    for (k = 0; k < TC_LOO_SLOTS; k++)
        if (m->loo[k].fileno == cur) {
            m->loo[k].used = m->loo_clock;
            *out = &m->loo[k].sa;
            return TC_OK;
        }
    for (;;) {
        struct tc_loo *old = NULL;
        held = 0;
        for (k = 0; k < TC_LOO_SLOTS; k++) {
            if (m->loo[k].fileno < 0) {
                if (!slot) slot = &m->loo[k];
                continue;
            }
            held += m->loo[k].sa.n;
            if (!old || m->loo[k].used < old->used) old = &m->loo[k];
        }
        if (old && (!slot || held + flen > budget)) {
            tc_sa_free(&old->sa);
            old->fileno = -1;
            if (!slot) slot = old;
            continue;
        }
        break;
    }
    if (m->loo_built >= 1) (void)tc_model_prepare_files(m); /* no memory: the other ways */
    if (m->inv)
        rc = tc_sa_subset_inv(&slot->sa, &m->main, m->inv, m->mf[mi].start, m->mf[mi].end);
    else
        rc = m->main.n / 80 <= flen && m->main.pos
                 ? tc_sa_subset(&slot->sa, &m->main, m->mf[mi].start, m->mf[mi].end)
                 : tc_sa_build(&slot->sa, m->T, m->mf[mi].start, m->mf[mi].end, order, 0);
    if (rc != TC_OK) return rc;
    slot->fileno = cur;
    slot->used = m->loo_clock;
    m->loo_built++;
    *out = &slot->sa;
    return TC_OK;
}

int tc_query_begin(tc_model *m, const char *relpath, const uint32_t *buf, size_t n,
                   tc_query **out)
{
    tc_query *q;
    long cur = -1;
    int rc, mi = -1;
    size_t k, i;
    uint32_t V;

    *out = NULL;
    if ((rc = tc_model_sync(m)) != TC_OK) return rc;
    q = calloc(1, sizeof *q);
    if (!q) return TC_ENOMEM;
    q->m = m;
    q->order = m->o.order;
    q->sm = m->o.smoothing;
    q->cache = -1;
    V = m->src.vocab_size(m->src.ud);
    if (V < m->main.nbucket) V = m->main.nbucket;
    q->uniform = 1.0 / (V ? V : 1);

    /* the edited file: leave-one-out */
    if (relpath && (mi = mf_find(m, relpath, 0)) >= 0) cur = m->mf[mi].fileno;
    if (relpath && cur < 0)
        for (k = 0; k < m->ndl; k++)
            if (m->dl[k].sign > 0 && !strcmp(m->dl[k].path, relpath)) cur = m->dl[k].fileno;

    /* nested levels: each folder of relpath */
    if (relpath && !m->o.no_nested) {
        const char *sl;
        char pre[4096];
        size_t plen;
        for (sl = strchr(relpath, '/'); sl; sl = strchr(sl + 1, '/')) {
            plen = (size_t)(sl - relpath) + 1;
            if (plen >= sizeof pre) break;
            if (q->nlev == MAX_LEVELS) { /* keep the innermost */
                memmove(q->lev_lo, q->lev_lo + 1, (MAX_LEVELS - 1) * sizeof q->lev_lo[0]);
                memmove(q->lev_hi, q->lev_hi + 1, (MAX_LEVELS - 1) * sizeof q->lev_hi[0]);
                q->nlev--;
            }
            memcpy(pre, relpath, plen);
            pre[plen] = 0;
            {
                int a = mf_find(m, pre, 1), b;
                pre[plen - 1] = '/' + 1;
                b = mf_find(m, pre, 1);
                if (a < b) {
                    q->lev_lo[q->nlev] = m->mf[a].start;
                    q->lev_hi[q->nlev] = m->mf[b - 1].end;
                } else {
                    q->lev_lo[q->nlev] = q->lev_hi[q->nlev] = 0;
                }
            }
            q->nlev++;
        }
    }

    q->nested = 1;
    for (k = 1; k < (size_t)q->nlev; k++)
        if (q->lev_lo[k] < q->lev_hi[k] && (q->lev_lo[k] < q->lev_lo[k - 1] || q->lev_hi[k] > q->lev_hi[k - 1]))
            q->nested = 0;

    /* sources */
    q->src[0].sa = &m->main;
    q->src[0].sign = 1;
    q->src[0].depth = q->nlev;
    q->nsrc = 1;
    for (k = 0; k < m->ndl && q->nsrc < MAX_SRC - 2; k++) {
        const tc_delta *d = &m->dl[k];
        int depth = 0;
        if (d->sign > 0 && (long)d->fileno == cur) continue;
        if (relpath) {
            const char *a = relpath, *b = d->path;
            /* levels whose prefix d->path shares: count '/' in the common prefix */
            while (*a && *a == *b) {
                if (*a == '/') depth++;
                a++;
                b++;
            }
            if (depth > q->nlev) depth = q->nlev;
        }
        q->src[q->nsrc].sa = &d->sa;
        q->src[q->nsrc].sign = d->sign;
        q->src[q->nsrc].depth = depth;
        q->nsrc++;
    }
    if (mi >= 0 && !(m->fflags[cur] & TC_F_DEAD)) {
        const tc_sa *loo;
        if ((rc = loo_get(m, cur, mi, q->order, &loo)) != TC_OK) goto fail;
        q->src[q->nsrc].sa = loo;
        q->src[q->nsrc].sign = -1;
        q->src[q->nsrc].depth = q->nlev;
        q->nsrc++;
    }
    /* cache: the buffer's tail */
    if (!m->o.no_cache && buf) {
        size_t from = n > m->o.cache_tokens ? n - m->o.cache_tokens : 0, len = 0;
        q->cache_text = malloc((n - from + 2 + TC_MODEL_MAX_ORDER) * sizeof *q->cache_text);
        if (!q->cache_text) {
            rc = TC_ENOMEM;
            goto fail;
        }
        if (from == 0) q->cache_text[len++] = TC_VOCAB_BOS;
        for (i = from; i < n; i++) q->cache_text[len++] = buf[i] == TC_SEP ? TC_VOCAB_UNK : buf[i];
        for (i = 0; i < 1 + TC_MODEL_MAX_ORDER; i++) q->cache_text[len + i] = TC_SEP;
        if ((rc = tc_sa_build(&q->cache_sa, q->cache_text, 0, len + 1, q->order, 0)) != TC_OK)
            goto fail;
        q->cache = q->nsrc;
        q->src[q->cache].sa = &q->cache_sa;
        q->src[q->cache].sign = 0;
        q->src[q->cache].depth = 0;
    }
    q->ncomp = 1 + q->nlev + (q->cache >= 0);
    for (k = 0; k < MAX_COMP; k++) q->n1_0[k] = -1;
    q->last.klen = -1;
    q->gen = ++m->pm_gen;
    if (!m->pm) m->pm = calloc(1, sizeof *m->pm); /* NULL: no memo */
    lm_sync(q);
    *out = q;
    return TC_OK;
fail:
    tc_query_end(q);
    return rc;
}

void tc_query_end(tc_query *q)
{
    if (!q) return;
    tc_sa_free(&q->cache_sa);
    free(q->cache_text);
    free(q);
}

static uint32_t pm_hash(const uint32_t *key, int klen, uint32_t w)
{
    uint32_t h = 0x811C9DC5u ^ (uint32_t)klen;
    int i;
    for (i = 0; i < klen; i++) h = (h ^ key[i]) * 0x01000193u + (h >> 15);
    h = (h ^ w) * 0x9E3779B1u;
    return h ^ (h >> 16);
}

double tc_query_prob(tc_query *q, const uint32_t *ctx, size_t nctx, uint32_t next)
{
    const uint32_t *key;
    int klen = nctx > (size_t)(q->order - 1) ? q->order - 1 : (int)nctx;
    struct tc_pmemo *pm = q->m->pm;
    pm_ctx *c;
    pm_prob *v;
    if (!pm && (pm = q->m->pm = calloc(1, sizeof *pm)) == NULL) { /* no memory for the memo */
        state_from(q, ctx, nctx, &q->tmp);
        prepare(q, &q->tmp, &q->tprep);
        return eval(q, &q->tprep, next);
    }
    key = ctx + nctx - (size_t)klen;
    v = &pm->prob[pm_hash(key, klen, next) & (PM_PROB - 1)];
    if (v->gen == q->gen && v->klen == klen && v->w == next && !memcmp(v->key, key, (size_t)klen * sizeof *key))
        return v->p;
    c = &pm->ctx[pm_hash(key, klen, TC_SEP) & (PM_CTX - 1)];
    if (c->gen != q->gen || c->klen != klen || memcmp(c->key, key, (size_t)klen * sizeof *key)) {
        /* scoring a line token by token: the context one token shorter is
         * usually kept, and one narrowing step from its state gives this
         * one (the ranges of the last j tokens, whichever way reached) */
        int plen = !nctx ? -1 : nctx - 1 > (size_t)(q->order - 1) ? q->order - 1 : (int)nctx - 1;
        const uint32_t *pkey = plen >= 0 ? ctx + nctx - 1 - (size_t)plen : ctx;
        pm_ctx *par = plen >= 0 ? &pm->ctx[pm_hash(pkey, plen, TC_SEP) & (PM_CTX - 1)] : NULL;
        if (par && par != c && par->gen == q->gen && par->klen == plen &&
            !memcmp(par->key, pkey, (size_t)plen * sizeof *pkey)) {
            /* the line's previous look-up, usually: its eval narrowed the
             * parent's ranges by this token already */
            int same = q->last.klen == plen && q->last.w == ctx[nctx - 1] &&
                       !memcmp(q->last.key, pkey, (size_t)plen * sizeof *pkey);
            state_feed_pre(q, &par->st, ctx[nctx - 1], &c->st, same ? q->last.sub : NULL,
                           same ? q->last.nsub : NULL);
        } else
            state_from(q, ctx, nctx, &c->st);
        prepare(q, &c->st, &c->pp);
        memcpy(c->key, key, (size_t)klen * sizeof *key);
        c->klen = klen;
        c->gen = q->gen;
    }
    memcpy(v->key, key, (size_t)klen * sizeof *key);
    v->klen = klen;
    v->w = next;
    q->last.klen = -1; /* sub is being overwritten */
    v->p = eval_keep(q, &c->pp, next, q->last.sub, q->last.nsub);
    memcpy(q->last.key, key, (size_t)klen * sizeof *key);
    q->last.klen = klen;
    q->last.w = next;
    v->gen = q->gen;
    return v->p;
}

/* An id no vocabulary reaches (and not TC_SEP): every count of it is 0. */
#define UNSEEN_ID (TC_SEP - 1)

double tc_query_prob_unseen(tc_query *q, const uint32_t *ctx, size_t nctx)
{
    return tc_query_prob(q, ctx, nctx, UNSEEN_ID);
}

size_t tc_query_predict(tc_query *q, const uint32_t *ctx, size_t nctx, tc_pred *out, size_t k)
{
    scored sc[MAX_CANDS];
    size_t i, n;
    if (k > MAX_CANDS) k = MAX_CANDS;
    state_from(q, ctx, nctx, &q->tmp);
    prepare(q, &q->tmp, &q->tprep);
    n = predict_prepared(q, &q->tprep, sc, k);
    for (i = 0; i < n; i++) {
        out[i].id = sc[i].w;
        out[i].p = (float)sc[i].p;
    }
    return n;
}

/* ---- beam search ---- */

typedef struct hyp {
    uint32_t ids[64];
    uint32_t n;
    double logp;
    qstate *st;
} hyp;

typedef struct ext {
    int h;       /* parent hypothesis */
    uint32_t w;
    double logp;
} ext;

static int ext_cmp(const void *a, const void *b)
{
    const ext *x = a, *y = b;
    if (x->logp != y->logp) return x->logp < y->logp ? 1 : -1;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return x->w < y->w ? -1 : x->w > y->w;
}

static int compl_cmp(const void *a, const void *b)
{
    const tc_completion *x = a, *y = b;
    if (x->logp != y->logp) return x->logp < y->logp ? 1 : -1;
    return 0;
}

static void add_done(tc_completion *done, size_t *ndone, size_t cap, const hyp *h,
                     double logp, int ended)
{
    size_t i;
    for (i = 0; i < *ndone; i++)
        if (done[i].n == h->n && !memcmp(done[i].ids, h->ids, h->n * sizeof h->ids[0])) {
            if (logp > done[i].logp) {
                done[i].logp = logp;
                done[i].ended = ended;
            }
            return;
        }
    if (*ndone == cap) {
        /* replace the worst if better */
        size_t worst = 0;
        for (i = 1; i < *ndone; i++)
            if (done[i].logp < done[worst].logp) worst = i;
        if (done[worst].logp >= logp) return;
        i = worst;
    } else {
        i = (*ndone)++;
    }
    memcpy(done[i].ids, h->ids, h->n * sizeof h->ids[0]);
    done[i].n = h->n;
    done[i].logp = logp;
    done[i].ended = ended;
}

size_t tc_query_complete_line(tc_query *q, const uint32_t *ctx, size_t nctx, int beam,
                              int max_len, tc_completion *out, size_t k)
{
    hyp *cur = NULL, *nxt = NULL;
    qstate *stA = NULL, *stB = NULL;
    ext *ex = NULL;
    scored sc[MAX_CANDS];
    tc_completion *done = NULL;
    size_t ncur = 1, ndone = 0, i, nex, step;
    int width;

    if (!k) return 0;
    if (beam < 1) beam = 1;
    if (beam > 32) beam = 32;
    if (max_len < 1) max_len = 1;
    if (max_len > 64) max_len = 64;
    width = beam;
    cur = calloc((size_t)beam, sizeof *cur);
    nxt = calloc((size_t)beam, sizeof *nxt);
    stA = malloc((size_t)beam * sizeof *stA);
    stB = malloc((size_t)beam * sizeof *stB);
    ex = malloc((size_t)beam * (size_t)width * sizeof *ex);
    done = calloc(k, sizeof *done);
    if (!cur || !nxt || !stA || !stB || !ex || !done) {
        ndone = 0;
        goto out;
    }
    for (i = 0; i < (size_t)beam; i++) {
        cur[i].st = &stA[i];
        nxt[i].st = &stB[i];
    }
    state_from(q, ctx, nctx, cur[0].st);
    cur[0].n = 0;
    cur[0].logp = 0;

    for (step = 0; step < (size_t)max_len && ncur > 0; step++) {
        size_t h, nn = 0;
        /* once k lines are done, an extension no better than the worst of
         * them is neither kept as a line (add_done) nor as a hypothesis
         * (the prune below; those sort after every kept one): left out */
        double floor = -HUGE_VAL;
        if (ndone == k) {
            floor = done[0].logp;
            for (i = 1; i < ndone; i++)
                if (done[i].logp < floor) floor = done[i].logp;
        }
        nex = 0;
        for (h = 0; h < ncur; h++) {
            size_t np = (prepare(q, cur[h].st, &q->tprep),
                         predict_prepared(q, &q->tprep, sc, (size_t)width));
            for (i = 0; i < np; i++) {
                double lp;
                if (sc[i].p <= 0) continue;
                lp = cur[h].logp + log(sc[i].p);
                if (lp <= floor) continue;
                ex[nex].h = (int)h;
                ex[nex].w = sc[i].w;
                ex[nex].logp = lp;
                nex++;
            }
        }
        isort(ex, nex, sizeof *ex, ext_cmp);
        for (i = 0; i < nex; i++) {
            const hyp *par = &cur[ex[i].h];
            if (ex[i].w == TC_VOCAB_EOL) {
                add_done(done, &ndone, k, par, ex[i].logp, 1);
                continue;
            }
            if (nn == (size_t)beam) continue;
            memcpy(nxt[nn].ids, par->ids, par->n * sizeof par->ids[0]);
            nxt[nn].ids[par->n] = ex[i].w;
            nxt[nn].n = par->n + 1;
            nxt[nn].logp = ex[i].logp;
            state_feed(q, par->st, ex[i].w, nxt[nn].st);
            nn++;
        }
        /* prune: once k lines are done, hypotheses below the worst of them
         * can only get worse */
        if (ndone == k) {
            double worst = done[0].logp;
            size_t a = 0;
            for (i = 1; i < ndone; i++)
                if (done[i].logp < worst) worst = done[i].logp;
            for (i = 0; i < nn; i++)
                if (nxt[i].logp > worst) {
                    if (a != i) {
                        qstate *t = nxt[a].st;
                        hyp tmp = nxt[i];
                        nxt[i].st = t;
                        nxt[a] = tmp;
                    }
                    a++;
                }
            nn = a;
        }
        {
            hyp *t = cur;
            cur = nxt;
            nxt = t;
        }
        ncur = nn;
    }
    for (i = 0; i < ncur; i++) add_done(done, &ndone, k, &cur[i], cur[i].logp, 0);
    qsort(done, ndone, sizeof *done, compl_cmp);
    memcpy(out, done, ndone * sizeof *out);
out:
    free(cur);
    free(nxt);
    free(stA);
    free(stB);
    free(ex);
    free(done);
    return ndone;
}

int tc_query_nlevels(const tc_query *q)
{
    return q->nlev;
}

int64_t tc_query_count(tc_query *q, int comp, const uint32_t *g, size_t n)
{
    int64_t total = 0;
    int s, L = comp - 1;
    size_t j;
    if (comp < 0 || comp >= q->ncomp || n > (size_t)q->order) return -1;
    if (q->cache >= 0 && comp == q->ncomp - 1) {
        tc_rng r = tc_sa_all(&q->cache_sa);
        for (j = 0; j < n; j++) r = tc_sa_narrow(&q->cache_sa, r, (int)j, g[j]);
        return r.hi - r.lo;
    }
    for (s = 0; s < q->nsrc; s++) {
        tc_rng r = tc_sa_all(q->src[s].sa);
        if (L >= 0 && !in_level(q, s, L)) continue;
        for (j = 0; j < n; j++) r = tc_sa_narrow(q->src[s].sa, r, (int)j, g[j]);
        if (L >= 0 && s == 0) {
            double lc[MAX_LEVELS] = {0};
            scan_levels(q, r, lc);
            total += (int64_t)lc[L];
        } else {
            total += q->src[s].sign * (int64_t)(r.hi - r.lo);
        }
    }
    return total;
}
