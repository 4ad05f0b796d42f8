/* test_edit_lint.c - the `lint` kind (src/edit/lint.c): an extra ';' after
 * a function's body dropped, JavaScript `var` -> const/let, wherever the
 * same check fails. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_LINT(lang, path, before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (path), (other), (origin), (want_kind), (want_n), (want))

TC_TEST(edit_lint_extra_semi_js)
{
    const char *b = "class A {\n  f(x) {\n    return x;\n  };\n  g() {\n    return 1;\n  };\n}\n";
    const char *a = "class A {\n  f(x) {\n    return x;\n  }\n  g() {\n    return 1;\n  };\n}\n";
    const char *keep = "o = {\n  a: 1\n};\nconst k = function () {\n  return 2;\n};\nrun(() => {\n  go();\n});\n";
    /* g's ';' goes */
    CHECK_LINT(TC_LANG_JS, "a.js", b, a, a, 1, TC_EDIT_LINT, 1,
               "class A {\n  f(x) {\n    return x;\n  }\n  g() {\n    return 1;\n  }\n}\n");
    /* an object's, a function expression's and a call's stay */
    CHECK_LINT(TC_LANG_JS, "a.js", b, a, keep, 0, TC_EDIT_LINT, 0, keep);
}

TC_TEST(edit_lint_extra_semi_cpp)
{
    const char *b = "struct S {\n  int f() const { return 1; };\n  int g() { return 2; };\n};\n";
    const char *a = "struct S {\n  int f() const { return 1; }\n  int g() { return 2; };\n};\n";
    const char *other = "class T {\n  void h() override { x(); };\n  T() = default;\n};\n"
                        "auto l = []() { return 3; };\nint v[] = {1, 2};\n";
    /* in another file: the method's ';' only; the class's, a lambda's and an initialiser's stay */
    CHECK_LINT(TC_LANG_CPP, "s.h", b, a, other, 0, TC_EDIT_LINT, 1,
               "class T {\n  void h() override { x(); }\n  T() = default;\n};\n"
               "auto l = []() { return 3; };\nint v[] = {1, 2};\n");
    /* in the edited file, the struct's own `};` stays */
    CHECK_LINT(TC_LANG_CPP, "s.h", b, a, a, 1, TC_EDIT_LINT, 1,
               "struct S {\n  int f() const { return 1; }\n  int g() { return 2; }\n};\n");
}

TC_TEST(edit_lint_var)
{
    const char *b = "var a = 1\nvar b = 2\nfunction f () {\n  var i = 0\n  var n\n  i++\n  n = 3\n"
                    "  if (x) {\n    var h = 1\n  }\n  return h\n}\n";
    const char *a = "const a = 1\nvar b = 2\nfunction f () {\n  var i = 0\n  var n\n  i++\n  n = 3\n"
                    "  if (x) {\n    var h = 1\n  }\n  return h\n}\n";
    /* const where never assigned again, let where assigned or without a
     * value; a var in an if block (used outside it) stays */
    CHECK_LINT(TC_LANG_JS, "v.js", b, a, a, 1, TC_EDIT_LINT, 3,
               "const a = 1\nconst b = 2\nfunction f () {\n  let i = 0\n  let n\n  i++\n  n = 3\n"
               "  if (x) {\n    var h = 1\n  }\n  return h\n}\n");
}

TC_TEST(edit_lint_var_negative)
{
    int k;
    size_t n;
    /* const for a name assigned again: not prefer-const, no lint rule */
    char *got = edit_apply_rule(TC_LANG_JS, "v.js", "var i = 0\ni++\nvar j = 1\n", "const i = 0\ni++\nvar j = 1\n",
                                "v.js", "const i = 0\ni++\nvar j = 1\n", 1, &k, &n);
    TC_CHECK(k != TC_EDIT_LINT);
    free(got);
    /* let where const would do: let everywhere */
    CHECK_LINT(TC_LANG_JS, "v.js", "var i = 0\nvar j = 1\n", "let i = 0\nvar j = 1\n", "let i = 0\nvar j = 1\n", 1,
               TC_EDIT_LINT, 1, "let i = 0\nlet j = 1\n");
    /* a name declared twice is left alone; not in a C file */
    CHECK_LINT(TC_LANG_JS, "v.js", "var i = 0\nvar j = 1\nvar j = 2\n", "const i = 0\nvar j = 1\nvar j = 2\n",
               "const i = 0\nvar j = 1\nvar j = 2\n", 1, TC_EDIT_LINT, 0, "const i = 0\nvar j = 1\nvar j = 2\n");
}

