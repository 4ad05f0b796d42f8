/* model.c - the model's counts: the main corpus and its deltas.
 *
 * See model_int.h for the corpus layout and how deltas combine. Queries
 * (query.c) read these structures; the index glue (model_index.c) feeds
 * file changes in through tc_model_file_changed.
 */
#include "model/model_int.h"
#include "util/log.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DELTAS 32

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int mfile_cmp(const void *a, const void *b)
{
    return strcmp(((const tc_mfile *)a)->path, ((const tc_mfile *)b)->path);
}

static void delta_free(tc_delta *d)
{
    free(d->path);
    free(d->text);
    tc_sa_free(&d->sa);
    memset(d, 0, sizeof *d);
}

void tc_model_loo_drop(tc_model *m, long fileno)
{
    int k;
    for (k = 0; k < TC_LOO_SLOTS; k++)
        if (m->loo[k].fileno >= 0 && (fileno < 0 || m->loo[k].fileno == fileno)) {
            tc_sa_free(&m->loo[k].sa);
            m->loo[k].fileno = -1;
        }
}

static void drop_main(tc_model *m)
{
    size_t i;
    for (i = 0; i < m->ndl; i++) delta_free(&m->dl[i]);
    m->ndl = 0;
    m->delta_tokens = 0;
    tc_model_loo_drop(m, -1);
    free(m->inv);
    m->inv = NULL;
    m->loo_built = 0;
    tc_sa_free(&m->main);
    m->main_epoch++;
    free(m->memo);
    m->memo = NULL;
    free(m->T);
    m->T = NULL;
    m->nT = 0;
    for (i = 0; i < m->nmf; i++) free(m->mf[i].path);
    free(m->mf);
    m->mf = NULL;
    m->nmf = 0;
    m->tokens_dropped = 0;
    m->files_dropped = 0;
    for (i = 0; i < m->nfno; i++) {
        m->fmain[i] = -1;
        m->fflags[i] = 0;
        m->fadd[i] = -1;
    }
}

static int ensure_fno(tc_model *m, size_t n)
{
    size_t i, cap;
    int32_t *a, *c;
    uint8_t *b;
    if (n <= m->nfno) return TC_OK;
    if (n > m->capfno) {
        cap = m->capfno ? m->capfno * 2 : 64;
        while (cap < n) cap *= 2;
        a = realloc(m->fmain, cap * sizeof *a);
        if (!a) return TC_ENOMEM;
        m->fmain = a;
        b = realloc(m->fflags, cap * sizeof *b);
        if (!b) return TC_ENOMEM;
        m->fflags = b;
        c = realloc(m->fadd, cap * sizeof *c);
        if (!c) return TC_ENOMEM;
        m->fadd = c;
        m->capfno = cap;
    }
    for (i = m->nfno; i < n; i++) {
        m->fmain[i] = -1;
        m->fflags[i] = 0;
        m->fadd[i] = -1;
    }
    m->nfno = n;
    return TC_OK;
}

static int read_ids(tc_model *m, size_t i, size_t *n)
{
    return m->src.ids(m->src.ud, i, &m->scratch, n, &m->scratch_cap);
}

static void compute_top(tc_model *m)
{
    uint32_t t, k, nb = m->main.nbucket;
    m->ntop_uni = 0;
    m->n1p_uni = 0;
    for (t = 0; t < nb; t++) {
        uint32_t c = m->main.bucket[t + 1] - m->main.bucket[t];
        if (!c) continue;
        m->n1p_uni++;
        if (t == TC_VOCAB_BOS || t == TC_VOCAB_UNK) continue;
        /* insertion into the small sorted top list */
        k = m->ntop_uni < 16 ? m->ntop_uni++ : 16;
        if (k == 16) {
            uint32_t last = m->top_uni[15];
            if (m->main.bucket[last + 1] - m->main.bucket[last] >= c) continue;
            k = 15;
        }
        while (k > 0) {
            uint32_t p = m->top_uni[k - 1];
            if (m->main.bucket[p + 1] - m->main.bucket[p] >= c) break;
            m->top_uni[k] = p;
            k--;
        }
        m->top_uni[k] = t;
    }
}

/* Key order of main-array entries p, q of T: their first `order` tokens
 * (SEP, the largest value, after every id), then position; the order
 * tc_sa_build sorts by. */
