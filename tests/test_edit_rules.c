/* test_edit_rules.c - next edits, recall of the existing rules: a shell
 * function renamed where it runs (in the file that defines it, and across
 * the files that source a library), and a rule with too many places that
 * keeps those with the example's own surroundings instead of offering
 * nothing (tc_edit_sites_narrow). */
#include "edit/edit.h"
#include "edit_apply.h"
#include "test.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sites of the rule r in text (path; origin as tc_edit_rule_sites),
 * appended to s. */
static void sites_in(const tc_edit_rule *r, tc_lang lang, const char *path, const char *text, int origin,
                     tc_edit_sites *s)
{
    tc_edit_src o = {path, text, strlen(text), lang};
    TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &o, origin, s), TC_OK);
}

/* tests/sh/a.sh sources the library that defines vt_keys; its first use
 * renamed to tm_keys. */
static const char sh_before[] = "#!/bin/bash\n. \"$(dirname \"$0\")/lib.sh\"\nvt_keys C-n\nif vt_keys Tab; then\n"
                                "    echo vt_keys\nfi\nx=$(date) && vt_keys Escape\n";
static const char sh_after[] = "#!/bin/bash\n. \"$(dirname \"$0\")/lib.sh\"\ntm_keys C-n\nif vt_keys Tab; then\n"
                               "    echo vt_keys\nfi\nx=$(date) && vt_keys Escape\n";

TC_TEST(edit_rules_shell_function_sourced)
{
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    char *got;
    EDIT_CHECK_SYNTH(r, TC_LANG_SHELL, "tests/sh/a.sh", sh_before, sh_after);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && tc_edit_rule_crossfile(r));
    if (!r) return;
    /* the edited file: the commands, not the word echo prints */
    sites_in(r, TC_LANG_SHELL, "tests/sh/a.sh", sh_after, 1, &s);
    got = edit_apply_sites(sh_after, &s);
    TC_CHECK_STR(got, "#!/bin/bash\n. \"$(dirname \"$0\")/lib.sh\"\ntm_keys C-n\nif tm_keys Tab; then\n"
                      "    echo vt_keys\nfi\nx=$(date) && tm_keys Escape\n");
    free(got);
    tc_edit_sites_free(&s);
    /* another file that sources the library: its commands */
    {
        const char *o = "source ./lib.sh\nvt_keys Up | cat\nvt_keys_more x\n";
        sites_in(r, TC_LANG_SHELL, "tests/sh/b.sh", o, 0, &s);
        got = edit_apply_sites(o, &s);
        TC_CHECK_STR(got, "source ./lib.sh\ntm_keys Up | cat\nvt_keys_more x\n");
        free(got);
        tc_edit_sites_free(&s);
    }
    /* the library itself: its own uses, not the definition */
    {
        const char *o = "vt_keys() { tmux send-keys \"$@\"; }\nvt_up() { vt_keys Up; }\n";
        sites_in(r, TC_LANG_SHELL, "tests/sh/lib.sh", o, 0, &s);
        got = edit_apply_sites(o, &s);
        TC_CHECK_STR(got, "vt_keys() { tmux send-keys \"$@\"; }\nvt_up() { tm_keys Up; }\n");
        free(got);
        tc_edit_sites_free(&s);
    }
    /* a file that neither sources nor defines it runs another program */
    sites_in(r, TC_LANG_SHELL, "tools/c.sh", "vt_keys Up\n", 0, &s);
    TC_CHECK_EQ_INT(s.n, 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_rules_shell_function_defined_here)
{
    /* the file's own function, renamed where it runs: the file only */
    const char *b = "keys() { tmux send-keys \"$@\"; }\nkeys C-n\nkeys Tab; keys Escape\n";
    const char *a = "keys() { tmux send-keys \"$@\"; }\ntm_keys C-n\nkeys Tab; keys Escape\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    char *got;
    EDIT_CHECK_SYNTH(r, TC_LANG_SHELL, "t.sh", b, a);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && !tc_edit_rule_crossfile(r));
    if (!r) return;
    sites_in(r, TC_LANG_SHELL, "t.sh", a, 1, &s);
    got = edit_apply_sites(a, &s);
    TC_CHECK_STR(got, "keys() { tmux send-keys \"$@\"; }\ntm_keys C-n\ntm_keys Tab; tm_keys Escape\n");
    free(got);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_rules_shell_negative)
{
    int k;
    size_t n;
    char *got;
    /* a program of the PATH (nothing sourced, nothing defined): not in
     * the other files */
    got = edit_apply_rule(TC_LANG_SHELL, "t.sh", "grep -q x f\ngrep -q y g\n", "rg -q x f\ngrep -q y g\n", "u.sh",
                          ". ./lib.sh\ngrep -q z h\n", 0, &k, &n);
    TC_CHECK_EQ_INT(n, 0);
    TC_CHECK_STR(got, ". ./lib.sh\ngrep -q z h\n");
    free(got);
    /* the new name already runs in the file: one use changed, not a rename */
    got = edit_apply_rule(TC_LANG_SHELL, "t.sh", ". ./lib.sh\nvt_a x\nvt_b y\nvt_a z\n", ". ./lib.sh\nvt_b x\nvt_b y\nvt_a z\n",
                          "t.sh", ". ./lib.sh\nvt_b x\nvt_b y\nvt_a z\n", 1, &k, &n);
    TC_CHECK_EQ_INT(n, 0);
    free(got);
}

