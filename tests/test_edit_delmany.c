/* test_edit_delmany.c - whole lines deleted (src/edit/lines.c) at more
 * places than a rule may offer (TC_EDIT_MAX_OFFERS): the same statement,
 * numbers aside, stands at each, so like a linter's fix they are all
 * offered (tc_edit_rule_too_broad, src/edit/sites.c); other kinds' rules
 * keep the limit. */
#include "edit_apply.h"
#include "test.h"

#include "util/buf.h"

#define DELMANY_TESTS 60 /* over TC_EDIT_MAX_OFFERS */

/* DELMANY_TESTS tests, each `t.plan(N)` then `t.ok(N)`, and lines that look
 * alike but are not the statement. */
static char *tests_text(void)
{
    tc_buf b = {0};
    int i;
    for (i = 0; i < DELMANY_TESTS && tc_buf_puts(&b, "") == TC_OK; i++) {
        char line[160];
        snprintf(line, sizeof line, "test('t%d', (t) => {\n  t.plan(%d)\n  t.ok(%d)\n})\n", i, i % 3 + 1, i);
        if (tc_buf_puts(&b, line) != TC_OK) break;
    }
    if (tc_buf_puts(&b, "s.plan(1)\nt.plan(n)\nt.plan(2) + 1\n") != TC_OK) {
        tc_buf_free(&b);
        return NULL;
    }
    return b.data;
}

TC_TEST(edit_delmany_all_places)
{
    const char *b = "test('a', (t) => {\n  t.plan(2)\n  go(t)\n})\n", *a = "test('a', (t) => {\n  go(t)\n})\n";
    char *other = tests_text(), *got, *p;
    int k;
    size_t n, left = 0;
    TC_CHECK(other != NULL);
    if (!other) return;
    got = edit_apply_rule(TC_LANG_JS, "a.js", b, a, "b.js", other, 0, &k, &n);
    TC_CHECK_EQ_INT(k, TC_EDIT_DELETE);
    TC_CHECK_EQ_INT((long)n, DELMANY_TESTS);
    /* every t.plan(N) line gone; s.plan(1), t.plan(n) and the longer
     * statement stay */
    for (p = got; p && (p = strstr(p, "plan(")); p++) left++;
    TC_CHECK_EQ_INT((long)left, 3);
    TC_CHECK(got && strstr(got, "s.plan(1)\nt.plan(n)\nt.plan(2) + 1\n") != NULL);
    free(got);
    free(other);
}

TC_TEST(edit_delmany_other_kinds_keep_the_limit)
{
    /* a `tokens` rewrite of the same line at as many places is too broad */
    const char *b = "test('a', (t) => {\n  t.plan(2)\n  go(t)\n})\n";
    const char *a = "test('a', (t) => {\n  t.plan(2, 'x')\n  go(t)\n})\n";
    tc_edit_rule *r = NULL;
    EDIT_CHECK_SYNTH(r, TC_LANG_JS, "a.js", b, a);
    TC_CHECK(r && tc_edit_rule_kind(r) != TC_EDIT_DELETE);
    TC_CHECK(r && tc_edit_rule_crossfile(r));
    TC_CHECK(r && tc_edit_rule_too_broad(r, DELMANY_TESTS));
    tc_edit_rule_free(r);
}
