/* rank.c - see rank.h. */
#include "rank/rank.h"
#include "util/status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RK_ITERS 25
#define RK_FILE_MAGIC "tacit-rank 1"

static double sigmoid(double z)
{
    if (z >= 0) return 1.0 / (1.0 + exp(-z));
    {
        double ez = exp(z);
        return ez / (1.0 + ez);
    }
}

/* Solve A x = b (A: d x d, symmetric positive definite after the ridge)
 * by Gaussian elimination with partial pivoting; A and b are destroyed. */
static int solve(double *A, double *b, double *x, int d)
{
    int i, j, k;
    for (k = 0; k < d; k++) {
        int piv = k;
        for (i = k + 1; i < d; i++)
            if (fabs(A[i * d + k]) > fabs(A[piv * d + k])) piv = i;
        if (fabs(A[piv * d + k]) < 1e-12) return TC_EINVAL;
        if (piv != k) {
            for (j = 0; j < d; j++) {
                double t = A[k * d + j];
                A[k * d + j] = A[piv * d + j];
                A[piv * d + j] = t;
            }
            {
                double t = b[k];
                b[k] = b[piv];
                b[piv] = t;
            }
        }
        for (i = k + 1; i < d; i++) {
            double f = A[i * d + k] / A[k * d + k];
            if (f == 0) continue;
            for (j = k; j < d; j++) A[i * d + j] -= f * A[k * d + j];
            b[i] -= f * b[k];
        }
    }
    for (k = d - 1; k >= 0; k--) {
        double s = b[k];
        for (j = k + 1; j < d; j++) s -= A[k * d + j] * x[j];
        x[k] = s / A[k * d + k];
    }
    return TC_OK;
}

/* Penalised negative log-likelihood of w on Z (the intercept, last, not
 * penalised). */
static double objective(const double *Z, const uint8_t *y, size_t n, int d, double lambda, const double *w0,
                        const double *w)
{
    double L = 0;
    size_t i;
    int a;
    for (i = 0; i < n; i++) {
        const double *z = Z + i * (size_t)d;
        double s = 0;
        for (a = 0; a < d; a++) s += w[a] * z[a];
        /* log(1 + exp(-s)) for y = 1, log(1 + exp(s)) for y = 0, stably */
        s = y[i] ? -s : s;
        L += s > 0 ? s + log1p(exp(-s)) : log1p(exp(s));
    }
    for (a = 0; a < d - 1; a++) L += 0.5 * lambda * (w[a] - w0[a]) * (w[a] - w0[a]);
    return L;
}

/* Newton (IRLS) with step halving for logistic regression on Z[n x d]
 * (last column the intercept, never penalised). w in/out. */
static int newton(const double *Z, const uint8_t *y, size_t n, int d, double lambda, const double *w0, double *w)
{
    double *H = malloc((size_t)d * d * sizeof *H), *g = malloc((size_t)d * sizeof *g);
    double *step = malloc((size_t)d * sizeof *step), *wt = malloc((size_t)d * sizeof *wt);
    double L;
    int it, rc = TC_OK;
    if (!H || !g || !step || !wt) {
        rc = TC_ENOMEM;
        goto out;
    }
    L = objective(Z, y, n, d, lambda, w0, w);
    for (it = 0; it < RK_ITERS; it++) {
        size_t i;
        int a, b, half;
        double t = 1, Lt = L;
        memset(H, 0, (size_t)d * d * sizeof *H);
        memset(g, 0, (size_t)d * sizeof *g);
        for (i = 0; i < n; i++) {
            const double *z = Z + i * (size_t)d;
            double s = 0, p, q;
            for (a = 0; a < d; a++) s += w[a] * z[a];
            p = sigmoid(s);
            q = p * (1 - p);
            if (q < 1e-10) q = 1e-10;
            for (a = 0; a < d; a++) {
                g[a] += (p - y[i]) * z[a];
                if (z[a] == 0) continue;
                for (b = 0; b <= a; b++) H[a * d + b] += q * z[a] * z[b];
            }
        }
        for (a = 0; a < d; a++) {
            for (b = 0; b < a; b++) H[b * d + a] = H[a * d + b];
            if (a < d - 1) {
                H[a * d + a] += lambda;
                g[a] += lambda * (w[a] - w0[a]);
            } else {
                H[a * d + a] += 1e-6;
            }
        }
        if ((rc = solve(H, g, step, d))) goto out;
        for (half = 0; half < 30; half++, t *= 0.5) {
            for (a = 0; a < d; a++) wt[a] = w[a] - t * step[a];
            Lt = objective(Z, y, n, d, lambda, w0, wt);
            if (Lt <= L) break;
        }
        if (half == 30) break; /* no descent: converged as far as doubles go */
        memcpy(w, wt, (size_t)d * sizeof *w);
        if (L - Lt < 1e-9 * (1 + L)) break;
        L = Lt;
    }
out:
    free(H);
    free(g);
    free(step);
    free(wt);
    return rc;
}

