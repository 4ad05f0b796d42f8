/* test_edit_init.c - elements appended to the positional initializers of
 * one type (src/edit/init.c): each other initializer of that type with as
 * many elements gets them; one of another type, with another count or
 * designated does not. */
#include "edit_apply.h"
#include "test.h"

/* tacit's tests/test_report_trace.c (20b87e7524): tc_trace_cand gained fields */
#define TRACE(x, y, z)                                                        \
    "static void t(void)\n{\n"                                                \
    "    c[0] = (tc_trace_cand){\"return 0;\", 9, 0, -1.5, f, 1.0, 0.2" x "};\n" \
    "    c[1] = (tc_trace_cand){\"return 1;\", 9, 1, -3.0, f, 0.5, 0.1" y "};\n" \
    "    tc_trace_cand one = {\"x\", 1, 0, 0, f, 0, 0" z "};\n"                  \
    "    tc_trace_cand few = {\"x\", 1};\n"                                    \
    "    other_cand o = {\"x\", 1, 0, 0, f, 0, 0};\n"                          \
    "    tc_trace_cand d = {.text = \"x\", .n = 1, 0, 0, f, 0, 0};\n"          \
    "}\n"

TC_TEST(edit_init_struct)
{
    const char *b = TRACE("", "", "");
    const char *a = TRACE(", 0, 0", "", "");
    /* c[1]'s literal and `one`; not `few` (the rest left zero), other_cand, the designated one */
    EDIT_CHECK_SELF(TC_LANG_C, "t.c", b, a, TC_EDIT_TOKENS, 2, TRACE(", 0, 0", ", 0, 0", ", 0, 0"));
    /* another file of the workspace: its initializers of the type too */
    EDIT_CHECK_APPLY(TC_LANG_C, "t.c", b, a, "u.c", b, 0, TC_EDIT_TOKENS, 3, TRACE(", 0, 0", ", 0, 0", ", 0, 0"));
}

/* tacit's suggest.c (d3212f38d4): two arrays of TC_RANK_NF weights gained one */
TC_TEST(edit_init_named_array)
{
    const char *b = "static const double PRIOR[NF] = {-0.2, 0.9, 1.5};\nstatic const double CHOOSE[NF] = {0.4, -0.1, 1.4};\n"
                    "static const double OTHER[4] = {1, 2, 3};\nstatic const int IDS[NF] = {1, 2, 3};\n";
    const char *a = "static const double PRIOR[NF] = {-0.2, 0.9, 1.5, 0};\nstatic const double CHOOSE[NF] = {0.4, -0.1, 1.4};\n"
                    "static const double OTHER[4] = {1, 2, 3};\nstatic const int IDS[NF] = {1, 2, 3};\n";
    /* not OTHER (another size), not IDS (another type) */
    EDIT_CHECK_SELF(TC_LANG_C, "w.c", b, a, TC_EDIT_TOKENS, 1,
                    "static const double PRIOR[NF] = {-0.2, 0.9, 1.5, 0};\nstatic const double CHOOSE[NF] = {0.4, -0.1, 1.4, 0};\n"
                    "static const double OTHER[4] = {1, 2, 3};\nstatic const int IDS[NF] = {1, 2, 3};\n");
}

TC_TEST(edit_init_negative)
{
    tc_edit_rule *r = NULL;
    /* an array of a literal size of a built-in type: which arrays belong together is not told */
    const char *lb = "int a[3] = {1, 2, 3};\nint b[3] = {4, 5, 6};\n";
    const char *la = "int a[3] = {1, 2, 3, 0};\nint b[3] = {4, 5, 6};\n";
    /* a call's arguments, not an initializer (the call kind's) */
    const char *cb = "void f(void)\n{\n    g(1, 2);\n    g(3, 4);\n}\n";
    const char *ca = "void f(void)\n{\n    g(1, 2, 0);\n    g(3, 4);\n}\n";
    /* a function's body (`) {`) is no compound literal */
    const char *fb = "int f(int x) {\n    return x\n}\nint g(int x) {\n    return x\n}\n";
    const char *fa = "int f(int x) {\n    return x, 0\n}\nint g(int x) {\n    return x\n}\n";
    /* JavaScript's arrays and objects have no type */
    const char *jb = "const a = {x: 1, y: 2}\nconst b = {x: 3, y: 4}\n";
    const char *ja = "const a = {x: 1, y: 2, z}\nconst b = {x: 3, y: 4}\n";
    const char *bs[] = {lb, cb, fb}, *as[] = {la, ca, fa};
    size_t i;
    for (i = 0; i < 3; i++) {
        tc_edit_src s = {"n.c", bs[i], strlen(bs[i]), TC_LANG_C};
        int rc = tc_edit_synth(&s, as[i], strlen(as[i]), &r);
        TC_CHECK(rc != TC_OK || !strstr(tc_edit_rule_title(r), "to the initializers"));
        tc_edit_rule_free(r);
        r = NULL;
    }
    {
        tc_edit_src s = {"n.js", jb, strlen(jb), TC_LANG_JS};
        int rc = tc_edit_synth(&s, ja, strlen(ja), &r);
        TC_CHECK(rc != TC_OK || !strstr(tc_edit_rule_title(r), "to the initializers"));
        tc_edit_rule_free(r);
    }
}
