/* test_edit_reach.c - rules that reach every place they should: a
 * callback's parameter rewritten at a use whose member is a reserved word
 * (`t.false(x)`, `t.throws`: a member name may be any word) has the same
 * role as at any other member (src/edit/role.c). */
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
