/* test_edit_inner.c - a local renamed in a function that declares its
 * name again in an inner scope (src/edit/inner.c): the function's uses are
 * renamed, those of the inner scope (the other variable) are not. */
#include "edit_apply.h"
#include "test.h"

/* semver's ranges/simplify.js, 7.3.5 -> 7.3.6: `let min` -> `let first`,
 * the loop's own `min` stays */
#define SIMP(m)                                                                  \
    "module.exports = (versions, range) => {\n"                                  \
    "  const set = []\n"                                                         \
    "  let " m " = null\n"                                                       \
    "  for (const version of versions) {\n"                                      \
    "    if (ok(version)) {\n"                                                   \
    "      if (!" m ")\n"                                                        \
    "        " m " = version\n"                                                  \
    "    } else {\n"                                                             \
    "      set.push([" m ", null])\n"                                            \
    "      " m " = null\n"                                                       \
    "    }\n"                                                                    \
    "  }\n"                                                                      \
    "  if (" m ")\n"                                                             \
    "    set.push([" m ", null])\n"                                              \
    "  for (const [min, max] of set) {\n"                                        \
    "    if (min === max)\n"                                                     \
    "      out.push(min)\n"                                                      \
    "  }\n"                                                                      \
    "  return out.map((min) => min.x)\n"                                         \
    "}\n"

TC_TEST(edit_inner_loop_keeps_its_own)
{
    const char *b = SIMP("min");
    const char *a = "module.exports = (versions, range) => {\n  const set = []\n  let first = null\n"
                    "  for (const version of versions) {\n    if (ok(version)) {\n      if (!min)\n"
                    "        min = version\n    } else {\n      set.push([min, null])\n      min = null\n"
                    "    }\n  }\n  if (min)\n    set.push([min, null])\n  for (const [min, max] of set) {\n"
                    "    if (min === max)\n      out.push(min)\n  }\n  return out.map((min) => min.x)\n}\n";
    /* six uses of the function's min; the loop's three and the arrow function's two stay */
    EDIT_CHECK_SELF(TC_LANG_JS, "simplify.js", b, a, TC_EDIT_RENAME, 6, SIMP("first"));
}

/* renamed at a use (not the declaration): the same places, the declaration among them */
TC_TEST(edit_inner_at_a_use)
{
    const char *b = "function f(xs) {\n  let n = 0\n  for (const x of xs) n += x\n"
                    "  xs.forEach((n) => g(n))\n  { let n = 2; h(n) }\n  for (const n of xs) h(n)\n  return n\n}\n";
    const char *a = "function f(xs) {\n  let n = 0\n  for (const x of xs) total += x\n"
                    "  xs.forEach((n) => g(n))\n  { let n = 2; h(n) }\n  for (const n of xs) h(n)\n  return n\n}\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", b, a, TC_EDIT_RENAME, 2,
                    "function f(xs) {\n  let total = 0\n  for (const x of xs) total += x\n"
                    "  xs.forEach((n) => g(n))\n  { let n = 2; h(n) }\n  for (const n of xs) h(n)\n  return total\n}\n");
}

/* C: a block's own declaration of the name is another variable */
TC_TEST(edit_inner_c_block)
{
    const char *b = "int f(int k) {\n    int i = k;\n    if (k) {\n        int i = 2;\n        g(i);\n    }\n    return i;\n}\n";
    const char *a = "int f(int k) {\n    int idx = k;\n    if (k) {\n        int i = 2;\n        g(i);\n    }\n    return i;\n}\n";
    EDIT_CHECK_SELF(TC_LANG_C, "f.c", b, a, TC_EDIT_RENAME, 1,
                    "int f(int k) {\n    int idx = k;\n    if (k) {\n        int i = 2;\n        g(i);\n    }\n    return idx;\n}\n");
}

TC_TEST(edit_inner_negative)
{
    /* a `var` declared again in a block is the same variable: which uses are meant is not clear, no rule */
    const char *vb = "function f() {\n  var n = 0\n  if (x) {\n    var n = 1\n    g(n)\n  }\n  return n\n}\n";
    const char *va = "function f() {\n  var m = 0\n  if (x) {\n    var n = 1\n    g(n)\n  }\n  return n\n}\n";
    /* the example is the inner scope's own declaration: which scope it means is not told (the
     * loop's header is no scope synth.c knows), no rule */
    const char *ib = "function f(xs) {\n  let n = 0\n  for (const n of xs) g(n)\n  return n\n}\n";
    const char *ia = "function f(xs) {\n  let n = 0\n  for (const m of xs) g(n)\n  return n\n}\n";
    /* declared twice in the same scope (a redeclaration, not an inner scope): no rule */
    const char *tb = "function f() {\n  let n = 0\n  g(n)\n  let n = h()\n  return n\n}\n";
    const char *ta = "function f() {\n  let m = 0\n  g(n)\n  let n = h()\n  return n\n}\n";
    /* the new name used already in the scope (an inner one's): it would be captured, no rule */
    const char *cb = "function f(xs) {\n  let n = 0\n  for (const n of xs) g(n, m)\n  return n\n}\n";
    const char *ca = "function f(xs) {\n  let m = 0\n  for (const n of xs) g(n, m)\n  return n\n}\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", vb, va, -1, 0, va);
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", ib, ia, -1, 0, ia);
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", tb, ta, -1, 0, ta);
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", cb, ca, -1, 0, ca);
}