int tc_rank_train(tc_rank *r, const float *X, const uint8_t *y, size_t n, double lambda)
{
    return tc_rank_train_prior(r, X, y, n, lambda, NULL);
}

int tc_rank_train_prior(tc_rank *r, const float *X, const uint8_t *y, size_t n, double lambda, const tc_rank *prior)
{
    const int d = TC_RANK_NF + 1;
    double *Z = NULL, w[TC_RANK_NF + 1] = {0}, w0[TC_RANK_NF + 1] = {0};
    size_t i, npos = 0;
    int f, rc;
    if (lambda <= 0) lambda = 1.0;
    for (i = 0; i < n; i++) npos += y[i] != 0;
    if (!n || !npos || npos == n) return TC_EINVAL;
    Z = malloc(n * (size_t)d * sizeof *Z);
    if (!Z) return TC_ENOMEM;
    for (f = 0; f < TC_RANK_NF; f++) {
        double s = 0, s2 = 0, mu, var;
        for (i = 0; i < n; i++) s += X[i * TC_RANK_NF + f];
        mu = s / (double)n;
        for (i = 0; i < n; i++) {
            double dv = X[i * TC_RANK_NF + f] - mu;
            s2 += dv * dv;
        }
        var = s2 / (double)n;
        r->mu[f] = mu;
        r->sd[f] = var > 1e-12 ? sqrt(var) : 1.0;
    }
    for (i = 0; i < n; i++) {
        for (f = 0; f < TC_RANK_NF; f++) Z[i * d + f] = (X[i * TC_RANK_NF + f] - r->mu[f]) / r->sd[f];
        Z[i * d + TC_RANK_NF] = 1.0;
    }
    if (prior && prior->trained)
        for (f = 0; f < TC_RANK_NF; f++) w[f] = w0[f] = prior->w[f] / prior->sd[f] * r->sd[f];
    w[TC_RANK_NF] = log((double)npos / (double)(n - npos));
    rc = newton(Z, y, n, d, lambda, w0, w);
    free(Z);
    if (rc) return rc;
    memcpy(r->w, w, sizeof r->w);
    r->bias = w[TC_RANK_NF];
    r->pa = 1;
    r->pb = 0;
    r->trained = 1;
    r->npos = (uint32_t)npos;
    return TC_OK;
}

double tc_rank_score(const tc_rank *r, const float *x)
{
    double s;
    int f;
    if (!r->trained) return 0;
    s = r->bias;
    for (f = 0; f < TC_RANK_NF; f++) s += r->w[f] * ((x[f] - r->mu[f]) / r->sd[f]);
    return s;
}

int tc_rank_calibrate(tc_rank *r, const double *s, const uint8_t *y, size_t n)
{
    double *Z, w[2], w0[2];
    size_t i, npos = 0;
    int rc;
    for (i = 0; i < n; i++) npos += y[i] != 0;
    if (!n || !npos || npos == n) return TC_EINVAL;
    Z = malloc(n * 2 * sizeof *Z);
    if (!Z) return TC_ENOMEM;
    for (i = 0; i < n; i++) {
        Z[2 * i] = s[i];
        Z[2 * i + 1] = 1;
    }
    w[0] = 1;
    w[1] = 0;
    w0[0] = w0[1] = 0;
    /* a light ridge on the slope keeps a tiny held-out set from making it extreme */
    rc = newton(Z, y, n, 2, 0.1, w0, w);
    free(Z);
    if (rc) return rc;
    if (!(w[0] > 0) || !isfinite(w[1])) return TC_EINVAL; /* a ranker worse than chance: keep the identity */
    r->pa = w[0];
    r->pb = w[1];
    return TC_OK;
}

