/* test_edit_close.c - the closing half of braces added to a bare body
 * (src/edit/lint.c, curly_close): a diff splits " {" after an if's
 * condition and the "}" line after its body into two places; the "}" line
 * alone, as an example, makes the curly rule too. */
#include "edit_apply.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_CLOSE(lang, path, before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (path), (other), (origin), (want_kind), (want_n), (want))

/* The "}" line of (before -> after) makes no curly rule: no rule, or
 * another kind's that changes nothing in `if (x)\n  y()\nz()\n`. */
#define CHECK_NO_CLOSE(lang, path, before, after)                                                         \
    do {                                                                                                  \
        int k_;                                                                                           \
        size_t n_;                                                                                        \
        char *got_ = edit_apply_rule((lang), (path), (before), (after), (path), "if (x)\n  y()\nz()\n", 0, &k_, &n_); \
        TC_CHECK(k_ != TC_EDIT_LINT);                                                                     \
        TC_CHECK_STR(got_, "if (x)\n  y()\nz()\n");                                                        \
        free(got_);                                                                                       \
    } while (0)

TC_TEST(edit_close_curly_js)
{
    const char *b = "function f(a, b) {\n  if (a)\n    return 1\n  if (b)\n    g(b)\n  else\n    h()\n"
                    "  for (const x of a)\n    use(x)\n  if (a) g(a)\n  return 0\n}\n";
    /* the "}" line after the first if's body (its " {" is the other place) */
    const char *a = "function f(a, b) {\n  if (a)\n    return 1\n  }\n  if (b)\n    g(b)\n  else\n    h()\n"
                    "  for (const x of a)\n    use(x)\n  if (a) g(a)\n  return 0\n}\n";
    /* in the edited file: the example's own " {", every other bare body's
     * braces (`} else {` included); the one-line if stays */
    CHECK_CLOSE(TC_LANG_JS, "c.js", b, a, a, 1, TC_EDIT_LINT, 7,
                "function f(a, b) {\n  if (a) {\n    return 1\n  }\n  if (b) {\n    g(b)\n  } else {\n    h()\n  }\n"
                "  for (const x of a) {\n    use(x)\n  }\n  if (a) g(a)\n  return 0\n}\n");
    /* another file of the language */
    CHECK_CLOSE(TC_LANG_JS, "c.js", b, a, "while (n)\n  n = next(n)\nuse(n)\n", 0, TC_EDIT_LINT, 2,
                "while (n) {\n  n = next(n)\n}\nuse(n)\n");
}

TC_TEST(edit_close_curly_c)
{
    const char *b = "int f(int a)\n{\n    if (a > 1)\n        return a;\n    return 0;\n}\n";
    const char *a = "int f(int a)\n{\n    if (a > 1)\n        return a;\n    }\n    return 0;\n}\n";
    CHECK_CLOSE(TC_LANG_C, "f.c", b, a, "void g(int *p)\n{\n    while (*p)\n        p++;\n}\n", 0, TC_EDIT_LINT, 2,
                "void g(int *p)\n{\n    while (*p) {\n        p++;\n    }\n}\n");
}

TC_TEST(edit_close_negative)
{
    /* a "}" after a body that already has its "{" (closing a block) */
    CHECK_NO_CLOSE(TC_LANG_JS, "c.js", "function f(a) {\n  if (a) {\n    return 1\n  g(a)\n  return 0\n}\n",
                   "function f(a) {\n  if (a) {\n    return 1\n  }\n  g(a)\n  return 0\n}\n");
    /* a "}" after a line that is no if, for, while or else body */
    CHECK_NO_CLOSE(TC_LANG_JS, "c.js", "function f(a) {\n  g(a)\n  h(a)\n", "function f(a) {\n  g(a)\n}\n  h(a)\n");
    /* a "}" after an if whose body runs over two lines */
    CHECK_NO_CLOSE(TC_LANG_JS, "c.js", "if (a)\n  g(a,\n    1)\nh()\n", "if (a)\n  g(a,\n    1)\n}\nh()\n");
    /* a "}" after the line after the body */
    CHECK_NO_CLOSE(TC_LANG_JS, "c.js", "if (a)\n  g(a)\nh()\nk()\n", "if (a)\n  g(a)\nh()\n}\nk()\n");
    /* Python has no braces */
    CHECK_NO_CLOSE(TC_LANG_PYTHON, "c.py", "if a:\n    g(a)\nh()\n", "if a:\n    g(a)\n}\nh()\n");
}

