/* calib.h - the confidence of a suggestion: a calibration map fitted per
 * repository on its own held-out cases, after the chooser and its trees.
 *
 * The engine picks a candidate by its final score (the listwise chooser
 * plus the repository's trees, rank.h), which is only comparable within
 * one request. The confidence must be an absolute probability that the
 * shown text is exactly right, the same in every repository, so it is
 * read from three inputs per candidate (the third the same for all of a
 * request's):
 *   x[0] the pointwise ranker's score (a logit, comparable across
 *        requests: "is this line likely right at all"),
 *   x[1] the candidate's log-probability under a softmax of the final
 *        scores over the request's candidates ("how clearly the chooser
 *        and the trees prefer it to the others"),
 *   x[2] the share (0, 1/2, 1) of the two lines around the cursor's that
 *        end with a comment after their code: the expected text keeps a
 *        trailing comment that no candidate has (tables such as the
 *        Python standard library's encodings: `'%'  #  0x25 -> PERCENT
 *        SIGN`, where a right-looking line is wrong),
 * and a logistic map P(right) = sigmoid(w0 x0 + w1 x1 + w2 x2 + w3) fitted
 * on the winners of held-out self-supervised cases (each chosen by trees that
 * never saw it). With one input (Platt scaling) the map could not follow
 * the trees: a winner they lift over its rivals was as likely as one they
 * barely kept.
 *
 * A calibrated probability makes the precision at a threshold the mean
 * confidence above it, which differs with how sure a repository's cases
 * are (in the quality suite 57-69 % predicted at 0.3). So that one
 * threshold means at least a given precision everywhere, a lift then
 * lowers the map's logit by a constant in a repository whose held-out
 * winners at or above the threshold are right less often than that
 * (tc_calib_floor); the order of candidates and requests is unchanged.
 *
 * File (text, one line): "tacit-calib 2 KEY N NPOS W0 W1 W2 W3 FITTED
 * LIFT", KEY in hex (the caller's content key: another one is stale);
 * format 1 ("... W0 W1 W3 FITTED": no x[2], no lift) loads with w2 and
 * the lift 0. The engine saves it beside its ranker as
 * rank.txt.calib; a ranker without one (saved before it existed, or
 * copied alone) keeps its Platt scaling.
 */
#ifndef TC_CALIB_H
#define TC_CALIB_H

#include <stddef.h>
#include <stdint.h>

#define TC_CALIB_NX 3 /* inputs per candidate (see above) */

typedef struct tc_calib {
    int fitted;                /* 0: not fitted; the caller keeps its fallback */
    double w[TC_CALIB_NX + 1]; /* weights on x[0..NX), then the intercept */
    double lift;               /* logit units taken off the map (>= 0; tc_calib_floor) */
    uint32_t n, npos;          /* held-out cases fitted on, and how many were right */
} tc_calib;

/* Fit k on n held-out winners: inputs x[i * TC_CALIB_NX + j], y[i] 1 when
 * the winner was right. A light ridge on the slopes keeps a small set from
 * making them extreme. TC_OK; TC_EINVAL (fewer than 10 of either class, or a
 * map that falls with the pointwise score: k left unfitted); TC_ENOMEM. */
int tc_calib_fit(tc_calib *k, const double *x, const uint8_t *y, size_t n);

/* The lift of a fitted k (0 before): the least that lifts the map's
 * knot, the probability shown at threshold thr, until the held-out
 * winners (x, y, n as for tc_calib_fit) at or above the knot are right at
 * least floor of the time, by the lower end of a half-standard-error
 * (Wilson) interval, so that fewer held-out winners lift more; at least
 * TC_CALIB_FLOOR_MIN of them above it, and the knot at most max_knot
 * (a repository whose winners never reach floor keeps showing its
 * surest). TC_OK; TC_EINVAL when k is unfitted or thr, floor or max_knot
 * is outside (0, 1) (k unchanged); TC_ENOMEM (lift 0). */
#define TC_CALIB_FLOOR_MIN 20
int tc_calib_floor(tc_calib *k, const double *x, const uint8_t *y, size_t n, double thr, double floor,
                   double max_knot);

/* The calibrated probability of inputs x (k fitted), less its lift. */
double tc_calib_prob(const tc_calib *k, const double *x);

/* log(sum exp s[i]) over s[0..n), computed stably (-HUGE_VAL when n is
 * 0): a candidate's x[1] is its final score minus this, over its request. */
double tc_calib_lse(const double *s, size_t n);

/* Persist / restore (key as above). load: TC_EIO when missing, stale or
 * malformed (k then unfitted); a saved unfitted map loads as unfitted. */
int tc_calib_save(const tc_calib *k, const char *path, uint64_t key);
int tc_calib_load(tc_calib *k, const char *path, uint64_t key);

#endif
