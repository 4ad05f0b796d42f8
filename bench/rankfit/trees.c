/* trees.c - check the per-repository boosted trees (fit_trees in
 * src/suggest/suggest.c) offline: for each repository of TEST, the listwise
 * chooser fitted on PRIOR (as prior.c fits SG_CHOOSE_W; LORO=1: without the
 * repository of the same name), then NTREES trees fitted on that
 * repository's own masked cases in OWN (what the engine does when it
 * indexes it), and the cases of TEST whose top candidate is right, under
 * the chooser alone and with each tree count.
 *   cc -O2 -Isrc -o trees bench/rankfit/trees.c src/rank/rank.c -lm
 *   trees PRIOR OWN TEST
 * Out of the suite: PRIOR = OWN = fit.sh's dump.txt, TEST = another
 * seed's (RANKFIT_SEEDS=1 bash bench/rankfit/fit.sh DIR), LORO=1. On the
 * quality suite: OWN and TEST from suite_dumps.py. RATE: shrinkage (0.1);
 * NTS: the tree counts, comma-separated (0,8,16,32,64); DROP: features
 * zeroed in OWN and TEST, comma-separated (an ablation). The chooser is
 * fitted on features 0..LINEAR_NF-1 (later ones zeroed), as prior.c's.
 * Several sections of one name in OWN pool their cases (seeds 0x7a11 and
 * 0x7a21 together are the engine's 1,280 cases).
 * A candidate with an empty text (feature 17 = 0) is never top. */
#include "dump.h"
#include <string.h>

static size_t NT[16] = {0, 8, 16, 32, 64}, NNT = 5; /* NTS="0,32,64" overrides */
#define LINEAR_NF 58 /* the chooser weighs features 0..57, as prior.c fits it */

/* The groups of repository rep of D (all: rep < 0, skip: the one not to take) copied out. */
static size_t take(const dump *D, int rep, int skip, float *X, uint8_t *y, size_t *g) {
    size_t n = 0, ng = 0;
    g[0] = 0;
    for (size_t i = 0; i < D->n;) {
        size_t j = i; while (j < D->n && D->cid[j] == D->cid[i]) j++;
        if ((rep < 0 || D->rep[i] == rep) && D->rep[i] != skip) {
            memcpy(X + n * TC_RANK_NF, D->X + i * TC_RANK_NF, (j - i) * TC_RANK_NF * sizeof *X);
            memcpy(y + n, D->y + i, j - i);
            n += j - i; g[++ng] = n;
        }
        i = j;
    }
    return ng;
}

static int top1(const dump *E, int rep, const tc_rank *r, const tc_rank_tree *t, size_t nt) {
    int ok = 0;
    for (size_t i = 0; i < E->n;) {
        size_t j = i; while (j < E->n && E->cid[j] == E->cid[i]) j++;
        if (E->rep[i] == rep) {
            double best = -1e300; int right = 0;
            for (size_t k = i; k < j; k++) {
                if (E->X[k * TC_RANK_NF + 17] == 0) continue;
                double s = tc_rank_score(r, E->X + k * TC_RANK_NF) + tc_rank_trees_score(t, nt, E->X + k * TC_RANK_NF);
                if (s > best) { best = s; right = E->y[k]; }
            }
            ok += right;
        }
        i = j;
    }
    return ok;
}

/* BAG=K: instead of one fit on all ng cases of X, K fits, fit k without
 * the cases i with i % K == k, their leaves scaled by 1/K: K * nt trees
 * in t. Xb, yb, gb: room for the rows taken. 0 on success. */
static int fit_bag(tc_rank_tree *t, size_t nt, int K, const double *base, const float *X, const uint8_t *y,
                   const size_t *g, size_t ng, double rate, float *Xb, uint8_t *yb, size_t *gb, double *bb) {
    for (int k = 0; k < K; k++) {
        size_t n = 0, m = 0;
        gb[0] = 0;
        for (size_t i = 0; i < ng; i++) {
            if ((int)(i % (size_t)K) == k) continue;
            size_t r = g[i + 1] - g[i];
            memcpy(Xb + n * TC_RANK_NF, X + g[i] * TC_RANK_NF, r * TC_RANK_NF * sizeof *X);
            memcpy(yb + n, y + g[i], r);
            memcpy(bb + n, base + g[i], r * sizeof *base);
            n += r; gb[++m] = n;
        }
        if (tc_rank_trees_train(t + (size_t)k * nt, nt, bb, Xb, yb, gb, m, rate)) return -1;
        for (size_t j = 0; j < nt; j++)
            for (int a = 0; a <= TC_RANK_TREE_NODES; a++) t[(size_t)k * nt + j].leaf[a] /= (float)K;
    }
    return 0;
}

