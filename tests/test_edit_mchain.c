/* test_edit_mchain.c - a member chain rooted in a local replaced in its
 * function (src/edit/mchain.c): every whole use of the chain in that
 * function, whatever surrounds it; not the chain of another function's
 * variable of the same name, not a longer chain, call or index. */
#include "edit_apply.h"
#include "test.h"

/* tacit's rank_train (94379f3878): `cs.n` -> `ncases` at each use */
#define TRAIN(x, y, z, w)                                      \
    "static int train(tc_engine *e)\n"                         \
    "{\n"                                                      \
    "    tc_caseset cs = {0};\n"                               \
    "    size_t i;\n"                                          \
    "    for (i = 0; i < " x "; i++)\n"                        \
    "        use(e, &cs.v[i]);\n"                              \
    "    held = calloc(" y " + 1, sizeof *held);\n"            \
    "    rc = fit(e, X, " z ", hs);\n"                         \
    "    if (" w " > 2 && cs.n.x) cs.n(e);\n"                  \
    "    return 0;\n"                                          \
    "}\n"                                                      \
    "static int other(tc_caseset cs)\n"                        \
    "{\n"                                                      \
    "    return cs.n + 1;\n"                                   \
    "}\n"

TC_TEST(edit_mchain_in_its_function)
{
    const char *b = TRAIN("cs.n", "cs.n", "cs.n", "cs.n");
    const char *a = TRAIN("ncases", "cs.n", "cs.n", "cs.n");
    /* three more uses in train, each with other tokens around it; `cs.n.x`, `cs.n(e)`
     * (a longer chain, a call) and other()'s `cs` (another variable) stay */
    EDIT_CHECK_SELF(TC_LANG_C, "s.c", b, a, TC_EDIT_TOKENS, 3, TRAIN("ncases", "ncases", "ncases", "ncases"));
}

/* a parameter's chain, `->` and `.`: e->items.n -> nit */
TC_TEST(edit_mchain_parameter)
{
    const char *b = "static void f(eng *e, size_t p)\n{\n    while (p < e->items.n) p++;\n"
                    "    if (p >= e->items.n) return;\n    g(it, p, e->items.n);\n    h(x->e->items.n);\n}\n";
    const char *a = "static void f(eng *e, size_t p)\n{\n    while (p < nit) p++;\n"
                    "    if (p >= e->items.n) return;\n    g(it, p, e->items.n);\n    h(x->e->items.n);\n}\n";
    /* `x->e->items.n` is another chain (its root is x) */
    EDIT_CHECK_SELF(TC_LANG_C, "f.c", b, a, TC_EDIT_TOKENS, 2,
                    "static void f(eng *e, size_t p)\n{\n    while (p < nit) p++;\n"
                    "    if (p >= nit) return;\n    g(it, p, nit);\n    h(x->e->items.n);\n}\n");
}

/* a parameter's chain: also in the other functions that take the same
 * parameter (tacit's e355c9560e, succ_cands and prefix_cands), not where
 * `e` is a parameter of another type, nor a local */
#define SIBS(x, y, z, w)                                                                              \
    "static void succ(eng *e, size_t p)\n{\n    while (p < " x ") p++;\n    g(p, " y ");\n}\n"      \
    "static void pre(eng *e, long q)\n{\n    if (q >= " z ") return;\n}\n"                         \
    "static void other(struct x *e)\n{\n    h(" w ");\n}\n"                                        \
    "static size_t imp(void *arg)\n{\n    eng *e = arg;\n    return e->items.n;\n}\n"

TC_TEST(edit_mchain_parameter_other_functions)
{
    const char *b = SIBS("e->items.n", "e->items.n", "e->items.n", "e->items.n");
    const char *a = SIBS("nit", "e->items.n", "e->items.n", "e->items.n");
    EDIT_CHECK_SELF(TC_LANG_C, "s.c", b, a, TC_EDIT_TOKENS, 2, SIBS("nit", "nit", "nit", "e->items.n"));
}

/* a local's chain stays in its function even where another function
 * takes a parameter of the same name and type */