/* A JS file of 12 calls `this.inc('pre', identifier)`; the example adds
 * `, identifierBase` to one `semver.inc(v, inc, options, identifier)`. */
static void inc_file(char *buf, size_t cap, int first_changed)
{
    size_t n = 0, i;
    n += (size_t)snprintf(buf + n, cap - n, "  return inc ? semver.inc(v, inc, options, identifier%s) : v\n",
                          first_changed ? ", identifierBase" : "");
    for (i = 0; i < 10; i++) n += (size_t)snprintf(buf + n, cap - n, "this.inc('pre%zu', identifier)\n", i);
    n += (size_t)snprintf(buf + n, cap - n, "log(msg, identifier)\n");
    (void)snprintf(buf + n, cap - n, "const x = [identifier]\n");
}

TC_TEST(edit_rules_too_many_narrowed)
{
    char b[2048], a[2048], *got;
    tc_edit_src bs = {"bin/semver.js", b, 0, TC_LANG_JS};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    size_t i, exact = 0;
    inc_file(b, sizeof b, 0);
    inc_file(a, sizeof a, 1);
    bs.len = strlen(b);
    TC_CHECK_EQ_INT(tc_edit_synth(&bs, a, strlen(a), &r), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_TOKENS);
    if (!r) return;
    sites_in(r, TC_LANG_JS, "bin/semver.js", a, 1, &s);
    TC_CHECK_EQ_INT(s.n, 11); /* the ten calls of inc, and log's */
    TC_CHECK(tc_edit_rule_too_broad(r, s.n));
    for (i = 0; i < s.n; i++) exact += tc_edit_site_exact(r, s.v[i].feat) != 0;
    TC_CHECK_EQ_INT(exact, 10);
    TC_CHECK(tc_edit_rule_narrowable(r));
    /* too many: the ten calls of inc are kept, not log's (another call) */
    tc_edit_sites_narrow(r, &s);
    TC_CHECK_EQ_INT(s.n, 10);
    got = edit_apply_sites(a, &s);
    TC_CHECK(got && strstr(got, "this.inc('pre0', identifier, identifierBase)\n"));
    TC_CHECK(got && strstr(got, "this.inc('pre9', identifier, identifierBase)\n"));
    TC_CHECK(got && strstr(got, "log(msg, identifier)\n"));
    free(got);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_rules_too_many_exact_none)
{
    /* more than TC_EDIT_MAX_NARROW places with the example's surroundings:
     * still too general, nothing */
    size_t cap = 64 * (TC_EDIT_MAX_NARROW + 8), n = 0, i;
    char *b = malloc(cap), *a = malloc(cap);
    tc_edit_src bs = {"x.js", b, 0, TC_LANG_JS};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    TC_CHECK(b && a);
    if (!b || !a) goto out;
    for (i = 0; i < TC_EDIT_MAX_NARROW + 4; i++) n += (size_t)snprintf(b + n, cap - n, "f(%zu, x)\n", i);
    memcpy(a, b, n + 1);
    memcpy(a, "f(0, x, y)\n", 12); /* the first line, "f(0, x)\n" (8 bytes) becomes 11 */
    memcpy(a + 11, b + 8, n - 8 + 1);
    bs.len = n;
    TC_CHECK_EQ_INT(tc_edit_synth(&bs, a, strlen(a), &r), TC_OK);
    TC_CHECK(r != NULL);
    if (!r) goto out;
    sites_in(r, TC_LANG_JS, "x.js", a, 1, &s);
    TC_CHECK(s.n > TC_EDIT_MAX_NARROW);
    tc_edit_sites_narrow(r, &s);
    TC_CHECK_EQ_INT(s.n, 0);
out:
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    free(a);
    free(b);
}

