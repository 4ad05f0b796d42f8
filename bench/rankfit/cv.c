/* cv.c - leave-one-repository-out check of the prior: for each repository
 * of a TACIT_RANK_DUMP file (see fit.sh), fit the pointwise and the
 * listwise ranker on the others and count its cases whose top-scored
 * candidate is right ("reach": cases with any right candidate at all).
 *   cc -O2 -Isrc -o cv bench/rankfit/cv.c src/rank/rank.c -lm
 *   cv DUMP [F,F,...]     (optional feature indices zeroed: an ablation)
 * LAM: the L2 penalty (default 1.0). TEST=DUMP2 (a TACIT_CANDS_F dump
 * of the quality suite, see trees.c) then also fits both on all of DUMP
 * and counts top-1 per repository of DUMP2. A candidate with an empty
 * text (feature 17 = 0) is never top: the engine ranks it last. */
#include "dump.h"
#include <string.h>

int main(int argc, char **argv) {
    dump d;
    size_t i;
    int drop[TC_RANK_NF] = {0}, tot[2] = {0, 0}, totc = 0;
    double lam = getenv("LAM") ? atof(getenv("LAM")) : 1.0;
    if (argc < 2 || argc > 3) { fprintf(stderr, "usage: cv DUMP [F,F,...]\n"); return 2; }
    if (argc > 2) {
        char *p = argv[2], *q;
        while (*p) {
            long f = strtol(p, &q, 10);
            if (q == p || f < 0 || f >= TC_RANK_NF) { fprintf(stderr, "cv: bad feature list %s\n", argv[2]); return 2; }
            drop[f] = 1; p = *q == ',' ? q + 1 : q;
        }
    }
    if (dump_read(&d, argv[1])) return 1;
    dump te;
    int ntest = 0;
    if (getenv("TEST")) {
        if (dump_read(&te, getenv("TEST"))) return 1;
        ntest = te.nrepo;
    }
    for (i = 0; i < d.n; i++)
        for (int f = 0; f < TC_RANK_NF; f++) if (drop[f]) d.X[i * TC_RANK_NF + f] = 0;
    float *Xt = malloc(d.n * TC_RANK_NF * sizeof *Xt);
    uint8_t *yt = malloc(d.n);
    size_t *groups = malloc((d.n + 1) * sizeof *groups);
    if (!Xt || !yt || !groups) { fprintf(stderr, "out of memory\n"); return 1; }
    tc_rank r[2];
    for (int h = 0; h < d.nrepo + ntest; h++) {
        size_t nt = 0, ng = 0;
        int ok[2] = {0, 0}, nc = 0, reach = 0;
        /* h >= d.nrepo: fitted on all of DUMP (once), checked on TEST's repository h - d.nrepo */
        const dump *E = h < d.nrepo ? &d : &te;
        int eh = h < d.nrepo ? h : h - d.nrepo;
        if (h == d.nrepo) {
            printf("total %d: point %d list %d\n", totc, tot[0], tot[1]);
            tot[0] = tot[1] = totc = 0;
        }
        if (h > d.nrepo) goto check;
        groups[0] = 0;
        for (i = 0; i < d.n;) {
            size_t j = i; while (j < d.n && d.cid[j] == d.cid[i]) j++;
            if (d.rep[i] != h) {
                memcpy(Xt + nt * TC_RANK_NF, d.X + i * TC_RANK_NF, (j - i) * TC_RANK_NF * sizeof *Xt);
                memcpy(yt + nt, d.y + i, j - i);
                nt += j - i; groups[++ng] = nt;
            }
            i = j;
        }
        memset(r, 0, sizeof r);
        if (tc_rank_train(&r[0], Xt, yt, nt, lam)) fprintf(stderr, "pointwise fit failed\n");
        if (tc_rank_train_lists(&r[1], Xt, yt, groups, ng, lam, NULL)) fprintf(stderr, "listwise fit failed\n");
    check:
        for (i = 0; i < E->n;) {
            size_t j = i; while (j < E->n && E->cid[j] == E->cid[i]) j++;
            if (E->rep[i] == eh) {
                int any = 0;
                nc++;
                for (size_t k = i; k < j; k++) any |= E->y[k];
                reach += any;
                for (int m = 0; m < 2; m++) {
                    double best = -1e300; int right = 0;
                    for (size_t k = i; k < j; k++) {
                        if (E->X[k * TC_RANK_NF + 17] == 0) continue;
                        double s = tc_rank_score(&r[m], E->X + k * TC_RANK_NF);
                        if (s > best) { best = s; right = E->y[k]; }
                    }
                    ok[m] += right;
                }
            }
            i = j;
        }
        if (h < d.nrepo) printf("repo %d: cases %d reach %d point %d list %d\n", h, nc, reach, ok[0], ok[1]);
        else printf("%s: cases %d reach %d point %d list %d\n", E->names[eh], nc, reach, ok[0], ok[1]);
        tot[0] += ok[0]; tot[1] += ok[1]; totc += nc;
    }
    printf("total %d: point %d list %d%s\n", totc, tot[0], tot[1], ntest ? " (TEST, fitted on all of DUMP)" : "");
    return 0;
}