double tc_rank_prob(const tc_rank *r, double score) { return sigmoid(r->pa * score + r->pb); }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* (rank.c stays free of libraries: bench/rankfit builds it alone) */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

uint64_t tc_rank_key(uint64_t *h, size_t n, uint64_t salt)
{
    uint64_t k = mix64(salt ^ 0x9e3779b97f4a7c15ull);
    size_t i;
    if (n) qsort(h, n, sizeof *h, cmp_u64);
    for (i = 0; i < n; i++) k = mix64(k ^ h[i]) + (uint64_t)i;
    return mix64(k ^ (uint64_t)n);
}

/* Close fp, written as tmp, and move it over path: a reader sees the old
 * file or the whole new one, never a torn one. On any error tmp is removed
 * and TC_EIO returned. */
static int rk_file_commit(FILE *fp, const char *tmp, const char *path)
{
    int ok = !ferror(fp);
    ok = fclose(fp) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return TC_EIO;
    }
    return TC_OK;
}

int tc_rank_save(const tc_rank *r, const char *path, uint64_t key)
{
    char tmp[4200];
    FILE *fp;
    int f;
    if (!r->trained) return TC_EINVAL;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fp = fopen(tmp, "w");
    if (!fp) return TC_EIO;
    fprintf(fp, "%s %d %016llx %u %u\n", RK_FILE_MAGIC, TC_RANK_NF, (unsigned long long)key, r->ncases, r->npos);
    fprintf(fp, "%.17g %.17g %.17g\n", r->bias, r->pa, r->pb);
    for (f = 0; f < TC_RANK_NF; f++) fprintf(fp, "%.17g %.17g %.17g\n", r->mu[f], r->sd[f], r->w[f]);
    return rk_file_commit(fp, tmp, path);
}

int tc_rank_load(tc_rank *r, const char *path, uint64_t key)
{
    FILE *fp = fopen(path, "r");
    tc_rank t;
    char magic[32], name[32];
    int nf, f, rc = TC_EIO;
    unsigned long long k;
    memset(&t, 0, sizeof t);
    memset(r, 0, sizeof *r);
    if (!fp) return TC_EIO;
    if (fscanf(fp, "%31s %31s %d %llx %u %u", magic, name, &nf, &k, &t.ncases, &t.npos) != 6) goto out;
    if (strcmp(magic, "tacit-rank") != 0 || strcmp(name, "1") != 0 || nf != TC_RANK_NF || k != key) goto out;
    if (fscanf(fp, "%lf %lf %lf", &t.bias, &t.pa, &t.pb) != 3) goto out;
    for (f = 0; f < TC_RANK_NF; f++) {
        if (fscanf(fp, "%lf %lf %lf", &t.mu[f], &t.sd[f], &t.w[f]) != 3) goto out;
        if (!(t.sd[f] > 0) || !isfinite(t.w[f]) || !isfinite(t.mu[f])) goto out;
    }
    if (!isfinite(t.bias) || !isfinite(t.pa) || !isfinite(t.pb)) goto out;
    t.trained = 1;
    *r = t;
    rc = TC_OK;
out:
    fclose(fp);
    return rc;
}

/* ---- listwise: a softmax over each case's candidates ------------------------ */

/* Negative log-likelihood of the right candidates under a softmax per
 * group, plus the ridge around w0. Groups without a right candidate are
 * skipped by the caller. */
static double lw_objective(const double *Z, const uint8_t *y, const size_t *gs, size_t ng, int d, double lambda,
                           const double *w0, const double *w)
{
    double L = 0;
    size_t g, i;
    int a;
    for (g = 0; g < ng; g++) {
        double mx = -1e300, sum = 0, pos = -1e300;
        for (i = gs[g]; i < gs[g + 1]; i++) {
            double s = 0;
            for (a = 0; a < d; a++) s += w[a] * Z[i * (size_t)d + a];
            if (s > mx) mx = s;
        }
        for (i = gs[g]; i < gs[g + 1]; i++) {
            double s = 0;
            for (a = 0; a < d; a++) s += w[a] * Z[i * (size_t)d + a];
            sum += exp(s - mx);
            if (y[i] && s > pos) pos = s;
        }
        L += log(sum) + mx - pos;
    }
    for (a = 0; a < d; a++) L += 0.5 * lambda * (w[a] - w0[a]) * (w[a] - w0[a]);
    return L;
}

