/* test_edit_conf.c - next edits, precision: the scope of a renamed arrow
 * function's parameter, a shadowed name (the inner one's uses left), a relative path only
 * in its directory, too many literal places, and each site's confidence
 * from its evidence (TC_EDIT_F_*: the surroundings that agree with the
 * example's, where the place is, the names the new text brings, how the
 * rule was learned, how many places it has, found through a callback
 * parameter's role, the example's line again in the edited file, how
 * unsure the rule alone was of the place a second edit confirmed it at,
 * whether the change is only brackets, braces, semicolons and commas). */
#include "edit/edit.h"
#include "edit/edit_int.h"
#include "edit_apply.h"
#include "test.h"
#include "util/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The rule of before -> after (path a/x.js) and its sites in other (path
 * opath; NULL: in after itself, as the edited document). */
static int rule_sites(tc_lang lang, const char *before, const char *after, const char *opath, const char *other,
                      tc_edit_rule **r, tc_edit_sites *s)
{
    tc_edit_src b = {"a/x.js", before, strlen(before), lang};
    tc_edit_src o = {other ? opath : "a/x.js", other ? other : after, strlen(other ? other : after), lang};
    int rc = tc_edit_synth(&b, after, strlen(after), r);
    memset(s, 0, sizeof *s);
    if (rc != TC_OK) return rc;
    return tc_edit_rule_sites(*r, &o, other == NULL, s);
}

TC_TEST(edit_conf_rename_arrow_parameter)
{
    /* the arrow function's own `c`: only its uses, not the method's */
    const char *b = "function f(c) {\n  c.go();\n  list.map((c) => {\n    return c.name + c.id;\n  });\n  c.stop();\n}\n";
    const char *a = "function f(c) {\n  c.go();\n  list.map((sub) => {\n    return c.name + c.id;\n  });\n  c.stop();\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME);
    TC_CHECK_EQ_INT(s.n, 2);
    TC_CHECK(s.n == 2 && strcmp(s.v[0].text, "sub") == 0 && s.v[0].conf > 0.7); /* renamed where declared */
    TC_CHECK(s.n == 2 && s.v[1].a > s.v[0].a && s.v[1].b < (size_t)(strstr(a, "});") - a));
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_conf_rename_shadowed_inner_left)
{
    /* the method's `c` renamed at a use: the arrow function inside
     * declares another `c`, its uses are that one's (inner.c): the
     * method's parameter and other use only */
    const char *b = "function f(c) {\n  c.go();\n  list.map((c) => c.id);\n  c.stop();\n}\n";
    const char *a = "function f(c) {\n  cmd.go();\n  list.map((c) => c.id);\n  c.stop();\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 2);
    TC_CHECK(s.n == 2 && s.v[0].a == 11 && s.v[1].a == (size_t)(strstr(a, "c.stop") - a));
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    /* without the inner declaration: a rule, less sure than at a declaration */
    b = "function f(c) {\n  c.go();\n  list.map((d) => d.id);\n  c.stop();\n}\n";
    a = "function f(c) {\n  cmd.go();\n  list.map((d) => d.id);\n  c.stop();\n}\n";
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 2);
    TC_CHECK(s.n >= 1 && s.v[0].conf < 0.9);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_conf_relative_path_same_directory)
{
    const char *b = "const log = require('npmlog')\nconst fs = require('fs')\n";
    const char *a = "const log = require('./log')\nconst fs = require('fs')\n";
    const char *other = "const path = require('path')\nconst log = require('npmlog')\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    /* the same directory: offered */
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, "a/y.js", other, &r, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 1);
    TC_CHECK(s.n == 1 && strstr(s.v[0].text, "'./log'") != NULL);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    /* another directory: './log' names another file there */
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, "bin/y.js", other, &r, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    /* a package name (not a relative path) goes everywhere */
    a = "const log = require('proc-log')\nconst fs = require('fs')\n";
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, "bin/y.js", other, &r, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 1);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_conf_literal_too_many_places)
{
    {
        char b[2048], a[2048];
        size_t i, nb = 0, na = 0;
        tc_edit_rule *r = NULL;
        tc_edit_sites s;
        for (i = 0; i < 12; i++) {
            /* each in a test of its own: not a block of similar lines */
            nb += (size_t)snprintf(b + nb, sizeof b - nb, "test('%zu', () => {\n  x = { name: 'node', id: %zu }\n})\n", i, i);
            na += (size_t)snprintf(a + na, sizeof a - na, "test('%zu', () => {\n  x = { name: '%s', id: %zu }\n})\n", i,
                                   i == 0 ? "franken" : "node", i);
        }
        TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, NULL, NULL, &r, &s), TC_OK);
        TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_LITERAL);
        TC_CHECK_EQ_INT(s.n, 11);
        TC_CHECK(tc_edit_rule_too_broad(r, s.n)); /* data edited at one of 12 places */
        TC_CHECK(!tc_edit_rule_too_broad(r, 3));
        tc_edit_sites_free(&s);
        tc_edit_rule_free(r);
    }
}

