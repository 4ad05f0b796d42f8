/* edit_feat.h - for the next-edit evidence's tests: the rule of one
 * example and how many of its places carry a 0/1 evidence. */
#ifndef TC_TESTS_EDIT_FEAT_H
#define TC_TESTS_EDIT_FEAT_H

#include "edit/edit.h"
#include "edit_apply.h"
#include "test.h"
#include "util/status.h"

#include <string.h>

/* The rule of before -> after (path t.c, or t.js for JavaScript) and its
 * places in other (other_path; origin 1 when it is the example's file):
 * how many carry evidence feat (*on, its weight checked not negative
 * there: such a place is no less sure) and how many do not (*off); *kind:
 * the rule's kind, -1 without a rule (kind may be NULL). */
static inline void edit_count_feat(tc_lang lang, const char *before, const char *after, const char *other_path,
                                   const char *other, int origin, int feat, size_t *on, size_t *off, int *kind)
{
    tc_edit_sites s = {0};
    size_t i;
    int k = edit_rule_sites_on(lang, lang == TC_LANG_JS ? "t.js" : "t.c", before, after, other_path, other, origin, &s);
    *on = *off = 0;
    if (kind) *kind = k;
    for (i = 0; i < s.n; i++) {
        float f[TC_EDIT_NFEAT];
        TC_CHECK(s.v[i].feat[feat] == 0 || s.v[i].feat[feat] == 1);
        if (s.v[i].feat[feat] == 1) {
            ++*on;
            memcpy(f, s.v[i].feat, sizeof f);
            f[feat] = 0;
            TC_CHECK(tc_edit_conf(s.v[i].feat) >= tc_edit_conf(f));
        } else {
            ++*off;
        }
    }
    tc_edit_sites_free(&s);
}

#endif
