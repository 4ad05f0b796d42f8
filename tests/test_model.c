/* test_model.c - the embedded n-gram model: counts against brute force,
 * normalisation, add/remove, leave-one-out, nested levels, persistence,
 * and golden predictions on a small repository indexed for real. */
#include "test.h"

#include "model/model.h"
#include "model/model_int.h"
#include "util/log.h"
#include "util/status.h"
#include "workspace/index.h"
#include "workspace/tokens.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a file source over plain arrays ---- */

#define MAXF 16
typedef struct fake {
    const char *path[MAXF];
    uint32_t ids[MAXF][400];
    size_t n[MAXF];
    int present[MAXF];
    size_t nf;
    uint32_t V;
} fake;

static size_t fk_count(void *ud) { return ((fake *)ud)->nf; }
static const char *fk_path(void *ud, size_t i)
{
    fake *f = ud;
    return f->present[i] ? f->path[i] : NULL;
}
static int fk_ids(void *ud, size_t i, uint32_t **ids, size_t *n, size_t *cap)
{
    fake *f = ud;
    if (*cap < f->n[i] + 1) {
        uint32_t *p = realloc(*ids, (f->n[i] + 1) * sizeof *p);
        if (!p) return TC_ENOMEM;
        *ids = p;
        *cap = f->n[i] + 1;
    }
    memcpy(*ids, f->ids[i], f->n[i] * sizeof **ids);
    *n = f->n[i];
    return TC_OK;
}
static uint32_t fk_vocab(void *ud) { return ((fake *)ud)->V; }

static uint64_t rng_state = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

/* Small alphabet (ids 2..12, 2 = EOL) with a repeated idiom so that long
 * n-grams recur. */
static void fake_fill(fake *f, size_t i, const char *path, size_t n)
{
    size_t k = 0;
    f->path[i] = path;
    f->present[i] = 1;
    while (k < n) {
        if (rnd(4) == 0 && k + 5 <= n) {
            static const uint32_t idiom[5] = {7, 8, 9, 10, 2};
            memcpy(&f->ids[i][k], idiom, sizeof idiom);
            k += 5;
        } else {
            f->ids[i][k++] = 2 + rnd(11);
        }
    }
    f->n[i] = n;
    if (i >= f->nf) f->nf = i + 1;
}

static void fake_make(fake *f)
{
    memset(f, 0, sizeof *f);
    rng_state = 88172645463325252ull;
    f->V = 16;
    fake_fill(f, 0, "a/b/x2.py", 300);
    fake_fill(f, 1, "a/x1.py", 250);
    fake_fill(f, 2, "c/x4.py", 200);
    fake_fill(f, 3, "a/b/x3.py", 350);
    fake_fill(f, 4, "top.py", 120);
    fake_fill(f, 5, "a/bz.py", 90); /* "a/b" is a prefix of "a/bz" but not its folder */
}

static tc_model *fake_model(fake *f, const tc_model_opts *o, const char *save)
{
    tc_model_files src = {f, fk_count, fk_path, fk_ids, fk_vocab, NULL};
    tc_model *m = NULL;
    TC_CHECK_EQ_INT(tc_model_new_files(&src, o, save, &m), TC_OK);
    return m;
}

/* Occurrences of g in file i's "BOS ids" sequence. */
static int64_t brute_file(const fake *f, size_t i, const uint32_t *g, size_t n)
{
    uint32_t seq[402];
    size_t L = f->n[i] + 1, p, k;
    int64_t c = 0;
    seq[0] = TC_VOCAB_BOS;
    memcpy(seq + 1, f->ids[i], f->n[i] * sizeof seq[0]);
    if (n > L) return 0;
    for (p = 0; p + n <= L; p++) {
        for (k = 0; k < n && seq[p + k] == g[k]; k++) {}
        c += k == n;
    }
    return c;
}

/* Brute count over present files under dir (NULL: all) except skip. */
static int64_t brute(const fake *f, const char *dir, const char *skip, const uint32_t *g,
                     size_t n)
{
    int64_t c = 0;
    size_t i;
    for (i = 0; i < f->nf; i++) {
        if (!f->present[i]) continue;
        if (dir && strncmp(f->path[i], dir, strlen(dir)) != 0) continue;
        if (skip && !strcmp(f->path[i], skip)) continue;
        c += brute_file(f, i, g, n);
    }
    return c;
}

/* A random n-gram: mostly a piece of some file, sometimes noise. */
static size_t rand_gram(const fake *f, uint32_t *g)
{
    size_t n = 1 + rnd(6), i = rnd((uint32_t)f->nf), k;
    if (rnd(5) == 0 || f->n[i] < n + 1) {
        for (k = 0; k < n; k++) g[k] = rnd(14);
        return n;
    }
    {
        size_t p = rnd((uint32_t)(f->n[i] - n + 1));
        if (p == 0 && rnd(2)) {
            g[0] = TC_VOCAB_BOS;
            memcpy(g + 1, f->ids[i], (n - 1) * sizeof *g);
        } else {
            memcpy(g, f->ids[i] + p, n * sizeof *g);
        }
    }
    return n;
}

static int apply(tc_model *m, fake *f, size_t i)
{
    return tc_model_file_changed(m, i, f->ids[i], f->n[i], f->present[i]);
}

static void check_counts(tc_model *m, const fake *f, int rounds)
{
    uint32_t g[8];
    int r, bad = 0;
    for (r = 0; r < rounds; r++) {
        size_t n = rand_gram(f, g);
        int64_t a = tc_model_count(m, g, n), b = brute(f, NULL, NULL, g, n);
        if (a != b && bad++ < 3) TC_CHECK_EQ_INT(a, b);
    }
    TC_CHECK_EQ_INT(bad, 0);
}

TC_TEST(model_counts_match_brute_force)
{
    fake f;
    tc_model *m;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    check_counts(m, &f, 2000);
    /* edits: change a file, add one, remove one */
    fake_fill(&f, 3, "a/b/x3.py", 200);
    TC_CHECK_EQ_INT(apply(m, &f, 3), TC_OK);
    fake_fill(&f, 6, "a/b/new.py", 150);
    TC_CHECK_EQ_INT(apply(m, &f, 6), TC_OK);
    f.present[1] = 0;
    TC_CHECK_EQ_INT(apply(m, &f, 1), TC_OK);
    check_counts(m, &f, 2000);
    /* after a rebuild the same */
    TC_CHECK_EQ_INT(tc_model_rebuild(m), TC_OK);
    check_counts(m, &f, 1000);
    tc_model_free(m);
}

/* The main array a rebuild derives from the previous one is the one a
 * full build gives (same positions, same order), over rounds of edits:
 * changed, added (between existing paths) and removed files, and
 * unchanged files whose neighbours changed (keys that cross a file end). */
