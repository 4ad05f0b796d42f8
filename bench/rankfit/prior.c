/* prior.c - fit the embedded ranker's built-in prior on a TACIT_RANK_DUMP
 * file (see fit.sh) and print the constants of src/suggest/suggest.c:
 *   SG_CHOOSE_W  the listwise chooser (softmax over each request's candidates)
 *   SG_PRIOR_W, SG_PRIOR_BIAS  the pointwise ranker, on raw features
 *   SG_PRIOR_PA, SG_PRIOR_PB   its Platt calibration on the chooser's winners
 * Both rankers: L2 penalty 1.0 on standardised weights (LAM overrides).
 * They weigh every feature but TREES_FROM..TREES_TO-1 (58-61, how the
 * buffer uses a candidate's names and the candidates' agreement on them),
 * which are left to the per-repository trees, as a pooled linear weight on
 * them chose worse outside the repositories it was fitted on (cv.c); the
 * features after them (62-63, sibling names; 64-65, name pairs) are
 * weighed.
 *   cc -O2 -Isrc -o prior bench/rankfit/prior.c src/rank/rank.c -lm
 *   prior DUMP > prior.inc */
#include "dump.h"
#include <string.h>

#define TREES_FROM 58
#define TREES_TO 62

int main(int argc, char **argv) {
    dump d;
    size_t i, nh = 0, ng = 0;
    double lam = getenv("LAM") ? atof(getenv("LAM")) : 1.0;
    tc_rank r, ch;
    if (argc != 2) { fprintf(stderr, "usage: prior DUMP\n"); return 2; }
    if (dump_read(&d, argv[1])) return 1;
    for (i = 0; i < d.n; i++) memset(d.X + i * TC_RANK_NF + TREES_FROM, 0, (TREES_TO - TREES_FROM) * sizeof *d.X);
    double *hs = malloc(d.n * sizeof *hs);
    uint8_t *hy = malloc(d.n);
    size_t *groups = malloc((d.n + 1) * sizeof *groups);
    if (!hs || !hy || !groups) { fprintf(stderr, "out of memory\n"); return 1; }
    memset(&r, 0, sizeof r);
    memset(&ch, 0, sizeof ch);
    if (tc_rank_train(&r, d.X, d.y, d.n, lam)) { fprintf(stderr, "pointwise fit failed\n"); return 1; }
    groups[0] = 0;
    for (i = 0; i < d.n;) { size_t j = i; while (j < d.n && d.cid[j] == d.cid[i]) j++; groups[++ng] = j; i = j; }
    if (tc_rank_train_lists(&ch, d.X, d.y, groups, ng, lam, NULL)) { fprintf(stderr, "listwise fit failed\n"); return 1; }
    /* calibrate the pointwise score of the chooser's winner, as the engine does */
    for (size_t g = 0; g < ng; g++) {
        double best = -1e300, cs = 0;
        int right = 0;
        for (size_t k = groups[g]; k < groups[g + 1]; k++) {
            double s = tc_rank_score(&ch, d.X + k * TC_RANK_NF);
            if (s > best) { best = s; right = d.y[k]; cs = tc_rank_score(&r, d.X + k * TC_RANK_NF); }
        }
        hs[nh] = cs; hy[nh++] = (uint8_t)right;
    }
    if (tc_rank_calibrate(&r, hs, hy, nh)) { fprintf(stderr, "calibration failed\n"); return 1; }
    printf("static const double SG_CHOOSE_W[TC_RANK_NF] = {");
    for (int f = 0; f < TC_RANK_NF; f++) printf("%s%.5g", f ? ", " : "", ch.w[f] / ch.sd[f]);
    printf("};\n");
    /* raw-space weights: w / sd, the bias absorbs the means */
    double bias = r.bias;
    printf("/* built-in prior: fitted by `tacit` on %zu candidates of %zu masked cases from %d repositories */\n", d.n, nh, d.nrepo);
    printf("static const double SG_PRIOR_W[TC_RANK_NF] = {");
    for (int f = 0; f < TC_RANK_NF; f++) { double w = r.w[f] / r.sd[f]; bias -= w * r.mu[f]; printf("%s%.5g", f ? ", " : "", w); }
    printf("};\nstatic const double SG_PRIOR_BIAS = %.5g, SG_PRIOR_PA = %.5g, SG_PRIOR_PB = %.5g;\n", bias, r.pa, r.pb);
    return 0;
}
