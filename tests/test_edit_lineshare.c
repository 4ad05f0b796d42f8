/* test_edit_lineshare.c - a rule's places on one line share the evidence
 * and confidence of the surest (src/edit/lineshare.c): tacit's
 * 151fc2fb6c, `v4i` -> `tc_v4i`, where `v4i vlen = … - (v4i){0};` holds
 * two uses with other surroundings; places on other lines keep their own. */
#include "edit_apply.h"
#include "test.h"

#define V4I(a, b, c, d)                                                          \
    "typedef int " a ";\n"                                                       \
    "static int f(int len, int *p)\n{\n"                                         \
    "    " b " x = (" b "){0};\n"                                                \
    "    " c " vlen = (int32_t)(len ^ 0x80000000u) - (" c "){0};\n"              \
    "    return (" d ")(p[0] - 1) < vlen;\n}\n"

TC_TEST(edit_lineshare_one_line_together)
{
    const char *b = V4I("v4i", "v4i", "v4i", "v4i");
    const char *a = V4I("tc_v4i", "v4i", "v4i", "v4i");
    tc_edit_src bs = {"q.c", b, strlen(b), TC_LANG_C}, as = {"q.c", a, strlen(a), TC_LANG_C};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    size_t i;
    TC_CHECK_EQ_INT(tc_edit_synth(&bs, a, strlen(a), &r), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME);
    TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &as, 1, &s), TC_OK);
    TC_CHECK_EQ_INT(s.n, 5);
    /* lines 4 and 5 hold two uses each: the second (`(v4i){0}`) scored
     * alone is less sure than the first (0.72 against 0.89) */
    for (i = 0; s.n == 5 && i < 4; i += 2) {
        TC_CHECK(s.v[i].conf == s.v[i + 1].conf);
        TC_CHECK(memcmp(s.v[i].feat, s.v[i + 1].feat, sizeof s.v[i].feat) == 0);
        TC_CHECK(s.v[i].conf > 0.8);
    }
    /* the return line's use keeps its own */
    if (s.n == 5) TC_CHECK(s.v[4].conf != s.v[0].conf);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}
