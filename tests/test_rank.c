/* test_rank.c - the learned ranker: training on a small fixture orders
 * examples by their label's evidence, Platt calibration matches observed
 * rates, and the saved file is only loaded for the same content key. */
#include "test.h"
#include "rank/rank.h"
#include "util/status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* Feature 0 carries the signal (positives around +1, negatives around -1),
 * feature 1 is noise, feature 2 is constant; the rest stay 0. */
static void fixture(float *X, uint8_t *y, size_t n, uint64_t seed)
{
    size_t i;
    for (i = 0; i < n; i++) {
        float *x = X + i * TC_RANK_NF;
        double u = (double)(lcg(&seed) % 1000) / 1000.0 - 0.5;
        memset(x, 0, TC_RANK_NF * sizeof *x);
        y[i] = (uint8_t)(lcg(&seed) % 4 == 0);
        x[0] = (float)((y[i] ? 1.0 : -1.0) + 1.6 * u);
        x[1] = (float)((double)(lcg(&seed) % 1000) / 100.0);
        x[2] = 3;
    }
}

TC_TEST(rank_train_learns_the_signal)
{
    size_t n = 2000, i, right = 0;
    float *X = malloc(n * TC_RANK_NF * sizeof *X);
    uint8_t *y = malloc(n);
    tc_rank r;
    float a[TC_RANK_NF] = {0}, b[TC_RANK_NF] = {0};
    memset(&r, 0, sizeof r);
    fixture(X, y, n, 1);
    TC_CHECK_EQ_INT(tc_rank_train(&r, X, y, n, 1.0), TC_OK);
    TC_CHECK(r.trained);
    TC_CHECK(r.w[0] > 1.0);             /* the signal gets a large weight */
    TC_CHECK(fabs(r.w[1]) < 0.3);       /* the noise a small one */
    TC_CHECK(r.w[2] == 0);              /* a constant feature none */
    for (i = 0; i < n; i++) right += (tc_rank_score(&r, X + i * TC_RANK_NF) > 0) == y[i];
    TC_CHECK(right > n * 9 / 10);
    a[0] = 1.2f;
    b[0] = -0.2f;
    TC_CHECK(tc_rank_score(&r, a) > tc_rank_score(&r, b));
    /* a single class cannot be learned */
    memset(y, 0, n);
    TC_CHECK_EQ_INT(tc_rank_train(&r, X, y, n, 1.0), TC_EINVAL);
    free(X);
    free(y);
}

TC_TEST(rank_platt_calibration_matches_observed_rates)
{
    /* scores s whose true rate of success is sigmoid(2 s - 1): the fitted
     * calibration recovers it */
    size_t n = 4000, i;
    double *s = malloc(n * sizeof *s);
    uint8_t *y = malloc(n);
    uint64_t seed = 7;
    tc_rank r;
    memset(&r, 0, sizeof r);
    r.trained = 1;
    r.pa = 1;
    for (i = 0; i < n; i++) {
        double p;
        s[i] = (double)(lcg(&seed) % 4000) / 1000.0 - 2.0;
        p = 1.0 / (1.0 + exp(-(2 * s[i] - 1)));
        y[i] = (double)(lcg(&seed) % 100000) / 100000.0 < p;
    }
    TC_CHECK_EQ_INT(tc_rank_calibrate(&r, s, y, n), TC_OK);
    TC_CHECK(fabs(r.pa - 2.0) < 0.4);
    TC_CHECK(fabs(r.pb + 1.0) < 0.3);
    TC_CHECK(fabs(tc_rank_prob(&r, 0.5) - 0.5) < 0.08);
    /* observed precision above a threshold is about what the probability says */
    {
        size_t shown = 0, ok = 0;
        for (i = 0; i < n; i++)
            if (tc_rank_prob(&r, s[i]) >= 0.6) {
                shown++;
                ok += y[i];
            }
        TC_CHECK(shown > 0 && (double)ok / (double)shown > 0.6);
    }
    free(s);
    free(y);
}