TC_TEST(model_rebuild_from_old_equals_full_build)
{
    static const int orders[] = {1, 3, 6};
    size_t oi;
    for (oi = 0; oi < sizeof orders / sizeof *orders; oi++) {
        tc_model_opts o;
        fake f;
        tc_model *m;
        int round;
        memset(&o, 0, sizeof o);
        o.order = orders[oi];
        fake_make(&f);
        m = fake_model(&f, &o, NULL);
        if (!m) return;
        for (round = 0; round < 6; round++) {
            tc_sa full;
            size_t i = rnd(6);
            if (round == 5 && i == 0) i = 1; /* file 0 moves unchanged below */
            fake_fill(&f, i, f.path[i], 1 + rnd(300));
            TC_CHECK_EQ_INT(apply(m, &f, i), TC_OK);
            if (round == 1) {
                fake_fill(&f, 6, "a/b/x25.py", 40);
                TC_CHECK_EQ_INT(apply(m, &f, 6), TC_OK);
            }
            if (round == 3) {
                f.present[2] = 0;
                TC_CHECK_EQ_INT(apply(m, &f, 2), TC_OK);
            }
            if (round == 4) {
                fake_fill(&f, 4, "top.py", 2); /* shorter than the order */
                TC_CHECK_EQ_INT(apply(m, &f, 4), TC_OK);
            }
            if (round == 5) {
                f.path[0] = "zz/x2.py"; /* same number, same content, new place */
                TC_CHECK_EQ_INT(apply(m, &f, 0), TC_OK);
            }
            TC_CHECK_EQ_INT(tc_model_rebuild(m), TC_OK);
            TC_CHECK_EQ_INT(tc_sa_build(&full, m->T, 0, m->nT, m->o.order, 1), TC_OK);
            TC_CHECK_EQ_INT(m->main.n, full.n);
            TC_CHECK_EQ_INT(m->main.nbucket, full.nbucket);
            if (m->main.n == full.n)
                TC_CHECK(!memcmp(m->main.pos, full.pos, full.n * sizeof *full.pos));
            if (m->main.nbucket == full.nbucket)
                TC_CHECK(!memcmp(m->main.bucket, full.bucket,
                                 (full.nbucket + 1) * sizeof *full.bucket));
            tc_sa_free(&full);
            if (o.order == 6) check_counts(m, &f, 300); /* grams up to 6 tokens */
        }
        tc_model_free(m);
    }
}

/* Sum of P(w | ctx) over the whole vocabulary. */
static double prob_sum(tc_query *q, const uint32_t *ctx, size_t n, uint32_t V)
{
    double s = 0;
    uint32_t w;
    for (w = 0; w < V; w++) s += tc_query_prob(q, ctx, n, w);
    return s;
}

static void sums_to_one(tc_smoothing sm, int nested, int cache)
{
    fake f;
    tc_model_opts o;
    tc_model *m;
    tc_query *q = NULL;
    uint32_t ctx[8], buf[60];
    int r;
    memset(&o, 0, sizeof o);
    o.smoothing = sm;
    o.no_nested = !nested;
    o.no_cache = !cache;
    fake_make(&f);
    m = fake_model(&f, &o, NULL);
    if (!m) return;
    /* a delta too: the edited file's new content and another file's */
    fake_fill(&f, 2, "c/x4.py", 180);
    apply(m, &f, 2);
    fake_fill(&f, 0, "a/b/x2.py", 100);
    apply(m, &f, 0);
    for (r = 0; r < 60; r++) buf[r] = f.ids[0][r];
    TC_CHECK_EQ_INT(tc_query_begin(m, "a/b/x2.py", buf, 60, &q), TC_OK);
    for (r = 0; r < 40 && q; r++) {
        size_t n = rand_gram(&f, ctx);
        double s = prob_sum(q, ctx, n, f.V);
        if (fabs(s - 1) > 1e-9) {
            char msg[128];
            snprintf(msg, sizeof msg, "smoothing %d: sum %.12f", (int)sm, s);
            tc_test_fail(__FILE__, __LINE__, msg);
            break;
        }
    }
    tc_query_end(q);
    tc_model_free(m);
}

TC_TEST(model_smoothing_sums_to_one)
{
    sums_to_one(TC_SMOOTH_JM, 0, 0);
    sums_to_one(TC_SMOOTH_WB, 0, 0);
    sums_to_one(TC_SMOOTH_AD, 0, 0);
}

TC_TEST(model_mixture_sums_to_one)
{
    sums_to_one(TC_SMOOTH_JM, 1, 1);
    sums_to_one(TC_SMOOTH_WB, 1, 1);
    sums_to_one(TC_SMOOTH_AD, 1, 1);
    sums_to_one(TC_SMOOTH_JM, 1, 0);
}

/* Every P(w | ctx) for a fixed set of contexts, for bit-exact comparison. */
static void snapshot(tc_model *m, const fake *f, double *out, size_t nctx)
{
    tc_query *q = NULL;
    size_t r, w;
    uint64_t saved = rng_state;
    uint32_t buf[40];
    fake base = *f;
    base.nf = 6; /* the same contexts whatever files were added */
    f = &base;
    rng_state = 12345;
    for (r = 0; r < 40; r++) buf[r] = f->ids[3][r];
    if (tc_query_begin(m, "a/b/x3.py", buf, 40, &q) != TC_OK) return;
    for (r = 0; r < nctx; r++) {
        uint32_t ctx[8];
        size_t n = rand_gram(f, ctx);
        for (w = 0; w < f->V; w++) out[r * f->V + w] = tc_query_prob(q, ctx, n, w);
    }
    tc_query_end(q);
    rng_state = saved;
}

TC_TEST(model_add_remove_restores)
{
    fake f;
    tc_model *m;
    double a[30 * 16], b[30 * 16];
    uint32_t keep[400];
    size_t keep_n;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    snapshot(m, &f, a, 30);
    /* add a file, remove it */
    fake_fill(&f, 6, "a/b/new.py", 150);
    TC_CHECK_EQ_INT(apply(m, &f, 6), TC_OK);
    snapshot(m, &f, b, 30);
    TC_CHECK(memcmp(a, b, sizeof a) != 0);
    f.present[6] = 0;
    TC_CHECK_EQ_INT(apply(m, &f, 6), TC_OK);
    snapshot(m, &f, b, 30);
    TC_CHECK(memcmp(a, b, sizeof a) == 0);
    /* edit a main file, then undo the edit */
    keep_n = f.n[1];
    memcpy(keep, f.ids[1], sizeof keep);
    fake_fill(&f, 1, "a/x1.py", 100);
    TC_CHECK_EQ_INT(apply(m, &f, 1), TC_OK);
    snapshot(m, &f, b, 30);
    TC_CHECK(memcmp(a, b, sizeof a) != 0);
    f.n[1] = keep_n;
    memcpy(f.ids[1], keep, sizeof keep);
    TC_CHECK_EQ_INT(apply(m, &f, 1), TC_OK);
    TC_CHECK_EQ_INT(m->ndl, 0);
    snapshot(m, &f, b, 30);
    TC_CHECK(memcmp(a, b, sizeof a) == 0);
    tc_model_free(m);
}

TC_TEST(model_leave_one_out_and_levels)
{
    fake f;
    tc_model *m;
    tc_query *q = NULL;
    uint32_t g[8];
    int r, pass;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    for (pass = 0; pass < 2; pass++) {
        if (pass == 1) { /* with deltas inside and outside the levels */
            fake_fill(&f, 3, "a/b/x3.py", 220);
            apply(m, &f, 3);
            fake_fill(&f, 7, "a/b/c/deep.py", 130);
            apply(m, &f, 7);
            f.present[2] = 0;
            apply(m, &f, 2);
            fake_fill(&f, 0, "a/b/x2.py", 260); /* the edited file itself */
            apply(m, &f, 0);
        }
        TC_CHECK_EQ_INT(tc_query_begin(m, "a/b/x2.py", NULL, 0, &q), TC_OK);
        if (!q) break;
        TC_CHECK_EQ_INT(tc_query_nlevels(q), 2);
        for (r = 0; r < 1500; r++) {
            size_t n = rand_gram(&f, g);
            int64_t all = brute(&f, NULL, "a/b/x2.py", g, n);
            int64_t la = brute(&f, "a/", "a/b/x2.py", g, n);
            int64_t lb = brute(&f, "a/b/", "a/b/x2.py", g, n);
            if (tc_query_count(q, 0, g, n) != all || tc_query_count(q, 1, g, n) != la ||
                tc_query_count(q, 2, g, n) != lb) {
                TC_CHECK_EQ_INT(tc_query_count(q, 0, g, n), all);
                TC_CHECK_EQ_INT(tc_query_count(q, 1, g, n), la);
                TC_CHECK_EQ_INT(tc_query_count(q, 2, g, n), lb);
                break;
            }
        }
        tc_query_end(q);
        q = NULL;
    }
    tc_model_free(m);
}

