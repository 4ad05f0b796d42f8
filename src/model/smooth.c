/* smooth.c - one order of n-gram smoothing.
 *
 * Every step is an interpolation p = a(w) + g * p_lower(w) whose weights are
 * independent of w except through c_w, so each order's distribution sums to
 * 1 over the vocabulary when the lower one does:
 *   JM  (Jelinek-Mercer, SLP-Core's default) lambda = 0.5:
 *       p = lambda c_w/c + (1 - lambda) p_lower
 *   WB  (Witten-Bell): lambda = c / (c + N1+), same form
 *   AD  (absolute discounting, D = 0.75):
 *       p = max(c_w - D, 0)/c + (D N1+ / c) p_lower
 * The unigram order sits on a uniform floor over the vocabulary with
 * lambda = c / (c + 1) for JM (SLP-Core renormalises to the same effect),
 * and the order's own rule for WB and AD.
 */
#include "model/model_int.h"

double tc_smooth_step(tc_smoothing s, double c_w, double c_ctx, double n1p, double p_lower)
{
    return tc_smooth_step_in(s, c_w, c_ctx, n1p, p_lower);
}

double tc_smooth_base(tc_smoothing s, double c_w, double c_total, double n1p, double uniform)
{
    return tc_smooth_base_in(s, c_w, c_total, n1p, uniform);
}
