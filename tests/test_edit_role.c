/* test_edit_role.c - a callback's parameter renamed at a use, or a call on
 * it rewritten (src/edit/role.c): offered in the sibling callbacks where
 * the parameter plays the same role (the same parameter of a function
 * passed as the same argument of a call of the same function), in every
 * file; not in other callbacks, not at a shadowing parameter. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_ROLE(before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY(TC_LANG_JS, "test/a.js", (before), (after), "test/b.js", (other), (origin), (want_kind), (want_n), (want))

static const char *ex_before = "test('a', function (t) {\n  t.strictEqual(f(), 1)\n  t.equal(h(), 3)\n})\n";
static const char *ex_after = "test('a', function (t) {\n  assert.strictEqual(f(), 1)\n  t.equal(h(), 3)\n})\n";

TC_TEST(edit_role_rename_siblings)
{
    /* the same test callback's parameter, followed by the example's member */
    const char *other = "test('x', function (t) {\n  t.strictEqual(a, 1)\n  t.ok(b)\n})\n"
                        "test('z', async (t) => {\n  t.strictEqual(q, 2)\n})\n";
    CHECK_ROLE(ex_before, ex_after, other, 0, TC_EDIT_RENAME, 2,
               "test('x', function (t) {\n  assert.strictEqual(a, 1)\n  t.ok(b)\n})\n"
               "test('z', async (t) => {\n  assert.strictEqual(q, 2)\n})\n");
}

TC_TEST(edit_role_rename_not_other_roles)
{
    /* another callee, another argument or parameter, no call, a shadowing
     * callback of another call, a variable declared in the block: none */
    const char *other = "it('x', function (t) {\n  t.strictEqual(a, 1)\n})\n"
                        "test('y', function (s, t) {\n  t.strictEqual(a, 2)\n})\n"
                        "function helper (t) {\n  t.strictEqual(a, 3)\n}\n"
                        "test('w', function (t) {\n  foo(function (t) {\n    t.strictEqual(a, 4)\n  })\n})\n"
                        "test('v', function (t) {\n  if (x) {\n    const t = g()\n    t.strictEqual(a, 5)\n  }\n})\n";
    CHECK_ROLE(ex_before, ex_after, other, 0, TC_EDIT_RENAME, 0, other);
}

TC_TEST(edit_role_rename_edited_file)
{
    /* in the edited file: the example's member, in its own callback
     * (role.c: not its parameter list, not `t.equal`) as in the
     * sibling ones */
    const char *b = "test('a', function (t) {\n  t.strictEqual(f(), 1)\n  t.equal(h(), 3)\n})\n"
                    "test('b', function (t) {\n  t.strictEqual(f(), 4)\n  t.equal(h(), 5)\n})\n";
    const char *a = "test('a', function (t) {\n  assert.strictEqual(f(), 1)\n  t.equal(h(), 3)\n})\n"
                    "test('b', function (t) {\n  t.strictEqual(f(), 4)\n  t.equal(h(), 5)\n})\n";
    CHECK_ROLE(b, a, a, 1, TC_EDIT_RENAME, 1,
               "test('a', function (t) {\n  assert.strictEqual(f(), 1)\n  t.equal(h(), 3)\n})\n"
               "test('b', function (t) {\n  assert.strictEqual(f(), 4)\n  t.equal(h(), 5)\n})\n");
}

TC_TEST(edit_role_rename_plain_local)
{
    /* a parameter of a function that is no callback: its function only, as before */
    const char *b = "function h (t) {\n  t.strictEqual(a, 1)\n  t.ok(b)\n}\n";
    const char *a = "function h (t) {\n  assert.strictEqual(a, 1)\n  t.ok(b)\n}\n";
    const char *other = "test('x', function (t) {\n  t.strictEqual(a, 1)\n})\n";
    CHECK_ROLE(b, a, other, 0, TC_EDIT_RENAME, 0, other);
}

/* n test callbacks whose line is `line`, then a plain function with the
 * line `t.equal(v, 1)`; malloc'd (NULL on ENOMEM). */