/* A folder holding nothing but one folder (d/ of d/e/) has the same
 * interval as it: its level counts are that level's (counted once), and
 * the level inside it (d/e/g/) is counted on its own. */
TC_TEST(model_levels_of_a_folder_with_one_folder)
{
    fake f;
    tc_model *m;
    tc_query *q = NULL;
    uint32_t g[8];
    int r, bad = 0;
    memset(&f, 0, sizeof f);
    rng_state = 88172645463325252ull;
    f.V = 16;
    fake_fill(&f, 0, "a/x1.py", 250);
    fake_fill(&f, 1, "d/e/g/f1.py", 300);
    fake_fill(&f, 2, "d/e/g/f2.py", 200);
    fake_fill(&f, 3, "d/e/h.py", 260);
    fake_fill(&f, 4, "top.py", 120);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    TC_CHECK_EQ_INT(tc_query_begin(m, "d/e/g/f1.py", NULL, 0, &q), TC_OK);
    if (q) {
        TC_CHECK_EQ_INT(tc_query_nlevels(q), 3);
        for (r = 0; r < 1500 && !bad; r++) {
            size_t n = rand_gram(&f, g);
            int64_t want[4] = {brute(&f, NULL, "d/e/g/f1.py", g, n), brute(&f, "d/", "d/e/g/f1.py", g, n),
                               brute(&f, "d/e/", "d/e/g/f1.py", g, n), brute(&f, "d/e/g/", "d/e/g/f1.py", g, n)};
            int c;
            for (c = 0; c < 4; c++)
                if (tc_query_count(q, c, g, n) != want[c]) {
                    TC_CHECK_EQ_INT(tc_query_count(q, c, g, n), want[c]);
                    bad = 1;
                }
        }
        tc_query_end(q);
    }
    tc_model_free(m);
}

TC_TEST(model_leave_one_out_equals_model_without_file)
{
    fake f, g;
    tc_model_opts o;
    tc_model *ma, *mb;
    tc_query *qa = NULL, *qb = NULL;
    int r;
    memset(&o, 0, sizeof o);
    o.no_nested = 1;
    o.no_cache = 1;
    fake_make(&f);
    g = f;
    g.present[3] = 0;
    ma = fake_model(&f, &o, NULL);
    mb = fake_model(&g, &o, NULL);
    if (!ma || !mb) goto out;
    TC_CHECK_EQ_INT(tc_query_begin(ma, "a/b/x3.py", NULL, 0, &qa), TC_OK);
    TC_CHECK_EQ_INT(tc_query_begin(mb, NULL, NULL, 0, &qb), TC_OK);
    for (r = 0; r < 50 && qa && qb; r++) {
        uint32_t ctx[8], w;
        size_t n = rand_gram(&f, ctx);
        for (w = 0; w < f.V; w++)
            if (tc_query_prob(qa, ctx, n, w) != tc_query_prob(qb, ctx, n, w)) {
                TC_CHECK(!"leave-one-out differs from the model without the file");
                r = 50;
                break;
            }
    }
out:
    tc_query_end(qa);
    tc_query_end(qb);
    tc_model_free(ma);
    tc_model_free(mb);
}

static char g_warn[1024];
static int g_nwarn;
static void warn_sink(int level, const char *msg, void *ud)
{
    (void)ud;
    if (level != TC_LOG_WARN) return;
    g_nwarn++;
    snprintf(g_warn, sizeof g_warn, "%s", msg);
}

TC_TEST(model_persistence_round_trip_and_corruption)
{
    fake f;
    tc_model *m1, *m2;
    char path[512];
    double a[20 * 16], b[20 * 16];
    FILE *fp;
    struct stat sb;
    fake_make(&f);
    snprintf(path, sizeof path, "%s/cache/model.bin", tc_test_tmpdir());
    m1 = fake_model(&f, NULL, path);
    if (!m1) return;
    TC_CHECK_EQ_INT(tc_model_save(m1), TC_OK);
    TC_CHECK(stat(path, &sb) == 0);
    snapshot(m1, &f, a, 20);
    m2 = fake_model(&f, NULL, path);
    if (!m2) goto out1;
    TC_CHECK(m2->loaded);
    snapshot(m2, &f, b, 20);
    TC_CHECK(memcmp(a, b, sizeof a) == 0);
    tc_model_free(m2);
    /* other content: stale, rebuilt silently */
    fake_fill(&f, 4, "top.py", 100);
    g_nwarn = 0;
    tc_log_set_sink(warn_sink, NULL);
    m2 = fake_model(&f, NULL, path);
    TC_CHECK(m2 && !m2->loaded);
    TC_CHECK_EQ_INT(g_nwarn, 0);
    tc_model_free(m2);
    fake_make(&f);
    /* damaged: flip a byte in the array */
    fp = fopen(path, "r+b");
    TC_CHECK(fp != NULL);
    if (fp) {
        fseek(fp, 60, SEEK_SET);
        fputc(0x5a, fp);
        fclose(fp);
    }
    m2 = fake_model(&f, NULL, path);
    TC_CHECK(m2 && !m2->loaded);
    TC_CHECK_EQ_INT(g_nwarn, 1);
    TC_CHECK(strstr(g_warn, "model.bin") != NULL);
    if (m2) {
        snapshot(m2, &f, b, 20);
        TC_CHECK(memcmp(a, b, sizeof a) == 0);
    }
    tc_model_free(m2);
    /* garbage */
    fp = fopen(path, "wb");
    if (fp) {
        fputs("not a model", fp);
        fclose(fp);
    }
    g_nwarn = 0;
    m2 = fake_model(&f, NULL, path);
    TC_CHECK(m2 && !m2->loaded);
    TC_CHECK_EQ_INT(g_nwarn, 1);
    tc_model_free(m2);
    tc_log_set_sink(NULL, NULL);
out1:
    tc_model_free(m1);
}

TC_TEST(model_parse_rejects_short_and_bad_input)
{
    uint32_t T[6] = {TC_VOCAB_BOS, 5, 6, TC_SEP, TC_SEP, TC_SEP}, *pos = NULL, npos = 0;
    uint8_t junk[64];
    memset(junk, 0xff, sizeof junk);
    TC_CHECK_EQ_INT(tc_model_io_parse(junk, 0, T, 4, 6, &pos, &npos), TC_ECORRUPT);
    TC_CHECK_EQ_INT(tc_model_io_parse(junk, sizeof junk, T, 4, 6, &pos, &npos), TC_ECORRUPT);
    TC_CHECK(pos == NULL);
}

TC_TEST(model_beam_completes_idiom)
{
    fake f;
    tc_model *m;
    tc_query *q = NULL;
    tc_completion c[4];
    tc_pred p[4];
    uint32_t ctx[2] = {2, 7};
    size_t n;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    TC_CHECK_EQ_INT(tc_query_begin(m, "a/b/x2.py", NULL, 0, &q), TC_OK);
    if (!q) goto out;
    n = tc_query_predict(q, ctx, 2, p, 4);
    TC_CHECK(n >= 1);
    TC_CHECK_EQ_INT(p[0].id, 8);
    n = tc_query_complete_line(q, ctx, 2, 4, 20, c, 4);
    TC_CHECK(n >= 1);
    if (n >= 1) {
        TC_CHECK_EQ_INT(c[0].ended, 1);
        TC_CHECK_EQ_INT(c[0].n, 3);
        TC_CHECK_EQ_INT(c[0].ids[0], 8);
        TC_CHECK_EQ_INT(c[0].ids[2], 10);
        TC_CHECK(c[0].logp < 0 && c[0].logp > -3);
    }
    if (n >= 2) TC_CHECK(c[1].logp <= c[0].logp);
    tc_query_end(q);
out:
    tc_model_free(m);
}