TC_TEST(edit_conf_context_agreement)
{
    /* log(a) -> log(a, ctx): the call in the same statement shape (after
     * '=' and before ';') is surer than one in another shape */
    const char *b = "void f(void)\n{\n    x = log(a);\n    y = log(b);\n    if (log(c)) return;\n}\n";
    const char *a = "void f(void)\n{\n    x = log(a, ctx);\n    y = log(b);\n    if (log(c)) return;\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_C, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_CALL);
    TC_CHECK_EQ_INT(s.n, 2);
    TC_CHECK(s.n == 2 && strcmp(s.v[0].text, "log(b, ctx)") == 0 && strcmp(s.v[1].text, "log(c, ctx)") == 0);
    TC_CHECK(s.n == 2 && s.v[0].conf > s.v[1].conf);
    /* the evidence: `y = log(b);` agrees on both sides, its line's other
     * tokens (`y` against `x`, then the line's start) agree 2 of 3 */
    TC_CHECK(s.n == 2 && s.v[0].feat[TC_EDIT_F_LEFT] == 1 && s.v[0].feat[TC_EDIT_F_RIGHT] == 1);
    TC_CHECK(s.n == 2 && s.v[0].feat[TC_EDIT_F_LEFT3] > 0.6f && s.v[0].feat[TC_EDIT_F_LEFT3] < 0.7f);
    TC_CHECK(s.n == 2 && s.v[0].feat[TC_EDIT_F_CALLEE] == 1 && s.v[0].feat[TC_EDIT_F_HEAD] == 0);
    /* `if (log(c))`: '(' before, ')' after, in brackets that are not a call */
    TC_CHECK(s.n == 2 && s.v[1].feat[TC_EDIT_F_LEFT] == 0 && s.v[1].feat[TC_EDIT_F_RIGHT] == 0);
    TC_CHECK(s.n == 2 && s.v[1].feat[TC_EDIT_F_CALLEE] == 0 && s.v[1].feat[TC_EDIT_F_HEAD] == 0);
    TC_CHECK(s.n == 2 && s.v[0].feat[TC_EDIT_F_KIND + TC_EDIT_CALL] == 1 && s.v[0].feat[TC_EDIT_F_FILE] == 1 &&
             s.v[0].feat[TC_EDIT_F_NEAR] == 1);
    TC_CHECK(s.n == 2 && s.v[0].conf >= TC_EDIT_OFFER_CONF && s.v[1].conf < TC_EDIT_OFFER_CONF);
    /* the whole line: `y = log(b);` is 2 bytes of 11 from `x = log(a);`,
     * `if (log(c)) return;` far more */
    TC_CHECK(s.n == 2 && s.v[0].feat[TC_EDIT_F_LINE] > 0.8f && s.v[0].feat[TC_EDIT_F_LINE] < 0.83f);
    TC_CHECK(s.n == 2 && s.v[1].feat[TC_EDIT_F_LINE] < 0.5f);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_conf_namespace_qualifier_no_difference)
{
    /* C++: `k + ` inserted in `x = ns::tab[0]`; at `y = tab[0]` the 3
     * tokens before the '[' agree 2 of 3 (`tab`, `=`; `y` against `x`),
     * the qualifier `ns::` being no difference, not 1 of 3 as written
     * (`tab`; then `:` against `=` and `y`) */
    const char *b = "void f()\n{\n    x = ns::tab[0];\n    y = tab[0];\n}\n";
    const char *a = "void f()\n{\n    x = ns::tab[k + 0];\n    y = tab[0];\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    size_t i;
    int seen = 0;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_CPP, b, a, NULL, NULL, &r, &s), TC_OK);
    for (i = 0; i < s.n; i++) {
        if (s.v[i].a >= 8 && memcmp(a + s.v[i].a - 8, "y = tab[", 8) == 0) {
            TC_CHECK(s.v[i].feat[TC_EDIT_F_LEFT3] > 0.6f && s.v[i].feat[TC_EDIT_F_LEFT3] < 0.7f);
            seen++;
        }
    }
    TC_CHECK_EQ_INT(seen, 1);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

/* The rule of before -> after (a/x.js) applied at its sites in after
 * itself: the rule is of kind want_kind, it has want_n sites (-1: not
 * checked), and the text that results is want. */
