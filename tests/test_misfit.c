/* test_misfit.c - C line candidates that cannot compile at the cursor
 * (misfit.h), and the engine ranking them last (TACIT_MISFIT). */
#include "engine_util.h"
#include "test.h"

#include "suggest/misfit.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* Check s at the cursor between pre and suf; open: the brackets open before
 * the cursor's line (suggest.c's open_brackets). */
static int misfit_at(const char *pre, const char *suf, const char *open, const char *s)
{
    tc_buf buf = {0}, before = {0};
    tc_misfit m;
    const char *ls = pre + strlen(pre), *t;
    int r, blank = 1;
    tc_buf_puts(&buf, pre);
    tc_buf_puts(&buf, suf);
    while (ls > pre && ls[-1] != '\n') ls--;
    tc_buf_puts(&before, open);
    tc_buf_append(&before, ls, strlen(ls));
    for (t = suf; *t && *t != '\n'; t++)
        if (*t != ' ' && *t != '\t') blank = 0;
    tc_misfit_init(&m, buf.data, buf.len, strlen(pre), before.data, before.len, blank);
    r = tc_misfit_check(&m, s, strlen(s));
    tc_buf_free(&buf);
    tc_buf_free(&before);
    return r;
}

TC_TEST(misfit_statement_ends_inside_a_call)
{
    /* the call opened on the lines above is still open: `;` cannot end it */
    const char *pre = "int f(void)\n{\n\terr = update(map,\n\t\t\t   reg,\n\t\t\t   delay";
    TC_CHECK_EQ_INT(misfit_at(pre, "\n\tif (err)\n", "{(", " = ilog2(delay);"), TC_MISFIT_BRACKETS);
    TC_CHECK_EQ_INT(misfit_at(pre, "\n\tif (err)\n", "{(", ");"), 0);
    /* a `for` header holds its `;` */
    TC_CHECK_EQ_INT(misfit_at("int f(void)\n{\n\tfor (i = 0", "\n", "{", "; i < n; i++)"), 0);
    /* inside braces within the parentheses (a statement expression) */
    TC_CHECK_EQ_INT(misfit_at("int f(void)\n{\n\tx = ({", "\n", "{", " y = 1; y; });"), 0);
}

TC_TEST(misfit_next_line_closes_a_call)
{
    /* the next line ends the call: the cursor's line must leave it open */
    const char *pre = "int f(void)\n{\n\terr = update(map,\n\t\t\t   CTL1,\n\t\t\t   MASK";
    const char *suf = "\n\n\t\t\t   MASK);\n\tif (err)\n";
    TC_CHECK_EQ_INT(misfit_at(pre, suf, "{(", ", 0);"), TC_MISFIT_BRACKETS);
    TC_CHECK_EQ_INT(misfit_at(pre, suf, "{(", ","), 0);
    TC_CHECK_EQ_INT(misfit_at(pre, suf, "{(", " |"), 0);
    /* text after the cursor on its line: not judged */
    TC_CHECK_EQ_INT(misfit_at(pre, " x\n\t\t\t   MASK);\n", "{(", ", 0);"), 0);
    /* a `)` inside a string of the next line closes nothing */
    TC_CHECK_EQ_INT(misfit_at("int f(void)\n{\n\t", "\n\tputs(\")\");\n}\n", "{", "g(1);"), 0);
}

TC_TEST(misfit_call_arity_against_the_buffer)
{
    const char *pre = "static void report(struct input_dev *dev)\n{\n\tinput_report_key(dev, KEY_A, 1);\n"
                      "\tinput_sync(dev);\n}\n\nstatic void up(struct input_dev *dev)\n{\n\tinput_report_key";
    const char *suf = "\n\tinput_sync(dev);\n}\n";
    TC_CHECK_EQ_INT(misfit_at(pre, suf, "{", "(dev);"), TC_MISFIT_ARITY);
    TC_CHECK_EQ_INT(misfit_at(pre, suf, "{", "(dev, KEY_B, 0);"), 0);
    /* a name the buffer does not call, a member's call: not judged */
    TC_CHECK_EQ_INT(misfit_at(pre, suf, "{", "_other(dev);"), 0);
    TC_CHECK_EQ_INT(misfit_at("int f(void)\n{\n\tg(a, b);\n\tops->", "\n}\n", "{", "g(a);"), 0);
    /* (void) and () are no arguments; a definition counts as a call */
    TC_CHECK_EQ_INT(misfit_at("static int setup(void)\n{\n\treturn 0;\n}\nint main(void)\n{\n\t", "\n}\n", "{",
                              "setup();"),
                    0);
    TC_CHECK_EQ_INT(misfit_at("static int setup(void)\n{\n\treturn 0;\n}\nint main(void)\n{\n\t", "\n}\n", "{",
                              "setup(1);"),
                    TC_MISFIT_ARITY);
    /* printf-like (a string among the arguments) and calls that disagree: not judged */
    TC_CHECK_EQ_INT(misfit_at("void f(void)\n{\n\tlog_it(dev, \"x\");\n\t", "\n}\n", "{", "log_it(dev, \"%d\", n);"), 0);
    TC_CHECK_EQ_INT(misfit_at("void f(void)\n{\n\tm(a);\n\tm(a, b);\n\t", "\n}\n", "{", "m(a, b, c);"), 0);
    {
        /* the cursor at the buffer's start: nothing before it (an empty buffer's data is NULL) */
        const char *b = "\nvoid g(void)\n{\n\tf(1, 2);\n}\n";
        tc_misfit m;
        tc_misfit_init(&m, b, strlen(b), 0, NULL, 0, 1);
        TC_CHECK_EQ_INT(tc_misfit_check(&m, "f(1);", 5), TC_MISFIT_ARITY);
        TC_CHECK_EQ_INT(tc_misfit_check(&m, "f(1, 3);", 8), 0);
    }
        /* keywords take parentheses without being calls */
    TC_CHECK_EQ_INT(misfit_at("void f(void)\n{\n\tif (a)\n\t\tg();\n\t", "\n}\n", "{", "if (a && b)"), 0);
}

