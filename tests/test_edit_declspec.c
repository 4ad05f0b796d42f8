/* test_edit_declspec.c - a word put before a function's declaration in C
 * or C++ (src/edit/declspec.c): offered before the other declarations of
 * that function with the same head, not before other functions or calls. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_DECL(lang, path, before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (path), (other), (origin), (want_kind), (want_n), (want))

static const char *idle = "#if A\n  inline bool Idle(int ms) {\n    return f(ms);\n  }\n#else\n"
                          "  inline bool Idle(int ms) {\n    return g(ms);\n  }\n#endif\n"
                          "  inline bool Busy(int ms) {\n    return Idle(ms);\n  }\n";

TC_TEST(edit_declspec_branches)
{
    /* the other branch's declaration gets it; not Busy, not the call */
    const char *a = "#if A\n  DEPRECATED inline bool Idle(int ms) {\n    return f(ms);\n  }\n#else\n"
                    "  inline bool Idle(int ms) {\n    return g(ms);\n  }\n#endif\n"
                    "  inline bool Busy(int ms) {\n    return Idle(ms);\n  }\n";
    CHECK_DECL(TC_LANG_CPP, "a.h", idle, a, a, 1, TC_EDIT_TOKENS, 1,
               "#if A\n  DEPRECATED inline bool Idle(int ms) {\n    return f(ms);\n  }\n#else\n"
               "  DEPRECATED inline bool Idle(int ms) {\n    return g(ms);\n  }\n#endif\n"
               "  inline bool Busy(int ms) {\n    return Idle(ms);\n  }\n");
}

TC_TEST(edit_declspec_prototype)
{
    /* C: `static` on a definition, its prototype in another file too */
    CHECK_DECL(TC_LANG_C, "a.c", "int parse(const char *s)\n{\n  return 0;\n}\n",
               "static int parse(const char *s)\n{\n  return 0;\n}\n",
               "int parse(const char *s);\nint parser(const char *s);\nlong parse(int);\n", 0, TC_EDIT_TOKENS, 1,
               "static int parse(const char *s);\nint parser(const char *s);\nlong parse(int);\n");
}

/* 1 if the rule of (before -> after) is this kind's. */
static int is_declspec(tc_lang lang, const char *before, const char *after)
{
    return edit_rule_titled(lang, "a.h", before, after, "before the declarations");
}

TC_TEST(edit_declspec_negative)
{
    TC_CHECK(is_declspec(TC_LANG_CPP, idle, "#if A\n  X inline bool Idle(int ms) {\n    return f(ms);\n  }\n#else\n"
                                            "  inline bool Idle(int ms) {\n    return g(ms);\n  }\n#endif\n"
                                            "  inline bool Busy(int ms) {\n    return Idle(ms);\n  }\n"));
    /* before a call, before a statement, not at the line's start, four
     * words, in JavaScript: not this kind */
    TC_CHECK(!is_declspec(TC_LANG_C, "int f(void) {\n  g(1);\n}\n", "int f(void) {\n  X g(1);\n}\n"));
    TC_CHECK(!is_declspec(TC_LANG_C, "int f(void) {\n  x = 1;\n}\n", "int f(void) {\n  X x = 1;\n}\n"));
    TC_CHECK(!is_declspec(TC_LANG_C, "int f(void);\n", "int X f(void);\n"));
    TC_CHECK(!is_declspec(TC_LANG_C, "int f(void);\n", "A B C D int f(void);\n"));
    TC_CHECK(!is_declspec(TC_LANG_JS, "function f(a) {\n}\n", "async function f(a) {\n}\n"));
}