/* The narrowings the beam keeps per query (query.c's sn table) never reach
 * another query: a model that answered queries on other files and buffers
 * completes lines as one built afresh (and without the table) does. */
TC_TEST(model_beam_same_after_other_queries)
{
    static const char *const paths[4] = {"a/b/x2.py", "a/x1.py", "a/b/x2.py", "c/x4.py"};
    fake f;
    tc_model *m, *ref;
    int k, r;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    for (k = 0; k < 4; k++) {
        /* the buffer (the cache source): the same length each time, its
         * words renamed (the same ranges, other tokens in them) */
        uint32_t buf[300];
        size_t nbuf = 300, i;
        tc_query *qa = NULL, *qb = NULL;
        for (i = 0; i < nbuf; i++) buf[i] = f.ids[0][i] < 14 ? (f.ids[0][i] + (uint32_t)k) % 14 : f.ids[0][i];
        ref = fake_model(&f, NULL, NULL);
        if (!ref || tc_query_begin(m, paths[k], buf, nbuf, &qa) != TC_OK ||
            tc_query_begin(ref, paths[k], buf, nbuf, &qb) != TC_OK) {
            TC_CHECK(0);
        } else {
            uint32_t c0 = 3;
            tc_query_prob(qa, &c0, 1, 5); /* m's memo tables exist from here on */
            for (r = 0; r < 60; r++) {
                uint32_t ctx[8];
                tc_completion ca[4], cb[4];
                size_t n = rand_gram(&f, ctx);
                size_t na = tc_query_complete_line(qa, ctx, n, 4, 12, ca, 4);
                size_t nb = tc_query_complete_line(qb, ctx, n, 4, 12, cb, 4);
                TC_CHECK_EQ_INT(na, nb);
                for (i = 0; i < na && i < nb; i++)
                    TC_CHECK(ca[i].n == cb[i].n && !memcmp(ca[i].ids, cb[i].ids, ca[i].n * sizeof ca[i].ids[0]) &&
                             ca[i].logp == cb[i].logp && ca[i].ended == cb[i].ended);
            }
        }
        tc_query_end(qa);
        tc_query_end(qb);
        tc_model_free(ref);
    }
    tc_model_free(m);
}

/* tc_query_prob feeds a context's state from its parent's last eval (the
 * narrowings by the token that extends it): scoring lines token by token,
 * two lines in turn and each context asked for a second token too (the
 * last eval then has the right context but another token), in queries of
 * one model on other files and buffers one after another, gives every
 * probability of a look-up made alone (a fresh query of a fresh model). */
TC_TEST(model_prob_token_by_token_equals_alone)
{
    static const char *const paths[3] = {"a/b/x3.py", "c/x4.py", "a/b/x3.py"};
    fake f;
    tc_model *m;
    int k, r, bad = 0, t;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    for (k = 0; k < 3; k++) {
        uint32_t buf[300];
        size_t nbuf = 300, i;
        tc_query *q = NULL;
        tc_model *ref = fake_model(&f, NULL, NULL);
        for (i = 0; i < nbuf; i++) buf[i] = f.ids[k][i] < 14 ? (f.ids[k][i] + (uint32_t)k) % 14 : f.ids[k][i];
        if (!ref || tc_query_begin(m, paths[k], buf, nbuf, &q) != TC_OK) {
            TC_CHECK(0);
            tc_model_free(ref);
            break;
        }
        for (r = 0; r < 6; r++) {
            const uint32_t *line[2];
            line[0] = &f.ids[(size_t)(k + r) % 5][rnd(60)];
            line[1] = &f.ids[3][rnd(60)];
            for (t = 0; t < 14; t++) {
                int l, alt;
                for (l = 0; l < 2; l++)
                    for (alt = 0; alt < 2; alt++) {
                        uint32_t w = alt ? (line[l][t] + 1 + (uint32_t)r) % f.V : line[l][t];
                        double a = tc_query_prob(q, line[l], (size_t)t, w), b = -1;
                        tc_query *qf = NULL;
                        if (tc_query_begin(ref, paths[k], buf, nbuf, &qf) == TC_OK)
                            b = tc_query_prob(qf, line[l], (size_t)t, w);
                        tc_query_end(qf);
                        if (a != b && bad++ < 3) TC_CHECK(!"a look-up after others differs from it alone");
                    }
            }
        }
        tc_query_end(q);
        tc_model_free(ref);
    }
    TC_CHECK_EQ_INT(bad, 0);
    tc_model_free(m);
}

/* ---- on a real index ---- */

static const char *TEST_PY =
    "import unittest\n"
    "\n"
    "class T%d(unittest.TestCase):\n"
    "    def test_one(self):\n"
    "        result = compute(1)\n"
    "        self.assertEqual(result, expected)\n"
    "\n"
    "    def test_two(self):\n"
    "        result = compute(2)\n"
    "        self.assertEqual(result, expected)\n";

/* Lex text (Python) into ids. */
static size_t lex_ids(tc_index *ix, const char *text, uint32_t *ids, size_t cap)
{
    tc_items it = {0};
    size_t i, n;
    TC_CHECK_EQ_INT(tc_tokens_from_source(tc_index_vocab(ix), TC_LANG_PYTHON, text, strlen(text),
                                          &it, NULL, NULL),
                    TC_OK);
    n = it.n < cap ? it.n : cap;
    /* the lexer closes open blocks at the end of input: not part of the prefix */
    while (n > 0 && tc_vocab_kind(tc_index_vocab(ix), TC_ITEM_ID(it.v[n - 1])) == TC_TOK_DEDENT) n--;
    for (i = 0; i < n; i++) ids[i] = TC_ITEM_ID(it.v[i]);
    tc_items_free(&it);
    return n;
}

static void render_ids(tc_index *ix, const uint32_t *ids, size_t n, char *out, size_t cap)
{
    size_t i, len = 0;
    out[0] = 0;
    for (i = 0; i < n; i++) {
        size_t tl;
        const char *t = tc_vocab_text(tc_index_vocab(ix), ids[i], &tl);
        if (len + tl + 1 >= cap) break;
        memcpy(out + len, t, tl);
        len += tl;
        out[len] = 0;
    }
}