static void check_in_after(tc_lang lang, const char *before, const char *after, tc_edit_kind want_kind, long want_n,
                           const char *want)
{
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    char *got;
    TC_CHECK_EQ_INT(rule_sites(lang, before, after, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == want_kind);
    if (want_n >= 0) TC_CHECK_EQ_INT(s.n, want_n);
    got = edit_apply_sites(after, &s);
    TC_CHECK_STR(got, want);
    free(got);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_tokens_insert_between_same_neighbours)
{
    /* `clear(handle)` -> `clear(handle as any)` (a call's argument
     * wrapped): where `clear(handle)` is, not `keep(handle)` */
    const char *b = "function f(handle) {\n  clear(handle);\n  keep(handle);\n  clear(handle);\n}\n";
    const char *a = "function f(handle) {\n  clear(handle as any);\n  keep(handle);\n  clear(handle);\n}\n";
    check_in_after(TC_LANG_TS, b, a, TC_EDIT_CALL, 1,
                   "function f(handle) {\n  clear(handle as any);\n  keep(handle);\n  clear(handle as any);\n}\n");
    /* not in a call: `let t: number = 0` -> `let t: number | null = 0` */
    b = "let t: number = 0\nlet u: number = 1\nf(number)\n";
    a = "let t: number | null = 0\nlet u: number = 1\nf(number)\n";
    check_in_after(TC_LANG_TS, b, a, TC_EDIT_TOKENS, 1,
                   "let t: number | null = 0\nlet u: number | null = 1\nf(number)\n");
}

TC_TEST(edit_tokens_replace_and_delete)
{
    /* several tokens replaced: `except GypError:` -> `except (GypError, OSError):` */
    const char *b = "try:\n    a()\nexcept GypError:\n    pass\ntry:\n    b()\nexcept GypError:\n    pass\n"
                    "raise GypError\n";
    const char *a = "try:\n    a()\nexcept (GypError, OSError):\n    pass\ntry:\n    b()\nexcept GypError:\n    pass\n"
                    "raise GypError\n";
    check_in_after(TC_LANG_PYTHON, b, a, TC_EDIT_TOKENS, -1,
                   "try:\n    a()\nexcept (GypError, OSError):\n    pass\ntry:\n    b()\nexcept (GypError, OSError):\n"
                   "    pass\nraise GypError\n");
    /* a token deleted at the end of a line: only after the same two tokens */
    b = "class A {\n  x = 1;\n  f() {}\n  y = 1;\n  g() {}\n  z = 2;\n}\n";
    a = "class A {\n  x = 1\n  f() {}\n  y = 1;\n  g() {}\n  z = 2;\n}\n";
    check_in_after(TC_LANG_JS, b, a, TC_EDIT_TOKENS, -1,
                   "class A {\n  x = 1\n  f() {}\n  y = 1\n  g() {}\n  z = 2;\n}\n");
}

TC_TEST(edit_tokens_one_name_for_another_is_unsure)
{
    /* `j` -> `n` where `n` exists in another function: a rename of the
     * local (new in its scope); `a` -> `b` where `b` is in the same
     * scope: not a rename, a low-confidence replacement */
    const char *b = "int f(int j)\n{\n    return j + j;\n}\nint g(int n)\n{\n    return n;\n}\n";
    const char *a = "int f(int n)\n{\n    return j + j;\n}\nint g(int n)\n{\n    return n;\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    check_in_after(TC_LANG_C, b, a, TC_EDIT_RENAME, -1,
                   "int f(int n)\n{\n    return n + n;\n}\nint g(int n)\n{\n    return n;\n}\n");
    b = "int f(int a, int b)\n{\n    x = a + 1;\n    g();\n    return a + b;\n}\n";
    a = "int f(int a, int b)\n{\n    x = b + 1;\n    g();\n    return a + b;\n}\n";
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_C, b, a, NULL, NULL, &r, &s), TC_ENOENT);
    TC_CHECK(r == NULL);
}

TC_TEST(edit_tokens_kept_names_are_holes)
{
    /* `hook = this.run(hook` -> `chain = this.run(chain`: the name kept
     * (`run`) is a hole, so `this.end(...)` gets the same change; a line
     * whose other tokens differ does not */
    const char *b = "function f() {\n  x(hook = this.run(hook));\n  go();\n  x(hook = this.end(hook));\n  go();\n"
                    "  x(hook = that.end(hook));\n}\n";
    const char *a = "function f() {\n  x(chain = this.run(chain));\n  go();\n  x(hook = this.end(hook));\n  go();\n"
                    "  x(hook = that.end(hook));\n}\n";
    check_in_after(TC_LANG_JS, b, a, TC_EDIT_TOKENS, 1,
                   "function f() {\n  x(chain = this.run(chain));\n  go();\n  x(chain = this.end(chain));\n"
                   "  go();\n  x(hook = that.end(hook));\n}\n");
}

TC_TEST(edit_conf_new_names_at_the_place)
{
    /* `put(k, v)` -> `put(k, v + off)`: `off` is a local of the example's
     * function; a place in a file with no `off` would not compile */
    const char *b = "void f(int k, int v)\n{\n    int off = 4;\n    put(k, v);\n}\n";
    const char *a = "void f(int k, int v)\n{\n    int off = 4;\n    put(k, v + off);\n}\n";
    const char *with = "void g(int off)\n{\n    put(i, j);\n}\n";
    const char *without = "void g(void)\n{\n    put(i, j);\n}\n";
    const char *far = "int off;\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
                      "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\nvoid g(void)\n{\n    put(i, j);\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    double cw = 0, cwo = 1;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_C, b, a, "a/y.c", with, &r, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 1);
    TC_CHECK(s.n == 1 && s.v[0].feat[TC_EDIT_F_NAMES] == 1 && s.v[0].feat[TC_EDIT_F_NAMES_NEAR] == 1);
    TC_CHECK(s.n == 1 && s.v[0].feat[TC_EDIT_F_FILE] == 0 && s.v[0].feat[TC_EDIT_F_DIR] == 1);
    if (s.n == 1) cw = s.v[0].conf;
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_C, b, a, "a/y.c", without, &r, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 1);
    TC_CHECK(s.n == 1 && s.v[0].feat[TC_EDIT_F_NAMES] == 0 && s.v[0].feat[TC_EDIT_F_NAMES_NEAR] == 0);
    if (s.n == 1) cwo = s.v[0].conf;
    TC_CHECK(cw > cwo);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    /* in the file, but 60 lines and more before the place */
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_C, b, a, "b/y.c", far, &r, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 1);
    TC_CHECK(s.n == 1 && s.v[0].feat[TC_EDIT_F_NAMES] == 1 && s.v[0].feat[TC_EDIT_F_NAMES_NEAR] == 0);
    TC_CHECK(s.n == 1 && s.v[0].feat[TC_EDIT_F_DIR] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    /* a rename's new name is new by definition: not known */
    b = "int f(int j)\n{\n    return j + j;\n}\n";
    a = "int f(int n)\n{\n    return j + j;\n}\n";
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_C, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(s.n == 2 && s.v[0].feat[TC_EDIT_F_NAMES] == 0.5f && s.v[0].feat[TC_EDIT_F_KIND + TC_EDIT_RENAME] == 1);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_conf_many_places_and_score)
{
    tc_edit_sites s = {0};
    float f[TC_EDIT_NFEAT];
    size_t i;
    TC_CHECK(tc_edit_many(0) == 0);
    TC_CHECK(tc_edit_many(1) > 0 && tc_edit_many(1) < tc_edit_many(7));
    TC_CHECK(tc_edit_many(63) == 1 && tc_edit_many(1000) == 1);
    /* the score sets the number of places and the confidence it gives */
    s.v = calloc(3, sizeof *s.v);
    TC_CHECK(s.v != NULL);
    if (!s.v) return;
    s.n = s.cap = 3;
    for (i = 0; i < 3; i++) s.v[i].feat[TC_EDIT_F_KIND + TC_EDIT_CALL] = 1;
    tc_edit_sites_score(&s);
    memset(f, 0, sizeof f);
    f[TC_EDIT_F_KIND + TC_EDIT_CALL] = 1;
    f[TC_EDIT_F_MANY] = tc_edit_many(3);
    for (i = 0; i < 3; i++) {
        TC_CHECK(s.v[i].feat[TC_EDIT_F_MANY] == tc_edit_many(3));
        /* three places alike: the rule's mean log-odds are each one's */
        TC_CHECK(s.v[i].conf == tc_edit_conf_rule(tc_edit_conf(f), tc_edit_logodds(tc_edit_conf(f))));
        TC_CHECK(s.v[i].conf > 0 && s.v[i].conf < 1);
    }
    tc_edit_sites_free(&s);
}

