/* test_edit_callrename.c - TC_EDIT_F_CALL_RENAME (src/edit/callrename.c):
 * 1 at the other calls of a function renamed at a call when the edited
 * file defines the old name and names the new one nowhere (its file for
 * a static function, any C file for an extern one); 0 for a call switched
 * to a function that exists, a function defined elsewhere, a member's
 * call, and a JavaScript namesake in another module. */
#include "edit/edit.h"
#include "edit/edit_int.h"
#include "test.h"
#include "util/status.h"

#include <string.h>

/* The rule of before -> after (path t.c, or t.js) and its places in other
 * (other_path; origin 1 when it is the example's file): how many carry
 * the evidence (*on) and how many do not (*off); *kind: the rule's kind
 * (-1: no rule). */
static void count_call(tc_lang lang, const char *before, const char *after, const char *other_path, const char *other,
                       int origin, size_t *on, size_t *off, int *kind)
{
    const char *path = lang == TC_LANG_JS ? "t.js" : "t.c";
    tc_edit_src b = {path, before, strlen(before), lang}, o = {other_path, other, strlen(other), lang};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    size_t i;
    *on = *off = 0;
    *kind = -1;
    TC_CHECK_EQ_INT(tc_edit_synth(&b, after, strlen(after), &r), TC_OK);
    if (!r) return;
    *kind = (int)tc_edit_rule_kind(r);
    TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &o, origin, &s), TC_OK);
    for (i = 0; i < s.n; i++) {
        float f[TC_EDIT_NFEAT];
        TC_CHECK(s.v[i].feat[TC_EDIT_F_CALL_RENAME] == 0 || s.v[i].feat[TC_EDIT_F_CALL_RENAME] == 1);
        if (s.v[i].feat[TC_EDIT_F_CALL_RENAME] == 1) {
            ++*on;
            /* its weight is not negative: the calls of a function renamed are no less sure */
            memcpy(f, s.v[i].feat, sizeof f);
            f[TC_EDIT_F_CALL_RENAME] = 0;
            TC_CHECK(tc_edit_conf(s.v[i].feat) >= tc_edit_conf(f));
        } else {
            ++*off;
        }
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

/* tacit's a46a71ac11: synth.c's static is_holey moved to another file as
 * edit_is_holey, renamed at a call first */
#define HOLEY "static int is_holey(int k)\n{\n    return k > 2;\n}\n"
#define CALLS(x) "int f(int k)\n{\n    if (" x "(k))\n        return 1;\n    return is_holey(k + 1) || is_holey(0);\n}\n"

TC_TEST(edit_call_rename_static)
{
    size_t on, off;
    int kind;
    count_call(TC_LANG_C, HOLEY CALLS("is_holey"), HOLEY CALLS("edit_is_holey"), "t.c", HOLEY CALLS("edit_is_holey"), 1,
               &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 2 && off == 0);
    /* static: another file's namesake is another function (no place at all) */
    count_call(TC_LANG_C, HOLEY CALLS("is_holey"), HOLEY CALLS("edit_is_holey"), "u.c", "int g(void) { return is_holey(3); }\n",
               0, &on, &off, &kind);
    TC_CHECK(on == 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_CALL_RENAME), "call_rename") == 0);
}

TC_TEST(edit_call_rename_extern)
{
    /* an extern function: another C file's calls too, not a JavaScript module's */
    const char *e = "int is_holey(int k) { return k > 2; }\nint f(int k) { return is_holey(k) + is_holey(1); }\n";
    const char *ea = "int is_holey(int k) { return k > 2; }\nint f(int k) { return edit_is_holey(k) + is_holey(1); }\n";
    size_t on, off;
    int kind;
    count_call(TC_LANG_C, e, ea, "u.c", "int g(int k) { return is_holey(k + 1); }\n", 0, &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 1 && off == 0);
    count_call(TC_LANG_JS, "function isHoley(k) { return k > 2 }\nf(isHoley(1))\nf(isHoley(2))\n",
               "function isHoley(k) { return k > 2 }\nf(editIsHoley(1))\nf(isHoley(2))\n", "u.js", "g(isHoley(3))\n", 0,
               &on, &off, &kind);
    TC_CHECK(on == 0);
}

TC_TEST(edit_call_rename_negative)
{
    size_t on, off;
    int kind;
    /* switched to a function the file has: one call changed, not a rename (no rename rule) */
    const char *b = "static int lo(int k) { return k; }\nstatic int hi(int k) { return -k; }\n"
                    "int f(int k) { return lo(k) + lo(1); }\n";
    const char *a = "static int lo(int k) { return k; }\nstatic int hi(int k) { return -k; }\n"
                    "int f(int k) { return hi(k) + lo(1); }\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(kind != TC_EDIT_RENAME && on == 0);
    /* a function the file declares but does not define: its definition is elsewhere */
    b = "int lo(int k);\nint f(int k) { return lo(k) + lo(1); }\n";
    a = "int lo(int k);\nint f(int k) { return lo2(k) + lo(1); }\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(on == 0);
    /* renamed at its definition: declscope.c's evidence, not this one */
    b = "static int lo(int k) { return k; }\nint f(int k) { return lo(k) + lo(1); }\n";
    a = "static int low(int k) { return k; }\nint f(int k) { return lo(k) + lo(1); }\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 0 && off == 2);
    /* a local renamed at a use: no call */
    b = "int f(int count) {\n  return count + count;\n}\n";
    a = "int f(int count) {\n  return total + count;\n}\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(on == 0);
}
