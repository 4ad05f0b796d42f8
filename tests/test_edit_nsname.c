/* test_edit_nsname.c - a name from another file renamed in a C++
 * namespace reaches the other files (src/edit/nsname.c); one the file
 * declares, or used in a C function, stays the file's. */
#include "edit_apply.h"
#include "test.h"

/* node-addon-api 8.2.1: `node_api_nogc_env` (node_api.h's) renamed in
 * napi-inl.h; napi.h's uses too */
#define INL(x, y)                                              \
    "namespace Napi {\n"                                       \
    "inline BasicEnv::BasicEnv(" x " env) : _env(env) {}\n"    \
    "inline BasicEnv::operator " y "() const {\n  return _env;\n}\n" \
    "}  // namespace Napi\n"
#define HDR(x)                                                                     \
    "namespace Napi {\nclass BasicEnv {\n private:\n  " x " _env;\n public:\n"     \
    "  BasicEnv(" x " env);\n};\n}  // namespace Napi\n"

TC_TEST(edit_nsname_header_type_renamed)
{
    const char *b = INL("node_api_nogc_env", "node_api_nogc_env");
    const char *a = INL("node_addon_api_basic_env", "node_api_nogc_env");
    EDIT_CHECK_APPLY(TC_LANG_C, "napi-inl.h", b, a, "napi.h", HDR("node_api_nogc_env"), 0, TC_EDIT_RENAME, 2,
                     HDR("node_addon_api_basic_env"));
    /* the edited file's other use, as before */
    EDIT_CHECK_SELF(TC_LANG_C, "napi-inl.h", b, a, TC_EDIT_RENAME, 1,
                    INL("node_addon_api_basic_env", "node_addon_api_basic_env"));
}

TC_TEST(edit_nsname_declared_or_outside_a_namespace)
{
    /* the file declares it (a `using`): its own name, not the header's */
    const char *b = "namespace N {\nusing env_t = int;\nvoid f(env_t e);\nvoid g(env_t e);\n}\n";
    const char *a = "namespace N {\nusing env_t = int;\nvoid f(basic_t e);\nvoid g(env_t e);\n}\n";
    EDIT_CHECK_APPLY(TC_LANG_C, "a.h", b, a, "b.h", "void h(env_t e);\n", 0, TC_EDIT_RENAME, 0, "void h(env_t e);\n");
    /* a C function's type: that function's */
    b = "int f(void)\n{\n    uint32_t x = 0;\n    return (int)x;\n}\n";
    a = "int f(void)\n{\n    uint64_t x = 0;\n    return (int)x;\n}\n";
    {
        int k;
        size_t n;
        char *got = edit_apply_rule(TC_LANG_C, "a.c", b, a, "b.c", "uint32_t y;\n", 0, &k, &n);
        TC_CHECK_EQ_INT(n, 0);
        TC_CHECK_STR(got, "uint32_t y;\n");
        free(got);
    }
}