TC_TEST(rank_save_load_by_key)
{
    char path[600];
    size_t n = 400;
    float *X = malloc(n * TC_RANK_NF * sizeof *X);
    uint8_t *y = malloc(n);
    tc_rank r, l;
    FILE *fp;
    memset(&r, 0, sizeof r);
    fixture(X, y, n, 3);
    TC_CHECK_EQ_INT(tc_rank_train(&r, X, y, n, 1.0), TC_OK);
    snprintf(path, sizeof path, "%s/rank.txt", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_rank_save(&r, path, 42), TC_OK);
    TC_CHECK_EQ_INT(tc_rank_load(&l, path, 42), TC_OK);
    TC_CHECK(fabs(tc_rank_score(&l, X) - tc_rank_score(&r, X)) < 1e-9);
    /* another content: stale, not loaded */
    TC_CHECK_EQ_INT(tc_rank_load(&l, path, 43), TC_EIO);
    TC_CHECK(!l.trained);
    /* a damaged file: not loaded */
    fp = fopen(path, "w");
    if (fp) {
        fputs("tacit-rank 1 36 000000000000002a 1 1\nnan 1 0\n", fp);
        fclose(fp);
    }
    TC_CHECK_EQ_INT(tc_rank_load(&l, path, 42), TC_EIO);
    TC_CHECK_EQ_INT(tc_rank_load(&l, "/nonexistent/rank.txt", 42), TC_EIO);
    free(X);
    free(y);
}

TC_TEST(rank_listwise_picks_the_right_candidate)
{
    /* cases of 5 candidates, one right; the right one has the largest
     * feature 0 (plus noise), feature 1 is noise */
    size_t ng = 200, per = 5, n = ng * per, g, i, right = 0;
    float *X = calloc(n * TC_RANK_NF, sizeof *X);
    uint8_t *y = calloc(n, 1);
    size_t *groups = malloc((ng + 1) * sizeof *groups);
    uint64_t seed = 11;
    tc_rank r;
    memset(&r, 0, sizeof r);
    for (g = 0; g <= ng; g++) groups[g] = g * per;
    for (g = 0; g < ng; g++) {
        size_t pos = lcg(&seed) % per;
        for (i = 0; i < per; i++) {
            float *x = X + (g * per + i) * TC_RANK_NF;
            x[0] = (float)((double)(lcg(&seed) % 1000) / 1000.0 + (i == pos ? 0.7 : 0));
            x[1] = (float)((double)(lcg(&seed) % 1000) / 1000.0);
            y[g * per + i] = i == pos;
        }
    }
    TC_CHECK_EQ_INT(tc_rank_train_lists(&r, X, y, groups, ng, 1.0, NULL), TC_OK);
    TC_CHECK(r.w[0] > 1.0 && fabs(r.w[1]) < 0.5);
    for (g = 0; g < ng; g++) {
        size_t best = 0;
        for (i = 1; i < per; i++)
            if (tc_rank_score(&r, X + (g * per + i) * TC_RANK_NF) > tc_rank_score(&r, X + (g * per + best) * TC_RANK_NF))
                best = i;
        right += y[g * per + best];
    }
    TC_CHECK(right > ng * 3 / 4);
    free(X);
    free(y);
    free(groups);
}

/* Cases of 3 candidates: (hi, lo), (lo, hi), (hi, hi) in features 0 and
 * 1, in random order; feature 2 is the same for a case's candidates and
 * says which is right: the first kind when it is 1, the second when 0. A
 * linear score cannot use a feature constant within a case; trees can. */
static void interaction_fixture(float *X, uint8_t *y, size_t *groups, size_t ng, uint64_t seed)
{
    size_t g, i;
    for (g = 0; g <= ng; g++) groups[g] = g * 3;
    for (g = 0; g < ng; g++) {
        int flag = (int)(lcg(&seed) % 2), rot = (int)(lcg(&seed) % 3);
        for (i = 0; i < 3; i++) {
            float *x = X + (g * 3 + i) * TC_RANK_NF;
            int kind = (int)((i + (size_t)rot) % 3);
            double u = (double)(lcg(&seed) % 1000) / 4000.0, v = (double)(lcg(&seed) % 1000) / 4000.0;
            memset(x, 0, TC_RANK_NF * sizeof *x);
            x[0] = (float)((kind != 1 ? 0.75 : 0.1) + u);
            x[1] = (float)((kind != 0 ? 0.75 : 0.1) + v);
            x[2] = (float)flag;
            y[g * 3 + i] = (uint8_t)(kind == (flag ? 0 : 1));
        }
    }
}