TC_TEST(edit_mchain_local_not_other_functions)
{
#define LOC(x, y, z)                                                                                  \
    "void f(size_t p)\n{\n    eng *e = get();\n    while (p < " x ") p++;\n    h(p, " y ");\n}\n" \
    "void k(eng *e, size_t p)\n{\n    while (p < " z ") p++;\n}\n"
    EDIT_CHECK_SELF(TC_LANG_C, "s.c", LOC("e->items.n", "e->items.n", "e->items.n"), LOC("nit", "e->items.n", "e->items.n"),
                    TC_EDIT_TOKENS, 1, LOC("nit", "nit", "e->items.n"));
#undef LOC
}

/* JS: a local's property in an arrow function */
TC_TEST(edit_mchain_js)
{
    const char *b = "const f = (opts) => {\n  const res = run(opts)\n  if (res.code) log(res.code)\n"
                    "  return [res.code, 1]\n}\n";
    const char *a = "const f = (opts) => {\n  const res = run(opts)\n  if (code) log(res.code)\n"
                    "  return [res.code, 1]\n}\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", b, a, TC_EDIT_TOKENS, 2,
                    "const f = (opts) => {\n  const res = run(opts)\n  if (code) log(code)\n"
                    "  return [code, 1]\n}\n");
}

/* no chain rule: another file, a root the function does not declare, a
 * callee, a chain inside a longer one, a plain name */
TC_TEST(edit_mchain_negative)
{
    tc_edit_rule *r = NULL;
    const char *b = TRAIN("cs.n", "cs.n", "cs.n", "cs.n");
    const char *a = TRAIN("ncases", "cs.n", "cs.n", "cs.n");
    /* a global's chain: which functions mean the same object is not known */
    const char *gb = "static struct s g;\nint f(void)\n{\n    return g.n + g.n;\n}\n";
    const char *ga = "static struct s g;\nint f(void)\n{\n    return count + g.n;\n}\n";
    /* the chain is called: an API changed (the tokens rule's, not this) */
    const char *cb = "void f(T *t)\n{\n    t.equal(a);\n    t.equal(b);\n}\n";
    const char *ca = "void f(T *t)\n{\n    eq(a);\n    t.equal(b);\n}\n";
    /* the chain goes on after the change (`cs.n.x`): a part of a longer chain */
    const char *lb = "void f(T cs)\n{\n    g(cs.n.x);\n    g(cs.n.x);\n}\n";
    const char *la = "void f(T cs)\n{\n    g(k.x);\n    g(cs.n.x);\n}\n";
    /* the root declared again in an inner block: two variables, which uses are meant is not told */
    const char *ib = "void f(T cs)\n{\n    g(cs.n);\n    if (x) {\n        T cs = h();\n        g(cs.n);\n    }\n    g(cs.n);\n}\n";
    const char *ia = "void f(T cs)\n{\n    g(k);\n    if (x) {\n        T cs = h();\n        g(cs.n);\n    }\n    g(cs.n);\n}\n";
    /* another file of the workspace: the function's variable is not there */
    EDIT_CHECK_APPLY(TC_LANG_C, "s.c", b, a, "t.c", b, 0, TC_EDIT_TOKENS, 0, b);
    EDIT_CHECK_SYNTH(r, TC_LANG_C, "g.c", gb, ga);
    TC_CHECK(r && !strstr(tc_edit_rule_title(r), "in its function"));
    tc_edit_rule_free(r);
    r = NULL;
    EDIT_CHECK_SYNTH(r, TC_LANG_C, "c.c", cb, ca);
    TC_CHECK(r && !strstr(tc_edit_rule_title(r), "in its function"));
    tc_edit_rule_free(r);
    r = NULL;
    {
        tc_edit_src s = {"i.c", ib, strlen(ib), TC_LANG_C};
        int rc = tc_edit_synth(&s, ia, strlen(ia), &r);
        TC_CHECK(rc != TC_OK || !strstr(tc_edit_rule_title(r), "in its function"));
        tc_edit_rule_free(r);
        r = NULL;
    }
    {
        tc_edit_src s = {"l.c", lb, strlen(lb), TC_LANG_C};
        int rc = tc_edit_synth(&s, la, strlen(la), &r);
        TC_CHECK(rc != TC_OK || !strstr(tc_edit_rule_title(r), "in its function"));
        tc_edit_rule_free(r);
    }
}
