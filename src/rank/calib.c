/* calib.c - see calib.h. */
#include "rank/calib.h"
#include "util/status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CB_D (TC_CALIB_NX + 1) /* parameters: the slopes, then the intercept */
#define CB_ITERS 50
#define CB_RIDGE 0.1 /* on the slopes (the inputs are logits: a unit is comparable) */
#define CB_MIN_CLASS 10 /* fewer right (or wrong) winners: too few to fit three weights on */
#define CB_FLOOR_Z 0.5 /* tc_calib_floor's margin, in standard errors of the held-out precision */
#define CB_MAGIC "tacit-calib"
#define CB_FORMAT 2

static double cb_sigmoid(double z)
{
    if (z >= 0) return 1.0 / (1.0 + exp(-z));
    return exp(z) / (1.0 + exp(z));
}

static double cb_dot(const double *w, const double *x)
{
    double z = w[TC_CALIB_NX];
    int j;
    for (j = 0; j < TC_CALIB_NX; j++) z += w[j] * x[j];
    return z;
}

/* The penalised negative log-likelihood of w. */
static double cb_loss(const double *w, const double *x, const uint8_t *y, size_t n)
{
    double l = 0;
    size_t i;
    int a;
    for (i = 0; i < n; i++) {
        double z = cb_dot(w, x + i * TC_CALIB_NX);
        /* log(1 + e^z) - y z, stably */
        l += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - (y[i] ? z : 0);
    }
    for (a = 0; a < TC_CALIB_NX; a++) l += 0.5 * CB_RIDGE * w[a] * w[a];
    return l;
}

/* Solve the CB_D x CB_D system H d = g (H positive definite after the
 * ridge) by Gaussian elimination; H and g are destroyed. */
static int cb_solve(double H[CB_D][CB_D], double *g, double *d)
{
    int i, j, k;
    for (k = 0; k < CB_D; k++) {
        int piv = k;
        for (i = k + 1; i < CB_D; i++)
            if (fabs(H[i][k]) > fabs(H[piv][k])) piv = i;
        if (fabs(H[piv][k]) < 1e-12) return TC_EINVAL;
        for (j = 0; j < CB_D; j++) {
            double t = H[k][j];
            H[k][j] = H[piv][j];
            H[piv][j] = t;
        }
        {
            double t = g[k];
            g[k] = g[piv];
            g[piv] = t;
        }
        for (i = k + 1; i < CB_D; i++) {
            double f = H[i][k] / H[k][k];
            for (j = k; j < CB_D; j++) H[i][j] -= f * H[k][j];
            g[i] -= f * g[k];
        }
    }
    for (k = CB_D - 1; k >= 0; k--) {
        double s = g[k];
        for (j = k + 1; j < CB_D; j++) s -= H[k][j] * d[j];
        d[k] = s / H[k][k];
    }
    return TC_OK;
}

int tc_calib_fit(tc_calib *k, const double *x, const uint8_t *y, size_t n)
{
    double w[CB_D] = {0};
    size_t i, npos = 0;
    int it, a, b;
    for (i = 0; i < n; i++) npos += y[i] != 0;
    if (npos < CB_MIN_CLASS || n - npos < CB_MIN_CLASS) return TC_EINVAL;
    for (it = 0; it < CB_ITERS; it++) {
        double H[CB_D][CB_D] = {{0}}, g[CB_D] = {0}, d[CB_D], w2[CB_D], step = 1, l0 = cb_loss(w, x, y, n), moved = 0;
        for (i = 0; i < n; i++) {
            const double *xi = x + i * TC_CALIB_NX;
            double z[CB_D], p = cb_sigmoid(cb_dot(w, xi)), v = p * (1 - p);
            for (a = 0; a < TC_CALIB_NX; a++) z[a] = xi[a];
            z[TC_CALIB_NX] = 1;
            for (a = 0; a < CB_D; a++) {
                g[a] += (p - (y[i] != 0)) * z[a];
                for (b = 0; b < CB_D; b++) H[a][b] += v * z[a] * z[b];
            }
        }
        for (a = 0; a < TC_CALIB_NX; a++) {
            g[a] += CB_RIDGE * w[a];
            H[a][a] += CB_RIDGE;
        }
        H[TC_CALIB_NX][TC_CALIB_NX] += 1e-9;
        if (cb_solve(H, g, d)) return TC_EINVAL;
        /* Newton's step, halved until the loss does not rise */
        for (; step > 1e-6; step /= 2) {
            for (a = 0; a < CB_D; a++) w2[a] = w[a] - step * d[a];
            if (cb_loss(w2, x, y, n) <= l0) break;
        }
        if (step <= 1e-6) break;
        for (a = 0; a < CB_D; a++) {
            moved += fabs(w2[a] - w[a]);
            w[a] = w2[a];
        }
        if (moved < 1e-9) break;
    }
    for (a = 0; a < CB_D; a++)
        if (!isfinite(w[a])) return TC_EINVAL;
    if (!(w[0] > 0)) return TC_EINVAL; /* a pointwise score worse than chance: keep the fallback */
    memcpy(k->w, w, sizeof w);
    k->lift = 0;
    k->n = (uint32_t)n;
    k->npos = (uint32_t)npos;
    k->fitted = 1;
    return TC_OK;
}

