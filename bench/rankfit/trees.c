/* trees.c - check the per-repository boosted trees (fit_trees in
 * src/suggest/suggest.c) offline: for each repository of TEST, the listwise
 * chooser fitted on PRIOR (as prior.c fits SG_CHOOSE_W: every feature but
 * 58-61; LORO=1: without the repository of the same name; W=FILE: instead
 * the engine's own SG_CHOOSE_W read from FILE, src/suggest/suggest.c),
 * then NTREES trees fitted on that repository's own masked cases in OWN
 * (what the engine does when it indexes it; the sibling variants, feature
 * 62, left out as the engine leaves them out), and the cases of TEST whose
 * top candidate is right, under the chooser alone and with each tree count.
 *   cc -O2 -Isrc -o trees bench/rankfit/trees.c src/rank/rank.c -lm
 *   trees PRIOR OWN TEST
 * Out of the suite: PRIOR = OWN = fit.sh's dump.txt, TEST = another
 * seed's (RANKFIT_SEEDS=1 bash bench/rankfit/fit.sh DIR), LORO=1. On the
 * quality suite: OWN and TEST from suite_dumps.py; with W= the counts are
 * the suite's own (misses.py's chosen, repository by repository). RATE:
 * shrinkage (0.1); NTS: the tree counts, comma-separated (0,8,16,32,64);
 * DROP: features zeroed in OWN and TEST, comma-separated (an ablation);
 * BAG=K: K fits each without a Kth of the cases, averaged; BASEF=F: the
 * chooser's score given to the trees as feature F (a constant one: 11);
 * CVSEL=1: also the tree count chosen per repository by 4-fold
 * cross-validation on its own cases among CVC (0,16,32,48,64).
 * Several sections of one name in OWN pool their cases (seeds 0x7a11 and
 * 0x7a21 together are the engine's 1,280 cases).
 * A candidate with an empty text (feature 17 = 0) is never top. */
#include "dump.h"
#include <string.h>

static double bt = 1; /* BT: the chooser's score times BT, in the trees' fit and in the test */
static int basef = -1; /* BASEF=F: feature F (a constant one) replaced by the chooser's score, for the trees */
static size_t NT[16] = {0, 8, 16, 32, 64}, NNT = 5; /* NTS="0,32,64" overrides */
#define TREES_FROM 58 /* the chooser weighs every feature but 58..61, as prior.c fits it */
#define TREES_TO 62