static char *tests_of(int n, const char *line)
{
    static const char head[] = "test('x', function (t) {\n  ", tail[] = "\n})\n";
    static const char plain[] = "function h (t) {\n  t.equal(v, 1)\n}\n";
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

/* The rewrite old -> new (a line of a test callback; in a plain function
 * when !callback) offered at each of twelve test callbacks' same line, or
 * none. */
static void check_role_tokens(const char *old, const char *new_, int callback)
{
    char b[256], a[256], *other = tests_of(12, old), *want = tests_of(12, new_);
    const char *fmt = callback ? "test('a', function (t) {\n  %s\n})\n" : "function g (t) {\n  %s\n}\n";
    snprintf(b, sizeof b, fmt, old);
    snprintf(a, sizeof a, fmt, new_);
    TC_CHECK(other != NULL && want != NULL);
    if (other && want) CHECK_ROLE(b, a, other, 0, TC_EDIT_TOKENS, callback ? 12 : 0, callback ? want : other);
    free(other);
    free(want);
}

TC_TEST(edit_role_tokens_siblings)
{
    /* `t.equal` -> `assert.strictEqual` in a test callback: at each test
     * callback's `t.equal` (twelve: more than a `tokens` rule may offer
     * without a role), not in the plain function; a member may be any
     * word, a reserved one too (`t.false`) */
    check_role_tokens("t.equal(v, 1)", "assert.strictEqual(v, 1)", 1);
    check_role_tokens("t.false(v, 'no')", "assert.ok(!v, 'no')", 1);
}

TC_TEST(edit_role_tokens_no_role)
{
    /* the same rewrites in a plain function: no role, the twelve places of
     * the other file are too many for a `tokens` rule, none offered */
    check_role_tokens("t.equal(v, 1)", "assert.strictEqual(v, 1)", 0);
    check_role_tokens("t.false(v, 'no')", "assert.ok(!v, 'no')", 0);
}

TC_TEST(edit_tokens_kept_string)
{
    /* a string the rewrite keeps is a hole only strings fill: any test's
     * name, not a variable's */
    const char *b = "'use strict'\ntest('a', function (t) {\n  x()\n})\n";
    const char *a = "'use strict'\nit('a', function () {\n  x()\n})\n";
    const char *other = "'use strict'\ntest('b', function (t) {\n  y()\n})\ntest(name, function (t) {\n  z()\n})\n";
    CHECK_ROLE(b, a, other, 0, TC_EDIT_TOKENS, 1,
               "'use strict'\nit('b', function () {\n  y()\n})\ntest(name, function (t) {\n  z()\n})\n");
}

/* 'use strict', a line, n callbacks `<call>('<letter>', function (<param>) {\n
 * y()\n})\n`, then a plain function; malloc'd (NULL on ENOMEM). */
static char *calls_of(int n, const char *call, const char *param)
{
    char *s = malloc((size_t)n * (40 + strlen(call) + strlen(param)) + 96), *p = s;
    int i;
    if (!s) return NULL;
    p += sprintf(p, "'use strict'\nconst { a } = m.test\n"); /* a line ending in a name: no declaration */
    for (i = 0; i < n; i++) p += sprintf(p, "%s('%c', function (%s) {\n  y()\n})\n", call, 'a' + i, param);
    strcpy(p, "function h (t) {\n  y()\n}\n");
    return s;
}

TC_TEST(edit_role_call_callback)
{
    /* `test('a', function (t` -> `it('a', function (`: the calls of test
     * with a callback as the second argument, twelve of them (more than a
     * `tokens` rule may offer without a role), not the plain function */
    const char *b = "'use strict'\ntest('a', function (t) {\n  x()\n})\n";
    const char *a = "'use strict'\nit('a', function () {\n  x()\n})\n";
    char *other = calls_of(12, "test", "t"), *want = calls_of(12, "it", "");
    TC_CHECK(other != NULL && want != NULL);
    if (other && want) CHECK_ROLE(b, a, other, 0, TC_EDIT_TOKENS, 12, want);
    free(other);
    free(want);
}

TC_TEST(edit_role_call_member)
{
    /* the same rewrite of a method's call (`t.test(`): no role (the
     * object's own function), the twelve places are too many for a
     * `tokens` rule, none offered */
    const char *b = "'use strict'\nt.test('a', function (t) {\n  x()\n})\n";
    const char *a = "'use strict'\nt.it('a', function () {\n  x()\n})\n";
    char *other = calls_of(12, "t.test", "t");
    TC_CHECK(other != NULL);
    if (other) CHECK_ROLE(b, a, other, 0, TC_EDIT_TOKENS, 0, other);
    free(other);
}