TC_TEST(model_golden_on_index)
{
    char root[512], cache[512], path[600], text[2048], got[256];
    tc_index_opts io;
    tc_index *ix = NULL;
    tc_model *m = NULL;
    tc_query *q = NULL;
    tc_completion c[4];
    uint32_t buf[256];
    size_t n, nc;
    int i;
    long fno = -1;
    int64_t before;
    uint32_t g[3];

    snprintf(root, sizeof root, "%s/ws", tc_test_tmpdir());
    snprintf(cache, sizeof cache, "%s/cache", tc_test_tmpdir());
    for (i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "tests/test_%d.py", i);
        snprintf(text, sizeof text, TEST_PY, i);
        tc_test_put(root, path, text);
    }
    tc_test_put(root, "lib/other.py", "def compute(x):\n    return x * 2\n");
    memset(&io, 0, sizeof io);
    io.root = root;
    io.cache_dir = cache;
    tc_log_set_quiet(1);
    TC_CHECK_EQ_INT(tc_index_open(&io, &ix), TC_OK);
    if (!ix) return;
    TC_CHECK_EQ_INT(tc_index_update(ix, NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_model_open(ix, NULL, &m), TC_OK);
    if (!m) goto out;

    n = lex_ids(ix,
                "import unittest\n\nclass U(unittest.TestCase):\n    def test_x(self):\n"
                "        result = compute(3)\n        self.assertEqual(",
                buf, 256);
    TC_CHECK_EQ_INT(tc_query_begin(m, "tests/test_new.py", buf, n, &q), TC_OK);
    if (!q) goto out;
    {
        uint32_t ctx[257];
        ctx[0] = TC_VOCAB_BOS;
        memcpy(ctx + 1, buf, n * sizeof *buf);
        nc = tc_query_complete_line(q, ctx, n + 1, 6, 20, c, 4);
    }
    TC_CHECK(nc >= 1);
    for (i = 0; getenv("TC_MODEL_DEBUG") && i < (int)nc; i++) {
        render_ids(ix, c[i].ids, c[i].n, got, sizeof got);
        fprintf(stderr, "  %d: [%s] %.3f ended=%d\n", i, got, c[i].logp, c[i].ended);
    }
    if (nc >= 1) {
        render_ids(ix, c[0].ids, c[0].n, got, sizeof got);
        TC_CHECK_STR(got, "result,expected)");
        TC_CHECK_EQ_INT(c[0].ended, 1);
    }
    tc_query_end(q);
    q = NULL;

    /* the model follows the index: an editor buffer adds its counts */
    g[0] = (uint32_t)tc_vocab_lookup(tc_index_vocab(ix), TC_TOK_IDENT, "compute", 7);
    before = tc_model_count(m, g, 1);
    TC_CHECK(before > 0);
    TC_CHECK_EQ_INT(tc_index_set_buffer(ix, "lib/new.py", "compute(compute)\n", 17, &fno), TC_OK);
    TC_CHECK_EQ_INT(tc_model_count(m, g, 1), before + 2);
    TC_CHECK_EQ_INT(tc_index_clear_buffer(ix, "lib/new.py"), TC_OK);
    TC_CHECK_EQ_INT(tc_model_count(m, g, 1), before);

    /* persisted next to the index and loaded again */
    TC_CHECK_EQ_INT(tc_model_save(m), TC_OK);
    if (getenv("TC_MODEL_DEBUG")) fprintf(stderr, "ndl %zu nmf %u nT %u\n", m->ndl, m->nmf, m->nT);
    tc_model_free(m);
    m = NULL;
    TC_CHECK_EQ_INT(tc_model_open(ix, NULL, &m), TC_OK);
    TC_CHECK(m && m->loaded);
out:
    tc_model_free(m);
    tc_index_free(ix);
    tc_log_set_quiet(0);
}

/* ---- a reference mixture from brute-force counts (JM) ---- */

/* Occurrences of g in seq[0..L) and of g followed by any token. */
static void seq_counts(const uint32_t *seq, size_t L, const uint32_t *g, size_t n, int64_t *all,
                       int64_t *cont)
{
    size_t p, k;
    for (p = 0; p + n <= L && p < L; p++) {
        for (k = 0; k < n && seq[p + k] == g[k]; k++) {}
        if (k < n) continue;
        ++*all;
        if (p + n < L) ++*cont;
    }
}

/* Counts of g (and of g as a context) over files under dir except skip. */
static void ref_counts(const fake *f, const char *dir, const char *skip, const uint32_t *g,
                       size_t n, int64_t *all, int64_t *cont)
{
    uint32_t seq[402];
    size_t i;
    *all = *cont = 0;
    for (i = 0; i < f->nf; i++) {
        if (!f->present[i] || (dir && strncmp(f->path[i], dir, strlen(dir)) != 0) ||
            (skip && !strcmp(f->path[i], skip)))
            continue;
        seq[0] = TC_VOCAB_BOS;
        memcpy(seq + 1, f->ids[i], f->n[i] * sizeof seq[0]);
        seq_counts(seq, f->n[i] + 1, g, n, all, cont);
    }
}

/* The model's definition, restated: each component's JM chain up to its
 * deepest seen context, mixed with weights (1 + depth) 2^(K+1). */
static double ref_prob(const fake *f, const char *cur, const char *const *dirs, int nlev,
                       const uint32_t *cache, size_t ncache, const uint32_t *ctx, size_t nctx,
                       uint32_t w, int order)
{
    int ncomp = 1 + nlev + (cache != NULL), c, j, hlen = (int)(nctx < (size_t)order - 1 ? nctx : (size_t)order - 1);
    double num = 0, den = 0, uni = 1.0 / f->V;
    for (c = 0; c < ncomp; c++) {
        double p = uni;
        int K = -1;
        for (j = 0; j <= hlen; j++) {
            uint32_t g[9];
            int64_t a0, cctx, cw, dummy;
            memcpy(g, ctx + nctx - (size_t)j, (size_t)j * sizeof *g);
            g[j] = w;
            if (c == ncomp - 1 && cache) {
                a0 = cctx = cw = dummy = 0;
                seq_counts(cache, ncache, g, (size_t)j, &a0, &cctx);
                seq_counts(cache, ncache, g, (size_t)j + 1, &cw, &dummy);
            } else {
                const char *dir = c == 0 ? NULL : dirs[c - 1];
                ref_counts(f, dir, cur, g, (size_t)j, &a0, &cctx);
                ref_counts(f, dir, cur, g, (size_t)j + 1, &cw, &dummy);
            }
            if (j == 0) cctx = a0; /* every token is a unigram event */
            if (cctx <= 0) break;
            p = j == 0 ? tc_smooth_base(TC_SMOOTH_JM, (double)cw, (double)cctx, 0, uni)
                       : tc_smooth_step(TC_SMOOTH_JM, (double)cw, (double)cctx, 0, p);
            K = j;
        }
        if (K < 0) continue;
        num += ldexp(1.0 + c, K + 1) * p;
        den += ldexp(1.0 + c, K + 1);
    }
    return den > 0 ? num / den : uni;
}

TC_TEST(model_mixture_matches_reference)
{
    static const char *const dirs[2] = {"a/", "a/b/"};
    fake f;
    tc_model *m;
    tc_query *q = NULL;
    uint32_t buf[80], cache[81], ctx[8];
    int r, bad = 0;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    /* deltas in play: an edited file elsewhere, a new file in a level */
    fake_fill(&f, 2, "c/x4.py", 150);
    apply(m, &f, 2);
    fake_fill(&f, 7, "a/b/c/deep.py", 130);
    apply(m, &f, 7);
    for (r = 0; r < 80; r++) buf[r] = f.ids[0][r];
    cache[0] = TC_VOCAB_BOS;
    memcpy(cache + 1, buf, sizeof buf);
    TC_CHECK_EQ_INT(tc_query_begin(m, "a/b/x2.py", buf, 80, &q), TC_OK);
    for (r = 0; r < 60 && q; r++) {
        size_t n = rand_gram(&f, ctx);
        uint32_t w;
        for (w = 0; w < f.V; w++) {
            double a = tc_query_prob(q, ctx, n, w);
            double b = ref_prob(&f, "a/b/x2.py", dirs, 2, cache, 81, ctx, n, w, 6);
            if (fabs(a - b) > 1e-12 * (a + b) && bad++ < 3) {
                char msg[160];
                snprintf(msg, sizeof msg, "P(%u | ctx of %zu) = %.15g, reference %.15g", w, n, a, b);
                tc_test_fail(__FILE__, __LINE__, msg);
            }
        }
    }
    TC_CHECK_EQ_INT(bad, 0);
    tc_query_end(q);
    tc_model_free(m);
}

/* The level memo (counts of main ranges kept by level set, across
 * queries): queries that move between folders (one open at a time: they
 * share the model's leave-one-out array) and a rebuilt main array give the
 * reference mixture. */