TC_TEST(misfit_return_against_the_function_head)
{
    const char *kv = "static void stop(struct dev *d)\n{\n\tif (d->on) {\n\t\toff(d);\n\t";
    const char *kn = "static int stop(struct dev *d)\n{\n\tif (d->on) {\n\t\toff(d);\n\t";
    TC_CHECK_EQ_INT(misfit_at(kv, "\n}\n", "{", "return 0;"), TC_MISFIT_RETURN);
    TC_CHECK_EQ_INT(misfit_at(kv, "\n}\n", "{", "return;"), 0);
    TC_CHECK_EQ_INT(misfit_at(kn, "\n}\n", "{", "return;"), TC_MISFIT_RETURN);
    TC_CHECK_EQ_INT(misfit_at(kn, "\n}\n", "{", "return 0;"), 0);
    /* the word typed before the cursor */
    TC_CHECK_EQ_INT(misfit_at("static void stop(struct dev *d)\n{\n\treturn", "\n}\n", "{", " 0;"), TC_MISFIT_RETURN);
    /* void *: a value */
    TC_CHECK_EQ_INT(misfit_at("static void *get(struct dev *d)\n{\n\t", "\n}\n", "{", "return;"), TC_MISFIT_RETURN);
    /* GNU style: the type on the line above the name; K&R: the brace on the head's line */
    TC_CHECK_EQ_INT(misfit_at("static void\nstop (struct dev *d)\n{\n  ", "\n}\n", "{", "return 0;"),
                    TC_MISFIT_RETURN);
    TC_CHECK_EQ_INT(misfit_at("int stop(int a) {\n\t", "\n}\n", "{", "return;"), TC_MISFIT_RETURN);
    /* outside a function, or a head not read: not judged */
    TC_CHECK_EQ_INT(misfit_at("static void stop(void)\n{\n}\n\n", "\n", "", "return 0;"), 0);
    TC_CHECK_EQ_INT(misfit_at("SYSCALL_DEFINE1(stop, int, a)\n{\n\t", "\n}\n", "{", "return;"), 0);
}

/* In the engine: in a void function the copies' `return 0;` would win;
 * with the check it ranks after every candidate that may compile, and
 * TACIT_MISFIT=0 leaves the ranking as it was. */
TC_TEST(misfit_engine_ranks_them_last)
{
    char root[512], cache[600], dump[600], rel[64], text[512];
    const char *pre = "#include \"dev.h\"\n\nstatic void mine(struct device *d)\n{\n    start_dev(d);\n    ";
    const char *suf = "\n}\n";
    int pass, i;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    for (i = 0; i < 12; i++) {
        snprintf(rel, sizeof rel, "drv%d.c", i);
        snprintf(text, sizeof text,
                 "#include \"dev.h\"\n\nstatic int probe%d(struct device *d)\n{\n    start_dev(d);\n    return 0;\n}\n",
                 i);
        tc_test_put(root, rel, text);
    }
    snprintf(dump, sizeof dump, "%s/cands.json", tc_test_tmpdir());
    for (pass = 0; pass < 2; pass++) {
        tc_engine *e;
        cJSON *a, *it;
        int seen_fit = 0, misfit_first = -1, k = 0;
        snprintf(cache, sizeof cache, "%s-cache-misfit%d", root, pass);
        e = engine_open_off(root, cache, pass ? "TACIT_MISFIT" : NULL);
        if (!e) return;
        engine_dump_request(e, dump, "mine.c", pre, suf, 0);
        a = engine_dump_read(dump);
        TC_CHECK(a != NULL);
        cJSON_ArrayForEach(it, a)
        {
            const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(it, "t"));
            if (t && !strcmp(t, "return 0;")) {
                if (misfit_first < 0) misfit_first = k;
            } else if (t && *t && strncmp(t, "return ", 7) && misfit_first >= 0) {
                seen_fit = 1; /* a candidate that may compile after `return 0;` */
            }
            k++;
        }
        TC_CHECK(misfit_first >= 0);
        if (!pass) TC_CHECK(!seen_fit && misfit_first > 0);
        else TC_CHECK_EQ_INT(misfit_first, 0);
        cJSON_Delete(a);
        tc_engine_free(e);
    }
}
