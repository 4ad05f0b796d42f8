/* test_calib.c - the confidence map (rank/calib.h): fitted on winners whose
 * rightness depends on its inputs it recovers them (a Platt scaling of
 * the pointwise score alone cannot), its probabilities match the observed
 * rates per band, a single class leaves it unfitted, the floor lifts it
 * only where the threshold's precision falls short, and the saved file is
 * only loaded for the same key (an older format too). */
#include "test.h"
#include "rank/calib.h"
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

static double unit(uint64_t *s) { return (double)(lcg(s) % 100000) / 100000.0; }

/* n winners: pointwise score in [-6, 4), log share in (-3, 0], trailing
 * comments around one in four (x[2] 1), right with probability
 * sigmoid(0.5 s + 1.5 q - 2 c + b). */
static void fixture_b(double *x, uint8_t *y, size_t n, uint64_t seed, double b)
{
    size_t i;
    for (i = 0; i < n; i++) {
        double s = unit(&seed) * 10 - 6, q = -3 * unit(&seed), c = unit(&seed) < 0.25,
               p = 1 / (1 + exp(-(0.5 * s + 1.5 * q - 2 * c + b)));
        x[TC_CALIB_NX * i] = s;
        x[TC_CALIB_NX * i + 1] = q;
        x[TC_CALIB_NX * i + 2] = c;
        y[i] = (uint8_t)(unit(&seed) < p);
    }
}

static void fixture(double *x, uint8_t *y, size_t n, uint64_t seed) { fixture_b(x, y, n, seed, 0.3); }

TC_TEST(calib_fit_recovers_both_inputs)
{
    size_t n = 4000, i, k;
    double *x = malloc(n * TC_CALIB_NX * sizeof *x);
    uint8_t *y = malloc(n);
    tc_calib c;
    double pred[4] = {0}, obs[4] = {0}, cnt[4] = {0};
    memset(&c, 0, sizeof c);
    TC_CHECK(x && y);
    if (!x || !y) goto out;
    fixture(x, y, n, 7);
    TC_CHECK_EQ_INT(tc_calib_fit(&c, x, y, n), TC_OK);
    TC_CHECK(c.fitted && c.n == n);
    TC_CHECK(fabs(c.w[0] - 0.5) < 0.15);
    TC_CHECK(fabs(c.w[1] - 1.5) < 0.4); /* the share matters: Platt on the score alone has none */
    TC_CHECK(fabs(c.w[2] + 2) < 0.5);   /* and the trailing comments around */
    TC_CHECK(c.lift == 0);
    /* on a fresh sample: predicted mean against observed rate, in 4 bands */
    fixture(x, y, n, 99);
    for (i = 0; i < n; i++) {
        double p = tc_calib_prob(&c, x + TC_CALIB_NX * i);
        k = (size_t)(p * 4) > 3 ? 3 : (size_t)(p * 4);
        pred[k] += p;
        obs[k] += y[i];
        cnt[k]++;
    }
    for (k = 0; k < 4; k++)
        if (cnt[k] >= 100) TC_CHECK(fabs(pred[k] - obs[k]) / cnt[k] < 0.06);
out:
    free(x);
    free(y);
}

/* Precision of the winners at or above thr by k (fixture n, seed). */
static double precision_at(const tc_calib *k, const double *x, const uint8_t *y, size_t n, double thr, size_t *shown)
{
    size_t i, right = 0;
    *shown = 0;
    for (i = 0; i < n; i++)
        if (tc_calib_prob(k, x + TC_CALIB_NX * i) >= thr) {
            ++*shown;
            right += y[i];
        }
    return *shown ? (double)right / (double)*shown : 0;
}