TC_TEST(edit_close_block_typed_before)
{
    /* 7318fc9beb's sa.c as typed in an editor: `} else {` first, then the
     * "}" that closes it after the one-line body it wraps. A `{` before
     * the "}" is open: a block closed, not braces added (a braces fix's o
     * is balanced) */
    CHECK_NO_CLOSE(TC_LANG_C, "f.c",
                   "int f(int n)\n{\n    int bits = 0;\n    if (n > 64) {\n        bits = 64;\n    } else {\n"
                   "    while (bits < 32 && (n >> bits)) bits++;\n    return bits;\n}\n",
                   "int f(int n)\n{\n    int bits = 0;\n    if (n > 64) {\n        bits = 64;\n    } else {\n"
                   "    while (bits < 32 && (n >> bits)) bits++;\n    }\n    return bits;\n}\n");
    /* the same with a next-line body */
    CHECK_NO_CLOSE(TC_LANG_JS, "c.js", "function f(a) {\n  if (a) {\n    g(a)\n  } else {\n  if (b)\n    h()\n  k()\n}\n",
                   "function f(a) {\n  if (a) {\n    g(a)\n  } else {\n  if (b)\n    h()\n  }\n  k()\n}\n");
}

/* A C file of n functions, each with one bare body. */
static char *bare_bodies(size_t n)
{
    char *s = malloc(n * 64 + 1);
    size_t i, k = 0;
    if (!s) return NULL;
    for (i = 0; i < n; i++) k += (size_t)sprintf(s + k, "int g%zu(int *p)\n{\n    while (*p)\n        p++;\n}\n", i);
    return s;
}

TC_TEST(edit_close_breadth)
{
    /* the "}" line alone: up to TC_EDIT_MAX_NARROW places are offered
     * (semver's braces fix: 95), more are code whose style is bare bodies
     * (tacit's tree: 9,015); from the " {" half there is no limit */
    const char *b = "int f(int a)\n{\n    if (a > 1)\n        return a;\n    return 0;\n}\n";
    const char *close = "int f(int a)\n{\n    if (a > 1)\n        return a;\n    }\n    return 0;\n}\n";
    const char *open = "int f(int a)\n{\n    if (a > 1) {\n        return a;\n    return 0;\n}\n";
    char *many = bare_bodies(TC_EDIT_MAX_NARROW);
    tc_edit_rule *r = NULL, *ro = NULL;
    tc_edit_src src = {"g.c", many, many ? strlen(many) : 0, TC_LANG_C};
    tc_edit_sites s = {0};
    TC_CHECK(many != NULL);
    if (!many) return;
    EDIT_CHECK_SYNTH(r, TC_LANG_C, "f.c", b, close);
    EDIT_CHECK_SYNTH(ro, TC_LANG_C, "f.c", b, open);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_LINT && ro && tc_edit_rule_kind(ro) == TC_EDIT_LINT);
    if (r && ro) {
        /* 160 bodies, two places each ( " {" and "}") */
        TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &src, 0, &s), TC_OK);
        TC_CHECK_EQ_INT(s.n, 2 * TC_EDIT_MAX_NARROW);
        tc_edit_sites_narrow(r, &s);
        TC_CHECK_EQ_INT(s.n, 0);
        tc_edit_sites_free(&s);
        TC_CHECK(!tc_edit_rule_too_broad(r, TC_EDIT_MAX_NARROW));
        TC_CHECK(tc_edit_rule_too_broad(r, TC_EDIT_MAX_NARROW + 1));
        TC_CHECK(!tc_edit_rule_too_broad(ro, 100 * TC_EDIT_MAX_NARROW));
    }
    tc_edit_rule_free(r);
    tc_edit_rule_free(ro);
    free(many);
}

TC_TEST(edit_close_two_examples)
{
    /* two "}" lines, each after an indented body: the second confirms the
     * first's rule (the place of an insertion before an indented line
     * starts at that line's start) */
    const char *b = "function f(a, b) {\n  if (a)\n    return 1\n  if (b)\n    return 2\n  return 0\n}\n";
    const char *a1 = "function f(a, b) {\n  if (a)\n    return 1\n  }\n  if (b)\n    return 2\n  return 0\n}\n";
    const char *a2 = "function f(a, b) {\n  if (a)\n    return 1\n  }\n  if (b)\n    return 2\n  }\n  return 0\n}\n";
    tc_edit_rule *r = NULL;
    EDIT_CHECK_SYNTH2(r, TC_LANG_JS, "c.js", b, a1, "c.js", a1, a2);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_LINT);
    tc_edit_rule_free(r);
}