TC_TEST(model_level_memo_across_queries_and_rebuilds)
{
    static const char *const ab[2] = {"a/", "a/b/"}, *const a1[1] = {"a/"}, *const c1[1] = {"c/"};
    static const struct {
        const char *path;
        const char *const *dirs;
        int nlev;
    } at[4] = {{"a/b/x2.py", ab, 2}, {"a/x1.py", a1, 1}, {"c/x4.py", c1, 1}, {"a/b/x3.py", ab, 2}};
    fake f;
    tc_model *m;
    uint32_t ctx[8];
    int round, k, r, bad = 0;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    for (round = 0; round < 3; round++) {
        if (round == 2) { /* another main array: no entry of the old one may count */
            fake_fill(&f, 1, "a/x1.py", 330);
            fake_fill(&f, 3, "a/b/x3.py", 180);
            TC_CHECK_EQ_INT(apply(m, &f, 1), TC_OK);
            TC_CHECK_EQ_INT(apply(m, &f, 3), TC_OK);
            TC_CHECK_EQ_INT(tc_model_rebuild(m), TC_OK);
        }
        for (k = 0; k < 4; k++) {
            tc_query *q = NULL;
            TC_CHECK_EQ_INT(tc_query_begin(m, at[k].path, NULL, 0, &q), TC_OK);
            for (r = 0; r < 25 && q; r++) {
                size_t n = rand_gram(&f, ctx);
                uint32_t w;
                for (w = 0; w < f.V; w++) {
                    const int i = k;
                    double a = tc_query_prob(q, ctx, n, w);
                    double b = ref_prob(&f, at[i].path, at[i].dirs, at[i].nlev, NULL, 0, ctx, n, w, 6);
                    if (fabs(a - b) > 1e-12 * (a + b) && bad++ < 3) {
                        char msg[200];
                        snprintf(msg, sizeof msg, "round %d, %s: P(%u | ctx of %zu) = %.15g, reference %.15g", round,
                                 at[i].path, w, n, a, b);
                        tc_test_fail(__FILE__, __LINE__, msg);
                    }
                }
            }
            tc_query_end(q);
        }
    }
    TC_CHECK_EQ_INT(bad, 0);
    tc_model_free(m);
    /* Witten-Bell (distinct continuations by level, memoised as well): a
     * model that answered other folders first gives a fresh model's
     * probabilities */
    {
        tc_model_opts o;
        memset(&o, 0, sizeof o);
        o.smoothing = TC_SMOOTH_WB;
        fake_make(&f);
        m = fake_model(&f, &o, NULL);
        for (round = 0; m && round < 2; round++)
            for (k = 0; k < 4; k++) {
                tc_model *fresh = fake_model(&f, &o, NULL);
                tc_query *q = NULL, *qf = NULL;
                if (!fresh) break;
                TC_CHECK_EQ_INT(tc_query_begin(m, at[k].path, NULL, 0, &q), TC_OK);
                TC_CHECK_EQ_INT(tc_query_begin(fresh, at[k].path, NULL, 0, &qf), TC_OK);
                for (r = 0; r < 25 && q && qf; r++) {
                    size_t n = rand_gram(&f, ctx);
                    uint32_t w;
                    for (w = 0; w < f.V; w++)
                        if (tc_query_prob(q, ctx, n, w) != tc_query_prob(qf, ctx, n, w) && bad++ < 3)
                            TC_CHECK(!"Witten-Bell: the memo's answer differs from a fresh model's");
                }
                tc_query_end(q);
                tc_query_end(qf);
                tc_model_free(fresh);
            }
        TC_CHECK_EQ_INT(bad, 0);
        tc_model_free(m);
    }
}

TC_TEST(model_empty_workspace)
{
    fake f;
    tc_model *m;
    tc_query *q = NULL;
    tc_completion c[2];
    tc_pred p[2];
    uint32_t ctx[1] = {5};
    memset(&f, 0, sizeof f);
    f.V = 8;
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    TC_CHECK_EQ_INT(tc_query_begin(m, "x.py", NULL, 0, &q), TC_OK);
    if (q) {
        TC_CHECK(fabs(prob_sum(q, ctx, 1, f.V) - 1) < 1e-12);
        TC_CHECK_EQ_INT(tc_query_predict(q, ctx, 1, p, 2), 0);
        TC_CHECK_EQ_INT(tc_query_complete_line(q, ctx, 1, 4, 8, c, 2), 0);
    }
    tc_query_end(q);
    /* a first file arrives */
    fake_fill(&f, 0, "x.py", 50);
    TC_CHECK_EQ_INT(apply(m, &f, 0), TC_OK);
    check_counts(m, &f, 300);
    tc_model_free(m);
    tc_model_free(NULL);
    tc_query_end(NULL);
}

static size_t fk_ntok(void *ud, size_t i) { return ((fake *)ud)->n[i]; }

TC_TEST(model_cap_drops_largest_files)
{
    fake f;
    tc_model_files src;
    tc_model_opts o;
    tc_model_stats st;
    tc_model *m = NULL;
    uint32_t g[1] = {TC_VOCAB_BOS};
    fake_make(&f); /* sizes 300 250 200 350 120 90 */
    memset(&o, 0, sizeof o);
    o.max_tokens = 700;
    src = (tc_model_files){&f, fk_count, fk_path, fk_ids, fk_vocab, fk_ntok};
    g_nwarn = 0;
    tc_log_set_sink(warn_sink, NULL);
    TC_CHECK_EQ_INT(tc_model_new_files(&src, &o, NULL, &m), TC_OK);
    tc_log_set_sink(NULL, NULL);
    if (!m) return;
    tc_model_stats_get(m, &st);
    /* 90+120+200+250 fit (with a BOS each: 664); 300 and 350 do not */
    TC_CHECK_EQ_INT(st.files_dropped, 2);
    TC_CHECK_EQ_INT(st.tokens_dropped, 301 + 351);
    TC_CHECK_EQ_INT(st.tokens, 664);
    TC_CHECK_EQ_INT(tc_model_count(m, g, 1), 4);
    TC_CHECK_EQ_INT(g_nwarn, 1);
    TC_CHECK(strstr(g_warn, "2 files") != NULL);
    /* edits of a dropped file are not counted */
    fake_fill(&f, 3, "a/b/x3.py", 10);
    TC_CHECK_EQ_INT(apply(m, &f, 3), TC_OK);
    TC_CHECK_EQ_INT(tc_model_count(m, g, 1), 4);
    tc_model_free(m);
}

/* A random text of len tokens below alpha for the suffix-array tests,
 * padded with SEPs: one token in sep a SEP (0: none), one in rep a copy of
 * the token 37 before (repeats); malloc'd, *seed moved on. */
static uint32_t *sa_random_text(uint64_t *seed, size_t len, uint32_t alpha, uint32_t sep, uint32_t rep)
{
    uint32_t *text = malloc((len + TC_MODEL_MAX_ORDER) * sizeof *text);
    size_t i;
    if (!text) return NULL;
    for (i = 0; i < len; i++) {
        *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
        text[i] = sep && (*seed >> 40) % sep == 0 ? TC_SEP : (uint32_t)((*seed >> 33) % alpha);
        if (i >= 40 && (*seed >> 20) % rep == 0) text[i] = text[i - 37];
    }
    for (i = len; i < len + TC_MODEL_MAX_ORDER; i++) text[i] = TC_SEP;
    return text;
}

/* A small suffix array (no buckets: its sort reads a padded key array,
 * its counts slid from pass to pass when the text has few SEP-free runs)
 * orders its positions exactly as the main corpus' sort (buckets, keys read
 * from the text) does, on texts with file separators, long repeats, and
 * alphabets small and large against the text (remapped); a range inside
 * the text reads the tokens past it as SEP. */
