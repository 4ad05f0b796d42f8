/* lineshare.c - a rule's places on one line share the evidence of the
 * surest.
 *
 * Two uses renamed on one line (`v4i vlen = … - (v4i){0};`), a member
 * chain deleted twice in one condition (`q->b->cfg.first_byte_ms > 0 &&
 * … > q->b->cfg.first_byte_ms`): the line changes once, as a whole. Scored
 * apart, the second use's other surroundings put it under the threshold
 * while the first was offered, and the line was left half changed (on
 * tacit's history every wrong offer at the default was such a half).
 * Each place of such a line takes the evidence (TC_EDIT_F_*) and the
 * confidence of the line's surest place, so they are offered or kept
 * back together; the places stay apart (one edit each). */
#include "edit/edit_int.h"
#include "util/status.h"

#include <string.h>

/* 1 if site y follows site x on its line of src's text. */
static int same_line(const tc_edit_src *src, const tc_edit_site *x, const tc_edit_site *y)
{
    return y->a >= x->b && y->a <= src->len && edit_one_line(src, x->b, y->a);
}

void edit_sites_share_line(const tc_edit_src *src, size_t from, tc_edit_sites *out)
{
    size_t i = from, j, m, best;
    while (i < out->n) {
        for (j = i + 1; j < out->n && same_line(src, &out->v[j - 1], &out->v[j]); j++) {}
        for (best = i, m = i + 1; m < j; m++)
            if (out->v[m].conf > out->v[best].conf) best = m;
        for (m = i; m < j; m++) {
            if (m == best) continue;
            out->v[m].conf = out->v[best].conf;
            memcpy(out->v[m].feat, out->v[best].feat, sizeof out->v[m].feat);
        }
        i = j;
    }
}
