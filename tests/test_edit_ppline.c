/* test_edit_ppline.c - `#if`/`#else`/`#endif` lines added between two
 * lines of C or C++ (src/edit/ppline.c): offered between the other pairs
 * of adjacent lines that read the same, not where they stand already. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_PP(lang, path, before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (path), (other), (origin), (want_kind), (want_n), (want))

static const char *calls = "void f() {\n  Set(\n      name\n    , obj\n    , settings\n    , attr);\n}\n";
static const char *calls_if =
    "void f() {\n  Set(\n      name\n    , obj\n#if V8 < 12\n    , settings\n    , attr);\n}\n";

TC_TEST(edit_ppline_in_call)
{
    /* an `#if` line added inside a call's arguments: the same two lines in
     * another function get it (not a call rewrite at every call of Set);
     * not where the lines differ, not where it stands already */
    const char *other = "void g() {\n  Set(\n      name\n    , obj\n    , settings\n    , attr);\n"
                        "  Set(\n      name\n    , obj\n    , flags\n    , attr);\n"
                        "  Set(\n      name\n    , obj\n#if V8 < 12\n    , settings\n    , attr);\n}\n";
    CHECK_PP(TC_LANG_CPP, "a.h", calls, calls_if, other, 0, TC_EDIT_INSERT, 1,
             "void g() {\n  Set(\n      name\n    , obj\n#if V8 < 12\n    , settings\n    , attr);\n"
             "  Set(\n      name\n    , obj\n    , flags\n    , attr);\n"
             "  Set(\n      name\n    , obj\n#if V8 < 12\n    , settings\n    , attr);\n}\n");
    /* `#endif` before `, attr);`: not before a line that goes on (`, attr).Check();`) */
    CHECK_PP(TC_LANG_CPP, "a.h", calls, "void f() {\n  Set(\n      name\n    , obj\n    , settings\n#endif\n    , attr);\n}\n",
             "void g() {\n  Set(\n    , settings\n    , attr).Check();\n  Set(\n    , settings\n    , attr);\n}\n", 0,
             TC_EDIT_INSERT, 1,
             "void g() {\n  Set(\n    , settings\n    , attr).Check();\n  Set(\n    , settings\n#endif\n    , attr);\n}\n");
}

TC_TEST(edit_ppline_endif)
{
    /* `#endif` after a call's opening line, in C; two lines at once */
    const char *b = "int f(void) {\n  tpl->Set(\n      name);\n}\n";
    const char *a = "int f(void) {\n  tpl->Set(\n#endif\n      name);\n}\n";
    CHECK_PP(TC_LANG_C, "a.c", b, a, "int g(void) {\n  tpl->Set(\n      name);\n  tpl->Set(\n      other);\n}\n", 0,
             TC_EDIT_INSERT, 1, "int g(void) {\n  tpl->Set(\n#endif\n      name);\n  tpl->Set(\n      other);\n}\n");
    CHECK_PP(TC_LANG_C, "a.c", b, "int f(void) {\n  tpl->Set(\n#else\n#endif\n      name);\n}\n",
             "int g(void) {\n  tpl->Set(\n      name);\n}\n", 0, TC_EDIT_INSERT, 1,
             "int g(void) {\n  tpl->Set(\n#else\n#endif\n      name);\n}\n");
}

/* The kind of the rule of (path: before -> after), -1 for none. */
static int kind_of(tc_lang lang, const char *path, const char *before, const char *after)
{
    int k;
    size_t n;
    free(edit_apply_rule(lang, path, before, after, path, "x;\n", 0, &k, &n));
    return k;
}

/* 1 if the rule of (before -> after) is this kind's. */
static int is_ppline(tc_lang lang, const char *path, const char *before, const char *after)
{
    return edit_rule_titled(lang, path, before, after, "between the same");
}

