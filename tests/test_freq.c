/* test_freq.c - frequent-line candidates (suggest/freq.h): at a fresh
 * line, the short lines that follow a line starting and ending as the
 * cursor's previous one does in at least 2 files (the edited file left
 * out); not mid-line. */
#include "engine_util.h"
#include "test.h"
#include "trace_sources.h"
#include "suggest/suggest.h"
#include "suggest/trace.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int from_freq(tc_engine *e, tc_trace *t, const char *rel, const char *pre, const char *suf, const char *text)
{
    char buf[1024], src[64];
    tc_suggestion s;
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, rel, buf, strlen(buf), strlen(pre), &s), TC_OK);
    tc_suggestion_free(&s);
    trace_sources_of(t, text, src, sizeof src);
    return strstr(src, "frequent") != NULL;
}

TC_TEST(freq_offers_the_lines_that_follow_such_a_line_in_several_files)
{
    char root[512], rel[64], text[512];
    tc_engine *e;
    tc_trace *t = tc_trace_new();
    int i;
    const char *pre = "int h(int z)\n{\n    if (z == 3)\n        ", *suf = "\n    return z;\n}\n";
    snprintf(root, sizeof root, "%s/frepo", tc_test_tmpdir());
    for (i = 0; i < 3; i++) { /* `break;` after an `if (...)` line in three files */
        snprintf(rel, sizeof rel, "a%d.c", i);
        snprintf(text, sizeof text,
                 "int f%d(int a)\n{\n    while (a) {\n        if (a > %d)\n            break;\n        a--;\n    }\n"
                 "    return a;\n}\n",
                 i, i);
        tc_test_put(root, rel, text);
    }
    /* in one file only */
    tc_test_put(root, "one.c", "int g(int b)\n{\n    if (b < 0)\n        abort_all();\n    return b;\n}\n");
    /* in two files, one of them the edited one */
    tc_test_put(root, "two.c", "int k(int c)\n{\n    if (c == 1)\n        give_up();\n    return c;\n}\n");
    tc_test_put(root, "three.c", "int m(int d)\n{\n    if (d == 2)\n        give_up();\n    return d;\n}\n");
    e = engine_open_at(root, NULL, TC_MODE_FULL);
    TC_CHECK(t != NULL);
    if (!e || !t) goto out;
    tc_engine_set_trace(e, t);
    TC_CHECK(from_freq(e, t, "h.c", pre, suf, "break;"));
    TC_CHECK(!from_freq(e, t, "h.c", pre, suf, "abort_all();")); /* one file */
    TC_CHECK(from_freq(e, t, "h.c", pre, suf, "give_up();"));
    TC_CHECK(!from_freq(e, t, "two.c", pre, suf, "give_up();")); /* the edited file does not count */
    TC_CHECK(from_freq(e, t, "two.c", pre, suf, "break;"));
    /* a partial word must start the line; typed tokens: no frequent lines */
    TC_CHECK(from_freq(e, t, "h.c", "int h(int z)\n{\n    if (z == 3)\n        b", suf, "reak;"));
    TC_CHECK(from_freq(e, t, "h.c", "int h(int z)\n{\n    if (z == 3)\n        g", suf, "ive_up();"));
    TC_CHECK(!from_freq(e, t, "h.c", "int h(int z)\n{\n    if (z == 3)\n        b", suf, "ive_up();"));
    TC_CHECK(!from_freq(e, t, "h.c", "int h(int z)\n{\n    if (z == 3)\n        z = ", suf, "break;"));
    /* another context: after a line that ends in `{`, not `)` */
    TC_CHECK(!from_freq(e, t, "h.c", "int h(int z)\n{\n    if (z == 3) {\n        ", suf, "break;"));
out:
    if (e) tc_engine_set_trace(e, NULL);
    tc_trace_free(t);
    tc_engine_free(e);
}