TC_TEST(edit_lint_curly)
{
    const char *b = "function f(a, b) {\n  if (a)\n    a = 1\n  if (b)\n    g(b)\n  else\n    h()\n"
                    "  if (a) g(a)\n  while (b)\n    b = next(b,\n      1)\n}\n";
    const char *a = "function f(a, b) {\n  if (a) {\n    a = 1\n  if (b)\n    g(b)\n  else\n    h()\n"
                    "  if (a) g(a)\n  while (b)\n    b = next(b,\n      1)\n}\n";
    /* the if and else bodies on the next line get braces (the example's
     * own body its "}"); a body on the if's own line, or running over two
     * lines, does not */
    CHECK_LINT(TC_LANG_JS, "c.js", b, a, a, 1, TC_EDIT_LINT, 5,
               "function f(a, b) {\n  if (a) {\n    a = 1\n  }\n  if (b) {\n    g(b)\n  } else {\n    h()\n  }\n"
               "  if (a) g(a)\n  while (b)\n    b = next(b,\n      1)\n}\n");
}

TC_TEST(edit_lint_two_examples)
{
    /* the second example confirms the first's rule */
    const char *b = "class A {\n  f() {\n    return 1;\n  };\n  g() {\n    return 2;\n  };\n  h() {\n    return 3;\n  };\n}\n";
    const char *a1 = "class A {\n  f() {\n    return 1;\n  }\n  g() {\n    return 2;\n  };\n  h() {\n    return 3;\n  };\n}\n";
    const char *a2 = "class A {\n  f() {\n    return 1;\n  };\n  g() {\n    return 2;\n  }\n  h() {\n    return 3;\n  };\n}\n";
    tc_edit_rule *r = NULL;
    EDIT_CHECK_SYNTH2(r, TC_LANG_JS, "a.js", b, a1, "a.js", b, a2);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_LINT);
    tc_edit_rule_free(r);
}

TC_TEST(edit_lint_var_in_blocks)
{
    /* the example in an if block; the vars of an if, else, try, catch or
     * finally block whose names live only in that block, after the var,
     * become const or let there too */
    const char *b = "function f (x) {\n  if (x) {\n    var a = g(x)\n    use(a)\n  }\n}\n";
    const char *a = "function f (x) {\n  if (x) {\n    const a = g(x)\n    use(a)\n  }\n}\n";
    const char *other = "function h (y) {\n  try {\n    var r = run(y)\n    r.go()\n  } catch (e) {\n"
                        "    var m = e.message\n    log(m)\n  } finally {\n    var d = 1\n    d += 1\n  }\n"
                        "  if (y) {\n    z()\n  } else {\n    var q = 2\n    log(q)\n  }\n}\n";
    CHECK_LINT(TC_LANG_JS, "b.js", b, a, other, 0, TC_EDIT_LINT, 4,
               "function h (y) {\n  try {\n    const r = run(y)\n    r.go()\n  } catch (e) {\n"
               "    const m = e.message\n    log(m)\n  } finally {\n    let d = 1\n    d += 1\n  }\n"
               "  if (y) {\n    z()\n  } else {\n    const q = 2\n    log(q)\n  }\n}\n");
}

TC_TEST(edit_lint_var_in_blocks_negative)
{
    const char *b = "function f (x) {\n  if (x) {\n    var a = g(x)\n    use(a)\n  }\n}\n";
    const char *a = "function f (x) {\n  if (x) {\n    const a = g(x)\n    use(a)\n  }\n}\n";
    /* used after the block, used before the var, no value, in a loop's
     * block, in a switch's: each var stays */
    const char *other = "function h (y) {\n  if (y) {\n    var r = run(y)\n  }\n  log(r)\n"
                        "  if (y) {\n    log(s)\n    var s = 1\n  }\n"
                        "  if (y) {\n    var n\n    n = 2\n  }\n"
                        "  for (const k of y) {\n    var v = k\n    log(v)\n  }\n"
                        "  switch (y) {\n    case 1:\n      var w = 3\n      log(w)\n  }\n}\n";
    CHECK_LINT(TC_LANG_JS, "b.js", b, a, other, 0, TC_EDIT_LINT, 0, other);
    /* from a var at a function's top, a block's var stays, the top's changes */
    CHECK_LINT(TC_LANG_JS, "b.js", "function f () {\n  var a = 1\n  g(a)\n}\n",
               "function f () {\n  const a = 1\n  g(a)\n}\n",
               "function h (y) {\n  var t = 1\n  if (y) {\n    var r = run(t)\n    r.go()\n  }\n}\n", 0,
               TC_EDIT_LINT, 1, "function h (y) {\n  const t = 1\n  if (y) {\n    var r = run(t)\n    r.go()\n  }\n}\n");
}
