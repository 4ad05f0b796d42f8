/* test_edit_rename2.c - one line renaming two names at once
 * (src/edit/rename2.c): one rule with both pairs; where both names stand
 * on one line, one place renames both. */
#include "edit_apply.h"
#include "test.h"

TC_TEST(edit_rename2_shell_commands)
{
    /* tacit's tests/sh/nvim_tmux.sh: two shell functions renamed on one line */
    const char *lib = "type_text() { :; }\nkeys() { :; }\n";
    const char *b = "type_text() { :; }\nkeys() { :; }\ntype_text '{'; keys Enter\ntype_text 'x;'; keys Enter\nkeys Tab\n"
                    "echo keys\n";
    const char *a = "type_text() { :; }\nkeys() { :; }\ntm_type '{'; tm_keys Enter\ntype_text 'x;'; keys Enter\nkeys Tab\n"
                    "echo keys\n";
    (void)lib;
    /* both on one line: one place; keys alone: its own; not the definitions (a call), not a word echo prints */
    EDIT_CHECK_SELF(TC_LANG_SHELL, "t.sh", b, a, TC_EDIT_RENAME, 2,
                    "type_text() { :; }\nkeys() { :; }\ntm_type '{'; tm_keys Enter\ntm_type 'x;'; tm_keys Enter\n"
                    "tm_keys Tab\necho keys\n");
}

TC_TEST(edit_rename2_functions)
{
    const char *b = "int f(int x) { return x; }\nint g(int x) { return x; }\nint h(void) { return f(1) + g(2); }\nint k(void) { return f(3) + g(4); }\n"
                    "int m(void) { return g(5); }\n";
    const char *a = "int f(int x) { return x; }\nint g(int x) { return x; }\nint h(void) { return f2(1) + g2(2); }\nint k(void) { return f(3) + g(4); }\n"
                    "int m(void) { return g(5); }\n";
    /* renamed at a call: the calls only (not the definitions) */
    EDIT_CHECK_SELF(TC_LANG_C, "x.c", b, a, TC_EDIT_RENAME, 2,
                    "int f(int x) { return x; }\nint g(int x) { return x; }\nint h(void) { return f2(1) + g2(2); }\n"
                    "int k(void) { return f2(3) + g2(4); }\nint m(void) { return g2(5); }\n");
}

TC_TEST(edit_rename2_negative)
{
    int k;
    size_t n;
    char *got;
    /* two locals: their scopes are the example's own, no two-name rule (the rename of each is no rule either) */
    got = edit_apply_rule(TC_LANG_C, "x.c", "void f(void) { int a = 1, b = 2; use(a, b); }\n",
                          "void f(void) { int a = 1, b = 2; use(c, d); }\n", "x.c",
                          "void f(void) { int a = 1, b = 2; use(c, d); }\n", 1, &k, &n);
    TC_CHECK(k != TC_EDIT_RENAME || n == 0);
    free(got);
    /* a program of the PATH (the file neither defines nor sources it): no rename */
    got = edit_apply_rule(TC_LANG_SHELL, "t.sh", "grep x f; sed y f\ngrep z g; sed w g\n", "rg x f; gsed y f\ngrep z g; sed w g\n",
                          "t.sh", "rg x f; gsed y f\ngrep z g; sed w g\n", 1, &k, &n);
    TC_CHECK(k != TC_EDIT_RENAME); /* (the similar line's `block` rule may take it) */
    free(got);
}
