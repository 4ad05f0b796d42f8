/* test_edit_twoex.c - two examples confirm one rule (src/edit/synth.c,
 * tc_edit_synth2 and remakes): a second example's place found one line
 * off by the diff still confirms the rule when applying the rule there
 * gives the example's text exactly; an unrelated second example does
 * not. */
#include "edit/edit.h"
#include "util/status.h"
#include "test.h"

#include <string.h>

static int synth2_kind(const char *b, const char *a1, const char *a2)
{
    tc_edit_src s1 = {"c.js", b, strlen(b), TC_LANG_JS}, s2 = {"c.js", a1, strlen(a1), TC_LANG_JS};
    tc_edit_rule *r = NULL;
    int kind = -1;
    if (tc_edit_synth2(&s1, a1, strlen(a1), &s2, a2, strlen(a2), &r) == TC_OK && r) kind = (int)tc_edit_rule_kind(r);
    tc_edit_rule_free(r);
    return kind;
}

TC_TEST(edit_twoex_close_before_an_equal_line)
{
    /* the second "}" goes in just above the function's own "}": the diff
     * takes the function's line as the inserted one, a line below the
     * curly rule's place */
    const char *b = "function f(a, b) {\n  if (a) return 1\n  if (b) return 2\n}\n";
    const char *a1 = "function f(a, b) {\n  if (a) return 1\n  }\n  if (b) return 2\n}\n";
    const char *a2 = "function f(a, b) {\n  if (a) return 1\n  }\n  if (b) return 2\n  }\n}\n";
    TC_CHECK_EQ_INT(synth2_kind(b, a1, a2), TC_EDIT_LINT);
}

TC_TEST(edit_twoex_unrelated_second_example)
{
    /* the second example adds a call the curly rule does not make */
    const char *b = "function f(a, b) {\n  if (a) return 1\n  if (b) return 2\n}\n";
    const char *a1 = "function f(a, b) {\n  if (a) return 1\n  }\n  if (b) return 2\n}\n";
    const char *a2 = "function f(a, b) {\n  if (a) return 1\n  }\n  if (b) return 2\n  log()\n}\n";
    TC_CHECK(synth2_kind(b, a1, a2) != TC_EDIT_LINT);
}