int tc_rank_train_lists(tc_rank *r, const float *X, const uint8_t *y, const size_t *groups, size_t ngroups,
                        double lambda, const tc_rank *prior)
{
    const int d = TC_RANK_NF;
    size_t n = groups[ngroups], i, g, ng = 0, npos = 0;
    double *Z = NULL, *H = NULL, *grad = NULL, *step = NULL, *wt = NULL, *px = NULL, *pr = NULL;
    size_t *gs = NULL;
    double w[TC_RANK_NF] = {0}, w0[TC_RANK_NF] = {0}, L;
    int f, it, rc = TC_OK;
    if (lambda <= 0) lambda = 1.0;
    if (!n) return TC_EINVAL;
    Z = malloc(n * (size_t)d * sizeof *Z);
    gs = malloc((ngroups + 1) * sizeof *gs);
    H = malloc((size_t)d * d * sizeof *H);
    grad = malloc((size_t)d * sizeof *grad);
    step = malloc((size_t)d * sizeof *step);
    wt = malloc((size_t)d * sizeof *wt);
    px = malloc((size_t)d * sizeof *px);
    pr = malloc(n * sizeof *pr);
    if (!Z || !gs || !H || !grad || !step || !wt || !px || !pr) {
        rc = TC_ENOMEM;
        goto out;
    }
    for (f = 0; f < d; f++) {
        double s = 0, s2 = 0, mu, var;
        for (i = 0; i < n; i++) s += X[i * d + f];
        mu = s / (double)n;
        for (i = 0; i < n; i++) s2 += (X[i * d + f] - mu) * (X[i * d + f] - mu);
        var = s2 / (double)n;
        r->mu[f] = mu;
        r->sd[f] = var > 1e-12 ? sqrt(var) : 1.0;
    }
    /* keep the groups with a right candidate, compacted */
    {
        size_t w2 = 0;
        gs[0] = 0;
        for (g = 0; g < ngroups; g++) {
            int any = 0;
            for (i = groups[g]; i < groups[g + 1]; i++) any |= y[i];
            if (!any) continue;
            for (i = groups[g]; i < groups[g + 1]; i++, w2++) {
                for (f = 0; f < d; f++) Z[w2 * d + f] = (X[i * d + f] - r->mu[f]) / r->sd[f];
                pr[w2] = y[i];
                npos += y[i];
            }
            gs[++ng] = w2;
        }
    }
    if (ng < 2) {
        rc = TC_EINVAL;
        goto out;
    }
    {
        /* labels compacted alongside Z */
        uint8_t *yy = malloc(gs[ng] + 1);
        if (!yy) {
            rc = TC_ENOMEM;
            goto out;
        }
        for (i = 0; i < gs[ng]; i++) yy[i] = (uint8_t)pr[i];
        if (prior && prior->trained)
            for (f = 0; f < d; f++) w[f] = w0[f] = prior->w[f] / prior->sd[f] * r->sd[f];
        L = lw_objective(Z, yy, gs, ng, d, lambda, w0, w);
        for (it = 0; it < 30; it++) {
            double t = 1, Lt = L;
            int a, b, half;
            memset(H, 0, (size_t)d * d * sizeof *H);
            memset(grad, 0, (size_t)d * sizeof *grad);
            for (g = 0; g < ng; g++) {
                double mx = -1e300, sum = 0;
                size_t npg = 0;
                for (i = gs[g]; i < gs[g + 1]; i++) {
                    double s = 0;
                    for (a = 0; a < d; a++) s += w[a] * Z[i * d + a];
                    pr[i] = s;
                    if (s > mx) mx = s;
                    npg += yy[i];
                }
                for (i = gs[g]; i < gs[g + 1]; i++) sum += (pr[i] = exp(pr[i] - mx));
                memset(px, 0, (size_t)d * sizeof *px);
                for (i = gs[g]; i < gs[g + 1]; i++) {
                    const double *z = Z + i * d;
                    double p = pr[i] / sum;
                    for (a = 0; a < d; a++) {
                        px[a] += p * z[a];
                        if (z[a] == 0) continue;
                        for (b = 0; b <= a; b++) H[a * d + b] += p * z[a] * z[b];
                    }
                    /* the right candidates share the target mass */
                    if (yy[i])
                        for (a = 0; a < d; a++) grad[a] -= z[a] / (double)npg;
                }
                for (a = 0; a < d; a++) {
                    grad[a] += px[a];
                    for (b = 0; b <= a; b++) H[a * d + b] -= px[a] * px[b];
                }
            }
            for (a = 0; a < d; a++) {
                for (b = 0; b < a; b++) H[b * d + a] = H[a * d + b];
                H[a * d + a] += lambda;
                grad[a] += lambda * (w[a] - w0[a]);
            }
            if ((rc = solve(H, grad, step, d))) break;
            for (half = 0; half < 30; half++, t *= 0.5) {
                for (a = 0; a < d; a++) wt[a] = w[a] - t * step[a];
                Lt = lw_objective(Z, yy, gs, ng, d, lambda, w0, wt);
                if (Lt <= L) break;
            }
            if (half == 30) break;
            memcpy(w, wt, (size_t)d * sizeof *w);
            if (L - Lt < 1e-9 * (1 + L)) break;
            L = Lt;
        }
        free(yy);
    }
    if (rc) goto out;
    memcpy(r->w, w, sizeof r->w);
    r->bias = 0; /* a softmax has no intercept: Platt supplies it */
    r->pa = 1;
    r->pb = 0;
    r->trained = 1;
    r->npos = (uint32_t)npos;
out:
    free(Z);
    free(gs);
    free(H);
    free(grad);
    free(step);
    free(wt);
    free(px);
    free(pr);
    return rc;
}

