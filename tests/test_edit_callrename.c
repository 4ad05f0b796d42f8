/* test_edit_callrename.c - TC_EDIT_F_CALL_RENAME (src/edit/callrename.c):
 * 1 at the other calls of a function renamed at a call when the edited
 * file defines the old name and names the new one nowhere (its file for
 * a static function, any C file for an extern one); 0 for a call switched
 * to a function that exists, a function defined elsewhere, a member's
 * call, and a JavaScript namesake in another module. */
#include "edit_feat.h"

#include <string.h>

/* The rule's places in other carrying TC_EDIT_F_CALL_RENAME (edit_feat.h). */
static void count_call(tc_lang lang, const char *before, const char *after, const char *other_path, const char *other,
                       int origin, size_t *on, size_t *off, int *kind)
{
    edit_count_feat(lang, before, after, other_path, other, origin, TC_EDIT_F_CALL_RENAME, on, off, kind);
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