TC_TEST(edit_conf_rule_places_together)
{
    /* a place's confidence moves with its rule's other places: the same
     * evidence is surer among sure places than among unsure ones, and the
     * places of one rule keep their order */
    tc_edit_site v[4];
    tc_edit_sites s = {0};
    double alone;
    size_t i;
    memset(v, 0, sizeof v);
    for (i = 0; i < 4; i++) {
        v[i].feat[TC_EDIT_F_KIND + TC_EDIT_CALL] = 1;
        v[i].feat[TC_EDIT_F_BASE] = 0.9f;
        v[i].feat[TC_EDIT_F_FILE] = 1;
    }
    /* v[0] and v[1]: the example's surroundings; v[2], v[3]: none */
    v[0].feat[TC_EDIT_F_LEFT] = v[0].feat[TC_EDIT_F_RIGHT] = v[0].feat[TC_EDIT_F_CALLEE] = 1;
    v[0].feat[TC_EDIT_F_LEFT3] = v[0].feat[TC_EDIT_F_NAMES_NEAR] = 1;
    memcpy(v[1].feat, v[0].feat, sizeof v[0].feat);
    s.v = v;
    s.n = 2; /* a rule of two sure places */
    tc_edit_sites_score(&s);
    alone = v[0].conf;
    TC_CHECK(v[0].conf == v[1].conf);
    s.n = 4; /* the same place with two unsure ones */
    tc_edit_sites_score(&s);
    TC_CHECK(v[0].conf > v[2].conf && v[0].conf == v[1].conf && v[2].conf == v[3].conf);
    TC_CHECK(TC_EDIT_CONF_RULE == 0 || v[0].conf < alone);
    TC_CHECK(TC_EDIT_CONF_RULE >= 0 && TC_EDIT_CONF_RULE <= 1);
    /* the rule's term: none at TC_EDIT_CONF_RULE_MID, up above it, down below */
    TC_CHECK(fabs(tc_edit_conf_rule(0.7, TC_EDIT_CONF_RULE_MID) - 0.7) < 1e-9);
    TC_CHECK(TC_EDIT_CONF_RULE == 0 || tc_edit_conf_rule(0.7, TC_EDIT_CONF_RULE_MID + 1) > 0.7);
    TC_CHECK(TC_EDIT_CONF_RULE == 0 || tc_edit_conf_rule(0.7, TC_EDIT_CONF_RULE_MID - 1) < 0.7);
    TC_CHECK(fabs(tc_edit_logodds(0.5)) < 1e-12 && tc_edit_logodds(1) > 13 && tc_edit_logodds(0) < -13);
}

