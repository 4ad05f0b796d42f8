/* edit_apply.h - for the next-edit kinds' tests: the rule of one example
 * (path before -> after), applied at every site it finds in another text. */
#ifndef TC_TESTS_EDIT_APPLY_H
#define TC_TESTS_EDIT_APPLY_H

#include "edit/edit.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

/* text with each of the sites s (in text order) applied; malloc'd (NULL on
 * ENOMEM). */
static inline char *edit_apply_sites(const char *text, const tc_edit_sites *s)
{
    char *res = strdup(text);
    size_t i;
    for (i = s->n; i-- > 0 && res;) { /* back to front: offsets stay valid */
        size_t len = strlen(res), tn = strlen(s->v[i].text);
        char *nr = malloc(len - (s->v[i].b - s->v[i].a) + tn + 1);
        if (nr) {
            memcpy(nr, res, s->v[i].a);
            memcpy(nr + s->v[i].a, s->v[i].text, tn);
            memcpy(nr + s->v[i].a + tn, res + s->v[i].b, len - s->v[i].b + 1);
        }
        free(res);
        res = nr;
    }
    return res;
}

/* The rule of (path: before -> after) applied to other (a file at
 * other_path; origin: other is the edited file's current text) at each of
 * its sites; malloc'd. *kind: the rule's kind or -1 (no rule: other is
 * returned as it is), *n: the sites. widened (NULL: never): a rule that
 * finds no site there is widened (tc_edit_rule_widen) and searched again,
 * as the server does; *widened 1 if it was. */
static inline char *edit_apply_rule_widened(tc_lang lang, const char *path, const char *before, const char *after,
                                            const char *other_path, const char *other, int origin, int *kind,
                                            size_t *n, int *widened)
{
    tc_edit_src b = {path, before, strlen(before), lang}, o = {other_path, other, strlen(other), lang};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    char *res = NULL;
    int rc;
    *kind = -1;
    *n = 0;
    if (widened) *widened = 0;
    if (tc_edit_synth(&b, after, strlen(after), &r) != TC_OK) return strdup(other);
    *kind = (int)tc_edit_rule_kind(r);
    rc = tc_edit_rule_sites(r, &o, origin, &s);
    if (rc == TC_OK && s.n == 0 && widened && (*widened = tc_edit_rule_widen(r))) rc = tc_edit_rule_sites(r, &o, origin, &s);
    if (rc == TC_OK && !tc_edit_rule_too_broad(r, s.n)) {
        *n = s.n;
        res = edit_apply_sites(other, &s);
    } else {
        res = strdup(other);
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    return res;
}

static inline char *edit_apply_rule(tc_lang lang, const char *path, const char *before, const char *after,
                                    const char *other_path, const char *other, int origin, int *kind, size_t *n)
{
    return edit_apply_rule_widened(lang, path, before, after, other_path, other, origin, kind, n, NULL);
}

/* The sites of the rule of (path: before -> after) on other at opath
 * (origin as tc_edit_rule_sites) into *s, which the caller frees: for a
 * place's evidence (feat). The rule's kind, -1 when none. */
static inline int edit_rule_sites_on(tc_lang lang, const char *path, const char *before, const char *after,
                                     const char *opath, const char *other, int origin, tc_edit_sites *s)
{
    tc_edit_src b = {path, before, strlen(before), lang}, o = {opath, other, strlen(other), lang};
    tc_edit_rule *r = NULL;
    int kind = -1;
    if (tc_edit_synth(&b, after, strlen(after), &r) == TC_OK && r) {
        kind = (int)tc_edit_rule_kind(r);
        if (tc_edit_rule_sites(r, &o, origin, s) != TC_OK) kind = -1;
    }
    tc_edit_rule_free(r);
    return kind;
}

/* 1 if the example (path: before -> after) makes a rule whose title holds want. */
static inline int edit_rule_titled(tc_lang lang, const char *path, const char *before, const char *after,
                                   const char *want)
{
    tc_edit_src b = {path, before, strlen(before), lang};
    tc_edit_rule *r = NULL;
    int ok = tc_edit_synth(&b, after, strlen(after), &r) == TC_OK && strstr(tc_edit_rule_title(r), want) != NULL;
    tc_edit_rule_free(r);
    return ok;
}

/* Check the rule of (path: before -> after) applied to other at opath:
 * its kind, its number of sites and the text that results. */
#define EDIT_CHECK_APPLY(lang, path, before, after, opath, other, origin, want_kind, want_n, want)             \
    do {                                                                                                      \
        int k_;                                                                                               \
        size_t n_;                                                                                            \
        const char *want_ = (want);                                                                           \
        char *got_ = edit_apply_rule((lang), (path), (before), (after), (opath), (other), (origin), &k_, &n_); \
        TC_CHECK_EQ_INT(k_, (want_kind));                                                                     \
        TC_CHECK_EQ_INT(n_, (want_n));                                                                        \
        TC_CHECK_STR(got_, want_);                                                                            \
        free(got_);                                                                                           \
    } while (0)

/* The same for the edited file itself: after, at path, as the edited
 * document (origin 1). */
#define EDIT_CHECK_SELF(lang, path, before, after, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (path), (after), 1, (want_kind), (want_n), (want))

/* Check that the example (path: before -> after) makes a rule: r (a
 * tc_edit_rule *, NULL before) gets it, the caller frees it. */
#define EDIT_CHECK_SYNTH(r, lang, path, before, after)                    \
    do {                                                                  \
        const char *b_ = (before), *a_ = (after);                         \
        tc_edit_src s_ = {(path), b_, strlen(b_), (lang)};                \
        TC_CHECK_EQ_INT(tc_edit_synth(&s_, a_, strlen(a_), &(r)), TC_OK); \
    } while (0)

/* The same for two examples (path1: b1 -> a1, then path2: b2 -> a2). */
#define EDIT_CHECK_SYNTH2(r, lang, path1, b1, a1, path2, b2, a2)                                          \
    do {                                                                                                  \
        const char *b1_ = (b1), *a1_ = (a1), *b2_ = (b2), *a2_ = (a2);                                    \
        tc_edit_src s1_ = {(path1), b1_, strlen(b1_), (lang)}, s2_ = {(path2), b2_, strlen(b2_), (lang)}; \
        TC_CHECK_EQ_INT(tc_edit_synth2(&s1_, a1_, strlen(a1_), &s2_, a2_, strlen(a2_), &(r)), TC_OK);     \
    } while (0)

#endif