TC_TEST(edit_rules_few_places_untouched)
{
    /* not too many: tc_edit_sites_narrow keeps every place, whatever its
     * surroundings */
    const char *b = "f(a, x)\ng(h(x))\nf(b, x)\n", *a = "f(a, x, y)\ng(h(x))\nf(b, x)\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    EDIT_CHECK_SYNTH(r, TC_LANG_JS, "x.js", b, a);
    if (!r) return;
    sites_in(r, TC_LANG_JS, "x.js", a, 1, &s);
    {
        size_t before = s.n;
        TC_CHECK(before >= 1);
        tc_edit_sites_narrow(r, &s);
        TC_CHECK_EQ_INT(s.n, before);
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_rules_too_many_not_in_a_call)
{
    /* the same insertion in an array, not a call's arguments: nothing
     * anchors it beyond its neighbours, too many places offer nothing */
    char b[1024], a[1024];
    size_t nb = 0, na = 0, i;
    tc_edit_src bs = {"x.js", b, 0, TC_LANG_JS};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    for (i = 0; i < 12; i++) {
        nb += (size_t)snprintf(b + nb, sizeof b - nb, "v%zu = [%zu, x]\n", i, i);
        na += (size_t)snprintf(a + na, sizeof a - na, "v%zu = [%zu, x%s]\n", i, i, i == 0 ? ", y" : "");
    }
    bs.len = nb;
    TC_CHECK_EQ_INT(tc_edit_synth(&bs, a, na, &r), TC_OK);
    if (!r) return;
    sites_in(r, TC_LANG_JS, "x.js", a, 1, &s);
    TC_CHECK_EQ_INT(s.n, 11);
    TC_CHECK(tc_edit_rule_too_broad(r, s.n));
    TC_CHECK(!tc_edit_rule_narrowable(r));
    tc_edit_sites_narrow(r, &s);
    TC_CHECK_EQ_INT(s.n, 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_rules_macro_other_files)
{
    /* a build flag renamed where a header tests it: on the preprocessor
     * lines of the other files too, not in their code */
    const char *b = "#include \"napi.h\"\n#ifdef NAPI_CPP_EXCEPTIONS\nint f();\n#endif\n#ifdef NAPI_CPP_EXCEPTIONS\nint g();\n#endif\n";
    const char *a = "#include \"napi.h\"\n#ifdef NODE_API_CPP_EXCEPTIONS\nint f();\n#endif\n#ifdef NAPI_CPP_EXCEPTIONS\nint g();\n#endif\n";
    const char *o = "#if !defined(NAPI_CPP_EXCEPTIONS) && !defined(NO_EXC)\n#define NAPI_CPP_EXCEPTIONS\n#endif\n"
                    "int x = NAPI_CPP_EXCEPTIONS;\n#ifdef NAPI_CPP_EXCEPTIONS\n#endif\n";
    const char *want = "#if !defined(NODE_API_CPP_EXCEPTIONS) && !defined(NO_EXC)\n#define NODE_API_CPP_EXCEPTIONS\n"
                       "#endif\nint x = NAPI_CPP_EXCEPTIONS;\n#ifdef NODE_API_CPP_EXCEPTIONS\n#endif\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    char *got;
    EDIT_CHECK_SYNTH(r, TC_LANG_CPP, "napi-inl.h", b, a);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && tc_edit_rule_crossfile(r));
    if (!r) return;
    sites_in(r, TC_LANG_CPP, "napi-inl.h", a, 1, &s);
    TC_CHECK_EQ_INT(s.n, 1);
    tc_edit_sites_free(&s);
    sites_in(r, TC_LANG_CPP, "napi.h", o, 0, &s);
    got = edit_apply_sites(o, &s);
    TC_CHECK_STR(got, want);
    free(got);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_rules_macro_negative)
{
    /* the file defines the macro itself: its own, not the other files' */
    const char *b = "#define USE_X 1\n#if USE_X\nint f();\n#endif\n";
    const char *a = "#define USE_X 1\n#if USE_Y\nint f();\n#endif\n";
    tc_edit_src bs = {"a.c", b, strlen(b), TC_LANG_C};
    tc_edit_rule *r = NULL;
    if (tc_edit_synth(&bs, a, strlen(a), &r) == TC_OK) TC_CHECK(!tc_edit_rule_crossfile(r));
    tc_edit_rule_free(r);
    /* a name renamed in code, not on a preprocessor line: not every file's */
    r = NULL;
    b = "int f(void) {\n    int count = 0;\n    return count;\n}\n";
    a = "int f(void) {\n    int total = 0;\n    return count;\n}\n";
    bs.text = b;
    bs.len = strlen(b);
    if (tc_edit_synth(&bs, a, strlen(a), &r) == TC_OK) TC_CHECK(!tc_edit_rule_crossfile(r));
    tc_edit_rule_free(r);
}

TC_TEST(edit_rules_shell_arguments_moved)
{
    /* the file's own function, its arguments swapped (and renamed) where
     * it runs: at each command of it with two arguments of those kinds */
    const char *b = "wait_for() { :; }\nwait_for 'ready' 60\nwait_for '-- INSERT --' 5 # mode\n"
                    "wait_for \"$x\" 15\nwait_for 'a' 5 extra\necho wait_for 'b' 5\nwait_for 'c' 5 | cat\n";
    const char *a = "wait_for() { :; }\nnv_wait_for 60 'ready'\nwait_for '-- INSERT --' 5 # mode\n"
                    "wait_for \"$x\" 15\nwait_for 'a' 5 extra\necho wait_for 'b' 5\nwait_for 'c' 5 | cat\n";
    const char *want = "wait_for() { :; }\nnv_wait_for 60 'ready'\nnv_wait_for 5 '-- INSERT --' # mode\n"
                       "nv_wait_for 15 \"$x\"\nwait_for 'a' 5 extra\necho wait_for 'b' 5\nwait_for 'c' 5 | cat\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    char *got;
    EDIT_CHECK_SYNTH(r, TC_LANG_SHELL, "t.sh", b, a);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_CALL && !tc_edit_rule_crossfile(r));
    if (!r) return;
    sites_in(r, TC_LANG_SHELL, "t.sh", a, 1, &s);
    got = edit_apply_sites(a, &s);
    TC_CHECK_STR(got, want);
    free(got);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_rules_shell_arguments_negative)
{
    int k;
    size_t n;
    char *got;
    /* a program of the PATH (nothing defined, nothing sourced): no rule */
    got = edit_apply_rule(TC_LANG_SHELL, "t.sh", "cp 'a' 'b'\ncp 'c' 'd'\n", "cp 'b' 'a'\ncp 'c' 'd'\n", "t.sh",
                          "cp 'b' 'a'\ncp 'c' 'd'\n", 1, &k, &n);
    TC_CHECK(k != TC_EDIT_CALL);
    TC_CHECK_EQ_INT(n, 0);
    free(got);
    /* a new argument that is no old one: not a move */
    got = edit_apply_rule(TC_LANG_SHELL, "t.sh", "f() { :; }\nf 'a' 5\nf 'b' 6\n", "f() { :; }\nf 7 'a'\nf 'b' 6\n",
                          "t.sh", "f() { :; }\nf 7 'a'\nf 'b' 6\n", 1, &k, &n);
    TC_CHECK(k != TC_EDIT_CALL);
    free(got);
    /* the same argument twice: which moved where is not clear */
    got = edit_apply_rule(TC_LANG_SHELL, "t.sh", "f() { :; }\nf 5 'a' 5\nf 6 'b' 6\n", "f() { :; }\nf 'a' 5 5\nf 6 'b' 6\n",
                          "t.sh", "f() { :; }\nf 'a' 5 5\nf 6 'b' 6\n", 1, &k, &n);
    TC_CHECK(k != TC_EDIT_CALL);
    free(got);
}
