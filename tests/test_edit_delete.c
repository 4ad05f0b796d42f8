/* test_edit_delete.c - the `delete` kind (src/edit/lines.c): whole lines
 * deleted, offered where the same lines stand, numbers aside. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_DEL(before, after, opath, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY(TC_LANG_JS, "t.js", (before), (after), (opath), (other), (origin), (want_kind), (want_n), (want))

TC_TEST(edit_delete_lines)
{
    const char *b = "test('a', (t) => {\n  t.plan(2)\n\n  go(t)\n})\ntest('b', (t) => {\n  t.plan(1)\n  go(t)\n})\n";
    const char *a = "test('a', (t) => {\n  go(t)\n})\ntest('b', (t) => {\n  t.plan(1)\n  go(t)\n})\n";
    /* another count, and in another file (a call); the blank line after goes where there is one */
    CHECK_DEL(b, a, "t.js", a, 1, TC_EDIT_DELETE, 1, "test('a', (t) => {\n  go(t)\n})\ntest('b', (t) => {\n  go(t)\n})\n");
    CHECK_DEL(b, a, "u.js", "x()\n    t.plan(7)\n\ny()\n", 0, TC_EDIT_DELETE, 1, "x()\ny()\n");
}

TC_TEST(edit_delete_negative)
{
    const char *b = "f(a)\n  t.plan(2)\ng()\n", *a = "f(a)\ng()\n";
    /* not where the line goes on (a longer statement), nor t.plan(n) with a name */
    CHECK_DEL(b, a, "u.js", "t.plan(2) + 1\nt.plan(n)\n", 0, TC_EDIT_DELETE, 0, "t.plan(2) + 1\nt.plan(n)\n");
    /* lines closing a bracket, or without a name, make no delete rule */
    {
        int k;
        size_t n;
        char *got = edit_apply_rule(TC_LANG_JS, "t.js", "f(() => {\n  x()\n})\ng()\n", "f(() => {\n  x()\ng()\n",
                                    "t.js", "h(() => {\n  y()\n})\n", 0, &k, &n);
        TC_CHECK(k != TC_EDIT_DELETE);
        free(got);
        got = edit_apply_rule(TC_LANG_JS, "t.js", "a()\n1 + 2\nb()\n", "a()\nb()\n", "t.js", "1 + 2\n", 0, &k, &n);
        TC_CHECK(k != TC_EDIT_DELETE);
        free(got);
    }
}
