/* test_edit_run.c - a run of code replaced (src/edit/run.c): old tokens
 * over lines, or longer than the `tokens` kind takes, replaced with new
 * ones wherever the same old tokens stand, the names the new text keeps
 * bound consistently. */
#include "edit_apply.h"
#include "test.h"

#include <stdio.h>

/* The example: a save function's close-and-rename replaced by a call of
 * the function extracted from it (tacit's 851e487ddc, rank.c). */
#define RUN_BEFORE                                        \
    "int save_a(FILE *fp, const char *tmp, const char *path)\n" \
    "{\n"                                                 \
    "    fputs(\"a\", fp);\n"                             \
    "    ok = !ferror(fp);\n"                             \
    "    ok = fclose(fp) == 0 && ok;\n"                   \
    "    if (!ok || rename(tmp, path) != 0) {\n"          \
    "        remove(tmp);\n"                              \
    "        return -1;\n"                                \
    "    }\n"                                             \
    "    return 0;\n"                                     \
    "}\n"
#define RUN_AFTER                                         \
    "int save_a(FILE *fp, const char *tmp, const char *path)\n" \
    "{\n"                                                 \
    "    fputs(\"a\", fp);\n"                             \
    "    return file_commit(fp, tmp, path);\n"            \
    "}\n"
/* A copy of that code with other names: fp, tmp, path as f, t, p. */
#define RUN_COPY(f, f2, t, p)                               \
    "int save_b(FILE *" f ", const char *" t ", const char *" p ")\n" \
    "{\n"                                                 \
    "    ok = !ferror(" f ");\n"                          \
    "    ok = fclose(" f2 ") == 0 && ok;\n"               \
    "    if (!ok || rename(" t ", " p ") != 0) {\n"       \
    "        remove(" t ");\n"                            \
    "        return -1;\n"                                \
    "    }\n"                                             \
    "    return 0;\n"                                     \
    "}\n"

TC_TEST(edit_run_copies)
{
    /* the other copies, in another file (the run calls functions), each
     * with its own names in the holes */
    EDIT_CHECK_APPLY(TC_LANG_C, "a.c", RUN_BEFORE, RUN_AFTER, "b.c", RUN_COPY("f", "f", "t", "p") RUN_COPY("g", "g", "u", "q"),
                     0, TC_EDIT_TEMPLATE, 2,
                     "int save_b(FILE *f, const char *t, const char *p)\n{\n    return file_commit(f, t, p);\n}\n"
                     "int save_b(FILE *g, const char *u, const char *q)\n{\n    return file_commit(g, u, q);\n}\n");
    /* in the edited file itself, the example's own place aside */
    EDIT_CHECK_SELF(TC_LANG_C, "a.c", RUN_BEFORE RUN_COPY("f", "f", "t", "p"), RUN_AFTER RUN_COPY("f", "f", "t", "p"),
                    TC_EDIT_TEMPLATE, 1,
                    RUN_AFTER "int save_b(FILE *f, const char *t, const char *p)\n{\n    return file_commit(f, t, p);\n}\n");
}

TC_TEST(edit_run_bound)
{
    /* a hole is one name: `ferror(f)` then `fclose(g)` is other code */
    EDIT_CHECK_APPLY(TC_LANG_C, "a.c", RUN_BEFORE, RUN_AFTER, "b.c", RUN_COPY("f", "g", "t", "p"), 0, TC_EDIT_TEMPLATE,
                     0, RUN_COPY("f", "g", "t", "p"));
}

TC_TEST(edit_run_near_copy)
{
    /* the same shape with another function or constant is not a copy */
    const char *pclose = "void g(FILE *f, char *t, char *p)\n{\n    ok = !ferror(f);\n    ok = pclose(f) == 0 && ok;\n"
                         "    if (!ok || rename(t, p) != 0) {\n        remove(t);\n        return -1;\n    }\n"
                         "    return 0;\n}\n";
    const char *one = "void g(FILE *f, char *t, char *p)\n{\n    ok = !ferror(f);\n    ok = fclose(f) == 0 && ok;\n"
                      "    if (!ok || rename(t, p) != 1) {\n        remove(t);\n        return -1;\n    }\n"
                      "    return 0;\n}\n";
    EDIT_CHECK_APPLY(TC_LANG_C, "a.c", RUN_BEFORE, RUN_AFTER, "b.c", pclose, 0, TC_EDIT_TEMPLATE, 0, pclose);
    EDIT_CHECK_APPLY(TC_LANG_C, "a.c", RUN_BEFORE, RUN_AFTER, "b.c", one, 0, TC_EDIT_TEMPLATE, 0, one);
}

TC_TEST(edit_run_long_line)
{
    /* one line, longer than the `tokens` kind takes (tacit's e355c9560e) */
    const char *b = "void f(void)\n{\n    for (;;) {\n        if (!(it = file_items(e, refs[i].fileno))) continue;\n"
                    "        use(it);\n    }\n}\n";
    const char *a = "void f(void)\n{\n    for (;;) {\n        if (!fi) continue;\n        it = fi->v;\n"
                    "        use(it);\n    }\n}\n";
    const char *g = "void g(void)\n{\n    if (!(p = file_items(e, refs[i].fileno))) continue;\n}\n";
    char bg[512], ag[512], want[512];
    snprintf(bg, sizeof bg, "%s%s", b, g);
    snprintf(ag, sizeof ag, "%s%s", a, g);
    snprintf(want, sizeof want, "%svoid g(void)\n{\n    if (!fi) continue;\n    p = fi->v;\n}\n", a);
    EDIT_CHECK_SELF(TC_LANG_C, "a.c", bg, ag, TC_EDIT_TEMPLATE, 1, want);
}

/* Six copies of a field (more than a template takes), no call. */
#define RUN_FIELDS(f)                                                                                          \
    "void " f "(S *x, S *y)\n{\n    x->a1 = y->a1;\n    x->a2 = y->a2;\n    x->a3 = y->a3;\n    x->a4 = y->a4;\n" \
    "    x->a5 = y->a5;\n    x->a6 = y->a6;\n}\n"

TC_TEST(edit_run_negative)
{
    int k;
    size_t n;
    char *got;
    /* too short a run (a call's arguments rewrapped): an idiom, not a copy */
    got = edit_apply_rule(TC_LANG_C, "a.c", "void f(void)\n{\n    x = f(a,\n          b);\n}\n",
                          "void f(void)\n{\n    x = g(a);\n}\n", "a.c", "void h(void)\n{\n    x = f(a,\n          b);\n}\n",
                          0, &k, &n);
    TC_CHECK(k != TC_EDIT_TEMPLATE);
    free(got);
    /* plain statements (no call) copied in another file are that file's
     * own code: offered in the edited file only */
    {
        const char *a = "void f(S *x, S *y)\n{\n    copy_fields(x, y);\n}\n";
        char ao[512], want[512];
        snprintf(ao, sizeof ao, "%s%s", a, RUN_FIELDS("g"));
        snprintf(want, sizeof want, "%svoid g(S *x, S *y)\n{\n    copy_fields(x, y);\n}\n", a);
        EDIT_CHECK_APPLY(TC_LANG_C, "a.c", RUN_FIELDS("f"), a, "b.c", RUN_FIELDS("g"), 0, TC_EDIT_TEMPLATE, 0,
                         RUN_FIELDS("g"));
        EDIT_CHECK_SELF(TC_LANG_C, "a.c", RUN_FIELDS("f") RUN_FIELDS("g"), ao, TC_EDIT_TEMPLATE, 1, want);
    }
}
