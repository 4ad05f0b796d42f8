/* test_edit_reach.c - rules that reach every place they should: a
 * callback's parameter rewritten at a use whose member is a reserved word
 * (`t.false(x)`, `t.throws`: a member name may be any word) has the same
 * role as at any other member (src/edit/role.c); a `tokens` rule that
 * reaches no other place is widened once, the names before the change
 * any name (src/edit/widen.c). */
#include "edit_apply.h"
#include "test.h"

#define CHECK_JS(before, after, other, want_kind, want_n, want) \
    EDIT_CHECK_APPLY(TC_LANG_JS, "test/a.js", (before), (after), "test/b.js", (other), 0, (want_kind), (want_n), (want))

/* n test callbacks whose line is `line`, then a plain function with the
 * line `t.false(info, 'no')`; malloc'd (NULL on ENOMEM). */
static char *tests_of(int n, const char *line)
{
    static const char head[] = "test('x', function (t) {\n  ", tail[] = "\n})\n";
    static const char plain[] = "function h (t) {\n  t.false(info, 'no')\n}\n";
    char *s = malloc((size_t)n * (sizeof head + sizeof tail + strlen(line)) + sizeof plain);
    int i;
    if (!s) return NULL;
    s[0] = 0;
    for (i = 0; i < n; i++) {
        strcat(s, head);
        strcat(s, line);
        strcat(s, tail);
    }
    strcat(s, plain);
    return s;
}

TC_TEST(edit_reach_role_keyword_member)
{
    /* `t.false(x)` -> `assert.ok(!x)` in a test callback: at each test
     * callback's `t.false(` (twelve: more than a `tokens` rule may offer
     * without a role), not in the plain function */
    const char *b = "test('a', function (t) {\n  t.false(info, 'no')\n})\n";
    const char *a = "test('a', function (t) {\n  assert.ok(!info, 'no')\n})\n";
    char *other = tests_of(12, "t.false(info, 'no')"), *want = tests_of(12, "assert.ok(!info, 'no')");
    TC_CHECK(other != NULL && want != NULL);
    if (other && want) CHECK_JS(b, a, other, TC_EDIT_TOKENS, 12, want);
    free(other);
    free(want);
}

TC_TEST(edit_reach_role_keyword_member_no_role)
{
    /* the same rewrite in a plain function: no role, twelve places are
     * too many for a `tokens` rule, none offered */
    const char *b = "function g (t) {\n  t.false(info, 'no')\n}\n";
    const char *a = "function g (t) {\n  assert.ok(!info, 'no')\n}\n";
    char *other = tests_of(12, "t.false(info, 'no')");
    TC_CHECK(other != NULL);
    if (other) CHECK_JS(b, a, other, TC_EDIT_TOKENS, 0, other);
    free(other);
}

/* The rule of (path: before -> after) on other, widened (tc_edit_rule_widen)
 * when its search finds no place there, as the server and the eval do;
 * other with the places applied (malloc'd), *n the places (0 when too
 * many: tc_edit_rule_too_broad), *widened 1 if it widened. */
static char *widened_apply(tc_lang lang, const char *path, const char *before, const char *after, const char *other,
                           size_t *n, int *widened)
{
    tc_edit_src b = {path, before, strlen(before), lang}, o = {"other.c", other, strlen(other), lang};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    char *res = NULL;
    *n = 0;
    *widened = 0;
    if (tc_edit_synth(&b, after, strlen(after), &r) != TC_OK) return strdup(other);
    if (tc_edit_rule_sites(r, &o, 0, &s) == TC_OK && s.n == 0 && (*widened = tc_edit_rule_widen(r)))
        tc_edit_rule_sites(r, &o, 0, &s);
    if (!tc_edit_rule_too_broad(r, s.n)) {
        *n = s.n;
        res = edit_apply_sites(other, &s);
    } else {
        res = strdup(other);
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    return res;
}

TC_TEST(edit_reach_widen_left_name)
{
    /* `, ok` deleted after `int f`: no `int f, ok` elsewhere, so the name
     * before it is any name; `long b, ok` (another anchor), `int c, ok =
     * 1` (another token after) and `int d, okay` stay */
    const char *b = "static int f1(void)\n{\n    int f, ok;\n    f = 1;\n    return f;\n}\n";
    const char *a = "static int f1(void)\n{\n    int f;\n    f = 1;\n    return f;\n}\n";
    const char *other = "int g(void)\n{\n    int a, ok;\n    long b, ok;\n    int c, ok = 1;\n    int d, okay;\n}\n";
    size_t n;
    int w;
    char *got = widened_apply(TC_LANG_C, "a.c", b, a, other, &n, &w);
    TC_CHECK_EQ_INT(w, 1);
    TC_CHECK_EQ_INT(n, 1);
    TC_CHECK_STR(got, "int g(void)\n{\n    int a;\n    long b, ok;\n    int c, ok = 1;\n    int d, okay;\n}\n");
    free(got);
}

TC_TEST(edit_reach_widen_not_when_found)
{
    /* a place with the example's own anchor: the rule is not widened, `int a, ok` stays */
    const char *b = "static int f1(void)\n{\n    int f, ok;\n    return 0;\n}\n";
    const char *a = "static int f1(void)\n{\n    int f;\n    return 0;\n}\n";
    const char *other = "int g(void)\n{\n    int f, ok;\n    int a, ok;\n}\n";
    size_t n;
    int w;
    char *got = widened_apply(TC_LANG_C, "a.c", b, a, other, &n, &w);
    TC_CHECK_EQ_INT(w, 0);
    TC_CHECK_EQ_INT(n, 1);
    TC_CHECK_STR(got, "int g(void)\n{\n    int f;\n    int a, ok;\n}\n");
    free(got);
}

TC_TEST(edit_reach_widen_not_used_name)
{
    /* the new tokens use the anchor's name (`y + y`): nothing to widen */
    const char *b = "function f () {\n  x = y\n}\n";
    const char *a = "function f () {\n  x = y + y\n}\n";
    const char *other = "function g () {\n  x = z\n}\n";
    size_t n;
    int w;
    char *got = widened_apply(TC_LANG_JS, "a.js", b, a, other, &n, &w);
    TC_CHECK_EQ_INT(w, 0);
    TC_CHECK_EQ_INT(n, 0);
    TC_CHECK_STR(got, other);
    free(got);
}

TC_TEST(edit_reach_widen_too_many)
{
    /* widened, nine places: as many as a `tokens` rule may not offer, none */
    const char *b = "static int f1(void)\n{\n    int f, ok;\n    return 0;\n}\n";
    const char *a = "static int f1(void)\n{\n    int f;\n    return 0;\n}\n";
    const char *other = "int g(void)\n{\n    int a1, ok;\n    int a2, ok;\n    int a3, ok;\n    int a4, ok;\n"
                        "    int a5, ok;\n    int a6, ok;\n    int a7, ok;\n    int a8, ok;\n    int a9, ok;\n}\n";
    size_t n;
    int w;
    char *got = widened_apply(TC_LANG_C, "a.c", b, a, other, &n, &w);
    TC_CHECK_EQ_INT(w, 1);
    TC_CHECK_EQ_INT(n, 0);
    TC_CHECK_STR(got, other);
    free(got);
}