TC_TEST(edit_conf_two_examples_evidence)
{
    /* the second edit makes what the first's rule makes: confirmed */
    const char *b1 = "void f(void)\n{\n    x = log(a);\n    y = log(b);\n    z = log(c);\n}\n";
    const char *a1 = "void f(void)\n{\n    x = log(a, ctx);\n    y = log(b);\n    z = log(c);\n}\n";
    const char *a2 = "void f(void)\n{\n    x = log(a, ctx);\n    y = log(b, ctx);\n    z = log(c);\n}\n";
    tc_edit_src at = {"a/x.c", a2, strlen(a2), TC_LANG_C};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    EDIT_CHECK_SYNTH2(r, TC_LANG_C, "a/x.c", b1, a1, "a/x.c", a1, a2);
    TC_CHECK(r != NULL);
    if (!r) return;
    TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &at, 0, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 1); /* z = log(c) */
    TC_CHECK(s.n == 1 && s.v[0].feat[TC_EDIT_F_CONFIRMED] == 1 && s.v[0].feat[TC_EDIT_F_TWO] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

/* The place "z = log(c)" of r (a rule of log(a) -> log(a, ctx)) in text t
 * of a/x.c: 1 and its evidence and confidence (all of r's places scored)
 * in *f and *conf, else 0. */
static int log_place(const tc_edit_rule *r, const char *t, float *f, double *conf)
{
    tc_edit_src at = {"a/x.c", t, strlen(t), TC_LANG_C};
    tc_edit_sites s = {0};
    const char *z = strstr(t, "log(c)");
    size_t i;
    int found = 0;
    if (!z || tc_edit_rule_sites(r, &at, 0, &s) != TC_OK) return 0;
    tc_edit_sites_score(&s);
    for (i = 0; i < s.n; i++) {
        if (s.v[i].a < (size_t)(z - t) || s.v[i].a > (size_t)(z - t) + 6) continue;
        memcpy(f, s.v[i].feat, TC_EDIT_NFEAT * sizeof *f);
        *conf = s.v[i].conf;
        found = 1;
    }
    tc_edit_sites_free(&s);
    return found;
}

TC_TEST(edit_conf_confirmed_place_scores_higher)
{
    /* TC_EDIT_F_SECOND_LOW: a rule a second edit confirmed carries 1 - the
     * confidence its first example alone gave the second edit's place; a
     * second edit in another file (where the rule alone is less sure: not
     * the edited file) carries more. The same place then scores higher
     * confirmed than unconfirmed (the evidence weighs >= 0: the fitter's
     * AGREE and --confirm grid), the rest of its evidence the same. */
    static const double w[TC_EDIT_NFEAT] = TC_EDIT_CONF_W;
    const char *b1 = "void f(void)\n{\n    x = log(a);\n    y = log(b);\n    z = log(c);\n}\n";
    const char *a1 = "void f(void)\n{\n    x = log(a, ctx);\n    y = log(b);\n    z = log(c);\n}\n";
    const char *a2 = "void f(void)\n{\n    x = log(a, ctx);\n    y = log(b, ctx);\n    z = log(c);\n}\n";
    const char *ob = "void g(void)\n{\n    q = log(e);\n}\n";
    const char *oa = "void g(void)\n{\n    q = log(e, ctx);\n}\n";
    tc_edit_src sb = {"a/x.c", b1, strlen(b1), TC_LANG_C};
    tc_edit_rule *one = NULL, *same = NULL, *other = NULL;
    float f0[TC_EDIT_NFEAT], f1[TC_EDIT_NFEAT], f2[TC_EDIT_NFEAT];
    double c0 = 0, c1 = 0, c2 = 0;
    size_t i;
    int differ = 0;
    TC_CHECK_EQ_INT(tc_edit_synth(&sb, a1, strlen(a1), &one), TC_OK);
    EDIT_CHECK_SYNTH2(same, TC_LANG_C, "a/x.c", b1, a1, "a/x.c", a1, a2);
    EDIT_CHECK_SYNTH2(other, TC_LANG_C, "a/x.c", b1, a1, "b/y.c", ob, oa);
    TC_CHECK(one && same && other);
    if (!one || !same || !other) goto out;
    TC_CHECK(log_place(one, a2, f0, &c0) && log_place(same, a2, f1, &c1) && log_place(other, a2, f2, &c2));
    TC_CHECK(f0[TC_EDIT_F_CONFIRMED] == 0 && f0[TC_EDIT_F_SECOND_LOW] == 0);
    TC_CHECK(f1[TC_EDIT_F_CONFIRMED] == 1 && f2[TC_EDIT_F_CONFIRMED] == 1);
    TC_CHECK(f1[TC_EDIT_F_SECOND_LOW] > 0 && f1[TC_EDIT_F_SECOND_LOW] < 1);
    TC_CHECK(f2[TC_EDIT_F_SECOND_LOW] > 0 && f2[TC_EDIT_F_SECOND_LOW] < 1);
    /* in b/y.c the second place is not in the edited file: the rule alone was less sure there */
    TC_CHECK(w[TC_EDIT_F_FILE] <= 0 || f2[TC_EDIT_F_SECOND_LOW] > f1[TC_EDIT_F_SECOND_LOW]);
    for (i = 0; i < TC_EDIT_NFEAT; i++) /* the rest of the place's evidence is the same */
        differ += i != TC_EDIT_F_CONFIRMED && i != TC_EDIT_F_SECOND_LOW && f0[i] != f1[i];
    TC_CHECK_EQ_INT(differ, 0);
    /* the same place scores higher confirmed (as much when neither weighs) */
    if (w[TC_EDIT_F_CONFIRMED] + w[TC_EDIT_F_SECOND_LOW] > 0) {
        TC_CHECK(c1 > c0 && c2 > c0);
    } else {
        TC_CHECK(fabs(c1 - c0) < 1e-12 && fabs(c2 - c0) < 1e-12);
    }
    TC_CHECK(w[TC_EDIT_F_CONFIRMED] >= 0 && w[TC_EDIT_F_SECOND_LOW] >= 0);
    {   /* the evidence alone: a confirmed place with a surprising second edit scores higher */
        float g[TC_EDIT_NFEAT];
        memcpy(g, f0, sizeof g);
        g[TC_EDIT_F_CONFIRMED] = 1;
        g[TC_EDIT_F_SECOND_LOW] = 0.8f;
        TC_CHECK(tc_edit_conf(g) >= tc_edit_conf(f0));
        TC_CHECK(w[TC_EDIT_F_CONFIRMED] + w[TC_EDIT_F_SECOND_LOW] <= 0 || tc_edit_conf(g) > tc_edit_conf(f0));
    }
out:
    tc_edit_rule_free(one);
    tc_edit_rule_free(same);
    tc_edit_rule_free(other);
}

TC_TEST(edit_conf_own_file_kinds_evidence)
{
    /* the kinds in files of their own (lint.c here, as top.c, template.c,
     * lines.c) give their places the same evidence as the others: the kind,
     * the rule's confidence, where the place is, and the confidence of that
     * (after the merge of s15-neprec and s15-nerecall it was left
     * uninitialised) */
    const char *b = "var a = 1\nvar b = 2\n";
    const char *a = "const a = 1\nvar b = 2\n";
    const char *other = "var c = 3\nvar d = 4\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    float f[TC_EDIT_NFEAT];
    size_t i;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, "a/y.js", other, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_LINT);
    TC_CHECK_EQ_INT(s.n, 2);
    for (i = 0; i < s.n; i++) {
        TC_CHECK(s.v[i].feat[TC_EDIT_F_KIND + TC_EDIT_LINT] == 1 && s.v[i].feat[TC_EDIT_F_KIND + TC_EDIT_RENAME] == 0);
        TC_CHECK(s.v[i].feat[TC_EDIT_F_BASE] > 0.5f && s.v[i].feat[TC_EDIT_F_FILE] == 0);
        TC_CHECK(s.v[i].feat[TC_EDIT_F_DIR] == 1 && s.v[i].feat[TC_EDIT_F_MANY] == 0);
        memcpy(f, s.v[i].feat, sizeof f);
        TC_CHECK(s.v[i].conf == tc_edit_conf(f) && s.v[i].conf > 0 && s.v[i].conf < 1);
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_conf_feature_names_and_derived)
{
    /* the columns of `eval --features` (bench/nextedit_conf_fit.py reads them) */
    float f[TC_EDIT_NFEAT], g[TC_EDIT_NFEAT];
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_KIND + TC_EDIT_RENAME), "rename") == 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_BASE), "base") == 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_MANY), "many") == 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_LINE), "line") == 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_MANY_SYNTAX), "many_syntax") == 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_NFEAT), "?") == 0 && strcmp(tc_edit_feat_name(-1), "?") == 0);
    /* TC_EDIT_F_MANY_SYNTAX comes from TC_EDIT_F_MANY and the kind (the
     * server sets TC_EDIT_F_MANY alone): what is stored there is ignored */
    memset(f, 0, sizeof f);
    f[TC_EDIT_F_KIND + TC_EDIT_LINT] = 1;
    f[TC_EDIT_F_MANY] = tc_edit_many(100);
    memcpy(g, f, sizeof g);
    g[TC_EDIT_F_MANY_SYNTAX] = 1;
    TC_CHECK(tc_edit_conf(f) == tc_edit_conf(g));
    /* tc_edit_sites_score stores it: the many of a lint rule, 0 for a call */
    {
        tc_edit_sites s = {0};
        tc_edit_site v[2];
        memset(v, 0, sizeof v);
        v[0].feat[TC_EDIT_F_KIND + TC_EDIT_LINT] = 1;
        v[1].feat[TC_EDIT_F_KIND + TC_EDIT_CALL] = 1;
        s.v = v;
        s.n = 2;
        tc_edit_sites_score(&s);
        TC_CHECK(v[0].feat[TC_EDIT_F_MANY_SYNTAX] == tc_edit_many(2) && v[1].feat[TC_EDIT_F_MANY_SYNTAX] == 0);
        {
            double rule = (tc_edit_logodds(tc_edit_conf(v[0].feat)) + tc_edit_logodds(tc_edit_conf(v[1].feat))) / 2;
            TC_CHECK(v[0].conf == tc_edit_conf_rule(tc_edit_conf(v[0].feat), rule));
            TC_CHECK(v[1].conf == tc_edit_conf_rule(tc_edit_conf(v[1].feat), rule));
        }
    }
}