/* ---- boosted trees ------------------------------------------------------------ */

#define RK_BINS 32       /* cut points a feature at most */
#define RK_TREE_LAMBDA 1.0 /* L2 penalty of a leaf (on the summed Hessian) */
#define RK_TREE_MIN_H 1.0  /* least Hessian a child keeps */

double tc_rank_trees_score(const tc_rank_tree *t, size_t n, const float *x)
{
    double s = 0;
    size_t k;
    for (k = 0; k < n; k++) {
        int node = 0, d;
        for (d = 0; d < 3; d++) node = 2 * node + 1 + (x[t[k].f[node]] > t[k].t[node]);
        s += t[k].leaf[node - TC_RANK_TREE_NODES];
    }
    return s;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Cut points of feature f over the n rows of X: midpoints between the
 * distinct values at up to RK_BINS quantiles; returns their count. */
static int tree_cuts(const float *X, size_t n, int f, float *tmp, float *cut)
{
    size_t i;
    int nc = 0, q;
    for (i = 0; i < n; i++) tmp[i] = X[i * TC_RANK_NF + f];
    qsort(tmp, n, sizeof *tmp, cmp_float);
    for (q = 1; q <= RK_BINS; q++) {
        size_t at = (size_t)((double)q * (double)n / (RK_BINS + 1));
        size_t j = at;
        float v;
        if (at >= n) break;
        v = tmp[at];
        /* the next distinct value above v: the cut lies between them */
        while (j < n && tmp[j] == v) j++;
        if (j == n) break;
        if (nc && cut[nc - 1] >= v) continue;
        cut[nc++] = v + (tmp[j] - v) / 2;
    }
    return nc;
}

double tc_rank_bag_score(const tc_rank_tree *t, size_t n, size_t k, const float *x)
{
    return tc_rank_trees_score(t, n, x) / (double)(k ? k : 1);
}

int tc_rank_trees_train(tc_rank_tree *t, size_t ntrees, const double *base, const float *X, const uint8_t *y,
                        const size_t *groups, size_t ngroups, double rate)
{
    const int d = TC_RANK_NF;
    size_t n = groups[ngroups], i, g, k, nuse = 0;
    float(*cut)[RK_BINS] = NULL, *tmp = NULL;
    int ncut[TC_RANK_NF];
    uint8_t *bin = NULL, *use = NULL;
    uint8_t *node = NULL;
    double *s = NULL, *gr = NULL, *he = NULL, *hist = NULL;
    const size_t hsize = (size_t)d * (RK_BINS + 1) * 2; /* one node's histograms */
    int rc = TC_OK, f;
    if (rate <= 0) rate = 0.1;
    if (!n) return TC_EINVAL;
    cut = malloc(TC_RANK_NF * sizeof *cut);
    tmp = malloc(n * sizeof *tmp);
    bin = malloc(n * (size_t)d);
    use = calloc(n, 1);
    node = malloc(n);
    s = malloc(n * sizeof *s);
    gr = calloc(n, sizeof *gr);
    he = calloc(n, sizeof *he);
    /* 4 nodes a level at most, twice: this level's and its parents' */
    hist = malloc((size_t)8 * hsize * sizeof *hist);
    if (!cut || !tmp || !bin || !use || !node || !s || !gr || !he || !hist) {
        rc = TC_ENOMEM;
        goto out;
    }
    for (g = 0; g < ngroups; g++) {
        int any = 0;
        for (i = groups[g]; i < groups[g + 1]; i++) any |= y[i];
        for (i = groups[g]; i < groups[g + 1]; i++) use[i] = (uint8_t)any;
        nuse += (size_t)any;
    }
    if (nuse < 2) {
        rc = TC_EINVAL;
        goto out;
    }
    for (f = 0; f < d; f++) ncut[f] = tree_cuts(X, n, f, tmp, cut[f]);
    for (i = 0; i < n; i++) {
        s[i] = base ? base[i] : 0;
        for (f = 0; f < d; f++) {
            int b = 0;
            while (b < ncut[f] && X[i * d + f] > cut[f][b]) b++;
            bin[i * d + f] = (uint8_t)b;
        }
    }
    for (k = 0; k < ntrees; k++) {
        tc_rank_tree *tr = &t[k];
        int lev, a;
        /* gradient and Hessian of the softmax loss per example */
        for (g = 0; g < ngroups; g++) {
            double mx = -1e300, sum = 0, npos = 0;
            if (groups[g] == groups[g + 1] || !use[groups[g]]) continue;
            for (i = groups[g]; i < groups[g + 1]; i++) {
                if (s[i] > mx) mx = s[i];
                npos += y[i];
            }
            for (i = groups[g]; i < groups[g + 1]; i++) sum += exp(s[i] - mx);
            for (i = groups[g]; i < groups[g + 1]; i++) {
                double p = exp(s[i] - mx) / sum;
                gr[i] = p - (y[i] ? 1.0 / npos : 0);
                he[i] = p * (1 - p) > 1e-6 ? p * (1 - p) : 1e-6;
            }
        }
        memset(node, 0, n);
        for (lev = 0; lev < 3; lev++) {
            int nn = 1 << lev, first = nn - 1, small[2] = {0, 0};
            double *cur = hist + (size_t)(lev & 1) * 4 * hsize, *par = hist + (size_t)(~lev & 1) * 4 * hsize;
            /* below the root, only the child with fewer rows of each pair
             * is summed; its sibling is the parent's histogram less it */
            if (lev) {
                size_t cnt[4] = {0, 0, 0, 0};
                for (i = 0; i < n; i++) cnt[node[i]] += use[i];
                for (a = 0; a < nn / 2; a++) small[a] = cnt[2 * a] <= cnt[2 * a + 1] ? 2 * a : 2 * a + 1;
            }
            memset(cur, 0, (size_t)nn * hsize * sizeof *hist);
            for (i = 0; i < n; i++) {
                double *h;
                if (!use[i] || (lev && node[i] != small[node[i] / 2])) continue;
                h = cur + (size_t)node[i] * hsize;
                for (f = 0; f < d; f++) {
                    double *c = h + ((size_t)f * (RK_BINS + 1) + bin[i * d + f]) * 2;
                    c[0] += gr[i];
                    c[1] += he[i];
                }
            }
            for (a = 0; lev && a < nn / 2; a++) {
                const double *p = par + (size_t)a * hsize, *sm = cur + (size_t)small[a] * hsize;
                double *big = cur + (size_t)(small[a] ^ 1) * hsize;
                size_t j;
                for (j = 0; j < hsize; j++) big[j] = p[j] - sm[j];
            }
            for (a = 0; a < nn; a++) {
                const double *h = cur + (size_t)a * hsize;
                double G = 0, H = 0, best = 1e-9;
                int bf = 0, bb = -1, b;
                for (b = 0; b <= RK_BINS; b++) {
                    G += h[b * 2];
                    H += h[b * 2 + 1];
                }
                for (f = 0; f < d; f++) {
                    double GL = 0, HL = 0;
                    const double *hf = h + (size_t)f * (RK_BINS + 1) * 2;
                    for (b = 0; b < ncut[f]; b++) {
                        double GR, HR, gain;
                        GL += hf[b * 2];
                        HL += hf[b * 2 + 1];
                        GR = G - GL;
                        HR = H - HL;
                        if (HL < RK_TREE_MIN_H || HR < RK_TREE_MIN_H) continue;
                        gain = GL * GL / (HL + RK_TREE_LAMBDA) + GR * GR / (HR + RK_TREE_LAMBDA) -
                               G * G / (H + RK_TREE_LAMBDA);
                        if (gain > best) {
                            best = gain;
                            bf = f;
                            bb = b;
                        }
                    }
                }
                tr->f[first + a] = (uint8_t)bf;
                tr->t[first + a] = bb < 0 ? 3.0e38f : cut[bf][bb]; /* no split: all go left */
            }
            for (i = 0; i < n; i++) {
                int at = first + node[i];
                if (use[i]) node[i] = (uint8_t)(2 * node[i] + (X[i * d + tr->f[at]] > tr->t[at]));
            }
        }
        {
            double G[TC_RANK_TREE_NODES + 1] = {0}, H[TC_RANK_TREE_NODES + 1] = {0};
            for (i = 0; i < n; i++)
                if (use[i]) {
                    G[node[i]] += gr[i];
                    H[node[i]] += he[i];
                }
            for (a = 0; a <= TC_RANK_TREE_NODES; a++) tr->leaf[a] = (float)(-rate * G[a] / (H[a] + RK_TREE_LAMBDA));
        }
        for (i = 0; i < n; i++)
            if (use[i]) s[i] += tc_rank_trees_score(tr, 1, X + i * d);
    }
out:
    free(cut);
    free(tmp);
    free(bin);
    free(use);
    free(node);
    free(s);
    free(gr);
    free(he);
    free(hist);
    return rc;
}

#define RK_TREES_MAGIC "tacit-trees"

int tc_rank_trees_save(const tc_rank_tree *t, size_t n, const char *path, uint64_t key)
{
    char tmp[4200];
    FILE *fp;
    size_t k;
    int a;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fp = fopen(tmp, "w");
    if (!fp) return TC_EIO;
    fprintf(fp, "%s 1 %d %016llx %zu\n", RK_TREES_MAGIC, TC_RANK_NF, (unsigned long long)key, n);
    for (k = 0; k < n; k++) {
        for (a = 0; a < TC_RANK_TREE_NODES; a++) fprintf(fp, "%d %.9g ", t[k].f[a], t[k].t[a]);
        for (a = 0; a <= TC_RANK_TREE_NODES; a++) fprintf(fp, "%.9g%c", t[k].leaf[a], a == TC_RANK_TREE_NODES ? '\n' : ' ');
    }
    return rk_file_commit(fp, tmp, path);
}

int tc_rank_trees_load(tc_rank_tree *t, size_t cap, size_t *n, const char *path, uint64_t key)
{
    FILE *fp = fopen(path, "r");
    char magic[32], ver[32];
    int nf, rc = TC_EIO;
    unsigned long long k;
    size_t m, i;
    *n = 0;
    if (!fp) return TC_EIO;
    if (fscanf(fp, "%31s %31s %d %llx %zu", magic, ver, &nf, &k, &m) != 5) goto out;
    if (strcmp(magic, RK_TREES_MAGIC) != 0 || strcmp(ver, "1") != 0 || nf != TC_RANK_NF || k != key || m > cap)
        goto out;
    for (i = 0; i < m; i++) {
        int a;
        for (a = 0; a < TC_RANK_TREE_NODES; a++) {
            int f;
            if (fscanf(fp, "%d %f", &f, &t[i].t[a]) != 2 || f < 0 || f >= TC_RANK_NF || isnan(t[i].t[a])) goto out;
            t[i].f[a] = (uint8_t)f;
        }
        for (a = 0; a <= TC_RANK_TREE_NODES; a++)
            if (fscanf(fp, "%f", &t[i].leaf[a]) != 1 || !isfinite(t[i].leaf[a])) goto out;
    }
    *n = m;
    rc = TC_OK;
out:
    fclose(fp);
    return rc;
}