TC_TEST(model_sa_small_and_bucketed_sorts_agree)
{
    uint64_t seed = 12345;
    int round;
    for (round = 0; round < 24; round++) {
        size_t len = 50 + (size_t)(round * 97) % 3000, i;
        uint32_t alpha = round % 3 == 0 ? 3 : round % 3 == 1 ? 40 : 200000;
        int order = 1 + round % 6;
        /* SEPs: one token in 50 (few runs), none (one run: a buffer), one
         * in 3 (many runs: every pass counts its keys anew) */
        uint32_t sep = round % 4 == 2 ? 0 : round % 4 == 3 ? 3 : 50;
        uint32_t *text = sa_random_text(&seed, len, alpha, sep, 4);
        tc_sa s1, s2;
        TC_CHECK(text != NULL);
        if (!text) return;
        TC_CHECK_EQ_INT(tc_sa_build(&s1, text, 0, len, order, 1), TC_OK);
        TC_CHECK_EQ_INT(tc_sa_build(&s2, text, 0, len, order, 0), TC_OK);
        TC_CHECK(s1.n == s2.n && s1.n > 0);
        TC_CHECK(s1.n == s2.n && memcmp(s1.pos, s2.pos, s1.n * sizeof *s1.pos) == 0);
        /* a range inside the text: tokens past it read as SEP */
        tc_sa_free(&s2);
        TC_CHECK_EQ_INT(tc_sa_build(&s2, text, len / 3, len / 3 + len / 4, order, 0), TC_OK);
        for (i = 1; i < s2.n; i++) {
            size_t p = s2.pos[i - 1], q = s2.pos[i], hi = len / 3 + len / 4;
            int k, c = 0;
            for (k = 0; k < order && !c; k++) {
                uint32_t x = p + (size_t)k >= hi ? TC_SEP : text[p + (size_t)k];
                uint32_t y = q + (size_t)k >= hi ? TC_SEP : text[q + (size_t)k];
                c = x < y ? -1 : x > y;
            }
            TC_CHECK(c < 0 || (c == 0 && p < q));
        }
        tc_sa_free(&s1);
        tc_sa_free(&s2);
        free(text);
    }
}

/* The reference narrowing: a scan of r for the first entry reading w or
 * more at offset off, and on to the first reading something else. */
static tc_rng narrow_scan(const tc_sa *sa, tc_rng r, int off, uint32_t w)
{
    tc_rng out = {0, 0};
    uint32_t x = r.lo;
    if (r.lo >= r.hi) return out;
    while (x < r.hi && sa->text[sa->pos[x] + (size_t)off] < w) x++;
    out.lo = x;
    while (x < r.hi && sa->text[sa->pos[x] + (size_t)off] == w) x++;
    out.hi = x;
    return out;
}

/* tc_sa_narrow (its inline cases and tc_sa_narrow_search's searches) and
 * tc_sa_ctx_count give a scan's exact ranges, empty ones included (their
 * start is where w would be: later narrowings and the memos key on it),
 * on bucketed and small arrays, along the chains of n-grams the text holds
 * and of tokens it does not, over ranges of every size. */
TC_TEST(model_sa_narrow_equals_scan)
{
    uint64_t seed = 4242;
    int round;
    for (round = 0; round < 12; round++) {
        size_t len = 200 + (size_t)(round * 331) % 4000;
        uint32_t alpha = round % 3 == 0 ? 3 : round % 3 == 1 ? 30 : 3000;
        int order = 2 + round % 5, kind;
        uint32_t *text = sa_random_text(&seed, len, alpha, 60, 3);
        TC_CHECK(text != NULL);
        if (!text) return;
        for (kind = 0; kind < 2; kind++) {
            tc_sa sa;
            int t;
            TC_CHECK_EQ_INT(tc_sa_build(&sa, text, 0, len, order, kind == 0), TC_OK);
            for (t = 0; t < 300; t++) {
                tc_rng r = tc_sa_all(&sa);
                size_t p;
                int off;
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                p = (size_t)(seed >> 33) % len;
                for (off = 0; off < order && r.lo < r.hi; off++) {
                    /* the text's next token, or one beside it (absent,
                     * below or above every token, or SEP) */
                    uint32_t w = text[p + (size_t)off], d = (uint32_t)(seed >> (40 + off)) % 8;
                    tc_rng got, want;
                    if (w != TC_SEP && d == 1) w = w + 1;
                    if (w != TC_SEP && d == 2 && w > 0) w = w - 1;
                    if (d == 3) w = alpha + 5;
                    want = narrow_scan(&sa, r, off, w);
                    got = tc_sa_narrow(&sa, r, off, w);
                    TC_CHECK(got.hi - got.lo == want.hi - want.lo);
                    /* the first-token tables answer an absent token {0, 0} */
                    if (!(off == 0 && want.lo == want.hi)) TC_CHECK(got.lo == want.lo && got.hi == want.hi);
                    r = tc_sa_narrow(&sa, r, off, w);
                    if (r.lo < r.hi && off + 1 < order) {
                        uint32_t x, c = 0;
                        for (x = r.lo; x < r.hi; x++) c += text[sa.pos[x] + (size_t)off + 1] != TC_SEP;
                        TC_CHECK_EQ_INT(tc_sa_ctx_count(&sa, r, off + 1), c);
                    }
                }
            }
            tc_sa_free(&sa);
        }
        free(text);
    }
}

/* A file's left-out copy taken from the main array (tc_sa_subset, eight
 * entries a test, blocks with none skipped; tc_sa_subset_inv, from the
 * main array's inverse: radix passes for the smallest files, a bitmap
 * for the others and the whole text) is the array a sort of the
 * file alone gives: the same positions in the same order, the same
 * first-token table; files of a corpus laid out as
 * BOS .. SEP, with repeats across files (ties broken past the file end
 * in the main array, by position in the file's own). */
TC_TEST(model_sa_subset_equals_file_sort)
{
    uint64_t seed = 777;
    size_t starts[41], nfile = 40, len = 0, f, i;
    uint32_t *text = malloc(40 * 400 * sizeof *text + 64);
    int order;
    TC_CHECK(text != NULL);
    if (!text) return;
    for (f = 0; f < nfile; f++) {
        size_t n = 5 + (f * 37) % 300;
        starts[f] = len;
        text[len++] = TC_VOCAB_BOS;
        for (i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            text[len] = 10 + (uint32_t)((seed >> 33) % (f % 2 ? 6 : 500));
            if (len > 50 && (seed >> 20) % 3 == 0) text[len] = text[len - 45] == TC_SEP ? 11 : text[len - 45];
            len++;
        }
        text[len++] = TC_SEP;
    }
    starts[nfile] = len;
    for (i = 0; i < TC_MODEL_MAX_ORDER; i++) text[len + i] = TC_SEP;
    for (order = 1; order <= 6; order++) {
        tc_sa all;
        uint32_t *inv = NULL;
        TC_CHECK_EQ_INT(tc_sa_build(&all, text, 0, len, order, 1), TC_OK);
        TC_CHECK_EQ_INT(tc_sa_inverse(&all, len, &inv), TC_OK);
        if (!inv) break;
        for (i = 0; i < len; i++) /* SEP positions have no entry */
            if (text[i] != TC_SEP && (inv[i] >= all.n || all.pos[inv[i]] != i)) {
                TC_CHECK(!"inverse: an entry does not hold its position");
                break;
            }
        for (f = 0; f < nfile; f++) {
            tc_sa x, y;
            int way;
            TC_CHECK_EQ_INT(tc_sa_build(&y, text, starts[f], starts[f + 1], order, 0), TC_OK);
            for (way = 0; way < 2; way++) {
                /* way 0: one pass over all; 1: from all's inverse */
                TC_CHECK_EQ_INT(way ? tc_sa_subset_inv(&x, &all, inv, starts[f], starts[f + 1])
                                    : tc_sa_subset(&x, &all, starts[f], starts[f + 1]),
                                TC_OK);
                TC_CHECK(x.n == y.n && x.n > 0);
                TC_CHECK(x.n == y.n && memcmp(x.pos, y.pos, x.n * sizeof *x.pos) == 0);
                TC_CHECK(x.h0mask == y.h0mask && x.h0 && y.h0);
                for (i = 0; x.h0 && y.h0 && x.h0mask == y.h0mask && i <= x.h0mask; i++) {
                    /* an empty slot holds only its SEP mark */
                    TC_CHECK(x.h0[3 * i] == y.h0[3 * i]);
                    if (x.h0[3 * i] != TC_SEP)
                        TC_CHECK(x.h0[3 * i + 1] == y.h0[3 * i + 1] && x.h0[3 * i + 2] == y.h0[3 * i + 2]);
                }
                tc_sa_free(&x);
            }
            tc_sa_free(&y);
        }
        {
            /* the whole text: every block of eight kept, in order */
            tc_sa x;
            TC_CHECK_EQ_INT(tc_sa_subset(&x, &all, 0, len), TC_OK);
            TC_CHECK(x.n == all.n && memcmp(x.pos, all.pos, x.n * sizeof *x.pos) == 0);
            tc_sa_free(&x);
            TC_CHECK_EQ_INT(tc_sa_subset_inv(&x, &all, inv, 0, len), TC_OK);
            TC_CHECK(x.n == all.n && memcmp(x.pos, all.pos, x.n * sizeof *x.pos) == 0);
            tc_sa_free(&x);
        }
        free(inv);
        tc_sa_free(&all);
    }
    free(text);
}