TC_TEST(calib_floor_lifts_only_where_precision_falls_short)
{
    size_t n = 4000, shown0, shown1;
    double *x = malloc(n * TC_CALIB_NX * sizeof *x), p0, p1;
    uint8_t *y = malloc(n);
    tc_calib c;
    memset(&c, 0, sizeof c);
    TC_CHECK(x && y);
    if (!x || !y) goto out;
    /* a sure repository: calibrated, its winners above 0.3 are right about
     * two times in three; the floor leaves it alone */
    fixture_b(x, y, n, 11, 2.5);
    TC_CHECK_EQ_INT(tc_calib_floor(&c, x, y, n, 0.3, 0.6, 0.5), TC_EINVAL); /* unfitted */
    TC_CHECK_EQ_INT(tc_calib_fit(&c, x, y, n), TC_OK);
    p0 = precision_at(&c, x, y, n, 0.3, &shown0);
    TC_CHECK(p0 > 0.65);
    TC_CHECK_EQ_INT(tc_calib_floor(&c, x, y, n, 0.3, 0.6, 0.5), TC_OK);
    TC_CHECK(c.lift == 0);
    /* an unsure one: most winners above 0.3 just above it, right about
     * half the time; lifted until 0.3 keeps at least 60 % on them, showing
     * fewer, and the order of winners is kept */
    fixture_b(x, y, n, 12, 0.5);
    TC_CHECK_EQ_INT(tc_calib_fit(&c, x, y, n), TC_OK);
    p0 = precision_at(&c, x, y, n, 0.3, &shown0);
    TC_CHECK(p0 < 0.6);
    TC_CHECK_EQ_INT(tc_calib_floor(&c, x, y, n, 0.3, 0.6, 0.5), TC_OK);
    TC_CHECK(c.lift > 0);
    p1 = precision_at(&c, x, y, n, 0.3, &shown1);
    TC_CHECK(p1 >= 0.6);
    TC_CHECK(shown1 < shown0 && shown1 > 0);
    TC_CHECK(tc_calib_prob(&c, x) <= 1 && (tc_calib_prob(&c, x) < tc_calib_prob(&c, x + TC_CALIB_NX)) ==
                                               (x[0] * c.w[0] + x[1] * c.w[1] + x[2] * c.w[2] <
                                                x[3] * c.w[0] + x[4] * c.w[1] + x[5] * c.w[2]));
    /* the knot stops at max_knot: lift = logit(0.35) - logit(0.3) at most */
    TC_CHECK_EQ_INT(tc_calib_floor(&c, x, y, n, 0.3, 0.99, 0.35), TC_OK);
    TC_CHECK(fabs(c.lift - (log(0.35 / 0.65) - log(0.3 / 0.7))) < 1e-9);
    TC_CHECK_EQ_INT(tc_calib_floor(&c, x, y, n, 0.3, 1.5, 0.5), TC_EINVAL);
out:
    free(x);
    free(y);
}

TC_TEST(calib_single_class_left_unfitted)
{
    double x[4 * TC_CALIB_NX] = {1, -1, 0, 2, -0.5, 0, 0, -2, 1, 3, 0, 0};
    uint8_t y[4] = {1, 1, 1, 1};
    tc_calib c;
    memset(&c, 0, sizeof c);
    TC_CHECK_EQ_INT(tc_calib_fit(&c, x, y, 4), TC_EINVAL);
    TC_CHECK(!c.fitted);
    y[0] = 0; /* one of a class: still too few (10 of each) */
    TC_CHECK_EQ_INT(tc_calib_fit(&c, x, y, 4), TC_EINVAL);
    TC_CHECK(!c.fitted);
}

TC_TEST(calib_lse_is_stable)
{
    double s[3] = {1000, 1000, 1000 - 1e9};
    TC_CHECK(fabs(tc_calib_lse(s, 3) - (1000 + log(2))) < 1e-9);
    TC_CHECK(fabs(tc_calib_lse(s, 1) - 1000) < 1e-12);
    TC_CHECK(tc_calib_lse(s, 0) < -1e300);
}

TC_TEST(calib_save_load_keyed)
{
    char path[600];
    tc_calib c, d;
    memset(&c, 0, sizeof c);
    c.fitted = 1;
    c.w[0] = 0.25;
    c.w[1] = 1.5;
    c.w[2] = -0.125;
    c.w[3] = 0.5;
    c.lift = 0.375;
    c.n = 640;
    c.npos = 180;
    snprintf(path, sizeof path, "%s/rank.txt.calib", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_calib_save(&c, path, 0x1234), TC_OK);
    TC_CHECK_EQ_INT(tc_calib_load(&d, path, 0x1234), TC_OK);
    TC_CHECK(d.fitted == 1 && d.n == 640 && d.npos == 180);
    TC_CHECK(d.w[0] == 0.25 && d.w[1] == 1.5 && d.w[2] == -0.125 && d.w[3] == 0.5 && d.lift == 0.375);
    TC_CHECK_EQ_INT(tc_calib_load(&d, path, 0x1235), TC_EIO); /* another workspace's content: stale */
    TC_CHECK(!d.fitted);
    /* an unfitted map is saved and loaded as such (the ranker is not retrained for it) */
    c.fitted = 0;
    TC_CHECK_EQ_INT(tc_calib_save(&c, path, 0x1234), TC_OK);
    TC_CHECK_EQ_INT(tc_calib_load(&d, path, 0x1234), TC_OK);
    TC_CHECK(!d.fitted);
    {
        FILE *fp = fopen(path, "w");
        if (fp) {
            fputs("tacit-calib 1 0000000000001234 640 180 nan 1 0 1\n", fp);
            fclose(fp);
        }
    }
    TC_CHECK_EQ_INT(tc_calib_load(&d, path, 0x1234), TC_EIO);
    /* format 1 (two inputs, no lift): its third weight is the intercept */
    {
        FILE *fp = fopen(path, "w");
        if (fp) {
            fputs("tacit-calib 1 0000000000001234 640 180 0.25 1.5 0.75 1\n", fp);
            fclose(fp);
        }
    }
    TC_CHECK_EQ_INT(tc_calib_load(&d, path, 0x1234), TC_OK);
    TC_CHECK(d.fitted && d.w[0] == 0.25 && d.w[1] == 1.5 && d.w[2] == 0 && d.w[3] == 0.75 && d.lift == 0);
}
