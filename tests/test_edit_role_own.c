/* test_edit_role_own.c - a callback's parameter renamed at a use followed
 * by a member (`t.strictEqual` -> `assert.strictEqual`, src/edit/role.c):
 * in the example's own callback, the other uses followed by the same
 * member are offered; its parameter list and its uses by another member
 * (`t.plan`, `t.end()`) are not. A parameter that plays no callback's
 * role is a local renamed: every use, its declaration too. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_OWN EDIT_CHECK_SELF

TC_TEST(edit_role_own_same_member)
{
    const char *b = "test('a', function (t) {\n  t.plan(2)\n  t.strictEqual(f(), 1)\n"
                    "  g(function () {\n    t.strictEqual(h(), 2)\n    t.end()\n  })\n})\n";
    const char *a = "test('a', function (t) {\n  t.plan(2)\n  assert.strictEqual(f(), 1)\n"
                    "  g(function () {\n    t.strictEqual(h(), 2)\n    t.end()\n  })\n})\n";
    /* positive: the nested `t.strictEqual`; negative: `(t)`, `t.plan`, `t.end` */
    CHECK_OWN(TC_LANG_JS, "test/a.js", b, a, TC_EDIT_RENAME, 1,
              "test('a', function (t) {\n  t.plan(2)\n  assert.strictEqual(f(), 1)\n"
              "  g(function () {\n    assert.strictEqual(h(), 2)\n    t.end()\n  })\n})\n");
}

TC_TEST(edit_role_own_typescript)
{
    /* an arrow callback (TypeScript): the same */
    const char *b = "test('a', async (t) => {\n  t.equal(f(), 1)\n  t.equal(g(), 2)\n  t.pass()\n})\n";
    const char *a = "test('a', async (t) => {\n  expect.equal(f(), 1)\n  t.equal(g(), 2)\n  t.pass()\n})\n";
    CHECK_OWN(TC_LANG_TS, "test/a.ts", b, a, TC_EDIT_RENAME, 1,
              "test('a', async (t) => {\n  expect.equal(f(), 1)\n  expect.equal(g(), 2)\n  t.pass()\n})\n");
}

TC_TEST(edit_role_own_plain_local_all_uses)
{
    /* no callback's role (a named function's parameter): a local renamed,
     * its declaration and every use, whatever follows them */
    const char *b = "function h (t) {\n  t.strictEqual(a, 1)\n  t.ok(b)\n  return t\n}\n";
    const char *a = "function h (t) {\n  tt.strictEqual(a, 1)\n  t.ok(b)\n  return t\n}\n";
    CHECK_OWN(TC_LANG_JS, "lib/h.js", b, a, TC_EDIT_RENAME, 3,
              "function h (tt) {\n  tt.strictEqual(a, 1)\n  tt.ok(b)\n  return tt\n}\n");
}