/* The left-out copy the model keeps for file fileno, or NULL. */
static const tc_sa *loo_of(const tc_model *m, long fileno)
{
    int k;
    for (k = 0; k < TC_LOO_SLOTS; k++)
        if (m->loo[k].fileno == fileno) return &m->loo[k].sa;
    return NULL;
}

static int loo_count(const tc_model *m)
{
    int k, n = 0;
    for (k = 0; k < TC_LOO_SLOTS; k++) n += m->loo[k].fileno >= 0;
    return n;
}

/* The left-out copy a model makes while requests move between files (from
 * the main array's inverse, made at the second copy or ahead by
 * tc_model_prepare_files) is the array a sort
 * of the file alone gives, as a fresh model's first copy is; a file that
 * changed and a rebuilt main array drop the inverse and the copy, and the
 * next copies are the new main array's. */
TC_TEST(model_loo_from_inverse_equals_file_sort)
{
    static const char *const paths[5] = {"a/b/x2.py", "a/x1.py", "c/x4.py", "a/b/x2.py", "top.py"};
    fake f;
    tc_model *m;
    int round, k;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    if (!m) return;
    for (round = 0; round < 2; round++) {
        if (round == 1) {
            fake_fill(&f, 1, "a/x1.py", 330);
            TC_CHECK_EQ_INT(apply(m, &f, 1), TC_OK);
            TC_CHECK(loo_of(m, 1) == NULL); /* the changed file's copy is let go */
            TC_CHECK_EQ_INT(tc_model_rebuild(m), TC_OK);
            TC_CHECK(m->inv == NULL && loo_count(m) == 0);
            /* made ahead (an editor's session): the first copy is from it */
            TC_CHECK_EQ_INT(tc_model_prepare_files(m), TC_OK);
            TC_CHECK(m->inv != NULL);
        }
        for (k = 0; k < 5; k++) {
            tc_query *q = NULL;
            int mi;
            tc_sa y;
            TC_CHECK_EQ_INT(tc_query_begin(m, paths[k], NULL, 0, &q), TC_OK);
            tc_query_end(q);
            TC_CHECK((m->inv != NULL) == (round > 0 || k >= 1)); /* else made at the second copy */
            for (mi = 0; mi < (int)m->nmf && strcmp(m->mf[mi].path, paths[k]); mi++) {}
            TC_CHECK(mi < (int)m->nmf);
            if (mi >= (int)m->nmf) break;
            TC_CHECK_EQ_INT(tc_sa_build(&y, m->T, m->mf[mi].start, m->mf[mi].end, m->o.order, 0), TC_OK);
            {
                const tc_sa *l = loo_of(m, (long)m->mf[mi].fileno);
                TC_CHECK(l && l->n == y.n && y.n > 0 && memcmp(l->pos, y.pos, y.n * sizeof *y.pos) == 0);
            }
            tc_sa_free(&y);
        }
    }
    tc_model_free(m);
}

/* Whether queries of m and of ref on path give the same probability to
 * every word after 40 random contexts. */
static int same_probs(tc_model *m, tc_model *ref, fake *f, const char *path)
{
    tc_query *qa = NULL, *qb = NULL;
    int r, same = 1;
    uint32_t w;
    if (tc_query_begin(m, path, NULL, 0, &qa) != TC_OK || tc_query_begin(ref, path, NULL, 0, &qb) != TC_OK)
        same = 0;
    for (r = 0; r < 40 && same; r++) {
        uint32_t ctx[8];
        size_t n = rand_gram(f, ctx);
        for (w = 0; w < f->V && same; w++) {
            double a = tc_query_prob(qa, ctx, n, w), b = tc_query_prob(qb, ctx, n, w);
            same = fabs(a - b) <= 1e-12 * (b > 1 ? b : 1);
        }
    }
    tc_query_end(qa);
    tc_query_end(qb);
    return same;
}

/* Left-out copies are kept while requests move between files: going back
 * to a file reuses its copy (none made), and the answers are those of a
 * model built afresh. A file that changes, or a rebuilt main array, never
 * has an old copy served: the changed file's copy is let go, and after it
 * goes back to its first content (its main copy revived) the copy made
 * is the main array's, as a fresh model answers. */
TC_TEST(model_loo_kept_across_files_never_stale)
{
    static const char *const paths[6] = {"a/b/x2.py", "a/x1.py", "c/x4.py", "a/b/x2.py", "a/x1.py", "top.py"};
    fake f, keep;
    tc_model *m, *ref = NULL;
    uint32_t built;
    int k;
    fake_make(&f);
    m = fake_model(&f, NULL, NULL);
    ref = fake_model(&f, NULL, NULL);
    if (!m || !ref) goto out;
    for (k = 0; k < 6; k++) {
        built = m->loo_built;
        TC_CHECK(same_probs(m, ref, &f, paths[k]));
        TC_CHECK_EQ_INT(m->loo_built, built + (k == 3 || k == 4 ? 0 : 1)); /* x2 and x1 again: kept */
    }
    TC_CHECK_EQ_INT(loo_count(m), 4);
    /* x1 changes: its copy goes, the others stay */
    keep = f;
    fake_fill(&f, 1, "a/x1.py", 330);
    TC_CHECK_EQ_INT(apply(m, &f, 1), TC_OK);
    TC_CHECK(loo_of(m, 1) == NULL && loo_of(m, 0) != NULL);
    tc_model_free(ref);
    ref = fake_model(&f, NULL, NULL);
    if (!ref) goto out;
    TC_CHECK(same_probs(m, ref, &f, "a/x1.py"));
    TC_CHECK(same_probs(m, ref, &f, "a/b/x2.py"));
    /* back to its first content: the main copy again, its copy made anew */
    f = keep;
    TC_CHECK_EQ_INT(apply(m, &f, 1), TC_OK);
    built = m->loo_built;
    tc_model_free(ref);
    ref = fake_model(&f, NULL, NULL);
    if (!ref) goto out;
    TC_CHECK(same_probs(m, ref, &f, "a/x1.py"));
    TC_CHECK_EQ_INT(m->loo_built, built + 1);
    /* a rebuilt main array drops them all */
    fake_fill(&f, 2, "c/x4.py", 260);
    TC_CHECK_EQ_INT(apply(m, &f, 2), TC_OK);
    TC_CHECK_EQ_INT(tc_model_rebuild(m), TC_OK);
    TC_CHECK_EQ_INT(loo_count(m), 0);
    tc_model_free(ref);
    ref = fake_model(&f, NULL, NULL);
    if (!ref) goto out;
    for (k = 0; k < 6; k++) TC_CHECK(same_probs(m, ref, &f, paths[k]));
out:
    tc_model_free(m);
    tc_model_free(ref);
}