static int key_cmp(const uint32_t *T, int order, uint32_t p, uint32_t q)
{
    int k;
    for (k = 0; k < order; k++)
        if (T[(size_t)p + k] != T[(size_t)q + k]) return T[(size_t)p + k] < T[(size_t)q + k] ? -1 : 1;
    return p < q ? -1 : p > q;
}

/* Bottom-up merge sort of a[0..n) by key_cmp (tmp: n entries). */
static void key_sort(const uint32_t *T, int order, uint32_t *a, uint32_t *tmp, size_t n)
{
    size_t w, i;
    for (w = 1; w < n; w *= 2) {
        for (i = 0; i < n; i += 2 * w) {
            size_t l = i, mid = i + w < n ? i + w : n, hi = i + 2 * w < n ? i + 2 * w : n;
            size_t r = mid, o = i;
            while (l < mid && r < hi) tmp[o++] = key_cmp(T, order, a[l], a[r]) <= 0 ? a[l++] : a[r++];
            while (l < mid) tmp[o++] = a[l++];
            while (r < hi) tmp[o++] = a[r++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

/* Index of the first entry of a[lo..n) whose key is above q's (a sorted;
 * galloping from lo, so a run of k entries costs O(log k) comparisons). */
static size_t key_upper(const uint32_t *T, int order, const uint32_t *a, size_t lo, size_t n,
                        uint32_t q)
{
    size_t step = 1, hi = lo;
    while (hi < n && key_cmp(T, order, a[hi], q) <= 0) {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    if (hi > n) hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_cmp(T, order, a[mid], q) <= 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

#define BLK_SHIFT 12 /* positions per block of the position -> file table */

/* The main array of the new corpus (m->T, m->mf laid out) from the old one
 * (old over oT, files omf): what tc_sa_build would give, in time linear in
 * the corpus plus a sort of the changed files. An entry's key is its first
 * `order` tokens, which past its file's SEP are the next file's; the
 * entries of a file whose path and tokens did not change and whose key
 * stays inside the file keep their relative order (files stay in path
 * order, so positions shift monotonically). The rest (changed files, the last
 * order-1 entries of every file) are sorted afresh and merged in.
 * TC_OK, TC_ECORRUPT (the old array disagrees with its corpus) or
 * TC_ENOMEM; m->main is left empty unless TC_OK. */
static int main_from_old(tc_model *m, const tc_sa *old, const uint32_t *oT, uint32_t onT,
                         const tc_mfile *omf, uint32_t onmf)
{
    const uint32_t *T = m->T;
    uint32_t *nstart = NULL, *stop = NULL, *blk = NULL, *a = NULL, *b = NULL, *out = NULL;
    uint8_t *clean = NULL;
    size_t n = (size_t)m->nT - m->nmf, na = 0, nb = 0, i, x, y, o;
    size_t nblk = ((size_t)onT >> BLK_SHIFT) + 1;
    int order = m->o.order, rc = TC_ENOMEM;

    nstart = malloc(((size_t)onmf + 1) * sizeof *nstart);
    stop = malloc(((size_t)onmf + 1) * sizeof *stop);
    blk = malloc(nblk * sizeof *blk);
    clean = calloc((size_t)m->nmf + 1, 1);
    a = malloc((n + 1) * sizeof *a);
    b = malloc((n + 1) * sizeof *b);
    out = malloc((n + 1) * sizeof *out);
    if (!nstart || !stop || !blk || !clean || !a || !b || !out) goto out;
    /* per old file: where its kept entries go (UINT32_MAX: changed or gone) */
    for (i = 0; i < onmf; i++) {
        const tc_mfile *f = &omf[i];
        int32_t j = f->fileno < m->nfno ? m->fmain[f->fileno] : -1;
        uint32_t len = f->end - f->start;
        nstart[i] = UINT32_MAX;
        stop[i] = f->start;
        /* same path too: kept files must keep their order (path order) */
        if (j < 0 || m->mf[j].end - m->mf[j].start != len || strcmp(f->path, m->mf[j].path) != 0 ||
            memcmp(oT + f->start, T + m->mf[j].start, len * sizeof *T) != 0)
            continue;
        clean[j] = 1;
        nstart[i] = m->mf[j].start;
        if (len + 1 > (uint32_t)order) stop[i] = f->end - (uint32_t)order + 1;
    }
    /* blk[k]: the first old file ending past position k << BLK_SHIFT */
    for (i = 0, x = 0; x < nblk; x++) {
        while (i < onmf && omf[i].end <= (uint32_t)(x << BLK_SHIFT)) i++;
        blk[x] = (uint32_t)i;
    }
    for (x = 0; x < old->n && na <= n; x++) {
        uint32_t p = old->pos[x];
        if (p >= onT) continue;
        for (i = blk[p >> BLK_SHIFT]; i < onmf && omf[i].end <= p; i++) {}
        if (i < onmf && p >= omf[i].start && p < stop[i] && nstart[i] != UINT32_MAX)
            a[na++] = p - omf[i].start + nstart[i];
    }
    for (i = 0; i < m->nmf; i++) {
        const tc_mfile *f = &m->mf[i];
        uint32_t p = f->start;
        if (clean[i] && f->end - f->start + 1 > (uint32_t)order) p = f->end - (uint32_t)order + 1;
        for (; p + 1 < f->end; p++) b[nb++] = p;
    }
    if (na + nb != n) {
        rc = TC_ECORRUPT;
        goto out;
    }
    key_sort(T, order, b, out, nb);
    /* merge: runs of the kept entries copied whole between the sorted rest */
    x = o = 0;
    for (y = 0; y < nb; y++) {
        size_t up = key_upper(T, order, a, x, na, b[y]);
        memcpy(out + o, a + x, (up - x) * sizeof *a);
        o += up - x;
        x = up;
        out[o++] = b[y];
    }
    memcpy(out + o, a + x, (na - x) * sizeof *a);
    if ((rc = tc_sa_adopt(&m->main, T, m->nT, out, (uint32_t)n, NULL, 0)) == TC_OK) out = NULL;
out:
    free(nstart);
    free(stop);
    free(blk);
    free(clean);
    free(a);
    free(b);
    free(out);
    return rc;
}

int tc_model_rebuild(tc_model *m)
{
    size_t nf = m->src.count(m->src.ud), i, cap = 0, nt = 0, nfiles = 0;
    tc_mfile *mf = NULL;
    uint32_t *T = NULL;
    uint64_t size_limit = UINT64_MAX; /* files with more tokens are dropped */
    int rc = TC_OK;
    /* the current main corpus, kept to derive the new array from */
    tc_sa old = m->main;
    uint32_t *oT = m->T, onT = m->nT, onmf = m->nmf;
    tc_mfile *omf = m->mf;

    memset(&m->main, 0, sizeof m->main);
    m->T = NULL;
    m->mf = NULL;
    m->nmf = 0;
    drop_main(m);
    m->need_rebuild = 0;
    if ((rc = ensure_fno(m, nf)) != TC_OK) goto out;
    mf = calloc(nf ? nf : 1, sizeof *mf);
    if (!mf) {
        rc = TC_ENOMEM;
        goto out;
    }
    for (i = 0; i < nf; i++) {
        const char *p = m->src.path(m->src.ud, i);
        if (!p) continue;
        mf[nfiles].path = strdup(p);
        if (!mf[nfiles].path) {
            rc = TC_ENOMEM;
            goto out;
        }
        mf[nfiles++].fileno = (uint32_t)i;
    }
    qsort(mf, nfiles, sizeof *mf, mfile_cmp);

    /* Lay out the corpus in path order, up to max_tokens. Over the cap, the
     * largest files go first (generated tables, data), so that every folder
     * keeps its ordinary code; without sizes, files past the cap in path
     * order are dropped. */
    if (m->src.ntok) {
        /* size it once: a doubling realloc would peak at twice the corpus */
        uint64_t want = TC_MODEL_MAX_ORDER;
        for (i = 0; i < nfiles; i++) want += m->src.ntok(m->src.ud, mf[i].fileno) + 2;
        if (want - TC_MODEL_MAX_ORDER - nfiles > m->o.max_tokens) {
            uint32_t *sz = malloc((nfiles ? nfiles : 1) * sizeof *sz);
            uint64_t sum = 0;
            if (!sz) {
                rc = TC_ENOMEM;
                goto out;
            }
            for (i = 0; i < nfiles; i++) {
                size_t t = m->src.ntok(m->src.ud, mf[i].fileno);
                sz[i] = t > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)t;
            }
            qsort(sz, nfiles, sizeof *sz, u32_cmp);
            size_limit = 0;
            for (i = 0; i < nfiles; i++) {
                if (sum + sz[i] + 1 > m->o.max_tokens) break;
                sum += sz[i] + 1;
                size_limit = sz[i];
            }
            /* equal sizes on both sides of the cut: the layout's check
             * drops the last of them */
            free(sz);
        }
        if (want > m->o.max_tokens + nfiles + TC_MODEL_MAX_ORDER)
            want = m->o.max_tokens + nfiles + TC_MODEL_MAX_ORDER;
        if (!(T = malloc((size_t)want * sizeof *T))) {
            rc = TC_ENOMEM;
            goto out;
        }
        cap = (size_t)want;
    }
    {
        size_t j, kept = 0;
        for (j = 0; j < nfiles; j++) {
            size_t n = 0, need;
            if (m->src.ntok && m->src.ntok(m->src.ud, mf[j].fileno) > size_limit)
                n = m->src.ntok(m->src.ud, mf[j].fileno); /* too big: not read */
            else if ((rc = read_ids(m, mf[j].fileno, &n)) != TC_OK)
                goto out;
            if ((m->src.ntok && m->src.ntok(m->src.ud, mf[j].fileno) > size_limit) ||
                (uint64_t)nt + n + 1 > m->o.max_tokens) {
                m->tokens_dropped += n + 1;
                m->files_dropped++;
                m->fflags[mf[j].fileno] |= TC_F_DROPPED;
                free(mf[j].path);
                mf[j].path = NULL;
                continue;
            }
            need = nt + n + 2 + TC_MODEL_MAX_ORDER;
            if (need > cap) {
                size_t nc = cap ? cap * 2 : 1 << 16;
                uint32_t *nT;
                while (nc < need) nc *= 2;
                nT = realloc(T, nc * sizeof *T);
                if (!nT) {
                    rc = TC_ENOMEM;
                    goto out;
                }
                T = nT;
                cap = nc;
            }
            if (kept != j) {
                mf[kept] = mf[j];
                mf[j].path = NULL;
            }
            mf[kept].start = (uint32_t)nt;
            T[nt++] = TC_VOCAB_BOS;
            if (n) memcpy(T + nt, m->scratch, n * sizeof *T);
            nt += n;
            T[nt++] = TC_SEP;
            mf[kept].end = (uint32_t)nt;
            m->fmain[mf[kept].fileno] = (int32_t)kept;
            kept++;
        }
        nfiles = kept;
        if (!T) {
            T = malloc(TC_MODEL_MAX_ORDER * sizeof *T);
            if (!T) {
                rc = TC_ENOMEM;
                goto out;
            }
        }
        for (j = 0; j < TC_MODEL_MAX_ORDER; j++) T[nt + j] = TC_SEP;
    }
    if (m->files_dropped)
        tc_warn("model: corpus capped at %llu tokens: %u files (%llu tokens, the largest) not "
                "counted",
                (unsigned long long)m->o.max_tokens, m->files_dropped,
                (unsigned long long)m->tokens_dropped);
    m->T = T;
    m->nT = (uint32_t)nt;
    m->mf = mf;
    m->nmf = (uint32_t)nfiles;
    T = NULL;
    mf = NULL;

    rc = TC_ENOENT;
    if (m->save_path) {
        rc = tc_model_io_load(m->save_path, m->T, m->nT, m->o.order, &m->main);
        m->loaded = rc == TC_OK;
        if (rc == TC_ECORRUPT)
            tc_warn("model: %s is damaged or of another version; rebuilding it", m->save_path);
    }
    if (rc != TC_OK && oT && old.n && getenv("TACIT_MODEL_FULL_REBUILD") == NULL)
        rc = main_from_old(m, &old, oT, onT, omf, onmf);
    if (rc != TC_OK) rc = tc_sa_build(&m->main, m->T, 0, m->nT, m->o.order, 1);
    if (rc != TC_OK) goto out;
    compute_top(m);
    m->memo = malloc(TC_NMEMO_SIZE * sizeof *m->memo);
    if (!m->memo) {
        rc = TC_ENOMEM;
        goto out;
    }
    for (i = 0; i < TC_NMEMO_SIZE; i++) m->memo[i].off = UINT32_MAX;
out:
    if (mf) {
        for (i = 0; i < nfiles; i++) free(mf[i].path);
        free(mf);
    }
    free(T);
    tc_sa_free(&old);
    free(oT);
    for (i = 0; i < onmf; i++) free(omf[i].path);
    free(omf);
    if (rc != TC_OK) drop_main(m);
    return rc;
}

int tc_model_new_files(const tc_model_files *src, const tc_model_opts *opts,
                       const char *save_path, tc_model **out)
{
    tc_model *m = calloc(1, sizeof *m);
    int rc, k;
    *out = NULL;
    if (!m) return TC_ENOMEM;
    if (opts) m->o = *opts;
    if (m->o.order <= 0) m->o.order = 6;
    if (m->o.order > TC_MODEL_MAX_ORDER) m->o.order = TC_MODEL_MAX_ORDER;
    if (!m->o.cache_tokens) m->o.cache_tokens = 5000;
    if (!m->o.max_tokens) m->o.max_tokens = 80000000ull;
    if (m->o.max_tokens > 0xF0000000ull) m->o.max_tokens = 0xF0000000ull;
    m->src = *src;
    for (k = 0; k < TC_LOO_SLOTS; k++) m->loo[k].fileno = -1;
    if (save_path && !(m->save_path = strdup(save_path))) {
        free(m);
        return TC_ENOMEM;
    }
    if ((rc = tc_model_rebuild(m)) != TC_OK) {
        tc_model_free(m);
        return rc;
    }
    *out = m;
    return TC_OK;
}

void tc_model_free(tc_model *m)
{
    if (!m) return;
    tc_model_detach(m);
    drop_main(m);
    free(m->dl);
    free(m->fmain);
    free(m->fflags);
    free(m->fadd);
    free(m->scratch);
    free(m->save_path);
    free(m->pm);
    free(m);
}

static int delta_push(tc_model *m, tc_delta *d)
{
    if (m->ndl == m->capdl) {
        size_t cap = m->capdl ? m->capdl * 2 : 8;
        tc_delta *n = realloc(m->dl, cap * sizeof *n);
        if (!n) return TC_ENOMEM;
        m->dl = n;
        m->capdl = cap;
    }
    m->dl[m->ndl++] = *d;
    m->delta_tokens += d->ntok;
    return TC_OK;
}

static void delta_remove(tc_model *m, size_t k)
{
    tc_delta *d = &m->dl[k];
    m->delta_tokens -= d->ntok;
    if (d->sign > 0) m->fadd[d->fileno] = -1;
    delta_free(d);
    /* Keep the order of the rest (sums are exact integers; order is kept
     * so that a state after add+remove is the same list as before). */
    memmove(&m->dl[k], &m->dl[k + 1], (m->ndl - k - 1) * sizeof *d);
    m->ndl--;
    for (; k < m->ndl; k++)
        if (m->dl[k].sign > 0) m->fadd[m->dl[k].fileno] = (int32_t)k;
}

static int add_dead(tc_model *m, size_t fileno)
{
    const tc_mfile *f = &m->mf[m->fmain[fileno]];
    tc_delta d;
    int rc;
    memset(&d, 0, sizeof d);
    d.fileno = (uint32_t)fileno;
    d.sign = -1;
    d.ntok = f->end - f->start - 1;
    if (!(d.path = strdup(f->path))) return TC_ENOMEM;
    if ((rc = tc_sa_build(&d.sa, m->T, f->start, f->end, m->o.order, 0)) != TC_OK ||
        (rc = delta_push(m, &d)) != TC_OK) {
        delta_free(&d);
        return rc;
    }
    m->fflags[fileno] |= TC_F_DEAD;
    return TC_OK;
}

static int add_added(tc_model *m, size_t fileno, const uint32_t *ids, size_t n)
{
    const char *p = m->src.path(m->src.ud, fileno);
    tc_delta d;
    size_t i;
    int rc = TC_ENOMEM;
    memset(&d, 0, sizeof d);
    d.fileno = (uint32_t)fileno;
    d.sign = 1;
    d.ntok = (uint32_t)n + 1;
    d.path = strdup(p ? p : "");
    d.text = malloc((n + 2 + TC_MODEL_MAX_ORDER) * sizeof *d.text);
    if (!d.path || !d.text) goto fail;
    d.text[0] = TC_VOCAB_BOS;
    if (n) memcpy(d.text + 1, ids, n * sizeof *ids); /* an empty file: ids may be NULL */
    for (i = n + 1; i < n + 2 + TC_MODEL_MAX_ORDER; i++) d.text[i] = TC_SEP;
    if ((rc = tc_sa_build(&d.sa, d.text, 0, n + 2, m->o.order, 0)) != TC_OK) goto fail;
    if ((rc = delta_push(m, &d)) != TC_OK) goto fail;
    m->fadd[fileno] = (int32_t)(m->ndl - 1);
    return TC_OK;
fail:
    delta_free(&d);
    return rc;
}

int tc_model_file_changed(tc_model *m, size_t fileno, const uint32_t *ids, size_t n,
                          int present)
{
    int32_t mi;
    size_t k;
    int rc;
    if (fileno > 0x7FFFFFFF) return TC_EINVAL;
    if ((rc = ensure_fno(m, fileno + 1)) != TC_OK) return rc;
    /* a pending rebuild recounts everything from the file source */
    if (m->need_rebuild || (m->fflags[fileno] & TC_F_DROPPED)) return TC_OK;
    if (m->fadd[fileno] >= 0) delta_remove(m, (size_t)m->fadd[fileno]);
    tc_model_loo_drop(m, (long)fileno);
    mi = m->fmain[fileno];
    if (present && mi >= 0) {
        const tc_mfile *f = &m->mf[mi];
        if (f->end - f->start - 2 == n && !memcmp(m->T + f->start + 1, ids, n * sizeof *ids)) {
            /* Back to the main copy: revive it. */
            if (m->fflags[fileno] & TC_F_DEAD) {
                for (k = 0; k < m->ndl; k++)
                    if (m->dl[k].sign < 0 && m->dl[k].fileno == fileno) break;
                if (k < m->ndl) delta_remove(m, k);
                m->fflags[fileno] &= (uint8_t)~TC_F_DEAD;
            }
            return TC_OK;
        }
    }
    if (mi >= 0 && !(m->fflags[fileno] & TC_F_DEAD))
        if ((rc = add_dead(m, fileno)) != TC_OK) return rc;
    if (present && (rc = add_added(m, fileno, ids, n)) != TC_OK) return rc;
    if (m->ndl > MAX_DELTAS || m->delta_tokens > (uint64_t)m->nT / 10 + 65536)
        m->need_rebuild = 1;
    return TC_OK;
}

int tc_model_sync(tc_model *m)
{
    return m->need_rebuild ? tc_model_rebuild(m) : TC_OK;
}

/* Corpora up to this many tokens get the inverse (128 MB at most): the
 * Linux tree's 80M would take 320 MB more, past its 2 GiB budget. */
#define INV_MAX_TOKENS (32u << 20)

int tc_model_prepare_files(tc_model *m)
{
    if (m->inv || !m->main.pos || m->nT > INV_MAX_TOKENS) return TC_OK;
    return tc_sa_inverse(&m->main, m->nT, &m->inv);
}

int64_t tc_model_count(tc_model *m, const uint32_t *g, size_t n)
{
    int64_t total = 0;
    size_t s, j;
    if (n > (size_t)m->o.order || tc_model_sync(m) != TC_OK) return -1;
    for (s = 0; s <= m->ndl; s++) {
        const tc_sa *sa = s == 0 ? &m->main : &m->dl[s - 1].sa;
        int sign = s == 0 ? 1 : m->dl[s - 1].sign;
        tc_rng r = tc_sa_all(sa);
        for (j = 0; j < n && r.lo < r.hi; j++) r = tc_sa_narrow(sa, r, (int)j, g[j]);
        total += sign * (int64_t)(r.hi - r.lo);
    }
    return total;
}

void tc_model_stats_get(const tc_model *m, tc_model_stats *st)
{
    size_t i;
    memset(st, 0, sizeof *st);
    st->tokens = m->nT - m->nmf; /* BOS + tokens per file, SEPs not counted */
    for (i = 0; i < m->ndl; i++)
        st->tokens += (uint64_t)((int64_t)m->dl[i].sign * m->dl[i].ntok);
    st->tokens_dropped = m->tokens_dropped;
    st->files_dropped = m->files_dropped;
    st->bytes = ((uint64_t)m->nT + TC_MODEL_MAX_ORDER) * 4 + (uint64_t)m->main.n * 4 +
                ((uint64_t)m->main.nbucket + 1) * 4 + (uint64_t)m->nmf * sizeof(tc_mfile) +
                (m->memo ? TC_NMEMO_SIZE * sizeof *m->memo : 0);
    for (i = 0; i < m->ndl; i++)
        st->bytes += (uint64_t)m->dl[i].sa.n * 4 + (m->dl[i].text ? m->dl[i].ntok * 4 : 0);
}

int tc_model_loaded(const tc_model *m) { return m && m->loaded; }

int tc_model_save(tc_model *m)
{
    int rc;
    if (!m->save_path) return TC_OK;
    if (m->ndl && (rc = tc_model_rebuild(m)) != TC_OK) return rc;
    return tc_model_io_save(m, m->save_path);
}