TC_TEST(edit_conf_role_evidence)
{
    /* TC_EDIT_F_ROLE: a callback parameter's rename at a use (role.c) is
     * found in the sibling callbacks through its role; the uses in the
     * example's own callback are a local's rename's (0), as is a plain
     * local's rename anywhere */
    const char *b = "test('a', function (t) {\n  t.strictEqual(f(), 1)\n  t.strictEqual(g(), 2)\n})\n"
                    "test('b', function (t) {\n  t.strictEqual(f(), 4)\n  t.equal(h(), 5)\n})\n";
    const char *a = "test('a', function (t) {\n  assert.strictEqual(f(), 1)\n  t.strictEqual(g(), 2)\n})\n"
                    "test('b', function (t) {\n  t.strictEqual(f(), 4)\n  t.equal(h(), 5)\n})\n";
    const char *pb = "function h (t) {\n  t.strictEqual(a, 1)\n  t.ok(b)\n}\n";
    const char *pa = "function h (t) {\n  assert.strictEqual(a, 1)\n  t.ok(b)\n}\n";
    size_t second = (size_t)(strstr(a, "test('b'") - a), i, own = 0, sib = 0;
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME);
    for (i = 0; i < s.n; i++) {
        int in_sib = s.v[i].a >= second;
        TC_CHECK(s.v[i].feat[TC_EDIT_F_ROLE] == (in_sib ? 1.0f : 0.0f));
        sib += (size_t)in_sib;
        own += (size_t)!in_sib;
    }
    TC_CHECK(own >= 1 && sib == 1);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    r = NULL;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, pb, pa, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && s.n >= 1);
    for (i = 0; i < s.n; i++) TC_CHECK(s.v[i].feat[TC_EDIT_F_ROLE] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    r = NULL;
    /* a call's own role (`test('a', function (t` -> `it('a', function (`,
     * role_param -1) places its sites but is no parameter's evidence */
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, "'use strict'\ntest('a', function (t) {\n  x()\n})\ntest('b', function (t) {\n  y()\n})\n",
                               "'use strict'\nit('a', function () {\n  x()\n})\ntest('b', function (t) {\n  y()\n})\n", NULL,
                               NULL, &r, &s),
                    TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_TOKENS && s.n >= 1);
    for (i = 0; i < s.n; i++) TC_CHECK(s.v[i].feat[TC_EDIT_F_ROLE] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_ROLE), "role") == 0);
}