static size_t trees_top1(const tc_rank_tree *t, size_t nt, const float *X, const uint8_t *y, size_t ng)
{
    size_t g, i, right = 0;
    for (g = 0; g < ng; g++) {
        size_t best = 0;
        for (i = 1; i < 3; i++)
            if (tc_rank_trees_score(t, nt, X + (g * 3 + i) * TC_RANK_NF) >
                tc_rank_trees_score(t, nt, X + (g * 3 + best) * TC_RANK_NF))
                best = i;
        right += y[g * 3 + best];
    }
    return right;
}

TC_TEST(rank_trees_learn_an_interaction)
{
    size_t ng = 300, n = ng * 3, g, i, right = 0, nl;
    float *X = malloc(n * TC_RANK_NF * sizeof *X), *Xh = malloc(n * TC_RANK_NF * sizeof *Xh);
    uint8_t *y = malloc(n), *yh = malloc(n);
    size_t *groups = malloc((ng + 1) * sizeof *groups);
    tc_rank_tree t[16], l[16];
    tc_rank r;
    char path[600];
    FILE *fp;
    memset(&r, 0, sizeof r);
    interaction_fixture(X, y, groups, ng, 5);
    interaction_fixture(Xh, yh, groups, ng, 6); /* held out */
    /* the linear listwise ranker: no better than the better half */
    TC_CHECK_EQ_INT(tc_rank_train_lists(&r, X, y, groups, ng, 1.0, NULL), TC_OK);
    for (g = 0; g < ng; g++) {
        size_t best = 0;
        for (i = 1; i < 3; i++)
            if (tc_rank_score(&r, Xh + (g * 3 + i) * TC_RANK_NF) > tc_rank_score(&r, Xh + (g * 3 + best) * TC_RANK_NF))
                best = i;
        right += yh[g * 3 + best];
    }
    TC_CHECK(right < ng * 2 / 3);
    /* 16 trees from nothing: nearly all held-out cases right */
    TC_CHECK_EQ_INT(tc_rank_trees_train(t, 16, NULL, X, y, groups, ng, 0.3), TC_OK);
    TC_CHECK(trees_top1(t, 16, Xh, yh, ng) > ng * 9 / 10);
    /* saved and loaded: the same scores; another key: stale */
    snprintf(path, sizeof path, "%s/rank.trees", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_rank_trees_save(t, 16, path, 42), TC_OK);
    TC_CHECK_EQ_INT(tc_rank_trees_load(l, 16, &nl, path, 42), TC_OK);
    TC_CHECK_EQ_INT((int)nl, 16);
    for (i = 0; i < n; i += 7)
        TC_CHECK(tc_rank_trees_score(l, nl, Xh + i * TC_RANK_NF) == tc_rank_trees_score(t, 16, Xh + i * TC_RANK_NF));
    TC_CHECK_EQ_INT(tc_rank_trees_load(l, 16, &nl, path, 43), TC_EIO);
    TC_CHECK_EQ_INT((int)nl, 0);
    TC_CHECK_EQ_INT(tc_rank_trees_load(l, 8, &nl, path, 42), TC_EIO); /* more trees than room */
    fp = fopen(path, "w");
    if (fp) {
        fprintf(fp, "tacit-trees 1 %d 000000000000002a 1\n99 0.5\n", TC_RANK_NF);
        fclose(fp);
    }
    TC_CHECK_EQ_INT(tc_rank_trees_load(l, 16, &nl, path, 42), TC_EIO);
    /* no case with a right candidate: nothing to learn */
    memset(y, 0, n);
    TC_CHECK_EQ_INT(tc_rank_trees_train(t, 4, NULL, X, y, groups, ng, 0), TC_EINVAL);
    free(X);
    free(Xh);
    free(y);
    free(yh);
    free(groups);
}

/* A bag of tree sets fitted on different samples: its score is the mean
 * of its members' (each member's own tc_rank_trees_score), a bag of one
 * is that single set, and the bag chooses at least as well as its
 * members do on average. */