static int find(const dump *D, const char *name) {
    for (int t = 0; t < D->nrepo; t++) if (!strcmp(D->names[t], name)) return t;
    return -1;
}

int main(int argc, char **argv) {
    dump P, O, E;
    double rate = getenv("RATE") ? atof(getenv("RATE")) : 0.1;
    int loro = getenv("LORO") && atoi(getenv("LORO")), tot[16] = {0};
    if (argc != 4) { fprintf(stderr, "usage: trees PRIOR OWN TEST\n"); return 2; }
    if (dump_read(&P, argv[1]) || dump_read(&O, argv[2]) || dump_read(&E, argv[3])) return 1;
    if (getenv("DROP")) {
        char *drop = strdup(getenv("DROP"));
        for (char *p = strtok(drop, ","); p; p = strtok(NULL, ",")) {
            int f = atoi(p);
            if (f < 0 || f >= TC_RANK_NF) { fprintf(stderr, "trees: bad feature %s in DROP\n", p); return 2; }
            for (size_t i = 0; i < O.n; i++) O.X[i * TC_RANK_NF + f] = 0;
            for (size_t i = 0; i < E.n; i++) E.X[i * TC_RANK_NF + f] = 0;
        }
        free(drop);
    }
    size_t cap = P.n > O.n ? P.n : O.n;
    float *X = malloc(cap * TC_RANK_NF * sizeof *X);
    uint8_t *y = malloc(cap);
    size_t *g = malloc((cap + 1) * sizeof *g);
    double *base = malloc(cap * sizeof *base);
    if (getenv("NTS")) {
        char *nts = strdup(getenv("NTS"));
        NNT = 0;
        for (char *p = strtok(nts, ","); p && NNT < 16; p = strtok(NULL, ",")) NT[NNT++] = (size_t)atol(p);
        free(nts);
    }
    size_t maxt = 1;
    for (size_t k = 0; k < NNT; k++) if (NT[k] > maxt) maxt = NT[k];
    int bag = getenv("BAG") ? atoi(getenv("BAG")) : 1;
    tc_rank_tree *t = malloc(maxt * (size_t)(bag > 1 ? bag : 1) * sizeof *t);
    float *Xb = malloc(cap * TC_RANK_NF * sizeof *Xb);
    uint8_t *yb = malloc(cap);
    size_t *gb = malloc((cap + 1) * sizeof *gb);
    double *bb = malloc(cap * sizeof *bb);
    if (!Xb || !yb || !gb || !bb) { fprintf(stderr, "out of memory\n"); return 1; }
    if (!X || !y || !g || !base || !t) { fprintf(stderr, "out of memory\n"); return 1; }
    tc_rank prior;
    printf("repository: chooser alone / with");
    for (size_t k = 1; k < NNT; k++) printf(" %zu", NT[k]);
    printf(" trees (rate %g%s)\n", rate, loro ? ", chooser fitted without the repository" : "");
    for (int h = 0; h < E.nrepo; h++) {
        int oh = find(&O, E.names[h]);
        if (oh < 0) { fprintf(stderr, "trees: %s is not in %s\n", E.names[h], argv[2]); return 1; }
        if (h == 0 || loro) {
            size_t ng = take(&P, -1, loro ? find(&P, E.names[h]) : -1, X, y, g);
            for (size_t i = 0; i < g[ng]; i++) memset(X + i * TC_RANK_NF + LINEAR_NF, 0, (TC_RANK_NF - LINEAR_NF) * sizeof *X);
            memset(&prior, 0, sizeof prior);
            if (tc_rank_train_lists(&prior, X, y, g, ng, 1.0, NULL)) { fprintf(stderr, "listwise fit failed\n"); return 1; }
        }
        size_t ng = take(&O, oh, -1, X, y, g);
        for (size_t i = 0; i < g[ng]; i++) base[i] = tc_rank_score(&prior, X + i * TC_RANK_NF);
        printf("%s:", E.names[h]);
        for (size_t k = 0; k < NNT; k++) {
            if (NT[k] && (bag > 1 ? fit_bag(t, NT[k], bag, base, X, y, g, ng, rate, Xb, yb, gb, bb)
                                  : tc_rank_trees_train(t, NT[k], base, X, y, g, ng, rate))) {
                fprintf(stderr, "trees fit failed\n");
                return 1;
            }
            int v = top1(&E, h, &prior, t, NT[k] * (size_t)(bag > 1 ? bag : 1));
            printf(" %d", v);
            tot[k] += v;
        }
        printf("\n");
    }
    printf("total:");
    for (size_t k = 0; k < NNT; k++) printf(" %d", tot[k]);
    printf("\n");
    return 0;
}
