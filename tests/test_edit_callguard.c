/* test_edit_callguard.c - a call rule that drops arguments and brings
 * constants (src/edit/synth.c, synth_call; sites.c, call_sites): the
 * constants stand for what the example dropped, so a place must drop the
 * same arguments (tacit's 20b87e7524: `case_winners(..., hs, hy, nh)` ->
 * `case_winners(..., base, h)`, not where it was `hs, hy, &nh`); a rule
 * that only drops arguments drops them whatever they are. */
#include "edit_apply.h"
#include "test.h"

#define WIN(x, y, z)                                                                            \
    "static void f(void)\n{\n    win(a, b, " x ");\n    win(c, d, " y ");\n    win(e, f, " z ");\n}\n"

TC_TEST(edit_callguard_constants_for_the_same_arguments)
{
    const char *b = WIN("hs, hy, nh", "hs, hy, nh", "hs, hy, &nh");
    const char *a = WIN("base, h", "hs, hy, nh", "hs, hy, &nh");
    /* the second call drops the example's `hs, hy, nh`; the third's `&nh` is another */
    EDIT_CHECK_SELF(TC_LANG_C, "c.c", b, a, TC_EDIT_CALL, 1, WIN("base, h", "base, h", "hs, hy, &nh"));
}

TC_TEST(edit_callguard_other_arguments_kept)
{
    /* the dropped ones must match; the kept ones (`c, d`) may be anything */
    const char *b = WIN("hs, hy, nh", "hs, hx, nh", "hs, hy, nh");
    const char *a = WIN("base, h", "hs, hx, nh", "hs, hy, nh");
    EDIT_CHECK_SELF(TC_LANG_C, "c.c", b, a, TC_EDIT_CALL, 1, WIN("base, h", "hs, hx, nh", "base, h"));
}

TC_TEST(edit_callguard_arguments_only_dropped)
{
    /* no constant comes in: every call of three drops its last, whatever it is */
    const char *b = WIN("x, 1", "y, 2", "z, &n");
    const char *a = WIN("x", "y, 2", "z, &n");
    EDIT_CHECK_SELF(TC_LANG_C, "c.c", b, a, TC_EDIT_CALL, 2, WIN("x", "y", "z"));
}