TC_TEST(rank_bag_score_is_the_mean_of_its_members)
{
    size_t ng = 60, n = ng * 3, m, i, nt = 4, k = 3, right = 0, bag_right = 0;
    float *X = malloc(n * TC_RANK_NF * sizeof *X), *Xh = malloc(n * TC_RANK_NF * sizeof *Xh);
    uint8_t *y = malloc(n), *yh = malloc(n);
    size_t *groups = malloc((ng + 1) * sizeof *groups);
    tc_rank_tree t[12];
    interaction_fixture(Xh, yh, groups, ng, 99); /* held out */
    for (m = 0; m < k; m++) {
        interaction_fixture(X, y, groups, ng, 11 + m); /* member m's own sample */
        TC_CHECK_EQ_INT(tc_rank_trees_train(t + m * nt, nt, NULL, X, y, groups, ng, 0.3), TC_OK);
        right += trees_top1(t + m * nt, nt, Xh, yh, ng);
    }
    for (i = 0; i < n; i++) {
        const float *x = Xh + i * TC_RANK_NF;
        double mean = 0;
        for (m = 0; m < k; m++) mean += tc_rank_trees_score(t + m * nt, nt, x) / (double)k;
        TC_CHECK(fabs(tc_rank_bag_score(t, k * nt, k, x) - mean) < 1e-9);
        /* one member: exactly the single set's score */
        TC_CHECK(tc_rank_bag_score(t + nt, nt, 1, x) == tc_rank_trees_score(t + nt, nt, x));
        TC_CHECK(tc_rank_bag_score(t, 0, k, x) == 0);
    }
    /* the bag chooses no worse than its members on average (within a case) */
    bag_right = trees_top1(t, k * nt, Xh, yh, ng);
    TC_CHECK(bag_right * k + k >= right);
    TC_CHECK(tc_rank_trees_score(t, k * nt, Xh) != tc_rank_trees_score(t, nt, Xh)); /* the members differ */
    free(X);
    free(Xh);
    free(y);
    free(yh);
    free(groups);
}

/* The splits of one tree, level by level: 400 cases of two candidates;
 * in 240 the right one has feature 0 set, in the other 160 feature 2. The
 * root splits on feature 0; its left child (all 160 cases of feature 2
 * and the 240 wrong candidates, the larger child, whose histogram is its
 * parent's less its sibling's) on feature 2; its right child holds right
 * candidates only and does not split. */
TC_TEST(rank_trees_split_each_child_on_its_own_rows)
{
    size_t ng = 400, n = ng * 2, g;
    float *X = calloc(n * TC_RANK_NF, sizeof *X);
    uint8_t *y = calloc(n, 1);
    size_t *groups = malloc((ng + 1) * sizeof *groups);
    tc_rank_tree t[1];
    if (!X || !y || !groups) goto out;
    for (g = 0; g <= ng; g++) groups[g] = g * 2;
    for (g = 0; g < ng; g++) {
        size_t right = g * 2 + g % 2; /* the right candidate first or second */
        y[right] = 1;
        X[right * TC_RANK_NF + (g % 5 < 3 ? 0 : 2)] = 1;
        X[(g * 2) * TC_RANK_NF + 5] = (float)(g % 7); /* noise */
        X[(g * 2 + 1) * TC_RANK_NF + 5] = (float)(g % 3);
    }
    TC_CHECK_EQ_INT(tc_rank_trees_train(t, 1, NULL, X, y, groups, ng, 0.1), TC_OK);
    TC_CHECK_EQ_INT(t[0].f[0], 0);
    TC_CHECK(t[0].t[0] > 0 && t[0].t[0] < 1);
    TC_CHECK_EQ_INT(t[0].f[1], 2);
    TC_CHECK(t[0].t[1] > 0 && t[0].t[1] < 1);
    TC_CHECK(t[0].t[2] > 1e30f); /* no split */
out:
    free(X);
    free(y);
    free(groups);
}

TC_TEST(rank_key_depends_on_contents_not_order)
{
    uint64_t a[5] = {11, 0xdeadbeefull, 7, 0x123456789abcdefull, 7};
    uint64_t b[5] = {7, 0x123456789abcdefull, 11, 7, 0xdeadbeefull}; /* the same files, indexed in another order */
    uint64_t c[5] = {7, 0x123456789abcdefull, 12, 7, 0xdeadbeefull}; /* one file's content changed */
    uint64_t d[4] = {7, 0x123456789abcdefull, 11, 0xdeadbeefull};  /* one copy of a duplicate removed */
    uint64_t ka = tc_rank_key(a, 5, 42), kb = tc_rank_key(b, 5, 42);
    TC_CHECK(ka == kb);
    TC_CHECK(ka != tc_rank_key(c, 5, 42));
    TC_CHECK(ka != tc_rank_key(d, 4, 42));
    TC_CHECK(ka != tc_rank_key(b, 5, 43)); /* another feature set or version */
    TC_CHECK(tc_rank_key(NULL, 0, 42) == tc_rank_key(NULL, 0, 42));
}
