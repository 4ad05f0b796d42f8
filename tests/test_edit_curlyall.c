/* test_edit_curlyall.c - braces around a body on its head's own line
 * (src/edit/lint.c, same_body: eslint curly "all"): `if (c) return x`
 * braced by hand, as " {" plus a line break, or as the "}" line after it
 * (the two places a diff makes of it), makes the curly rule for such
 * bodies and for the bodies on the next line; a next-line body's example
 * leaves them alone. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_CURLY(lang, path, before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (path), (other), (origin), (want_kind), (want_n), (want))

static const char *const js_b = "function f(a, b) {\n  if (!a) return help()\n  while (b) {\n"
                                "    if (!b.length) return fail()\n    b = next(b)\n  }\n"
                                "  if (a)\n    g(a)\n  else h()\n  return 0\n}\n";
/* every body braced, each statement on a line of its own */
static const char *const js_all = "function f(a, b) {\n  if (!a) {\n    return help()\n  }\n  while (b) {\n"
                                  "    if (!b.length) {\n      return fail()\n    }\n    b = next(b)\n  }\n"
                                  "  if (a) {\n    g(a)\n  } else {\n    h()\n  }\n  return 0\n}\n";

TC_TEST(edit_curlyall_open_js)
{
    /* the example: " {" and a line break after the first if's condition */
    const char *a = "function f(a, b) {\n  if (!a) {\n    return help()\n  while (b) {\n"
                    "    if (!b.length) return fail()\n    b = next(b)\n  }\n"
                    "  if (a)\n    g(a)\n  else h()\n  return 0\n}\n";
    /* in the edited file: the example's own "}", the other same-line
     * bodies (the else's too, `} else {`) and the next-line one */
    CHECK_CURLY(TC_LANG_JS, "s.js", js_b, a, a, 1, TC_EDIT_LINT, 7, js_all);
}

TC_TEST(edit_curlyall_close_js)
{
    /* the example: the "}" line after the first if's same-line body */
    const char *a = "function f(a, b) {\n  if (!a) return help()\n  }\n  while (b) {\n"
                    "    if (!b.length) return fail()\n    b = next(b)\n  }\n"
                    "  if (a)\n    g(a)\n  else h()\n  return 0\n}\n";
    CHECK_CURLY(TC_LANG_JS, "s.js", js_b, a, a, 1, TC_EDIT_LINT, 7, js_all);
    /* another file of the language: same-line and next-line bodies */
    CHECK_CURLY(TC_LANG_JS, "s.js", js_b, a, "for (const x of xs) use(x)\nwhile (n)\n  n = n.next\ndone()\n", 0,
                TC_EDIT_LINT, 4, "for (const x of xs) {\n  use(x)\n}\nwhile (n) {\n  n = n.next\n}\ndone()\n");
}

TC_TEST(edit_curlyall_c)
{
    /* C, tabs: the indentation one block adds is the file's */
    const char *b = "int f(int a)\n{\n\tif (a < 0) return -1;\n\tif (a > 9) goto out;\n\treturn a;\nout:\n"
                    "\treturn 9;\n}\n";
    const char *a = "int f(int a)\n{\n\tif (a < 0) {\n\t\treturn -1;\n\tif (a > 9) goto out;\n\treturn a;\nout:\n"
                    "\treturn 9;\n}\n";
    CHECK_CURLY(TC_LANG_C, "f.c", b, a, a, 1, TC_EDIT_LINT, 3,
                "int f(int a)\n{\n\tif (a < 0) {\n\t\treturn -1;\n\t}\n\tif (a > 9) {\n\t\tgoto out;\n\t}\n"
                "\treturn a;\nout:\n\treturn 9;\n}\n");
}

TC_TEST(edit_curlyall_negative)
{
    /* not: `else if`, a nested if, two statements on the line, a
     * statement that goes on on the next line, a body that runs over two
     * lines, a block, a macro's if, a do-while's while, a body before a
     * one-line block */
    const char *keep = "function g(a) {\n  if (a) x()\n  else if (b) y()\n  if (a) if (b) z()\n"
                       "  if (a) x(); y()\n  if (a) x(1,\n    2)\n  if (a) v = w\n    + 1\n"
                       "  if (a) { x() }\n  do {\n    a--\n  } while (a) a++\n"
                       "  if (c) x()\n  if (d) { y() }\n}\n";
    const char *want = "function g(a) {\n  if (a) {\n    x()\n  } else if (b) {\n    y()\n  }\n"
                       "  if (a) if (b) z()\n  if (a) x(); y()\n  if (a) x(1,\n    2)\n  if (a) v = w\n    + 1\n"
                       "  if (a) { x() }\n  do {\n    a--\n  } while (a) a++\n"
                       "  if (c) x()\n  if (d) { y() }\n}\n";
    const char *a = "function f(a, b) {\n  if (!a) {\n    return help()\n  while (b) {\n"
                    "    if (!b.length) return fail()\n    b = next(b)\n  }\n"
                    "  if (a)\n    g(a)\n  else h()\n  return 0\n}\n";
    /* the first if and the `else if`'s if: theirs are braced */
    CHECK_CURLY(TC_LANG_JS, "s.js", js_b, a, keep, 0, TC_EDIT_LINT, 4, want);
    /* #define's if */
    CHECK_CURLY(TC_LANG_C, "m.c", "void f(int a)\n{\n    if (a) g();\n}\n",
                "void f(int a)\n{\n    if (a) {\n        g();\n}\n",
                "#define CHECK(x) if (!(x)) return -1\n", 0, TC_EDIT_LINT, 0, "#define CHECK(x) if (!(x)) return -1\n");
}

TC_TEST(edit_curlyall_next_line_example_keeps_same_line)
{
    /* from a next-line body's example (curly multi-line) a body on its
     * head's line stays as it is */
    const char *b = "if (a)\n  g(a)\nif (b) h(b)\nwhile (c)\n  c--\ndone()\n";
    const char *a = "if (a) {\n  g(a)\nif (b) h(b)\nwhile (c)\n  c--\ndone()\n";
    CHECK_CURLY(TC_LANG_JS, "n.js", b, a, a, 1, TC_EDIT_LINT, 3,
                "if (a) {\n  g(a)\n}\nif (b) h(b)\nwhile (c) {\n  c--\n}\ndone()\n");
}

TC_TEST(edit_curlyall_two_examples)
{
    /* two "}" lines, each after a same-line body: the second confirms the
     * first's rule */
    const char *b = "function f(a, b) {\n  if (a) return 1\n  if (b) return 2\n  return 0\n}\n";
    const char *a1 = "function f(a, b) {\n  if (a) return 1\n  }\n  if (b) return 2\n  return 0\n}\n";
    const char *a2 = "function f(a, b) {\n  if (a) return 1\n  }\n  if (b) return 2\n  }\n  return 0\n}\n";
    tc_edit_rule *r = NULL;
    EDIT_CHECK_SYNTH2(r, TC_LANG_JS, "c.js", b, a1, "c.js", a1, a2);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_LINT);
    tc_edit_rule_free(r);
}
