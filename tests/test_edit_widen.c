/* test_edit_widen.c - a `tokens` rule that finds no place besides the
 * example's is widened once (src/edit/widen.c): the names of its left
 * anchor become holes; not when a place was found, nor when the new
 * tokens use the name, and its places still face the limit of a `tokens`
 * rule. */
#include "edit_apply.h"
#include "test.h"

/* the rule of before -> after (lang, at path) on other, widened when it
 * finds nothing there: want_w widened, want_n places, other made want */
#define CHECK_WIDEN(lang, path, before, after, other, want_w, want_n, want)                                   \
    do {                                                                                                    \
        int k_, w_;                                                                                         \
        size_t n_;                                                                                          \
        const char *want_ = (want);                                                                         \
        char *got_ = edit_apply_rule_widened((lang), (path), (before), (after), "other", (other), 0, &k_, &n_, \
                                             &w_);                                                          \
        TC_CHECK_EQ_INT(w_, (want_w));                                                                      \
        TC_CHECK_EQ_INT(n_, (want_n));                                                                      \
        TC_CHECK_STR(got_, want_);                                                                          \
        free(got_);                                                                                         \
    } while (0)

/* `, ok` deleted after `int f` (tacit's 851e487ddc) */
static const char *ok_before = "static int f1(void)\n{\n    int f, ok;\n    return 0;\n}\n";
static const char *ok_after = "static int f1(void)\n{\n    int f;\n    return 0;\n}\n";

TC_TEST(edit_widen_left_name)
{
    /* no `int f, ok` elsewhere: any name before it; `long b, ok` (another
     * anchor), `int c, ok = 1` (another token after), `int d, okay` stay */
    CHECK_WIDEN(TC_LANG_C, "a.c", ok_before, ok_after,
                "int g(void)\n{\n    int a, ok;\n    long b, ok;\n    int c, ok = 1;\n    int d, okay;\n}\n", 1, 1,
                "int g(void)\n{\n    int a;\n    long b, ok;\n    int c, ok = 1;\n    int d, okay;\n}\n");
}

TC_TEST(edit_widen_not_when_found)
{
    /* a place with the example's own anchor: not widened, `int a, ok` stays */
    CHECK_WIDEN(TC_LANG_C, "a.c", ok_before, ok_after, "int g(void)\n{\n    int f, ok;\n    int a, ok;\n}\n", 0, 1,
                "int g(void)\n{\n    int f;\n    int a, ok;\n}\n");
}

TC_TEST(edit_widen_not_used_name)
{
    /* the new tokens use the anchor's name (`y + y`): nothing to widen */
    const char *other = "function g () {\n  x = z\n}\n";
    CHECK_WIDEN(TC_LANG_JS, "a.js", "function f () {\n  x = y\n}\n", "function f () {\n  x = y + y\n}\n", other, 0, 0,
                other);
}

TC_TEST(edit_widen_too_many)
{
    /* widened, nine places: more than a `tokens` rule may offer, none */
    const char *other = "int g(void)\n{\n    int a1, ok;\n    int a2, ok;\n    int a3, ok;\n    int a4, ok;\n"
                        "    int a5, ok;\n    int a6, ok;\n    int a7, ok;\n    int a8, ok;\n    int a9, ok;\n}\n";
    CHECK_WIDEN(TC_LANG_C, "a.c", ok_before, ok_after, other, 1, 0, other);
}