/* The groups of repository rep of D (all: rep < 0, skip: the one not to take) copied out. */
static size_t take(const dump *D, int rep, int skip, float *X, uint8_t *y, size_t *g, int nosib) {
    size_t n = 0, ng = 0;
    g[0] = 0;
    for (size_t i = 0; i < D->n;) {
        size_t j = i; while (j < D->n && D->cid[j] == D->cid[i]) j++;
        if ((rep < 0 || D->rep[i] == rep) && D->rep[i] != skip) {
            for (size_t k = i; k < j; k++) {
                if (nosib && D->X[k * TC_RANK_NF + 62] != 0) continue; /* sibling variants: not in the engine's own rows */
                memcpy(X + n * TC_RANK_NF, D->X + k * TC_RANK_NF, TC_RANK_NF * sizeof *X);
                y[n++] = D->y[k];
            }
            g[++ng] = n;
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
                float x[TC_RANK_NF];
                memcpy(x, E->X + k * TC_RANK_NF, sizeof x);
                double c = bt * tc_rank_score(r, x);
                if (basef >= 0) x[basef] = (float)c;
                double s = c + tc_rank_trees_score(t, nt, x);
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

/* W=src/suggest/suggest.c: the engine's own chooser, SG_CHOOSE_W read from
 * that file (raw features, mu 0, sd 1), instead of one fitted on PRIOR.
 * 0 on success. */
static int engine_chooser(tc_rank *r, const char *path) {
    static char text[1 << 20];
    FILE *fp = fopen(path, "r");
    size_t n = fp ? fread(text, 1, sizeof text - 1, fp) : 0;
    if (fp) fclose(fp);
    text[n] = 0;
    char *p = strstr(text, "SG_CHOOSE_W[TC_RANK_NF] = {");
    if (!p) { fprintf(stderr, "trees: no SG_CHOOSE_W in %s\n", path); return -1; }
    p = strchr(p, '{') + 1;
    memset(r, 0, sizeof *r);
    for (int f = 0; f < TC_RANK_NF; f++) {
        r->w[f] = strtod(p, &p);
        r->sd[f] = 1;
        while (*p == ',' || *p == ' ' || *p == '\n') p++;
    }
    r->pa = 1;
    r->trained = 1;
    return 0;
}

/* CVSEL: the tree count chosen per repository by 4-fold cross-validation
 * on its own cases (rows X of ng cases g, base scores base): for fold f,
 * CVMAX trees fitted on the cases i % 4 != f; the held-out cases' top-1
 * counted at each count of CVC; the count with the most, the smaller on
 * ties. Returns it, or -1 on failure. */
static size_t CVC[16] = {0, 16, 32, 48, 64}, NCVC = 5;
static long cv_select(const float *X, const uint8_t *y, const size_t *g, size_t ng, const double *base, double rate,
                      float *Xb, uint8_t *yb, size_t *gb, double *bb, tc_rank_tree *t, int *hits) {
    size_t maxt = CVC[NCVC - 1];
    for (size_t c = 0; c < NCVC; c++) hits[c] = 0;
    for (int f = 0; f < 4; f++) {
        size_t n = 0, m = 0;
        gb[0] = 0;
        for (size_t i = 0; i < ng; i++) {
            if ((int)(i % 4) == f) continue;
            size_t r = g[i + 1] - g[i];
            memcpy(Xb + n * TC_RANK_NF, X + g[i] * TC_RANK_NF, r * TC_RANK_NF * sizeof *X);
            memcpy(yb + n, y + g[i], r);
            memcpy(bb + n, base + g[i], r * sizeof *base);
            n += r; gb[++m] = n;
        }
        if (maxt && tc_rank_trees_train(t, maxt, bb, Xb, yb, gb, m, rate)) return -1;
        for (size_t i = (size_t)f; i < ng; i += 4) {
            size_t r = g[i + 1] - g[i];
            double *sc = bb; /* scratch: the held-out case's running scores */
            for (size_t k = 0; k < r; k++) sc[k] = base[g[i] + k];
            size_t done = 0;
            for (size_t c = 0; c < NCVC; c++) {
                for (size_t k = 0; k < r; k++) sc[k] += tc_rank_trees_score(t + done, CVC[c] - done, X + (g[i] + k) * TC_RANK_NF);
                done = CVC[c];
                double best = -1e300; int right = 0;
                for (size_t k = 0; k < r; k++) {
                    if (X[(g[i] + k) * TC_RANK_NF + 17] == 0) continue;
                    if (sc[k] > best) { best = sc[k]; right = y[g[i] + k]; }
                }
                hits[c] += right;
            }
        }
    }
    size_t bc = 0;
    for (size_t c = 1; c < NCVC; c++) if (hits[c] > hits[bc]) bc = c;
    return (long)CVC[bc];
}

static int find(const dump *D, const char *name) {
    for (int t = 0; t < D->nrepo; t++) if (!strcmp(D->names[t], name)) return t;
    return -1;
}

int main(int argc, char **argv) {
    dump P, O, E;
    double rate = getenv("RATE") ? atof(getenv("RATE")) : 0.1;
    int loro = getenv("LORO") && atoi(getenv("LORO")), tot[16] = {0}, cvtot = 0;
    if (getenv("BT")) bt = atof(getenv("BT"));
    if (getenv("BASEF")) basef = atoi(getenv("BASEF"));
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
    if (getenv("CVC")) {
        char *cvc = strdup(getenv("CVC"));
        NCVC = 0;
        for (char *p = strtok(cvc, ","); p && NCVC < 16; p = strtok(NULL, ",")) CVC[NCVC++] = (size_t)atol(p);
        free(cvc);
    }
    size_t maxt = CVC[NCVC - 1];
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
        if (getenv("W")) {
            if (h == 0 && engine_chooser(&prior, getenv("W"))) return 1;
        } else if (h == 0 || loro) {
            size_t ng = take(&P, -1, loro ? find(&P, E.names[h]) : -1, X, y, g, 0);
            for (size_t i = 0; i < g[ng]; i++) memset(X + i * TC_RANK_NF + TREES_FROM, 0, (TREES_TO - TREES_FROM) * sizeof *X);
            memset(&prior, 0, sizeof prior);
            if (tc_rank_train_lists(&prior, X, y, g, ng, 1.0, NULL)) { fprintf(stderr, "listwise fit failed\n"); return 1; }
        }
        size_t ng = take(&O, oh, -1, X, y, g, 1);
        for (size_t i = 0; i < g[ng]; i++) {
            base[i] = bt * tc_rank_score(&prior, X + i * TC_RANK_NF);
            if (basef >= 0) X[i * TC_RANK_NF + basef] = (float)base[i];
        }
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
        if (getenv("CVSEL")) {
            int hits[16];
            long k = cv_select(X, y, g, ng, base, rate, Xb, yb, gb, bb, t, hits);
            if (k < 0 || (k && tc_rank_trees_train(t, (size_t)k, base, X, y, g, ng, rate))) { fprintf(stderr, "cv fit failed\n"); return 1; }
            int v = top1(&E, h, &prior, t, (size_t)k);
            printf(" | cv:");
            for (size_t c = 0; c < NCVC; c++) printf(" %d", hits[c]);
            printf(" -> %ld trees: %d", k, v);
            cvtot += v;
        }
        printf("\n");
    }
    if (getenv("CVSEL")) printf("cvsel: %d\n", cvtot);
    printf("total:");
    for (size_t k = 0; k < NNT; k++) printf(" %d", tot[k]);
    printf("\n");
    return 0;
}
