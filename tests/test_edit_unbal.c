/* test_edit_unbal.c - an example that leaves a bracket open is a piece
 * of a larger change (src/edit/unbal.c): the token kinds make no rule of
 * it, from one example or two; the same tokens changed with their
 * brackets balanced still make one. */
#include "edit_apply.h"
#include "test.h"

/* tacit's test_edit_conf.c (2147b796c1): three blocks that apply a rule
 * and compare; the commit rewrote each block into one call, and the diff
 * of a block's last line is `TC_CHECK_STR(got, ` deleted, its string and
 * `);` kept as the new call's last argument */
#define BLOCKS(x, y, z)                                                    \
    "static void t1(void)\n{\n    got = apply(a, &s);\n    " x "\"x\");\n" \
    "    free(got);\n}\n"                                                  \
    "static void t2(void)\n{\n    got = apply(b, &s);\n    " y "\"y\");\n" \
    "    free(got);\n}\n"                                                  \
    "static void t3(void)\n{\n    got = apply(c, &s);\n    " z "\"z\");\n" \
    "    free(got);\n}\n"

/* The rule of (path: before -> after), if any, changes nothing in the
 * edited file: no place (a rule of another kind may be made). */
#define CHECK_NO_PLACE(lang, path, before, after)                                                      \
    do {                                                                                               \
        int k_;                                                                                        \
        size_t n_;                                                                                     \
        char *got_ = edit_apply_rule((lang), (path), (before), (after), (path), (after), 1, &k_, &n_); \
        TC_CHECK_EQ_INT(n_, 0);                                                                        \
        TC_CHECK_STR(got_, (after));                                                                   \
        free(got_);                                                                                    \
    } while (0)

/* The rule of two examples (b -> a1 in c.c, then a1 -> a2) applied to
 * other, the edited document; malloc'd (other itself when no rule). */
static char *apply_two(tc_lang lang, const char *b, const char *a1, const char *a2, const char *other, int *kind)
{
    tc_edit_src s1 = {"c.c", b, strlen(b), lang}, s2 = {"c.c", a1, strlen(a1), lang};
    tc_edit_src o = {"c.c", other, strlen(other), lang};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    char *res;
    *kind = -1;
    if (tc_edit_synth2(&s1, a1, strlen(a1), &s2, a2, strlen(a2), &r) != TC_OK || !r) return strdup(other);
    *kind = (int)tc_edit_rule_kind(r);
    res = tc_edit_rule_sites(r, &o, 1, &s) == TC_OK ? edit_apply_sites(other, &s) : strdup(other);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    return res;
}

/* t1's `TC_CHECK_STR(got, ` deleted (its '(' left open): no place from
 * it; nor from t1 and t2, where the rule from two edits would delete it
 * in t3 */
TC_TEST(edit_unbal_call_head_deleted)
{
    const char *b = BLOCKS("TC_CHECK_STR(got, ", "TC_CHECK_STR(got, ", "TC_CHECK_STR(got, ");
    const char *a1 = BLOCKS("", "TC_CHECK_STR(got, ", "TC_CHECK_STR(got, ");
    const char *a2 = BLOCKS("", "", "TC_CHECK_STR(got, ");
    int k;
    char *got;
    CHECK_NO_PLACE(TC_LANG_C, "c.c", b, a1);
    got = apply_two(TC_LANG_C, b, a1, a2, a2, &k);
    TC_CHECK(k != TC_EDIT_TOKENS);
    TC_CHECK_STR(got, a2);
    free(got);
    /* `got, ` deleted (the call keeps both brackets; a call rule): t3 too */
    a1 = BLOCKS("TC_CHECK_STR(", "TC_CHECK_STR(got, ", "TC_CHECK_STR(got, ");
    a2 = BLOCKS("TC_CHECK_STR(", "TC_CHECK_STR(", "TC_CHECK_STR(got, ");
    got = apply_two(TC_LANG_C, b, a1, a2, a2, &k);
    TC_CHECK_EQ_INT(k, TC_EDIT_CALL);
    TC_CHECK_STR(got, BLOCKS("TC_CHECK_STR(", "TC_CHECK_STR(", "TC_CHECK_STR("));
    free(got);
}

TC_TEST(edit_unbal_brackets_added_in_pairs)
{
    /* `in d:` -> `in (d or {}):`: two brackets opened and closed in the
     * changed tokens, the tokens rule as before (not after `k not`) */
    const char *b = "if k in d:\n    f(k)\nif k in d:\n    g(k)\nif k not in d:\n    h(k)\n";
    const char *a = "if k in (d or {}):\n    f(k)\nif k in d:\n    g(k)\nif k not in d:\n    h(k)\n";
    EDIT_CHECK_SELF(TC_LANG_PYTHON, "c.py", b, a, TC_EDIT_TOKENS, 1,
                    "if k in (d or {}):\n    f(k)\nif k in (d or {}):\n    g(k)\nif k not in d:\n    h(k)\n");
}

TC_TEST(edit_unbal_one_bracket)
{
    /* `) || ok` deleted: a ')' gone without its '(' */
    CHECK_NO_PLACE(TC_LANG_C, "c.c", "if ((a && b) || ok) x();\nif ((c && d) || ok) y();\n",
                   "if ((a && b) x();\nif ((c && d) || ok) y();\n");
    /* `[` inserted alone (its `]` elsewhere in the larger change) */
    CHECK_NO_PLACE(TC_LANG_JS, "c.js", "x = f(a, b);\ny = 1;\nz = f(a, b);\n", "x = f([a, b);\ny = 1;\nz = f(a, b);\n");
}