TC_TEST(edit_conf_line_file_evidence)
{
    /* TC_EDIT_F_LINE_FILE: the example's line again in the edited file
     * (nan's cbinfo calls); a like line elsewhere, or another line in the
     * file, is not */
    const char *b = "void f(void)\n{\n    log(a, 1);\n}\nvoid g(void)\n{\n    log(a, 1);\n    x = log(b, 2) + y;\n}\n";
    const char *a = "void f(void)\n{\n    log(a, 1, ctx);\n}\nvoid g(void)\n{\n    log(a, 1);\n    x = log(b, 2) + y;\n}\n";
    const char *other = "void h(void)\n{\n    log(a, 1);\n}\n";
    size_t same = (size_t)(strstr(a + 20, "log(a") - a), i;
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    float f[TC_EDIT_NFEAT];
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_C, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_CALL);
    TC_CHECK_EQ_INT(s.n, 2);
    for (i = 0; i < s.n; i++) {
        TC_CHECK(s.v[i].feat[TC_EDIT_F_LINE_FILE] == (s.v[i].a == same + 4 || s.v[i].a == same ? 1.0f : 0.0f));
        memcpy(f, s.v[i].feat, sizeof f);
        f[TC_EDIT_F_LINE_FILE] = 0;
        if (s.v[i].feat[TC_EDIT_F_LINE_FILE] == 1) TC_CHECK(tc_edit_conf(s.v[i].feat) > tc_edit_conf(f));
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    r = NULL;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_C, b, a, "a/y.c", other, &r, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 1);
    TC_CHECK(s.n == 1 && s.v[0].feat[TC_EDIT_F_LINE] >= 0.95f && s.v[0].feat[TC_EDIT_F_LINE_FILE] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_LINE_FILE), "line_file") == 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_SECOND_LOW), "second_low") == 0);
}

TC_TEST(edit_conf_punct_only)
{
    /* edit_punct_only (TC_EDIT_F_PUNCT): only brackets, braces,
     * semicolons and commas outside strings, white space aside; not a
     * pair of braces or square brackets around code */
    TC_CHECK(edit_punct_only("", 0, " {", 2));               /* a brace opened */
    TC_CHECK(edit_punct_only("f(x);", 5, "f(x)", 4));        /* a semicolon dropped */
    TC_CHECK(edit_punct_only("(key, val)", 10, "key, val", 8)); /* a tuple's parentheses */
    TC_CHECK(edit_punct_only("g() ;\n", 6, "g()\n}", 5));    /* a body's brace closed */
    TC_CHECK(!edit_punct_only("var", 3, "const", 5));         /* a keyword */
    TC_CHECK(!edit_punct_only("f(a)", 4, "f(a, ctx)", 9));    /* an argument */
    TC_CHECK(!edit_punct_only("f(a, b)", 7, "f(a)", 4));      /* one dropped */
    TC_CHECK(!edit_punct_only("'a,b'", 5, "'ab'", 4));        /* inside a string */
    TC_CHECK(!edit_punct_only("'a\\'(b'", 7, "'a\\'b'", 6)); /* after an escaped quote, still inside */
    TC_CHECK(!edit_punct_only("f(x)", 4, "f( x )", 6));       /* white space alone changes nothing */
    TC_CHECK(!edit_punct_only("fs", 2, "{ fs }", 6));         /* a destructuring */
    TC_CHECK(!edit_punct_only("g();", 4, "{ g() }", 7));      /* a pair, even round a statement */
    TC_CHECK(!edit_punct_only("a, b", 4, "[a, b]", 6));       /* an array */
    TC_CHECK(edit_punct_only("x", 1, "(x)", 3));              /* parentheses: a grouping */
    TC_CHECK(!edit_punct_only("f", 1, "f()", 3));             /* a call added */
    TC_CHECK(!edit_punct_only("f()", 3, "f", 1));             /* a call removed */
    TC_CHECK(!edit_punct_only("f(a, b)", 7, "f(a)(b)", 7));   /* a call of the result */
    TC_CHECK(!edit_punct_only("def f:", 6, "def f():", 8));   /* a definition's parameters */
    TC_CHECK(edit_punct_only("a + b", 5, "(a + b)", 7));      /* a grouping round an expression */
    TC_CHECK(edit_punct_only("x = a, b", 8, "x = (a, b)", 10)); /* a tuple after `=` */
    TC_CHECK(edit_punct_only("for k in a, b:", 14, "for k in (a, b):", 16)); /* after `in` */
}