static int cb_cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x > y ? -1 : x < y;
}

static double cb_logit(double p) { return log(p / (1 - p)); }

int tc_calib_floor(tc_calib *k, const double *x, const uint8_t *y, size_t n, double thr, double floor,
                   double max_knot)
{
    double *py, knot = max_knot, z = CB_FLOOR_Z, right = 0; /* py: pairs (probability, right) */
    size_t i;
    if (!k->fitted || !(thr > 0 && thr < 1) || !(floor > 0 && floor < 1) || !(max_knot > 0 && max_knot < 1))
        return TC_EINVAL;
    k->lift = 0;
    if (max_knot <= thr) return TC_OK;
    if (!(py = malloc((2 * n + 1) * sizeof *py))) return TC_ENOMEM;
    for (i = 0; i < n; i++) {
        py[2 * i] = cb_sigmoid(cb_dot(k->w, x + i * TC_CALIB_NX));
        py[2 * i + 1] = y[i] != 0;
    }
    qsort(py, n, 2 * sizeof *py, cb_cmp_desc);
    /* the lowest knot (most shown) whose winners at or above it are right
     * often enough */
    for (i = 0; i < n && py[2 * i] >= thr; i++) {
        double m = (double)(i + 1), ph, lb;
        right += py[2 * i + 1];
        ph = right / m;
        lb = (ph + z * z / (2 * m) - z * sqrt(ph * (1 - ph) / m + z * z / (4 * m * m))) / (1 + z * z / m);
        /* the knot at this winner, or at thr when every winner above thr is in */
        if (i + 1 >= TC_CALIB_FLOOR_MIN && lb >= floor && py[2 * i] < knot)
            knot = i + 1 < n && py[2 * (i + 1)] >= thr ? py[2 * i] : thr;
    }
    free(py);
    if (knot < thr) knot = thr;
    k->lift = cb_logit(knot) - cb_logit(thr);
    return TC_OK;
}

double tc_calib_prob(const tc_calib *k, const double *x) { return cb_sigmoid(cb_dot(k->w, x) - k->lift); }

double tc_calib_lse(const double *s, size_t n)
{
    double m = -HUGE_VAL, sum = 0;
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] > m) m = s[i];
    if (!n || !isfinite(m)) return m;
    for (i = 0; i < n; i++) sum += exp(s[i] - m);
    return m + log(sum);
}

int tc_calib_save(const tc_calib *k, const char *path, uint64_t key)
{
    char tmp[4200];
    FILE *fp;
    int ok;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fp = fopen(tmp, "w");
    if (!fp) return TC_EIO;
    fprintf(fp, "%s %d %016llx %u %u %.17g %.17g %.17g %.17g %d %.17g\n", CB_MAGIC, CB_FORMAT,
            (unsigned long long)key, k->n, k->npos, k->w[0], k->w[1], k->w[2], k->w[3], k->fitted, k->lift);
    ok = !ferror(fp);
    ok = fclose(fp) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return TC_EIO;
    }
    return TC_OK;
}

int tc_calib_load(tc_calib *k, const char *path, uint64_t key)
{
    FILE *fp = fopen(path, "r");
    tc_calib t;
    char magic[32];
    int fmt, rc = TC_EIO, j;
    unsigned long long kk;
    memset(k, 0, sizeof *k);
    memset(&t, 0, sizeof t);
    if (!fp) return TC_EIO;
    if (fscanf(fp, "%31s %d %llx %u %u %lf %lf %lf", magic, &fmt, &kk, &t.n, &t.npos, &t.w[0], &t.w[1], &t.w[2]) != 8)
        goto out;
    if (strcmp(magic, CB_MAGIC) != 0 || fmt < 1 || fmt > CB_FORMAT || kk != key) goto out;
    if (fmt == 1) { /* two inputs, no lift: the third weight was the intercept */
        t.w[3] = t.w[2];
        t.w[2] = 0;
        if (fscanf(fp, "%d", &t.fitted) != 1) goto out;
    } else if (fscanf(fp, "%lf %d %lf", &t.w[3], &t.fitted, &t.lift) != 3) {
        goto out;
    }
    for (j = 0; j < CB_D; j++)
        if (!isfinite(t.w[j])) goto out;
    if ((t.fitted != 0 && t.fitted != 1) || !isfinite(t.lift) || t.lift < 0) goto out;
    *k = t;
    rc = TC_OK;
out:
    fclose(fp);
    return rc;
}
