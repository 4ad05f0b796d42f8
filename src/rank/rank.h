/* rank.h - a small learned ranker for suggestion candidates.
 *
 * A logistic regression over a fixed feature vector per candidate
 * (TC_RANK_NF floats; the suggestion engine defines what each means),
 * trained per repository on self-supervised cases (lines masked from the
 * repository's own files: a candidate is positive when its text is the
 * masked line's rest), then calibrated by Platt scaling on held-out cases:
 * the calibrated probability that the engine's winner is right is its
 * confidence, so one threshold means about the same precision in every
 * repository. The winner itself may be picked by another, listwise ranker
 * (tc_rank_train_lists: a softmax over each request's candidates).
 *
 * Training: features standardised, L2-regularised Newton iterations
 * (TC_RANK_NF^2 work per example per iteration; tens of thousands of
 * candidates train in milliseconds). Scoring: one dot product.
 * A model is plain data (copyable); save/load write a small text file
 * keyed by the caller's content key (a stale file is not loaded).
 */
#ifndef TC_RANK_H
#define TC_RANK_H

#include <stddef.h>
#include <stdint.h>

#define TC_RANK_NF 68

typedef struct tc_rank {
    int trained;            /* 0: untrained (tc_rank_score returns 0) */
    double mu[TC_RANK_NF];  /* standardisation */
    double sd[TC_RANK_NF];
    double w[TC_RANK_NF];   /* weights on standardised features */
    double bias;
    double pa, pb;          /* Platt: P(winner right) = 1 / (1 + exp(-(pa * score + pb))) */
    uint32_t ncases, npos;  /* training figures, for reports */
} tc_rank;

/* Fit w on n examples X[i * TC_RANK_NF + f] with labels y[i] (0/1), L2
 * penalty lambda (on standardised weights; 0: 1.0). Calibration is reset
 * to the identity on the raw score (pa = 1, pb = 0). TC_OK, TC_EINVAL
 * (no example or a single class), TC_ENOMEM. */
int tc_rank_train(tc_rank *r, const float *X, const uint8_t *y, size_t n, double lambda);
/* The same, shrunk towards a prior ranker's weights (its weights on the
 * raw features; a ridge around them instead of around 0): a repository
 * with few cases keeps close to the prior. prior NULL: tc_rank_train. */
int tc_rank_train_prior(tc_rank *r, const float *X, const uint8_t *y, size_t n, double lambda, const tc_rank *prior);
/* Listwise: a softmax over each case's candidates (conditional logit),
 * examples of case g being X rows groups[g]..groups[g+1]-1 (ngroups + 1
 * offsets); cases without a right candidate are left out. Scores are then
 * only comparable within a case: calibrate with tc_rank_calibrate on the
 * held-out winners' scores. TC_OK, TC_EINVAL (fewer than 2 usable cases),
 * TC_ENOMEM. */
int tc_rank_train_lists(tc_rank *r, const float *X, const uint8_t *y, const size_t *groups, size_t ngroups,
                        double lambda, const tc_rank *prior);
/* The content key of a ranker trained on a workspace: from the content
 * hashes of its counted files h[0..n) and a salt (feature count, version).
 * It depends on the contents only, not on the order the files were indexed
 * in (h is sorted in place), so the same tree keeps its saved ranker
 * however it was indexed. */
uint64_t tc_rank_key(uint64_t *h, size_t n, uint64_t salt);
/* The raw score (a logit) of one feature vector. */
double tc_rank_score(const tc_rank *r, const float *x);
/* Platt scaling: fit pa, pb so that sigmoid(pa * s[i] + pb) predicts y[i]
 * (scores of the chosen candidates on held-out cases, y: were they right).
 * TC_OK or TC_EINVAL (a single class: calibration left as it was). */
int tc_rank_calibrate(tc_rank *r, const double *s, const uint8_t *y, size_t n);
/* Calibrated probability for a raw score. */
double tc_rank_prob(const tc_rank *r, double score);

/* Persist / restore; load returns TC_EIO when the file is missing, stale
 * (another key) or malformed (r is then left untrained). */
int tc_rank_save(const tc_rank *r, const char *path, uint64_t key);
int tc_rank_load(tc_rank *r, const char *path, uint64_t key);

/* ---- boosted trees: added to a listwise chooser's score -------------------
 *
 * A few dozen regression trees of depth 3 fitted by gradient boosting on
 * the same softmax over each case's candidates, starting from a base score
 * per candidate (the linear chooser's): they add the interactions a linear
 * score cannot weigh (a source's agreement with the model only at a line
 * start, ...). Node i (0..6, level by level) sends x right when
 * x[f[i]] > t[i], its children being 2i + 1 and 2i + 2; leaf[k] is the
 * score of the k-th node of the last level. Scoring: 3 comparisons a tree. */
#define TC_RANK_TREE_NODES 7
typedef struct tc_rank_tree {
    uint8_t f[TC_RANK_TREE_NODES];
    float t[TC_RANK_TREE_NODES];
    float leaf[TC_RANK_TREE_NODES + 1];
} tc_rank_tree;

/* Fit ntrees trees on n = groups[ngroups] examples (as in
 * tc_rank_train_lists; groups without a right candidate are left out),
 * base[i] the score each example starts from (NULL: 0), shrinkage rate
 * (0: 0.1). Splits are taken at up to 32 cut points a feature (midpoints
 * between the values at its quantiles); a leaf is a Newton step with an
 * L2 penalty 1 on the summed Hessian. TC_OK, TC_EINVAL (fewer than 2 usable
 * cases), TC_ENOMEM. */
int tc_rank_trees_train(tc_rank_tree *t, size_t ntrees, const double *base, const float *X, const uint8_t *y,
                        const size_t *groups, size_t ngroups, double rate);
/* The summed score of trees t[0..n) on x. */
double tc_rank_trees_score(const tc_rank_tree *t, size_t n, const float *x);
/* A bag of k tree sets in t[0..n) (k members of n / k trees each, fitted
 * on k samples): the mean of the members' summed scores on x. k 1: the
 * single set's tc_rank_trees_score. */
double tc_rank_bag_score(const tc_rank_tree *t, size_t n, size_t k, const float *x);
/* Persist / restore n trees (as tc_rank_save / tc_rank_load: load gives
 * TC_EIO for a missing, stale or malformed file, *n then 0); load reads at
 * most cap trees. */
int tc_rank_trees_save(const tc_rank_tree *t, size_t n, const char *path, uint64_t key);
int tc_rank_trees_load(tc_rank_tree *t, size_t cap, size_t *n, const char *path, uint64_t key);

#endif