TC_TEST(edit_conf_punct_evidence)
{
    /* braces added around a one-line body (lint): every place of the
     * rule is a formatting fix, surer than the same place without the
     * evidence; var -> const (lint too) and a call's new argument are not */
    const char *b = "function f(a, b) {\n  if (!a) return help()\n  while (b) {\n"
                    "    if (!b.length) return fail()\n    b = next(b)\n  }\n  return 0\n}\n";
    const char *a = "function f(a, b) {\n  if (!a) {\n    return help()\n  while (b) {\n"
                    "    if (!b.length) return fail()\n    b = next(b)\n  }\n  return 0\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    float f[TC_EDIT_NFEAT];
    size_t i;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_LINT && s.n >= 2);
    for (i = 0; i < s.n; i++) {
        TC_CHECK(s.v[i].feat[TC_EDIT_F_PUNCT] == 1);
        memcpy(f, s.v[i].feat, sizeof f);
        f[TC_EDIT_F_PUNCT] = 0;
        TC_CHECK(tc_edit_conf(s.v[i].feat) > tc_edit_conf(f));
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    r = NULL;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_JS, "var i = 0\nvar j = 1\nvar k = 2\n", "const i = 0\nvar j = 1\nvar k = 2\n",
                               NULL, NULL, &r, &s),
                    TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_LINT && s.n == 2);
    for (i = 0; i < s.n; i++) TC_CHECK(s.v[i].feat[TC_EDIT_F_PUNCT] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    r = NULL;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_C, "void f(void)\n{\n    log(a);\n    log(b);\n}\n",
                               "void f(void)\n{\n    log(a, ctx);\n    log(b);\n}\n", NULL, NULL, &r, &s),
                    TC_OK);
    TC_CHECK(r && s.n == 1 && s.v[0].feat[TC_EDIT_F_PUNCT] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_PUNCT), "punct") == 0);
}

/* ---- TC_EDIT_F_FIRST_USE: a rename made at a use that is the name's first in
 * its scope (src/edit/firstuse.c) ---- */

/* A type the file does not declare, used four times in a namespace. */
static const char *const uses = "namespace N {\nvoid fin(ext_env e, void* d);\n"
                                "struct W {\n  static void Wrap(ext_env env, void* data);\n};\n"
                                "inline Env::Env(ext_env env) : _env(env) {}\n"
                                "inline Env::operator ext_env() const { return _env; }\n}\n";

static const char *replace_nth(char *out, size_t cap, const char *s, const char *old, const char *nw, int nth)
{
    const char *p = s;
    size_t ol = strlen(old);
    int k;
    for (k = 0; p && k < nth; k++) p = strstr(p + (k ? ol : 0), old);
    if (!p) return NULL;
    snprintf(out, cap, "%.*s%s%s", (int)(p - s), s, nw, p + ol);
    return out;
}

TC_TEST(edit_first_use_marks)
{
    char a[512];
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    float f[TC_EDIT_NFEAT];
    size_t i;
    /* at the name's first use: every place carries the evidence, and it
     * counts for them (its weight, fitted, is above 0) */
    TC_CHECK(replace_nth(a, sizeof a, uses, "ext_env", "basic_env", 1) != NULL);
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_CPP, uses, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && r->first_use == 1);
    TC_CHECK_EQ_INT(s.n, 3);
    for (i = 0; i < s.n; i++) {
        TC_CHECK(s.v[i].feat[TC_EDIT_F_FIRST_USE] == 1 && strcmp(s.v[i].text, "basic_env") == 0);
        memcpy(f, s.v[i].feat, sizeof f);
        f[TC_EDIT_F_FIRST_USE] = 0;
        TC_CHECK(tc_edit_conf(s.v[i].feat) > tc_edit_conf(f));
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    r = NULL;
    /* at the third use, the first two left as they were: one use switched */
    TC_CHECK(replace_nth(a, sizeof a, uses, "ext_env", "basic_env", 3) != NULL);
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_CPP, uses, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && r->first_use == 0);
    TC_CHECK(s.n == 3);
    for (i = 0; i < s.n; i++) TC_CHECK(s.v[i].feat[TC_EDIT_F_FIRST_USE] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_FIRST_USE), "first_use") == 0);
}

TC_TEST(edit_first_use_declared)
{
    /* renamed where it is declared (the rule is sure already, 0.95): not
     * this evidence, though the declaration is the first use */
    const char *b = "int f(int count) {\n  return count + count;\n}\n";
    const char *a = "int f(int total) {\n  return count + count;\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    size_t i;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_CPP, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && r->first_use == 0);
    TC_CHECK(s.n == 2);
    for (i = 0; i < s.n; i++) TC_CHECK(s.v[i].feat[TC_EDIT_F_FIRST_USE] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_first_use_member)
{
    /* a member renamed at its first use: maybe a switch to another field
     * of a struct declared elsewhere, not this evidence */
    const char *b = "int f(struct s *a, struct s *b)\n{\n    x = a->len;\n    y = b->len;\n}\n";
    const char *a = "int f(struct s *a, struct s *b)\n{\n    x = a->size;\n    y = b->len;\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    TC_CHECK_EQ_INT(rule_sites(TC_LANG_CPP, b, a, NULL, NULL, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && r->first_use == 0);
    TC_CHECK(s.n == 1 && s.v[0].feat[TC_EDIT_F_FIRST_USE] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_first_use_scope)
{
    /* the first use of the name in its scope: uses before the scope (another
     * function's local of the same name) do not count against it */
    const char *o = "int g(void) {\n  int n = 1;\n  return n;\n}\n";
    ev v;
    size_t i, first = 0, second = 0;
    TC_CHECK_EQ_INT(ev_init(&v, TC_LANG_C, o, strlen(o)), TC_OK);
    for (i = 0; i < v.n; i++)
        if (ev_is(&v, i, "n")) {
            if (!first) first = i;
            else second = i;
        }
    TC_CHECK(first && second > first);
    TC_CHECK(edit_first_use(&v, first, 0));
    TC_CHECK(!edit_first_use(&v, second, 0));
    TC_CHECK(edit_first_use(&v, second, v.t[first].off + 1)); /* the scope starts after the first */
    TC_CHECK(!edit_first_use(&v, 0, 0));                     /* `int`: a keyword, no name */
    ev_free(&v);
}