TC_TEST(edit_ppline_negative)
{
    TC_CHECK(is_ppline(TC_LANG_CPP, "a.h", calls, calls_if));
    /* a line of code added, a `#define`, a line above with no name, a
     * preprocessor line as the line below: not this kind */
    TC_CHECK(!is_ppline(TC_LANG_CPP, "a.h", calls,
                        "void f() {\n  Set(\n      name\n    , obj\n    , extra\n    , settings\n    , attr);\n}\n"));
    TC_CHECK(!is_ppline(TC_LANG_CPP, "a.h", calls,
                        "void f() {\n  Set(\n      name\n    , obj\n#define X 1\n    , settings\n    , attr);\n}\n"));
    TC_CHECK(!is_ppline(TC_LANG_C, "a.c", "int f(void)\n{\n  g();\n}\n", "int f(void)\n{\n#if A\n  g();\n}\n"));
    TC_CHECK(!is_ppline(TC_LANG_C, "a.c", "int x;\n#endif\nint y;\n", "int x;\n#endif\n#endif\nint y;\n"));
    /* not in JavaScript */
    TC_CHECK(!is_ppline(TC_LANG_JS, "a.js", "f(\n  a,\n  b);\n", "f(\n  a,\n#if X\n  b);\n"));
    TC_CHECK(kind_of(TC_LANG_CPP, "a.h", calls, calls_if) == TC_EDIT_INSERT);
}

/* node-addon-api 6.0.0: `#include <mutex>` guarded in napi-inl.h; napi.h's
 * include of it, between other lines, gets the same `#if` (or `#endif`);
 * an opener above a line of code, or above another include, is not this */
#define INCS(x, y, z) "#include <cstring>\n" x "#include <mutex>\n" y "#include <" z ">\n"
TC_TEST(edit_ppline_include_guarded)
{
    const char *b = INCS("", "", "type_traits");
    CHECK_PP(TC_LANG_C, "napi-inl.h", b, INCS("#if NAPI_HAS_THREADS\n", "", "type_traits"), "#include <memory>\n#include <mutex>\n",
             0, TC_EDIT_INSERT, 1, "#include <memory>\n#if NAPI_HAS_THREADS\n#include <mutex>\n");
    CHECK_PP(TC_LANG_C, "napi-inl.h", b, INCS("", "#endif  // NAPI_HAS_THREADS\n", "type_traits"),
             "#include <mutex>\n#include <string>\n#include <thread>\n", 0, TC_EDIT_INSERT, 1,
             "#include <mutex>\n#endif  // NAPI_HAS_THREADS\n#include <string>\n#include <thread>\n");
    /* not above the other include, not after the guarded one's neighbour */
    CHECK_PP(TC_LANG_C, "napi-inl.h", b, INCS("#if NAPI_HAS_THREADS\n", "", "type_traits"),
             "#include <memory>\n#include <string>\n", 0, TC_EDIT_INSERT, 0, "#include <memory>\n#include <string>\n");
    /* an opener below an include (above a line of code) guards that code: no include rule */
    TC_CHECK(!edit_rule_titled(TC_LANG_C, "napi-inl.h", "#include <mutex>\nint x;\n", "#include <mutex>\n#if T\nint x;\n",
                               "same #include"));
}

/* TC_EDIT_F_PPLINE: the places of a ppline rule carry it, an insert's not */
TC_TEST(edit_ppline_evidence)
{
    const char *b = INCS("", "", "type_traits"), *a = INCS("#if NAPI_HAS_THREADS\n", "", "type_traits");
    tc_edit_sites ss = {0};
    TC_CHECK_EQ_INT(edit_rule_sites_on(TC_LANG_C, "napi-inl.h", b, a, "napi.h", "#include <memory>\n#include <mutex>\n", 0, &ss),
                    TC_EDIT_INSERT);
    TC_CHECK_EQ_INT(ss.n, 1);
    if (ss.n == 1) TC_CHECK(ss.v[0].feat[TC_EDIT_F_PPLINE] == 1.0f);
    tc_edit_sites_free(&ss);
    memset(&ss, 0, sizeof ss);
    /* a line of code added after similar lines: no */
    b = "  p = malloc(n);\n  use(p);\n  q = malloc(m);\n  use(q);\n";
    a = "  p = malloc(n);\n  if (!p) return;\n  use(p);\n  q = malloc(m);\n  use(q);\n";
    TC_CHECK_EQ_INT(edit_rule_sites_on(TC_LANG_C, "a.c", b, a, "a.c", a, 1, &ss), TC_EDIT_INSERT);
    TC_CHECK_EQ_INT(ss.n, 1);
    if (ss.n == 1) TC_CHECK(ss.v[0].feat[TC_EDIT_F_PPLINE] == 0.0f);
    tc_edit_sites_free(&ss);
}
