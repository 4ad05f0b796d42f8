/* test_edit_template.c - the `template` kind (src/edit/template.c): a
 * rewrite whose shape repeats, the names it keeps as holes, over one line
 * or several. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_TPL(lang, before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), "t.src", (before), (after), "t.src", (other), (origin), (want_kind), (want_n), (want))

TC_TEST(edit_template_isinstance)
{
    const char *b = "if type(v) is dict:\n    pass\n";
    const char *a = "if isinstance(v, dict):\n    pass\n";
    /* any names in the holes, wherever the expression stands */
    CHECK_TPL(TC_LANG_PYTHON, b, a, "x = type(cfg) is list and ok\nwhile type(n) is int:\n    n = f(n)\n", 0,
              TC_EDIT_TEMPLATE, 2, "x = isinstance(cfg, list) and ok\nwhile isinstance(n, int):\n    n = f(n)\n");
    /* not where a hole is part of a longer operand, nor a member */
    CHECK_TPL(TC_LANG_PYTHON, b, a, "y = type(a) is b.c\nz = o.type(a) is b\nw = type(a[0]) is b\n", 0,
              TC_EDIT_TEMPLATE, 0, "y = type(a) is b.c\nz = o.type(a) is b\nw = type(a[0]) is b\n");
}

TC_TEST(edit_template_lines)
{
    /* a statement over two lines rewritten; the new lines re-indented */
    const char *b = "function f(o) {\n  if (!o) {\n    o = Object.create(null)\n  }\n  g(o)\n}\n";
    const char *a = "function f(o) {\n  o = parseOptions(o)\n  g(o)\n}\n";
    CHECK_TPL(TC_LANG_JS, b, a, "class C {\n    m(opts) {\n        if (!opts) {\n            opts = Object.create(null)\n        }\n    }\n}\n",
              0, TC_EDIT_TEMPLATE, 1, "class C {\n    m(opts) {\n        opts = parseOptions(opts)\n    }\n}\n");
}

TC_TEST(edit_template_negative)
{
    int k;
    size_t n;
    char *got;
    /* a new string is that place's own: no template */
    got = edit_apply_rule(TC_LANG_JS, "t.js", "t.equal(a, b)\n", "assert.ok(a == b, 'same')\n", "t.js",
                          "t.equal(c, d)\n", 0, &k, &n);
    TC_CHECK(k != TC_EDIT_TEMPLATE);
    free(got);
    /* braces moved around a statement: formatting, not a template */
    got = edit_apply_rule(TC_LANG_JS, "t.js", "if (typeof a === 'x') f(a)\n", "if (typeof a === 'x') { f(a) }\n",
                          "t.js", "if (typeof b === 'x') f(b)\n", 0, &k, &n);
    TC_CHECK(k != TC_EDIT_TEMPLATE);
    free(got);
    /* all holes but one name: too loose */
    got = edit_apply_rule(TC_LANG_PYTHON, "t.py", "m = re.match(p, s)\nif m:\n    go()\n",
                          "if m := re.match(p, s):\n    go()\n", "t.py", "x = a.b(c, d)\nif x:\n    go()\n", 0, &k, &n);
    TC_CHECK(k != TC_EDIT_TEMPLATE);
    free(got);
}
