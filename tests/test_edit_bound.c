/* test_edit_bound.c - TC_EDIT_F_BOUND (src/edit/bound.c): 1 at the places
 * of a rewrite found through one declaration (a member chain in its
 * function, one type's initializers, the calls of a function the file
 * defines), 0 at a text pattern's (a call of a function defined
 * elsewhere, a method's, a block of similar lines) and a rename's. */
#include "edit/edit.h"
#include "edit/edit_int.h"
#include "test.h"
#include "util/status.h"

#include <string.h>

/* The rule of before -> after (path t.c) and its places in after: n of
 * them, each with bound evidence want (n < 0: any count, at least one). */
static void check_bound(tc_lang lang, const char *before, const char *after, long n, float want)
{
    tc_edit_src b = {"t.c", before, strlen(before), lang}, o = {"t.c", after, strlen(after), lang};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    size_t i;
    TC_CHECK_EQ_INT(tc_edit_synth(&b, after, strlen(after), &r), TC_OK);
    if (!r) return;
    TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &o, 1, &s), TC_OK);
    if (n >= 0) TC_CHECK_EQ_INT(s.n, n);
    else TC_CHECK(s.n > 0);
    for (i = 0; i < s.n; i++) {
        float f[TC_EDIT_NFEAT];
        TC_CHECK(s.v[i].feat[TC_EDIT_F_BOUND] == want);
        /* its weight is not negative: a bound place is no less sure */
        memcpy(f, s.v[i].feat, sizeof f);
        f[TC_EDIT_F_BOUND] = 1 - want;
        TC_CHECK(want ? tc_edit_conf(s.v[i].feat) >= tc_edit_conf(f) : tc_edit_conf(s.v[i].feat) <= tc_edit_conf(f));
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_bound_call_of_the_files_function)
{
    /* the file defines fit: its calls are that definition's, whatever
     * statement they sit in (tacit's 4281231f97, in Python) */
    const char *b = "static int fit(int *x, int n) { return x[n]; }\n"
                    "int f(int *a) { return fit(a, 3); }\nint g(int *b) { if (b) log(fit(b, 4)); return 0; }\n";
    const char *a = "static int fit(int *x, int n) { return x[n]; }\n"
                    "int f(int *a) { return fit(a, 3, NULL); }\nint g(int *b) { if (b) log(fit(b, 4)); return 0; }\n";
    check_bound(TC_LANG_C, b, a, 1, 1);
    check_bound(TC_LANG_PYTHON, "def fit(rows, l2):\n    return rows\n\nw = fit(trn, 1)\nprint(fit(rows, 2))\n",
                "def fit(rows, l2):\n    return rows\n\nw = fit(trn, 1, base=b)\nprint(fit(rows, 2))\n", 1, 1);
}

TC_TEST(edit_bound_member_chain_and_initializers)
{
    /* tacit's 94379f3878: `cs.n` -> `ncases` in the function of the local `cs` (mchain.c) */
    check_bound(TC_LANG_C,
                "static int train(void)\n{\n    tc_caseset cs = {0};\n    size_t ncases = 0;\n"
                "    for (i = 0; i < cs.n; i++) use(i);\n    held = calloc(cs.n + 1, 8);\n    return fit(cs.n);\n}\n",
                "static int train(void)\n{\n    tc_caseset cs = {0};\n    size_t ncases = 0;\n"
                "    for (i = 0; i < ncases; i++) use(i);\n    held = calloc(cs.n + 1, 8);\n    return fit(cs.n);\n}\n",
                2, 1);
    /* one type's initializers given new elements (init.c) */
    check_bound(TC_LANG_C,
                "static void t(void)\n{\n    c[0] = (cand){\"a\", 9, 0, 1.5};\n    c[1] = (cand){\"b\", 9, 1, 3.0};\n}\n",
                "static void t(void)\n{\n    c[0] = (cand){\"a\", 9, 0, 1.5, 0, 0};\n    c[1] = (cand){\"b\", 9, 1, 3.0};\n}\n",
                1, 1);
}

TC_TEST(edit_bound_patterns_are_not)
{
    /* a call's new argument where no definition of log is in the file:
     * every call of log, found by its text */
    check_bound(TC_LANG_C, "void f(void)\n{\n    log(a);\n    x = 1;\n    log(b);\n}\n",
                "void f(void)\n{\n    log(a, ctx);\n    x = 1;\n    log(b);\n}\n", 1, 0);
    /* a block of similar lines: its scope is the block, no declaration's */
    check_bound(TC_LANG_C, "void f(void)\n{\n    s.port = 80;\n    t.port = 81;\n    u.port = 82;\n}\n",
                "void f(void)\n{\n    s.port = htons(80);\n    t.port = 81;\n    u.port = 82;\n}\n", -1, 0);
    /* a method's calls: which class's is not known */
    check_bound(TC_LANG_JS, "function log(a) {}\nthis.log(a)\nthis.log(b)\n", "function log(a) {}\nthis.log(a, ctx)\nthis.log(b)\n",
                -1, 0);
    /* renames: their kind says it (a local's uses, a static function's) */
    check_bound(TC_LANG_C, "int f(int n)\n{\n    int found = 0;\n    if (n > 2) found = g(n);\n    return found + 1;\n}\n",
                "int f(int n)\n{\n    int more = 0;\n    if (n > 2) found = g(n);\n    return found + 1;\n}\n", 2, 0);
    /* a member renamed: wherever it follows `.` or `->`, another struct's too */
    check_bound(TC_LANG_C, "void f(void)\n{\n    a->size = 1;\n    b->size = 2;\n}\n",
                "void f(void)\n{\n    a->len = 1;\n    b->size = 2;\n}\n", -1, 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_BOUND), "bound") == 0);
}
