/* test_calib.c - the confidence map (rank/calib.h): fitted on winners whose
 * rightness depends on both inputs it recovers both (a Platt scaling of
 * the pointwise score alone cannot), its probabilities match the observed
 * rates per band, a single class leaves it unfitted, and the saved file is
 * only loaded for the same key. */
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

/* n winners: pointwise score in [-6, 4), log share in (-3, 0], right with
 * probability sigmoid(0.5 s + 1.5 q + 0.3). */
static void fixture(double *x, uint8_t *y, size_t n, uint64_t seed)
{
    size_t i;
    for (i = 0; i < n; i++) {
        double s = unit(&seed) * 10 - 6, q = -3 * unit(&seed), p = 1 / (1 + exp(-(0.5 * s + 1.5 * q + 0.3)));
        x[2 * i] = s;
        x[2 * i + 1] = q;
        y[i] = (uint8_t)(unit(&seed) < p);
    }
}

TC_TEST(calib_fit_recovers_both_inputs)
{
    size_t n = 4000, i, k;
    double *x = malloc(n * 2 * sizeof *x);
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
    /* on a fresh sample: predicted mean against observed rate, in 4 bands */
    fixture(x, y, n, 99);
    for (i = 0; i < n; i++) {
        double p = tc_calib_prob(&c, x + 2 * i);
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

TC_TEST(calib_single_class_left_unfitted)
{
    double x[8] = {1, -1, 2, -0.5, 0, -2, 3, 0};
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
    c.n = 640;
    c.npos = 180;
    snprintf(path, sizeof path, "%s/rank.txt.calib", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_calib_save(&c, path, 0x1234), TC_OK);
    TC_CHECK_EQ_INT(tc_calib_load(&d, path, 0x1234), TC_OK);
    TC_CHECK(d.fitted == 1 && d.n == 640 && d.npos == 180);
    TC_CHECK(d.w[0] == 0.25 && d.w[1] == 1.5 && d.w[2] == -0.125);
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
}
