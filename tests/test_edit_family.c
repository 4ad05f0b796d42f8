/* test_edit_family.c - an argument inserted at a call reaches the calls of
 * the function's sibling (src/edit/family.c): a function the file
 * defines with the same parameters and a camel-case word added to the
 * name (`WrapCallback` -> `WrapVoidCallback`); not where the name the
 * insertion brings is a parameter of another type, not for a sibling with
 * other parameters, not without the definitions. */
#include "edit/edit_int.h"
#include "edit_apply.h"
#include "test.h"

#include <stdio.h>

#define DEFS                                                                     \
    "template <typename C>\ninline napi_value WrapCallback(C callback) {\n  return callback();\n}\n" \
    "template <typename C>\ninline void WrapVoidCallback(C callback) {\n  callback();\n}\n"

static const char *before = DEFS "napi_value A(napi_env env, int x) {\n  return WrapCallback([&] {\n    return f(env, x);\n  });\n}\n"
                                 "napi_value B(napi_env env, int y) {\n  return WrapCallback([&] {\n    return g(y);\n  });\n}\n"
                                 "void C(napi_env env, void* d) {\n  WrapVoidCallback([&] {\n    h(d);\n  });\n}\n"
                                 "void D(basic_env env, void* d) {\n  WrapVoidCallback([&] {\n    k(d);\n  });\n}\n";
static const char *after = DEFS "napi_value A(napi_env env, int x) {\n  return WrapCallback(env, [&] {\n    return f(env, x);\n  });\n}\n"
                                "napi_value B(napi_env env, int y) {\n  return WrapCallback([&] {\n    return g(y);\n  });\n}\n"
                                "void C(napi_env env, void* d) {\n  WrapVoidCallback([&] {\n    h(d);\n  });\n}\n"
                                "void D(basic_env env, void* d) {\n  WrapVoidCallback([&] {\n    k(d);\n  });\n}\n";
static const char *all = DEFS "napi_value A(napi_env env, int x) {\n  return WrapCallback(env, [&] {\n    return f(env, x);\n  });\n}\n"
                              "napi_value B(napi_env env, int y) {\n  return WrapCallback(env, [&] {\n    return g(y);\n  });\n}\n"
                              "void C(napi_env env, void* d) {\n  WrapVoidCallback(env, [&] {\n    h(d);\n  });\n}\n"
                              "void D(basic_env env, void* d) {\n  WrapVoidCallback([&] {\n    k(d);\n  });\n}\n";

TC_TEST(edit_family_sibling_calls)
{
    /* positive: B's call and C's call of the sibling; negative: D, whose env is another type */
    EDIT_CHECK_APPLY(TC_LANG_CPP, "n.hpp", before, after, "n.hpp", after, 1, TC_EDIT_TOKENS, 2, all);
}

TC_TEST(edit_family_names)
{
    TC_CHECK(edit_name_family("WrapCallback", 12, "WrapVoidCallback", 16));
    TC_CHECK(edit_name_family("readFile", 8, "readFileSync", 12));
    TC_CHECK(!edit_name_family("Wrap", 4, "Wrapper", 7));        /* no word boundary */
    TC_CHECK(!edit_name_family("wrap_cb", 7, "wrap_void_cb", 12)); /* snake_case: modules, not words */
    TC_CHECK(!edit_name_family("WrapCallback", 12, "WrapCallbacks", 13));
}

TC_TEST(edit_family_not_a_sibling)
{
    /* the sibling takes other parameters: only the function's own calls */
    const char *defs = "inline napi_value WrapCallback(C callback) {\n  return callback();\n}\n"
                       "inline void WrapVoidCallback(C callback, int n) {\n  callback();\n}\n";
    char b[1024], a[1024], w[1024];
    snprintf(b, sizeof b, "%s%s", defs,
             "napi_value A(napi_env env) {\n  return WrapCallback([&] {\n    return f(env);\n  });\n}\n"
             "void C(napi_env env) {\n  WrapVoidCallback([&] { h(); }, 1);\n}\n");
    snprintf(a, sizeof a, "%s%s", defs,
             "napi_value A(napi_env env) {\n  return WrapCallback(env, [&] {\n    return f(env);\n  });\n}\n"
             "void C(napi_env env) {\n  WrapVoidCallback([&] { h(); }, 1);\n}\n");
    snprintf(w, sizeof w, "%s", a);
    EDIT_CHECK_APPLY(TC_LANG_CPP, "n.hpp", b, a, "n.hpp", a, 1, TC_EDIT_TOKENS, 0, w);
    /* no definitions in the file: no sibling known */
    EDIT_CHECK_APPLY(TC_LANG_CPP, "m.cpp", "void A(E env) {\n  Wrap([&] {\n    f(env);\n  });\n}\nvoid C(E env) {\n  WrapVoid([&] {\n    h();\n  });\n}\n",
                     "void A(E env) {\n  Wrap(env, [&] {\n    f(env);\n  });\n}\nvoid C(E env) {\n  WrapVoid([&] {\n    h();\n  });\n}\n",
                     "m.cpp", "void A(E env) {\n  Wrap(env, [&] {\n    f(env);\n  });\n}\nvoid C(E env) {\n  WrapVoid([&] {\n    h();\n  });\n}\n",
                     1, TC_EDIT_TOKENS, 0,
                     "void A(E env) {\n  Wrap(env, [&] {\n    f(env);\n  });\n}\nvoid C(E env) {\n  WrapVoid([&] {\n    h();\n  });\n}\n");
}