/* rxjs's repeat.ts, 7.4 -> 7.5: `if (innerSub) {` is a condition, not a
 * parameter list declaring innerSub again: no inner scope, and a local
 * used in it is no case for this file (no rule, as before) */
TC_TEST(edit_inner_condition_is_no_scope)
{
    const char *b = "function f() {\n  let sub = null\n  const g = () => {\n    if (sub) {\n      sub.stop()\n    }\n  }\n}\n";
    const char *a = "function f() {\n  let src = null\n  const g = () => {\n    if (sub) {\n      sub.stop()\n    }\n  }\n}\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", b, a, -1, 0, a);
}
/* a loop without braces that destructures its own `min`: that `min` is a
 * declaration (before, taken for a use and renamed) */
TC_TEST(edit_inner_destructured_loop)
{
    const char *b = "module.exports = (vs, set) => {\n  let min = null\n  for (const v of vs) {\n    if (!min) min = v\n  }\n"
                    "  if (min) set.push([min, null])\n  for (const [min, max] of set) out.push(min, max)\n}\n";
    const char *a = "module.exports = (vs, set) => {\n  let first = null\n  for (const v of vs) {\n    if (!min) min = v\n  }\n"
                    "  if (min) set.push([min, null])\n  for (const [min, max] of set) out.push(min, max)\n}\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "s.js", b, a, TC_EDIT_RENAME, 4,
                    "module.exports = (vs, set) => {\n  let first = null\n  for (const v of vs) {\n    if (!first) first = v\n  }\n"
                    "  if (first) set.push([first, null])\n  for (const [min, max] of set) out.push(min, max)\n}\n");
}

/* a parameter that shadows the function's around it and is declared again
 * in a function inside its own: its own uses only, neither the inner
 * function's nor (shadow.c) the sibling functions' */
TC_TEST(edit_inner_shadowing_parameter)
{
    const char *b = "const f = (comp, o) => comp.split(' ').map((comp) => {\n  list.forEach((comp) => g(comp))\n"
                    "  return h(comp)\n})\nconst k = (comp, o) => comp.split(' ').map((comp) => h(comp))\n";
    const char *a = "const f = (comp, o) => comp.split(' ').map((c) => {\n  list.forEach((comp) => g(comp))\n"
                    "  return h(comp)\n})\nconst k = (comp, o) => comp.split(' ').map((comp) => h(comp))\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", b, a, TC_EDIT_RENAME, 1,
                    "const f = (comp, o) => comp.split(' ').map((c) => {\n  list.forEach((comp) => g(comp))\n"
                    "  return h(c)\n})\nconst k = (comp, o) => comp.split(' ').map((comp) => h(comp))\n");
}

/* a loop's header that assigns the function's variable (`for (i = 0; ...`)
 * declares nothing: the loop's uses are the same variable (no inner scope,
 * and the name twice declared otherwise: no rule, as before) */
TC_TEST(edit_inner_loop_assigns_negative)
{
    const char *b = "function f(n) {\n  let i = 0\n  for (i = 0; i < n; i++) {\n    g(i)\n  }\n  return i\n}\n";
    const char *a = "function f(n) {\n  let j = 0\n  for (i = 0; i < n; i++) {\n    g(i)\n  }\n  return i\n}\n";
    const char *cb = "int f(int n) {\n    int i = 0;\n    for (i = 0; i < n; i++)\n        g(i);\n    return i;\n}\n";
    const char *ca = "int f(int n) {\n    int j = 0;\n    for (i = 0; i < n; i++)\n        g(i);\n    return i;\n}\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", b, a, -1, 0, a);
    EDIT_CHECK_SELF(TC_LANG_C, "f.c", cb, ca, TC_EDIT_RENAME, 5,
                    "int f(int n) {\n    int j = 0;\n    for (j = 0; j < n; j++)\n        g(j);\n    return j;\n}\n");
}
