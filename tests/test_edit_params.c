/* test_edit_params.c - in C and C++, a call rule is not offered at brackets
 * whose every item declares a name (a constructor declared in its class's
 * body: `Buffer(napi_env env, napi_value value, size_t n, T* data);`,
 * src/edit/params.c); the calls with the same arguments are. */
#include "edit/edit_int.h"
#include "edit_apply.h"
#include "test.h"

TC_TEST(edit_params_not_a_call)
{
    const char *b = "void f() {\n  return Buffer(env, value, length, data);\n}\n";
    const char *a = "void f() {\n  return Buffer(env, value);\n}\n";
    const char *decl = "class Buffer {\n  Buffer(napi_env env, napi_value value, size_t length, const T& data);\n"
                       "  Buffer(napi_env env, napi_value value, size_t length, T* data);\n};\n"
                       "void g() {\n  Buffer(env, v, len, p);\n}\n";
    const char *want = "class Buffer {\n  Buffer(napi_env env, napi_value value, size_t length, const T& data);\n"
                       "  Buffer(napi_env env, napi_value value, size_t length, T* data);\n};\n"
                       "void g() {\n  Buffer(env, v);\n}\n";
    /* negative: the two declarations; positive: the call in g */
    EDIT_CHECK_APPLY(TC_LANG_CPP, "a.cc", b, a, "b.h", decl, 0, TC_EDIT_CALL, 1, want);
    EDIT_CHECK_APPLY(TC_LANG_C, "a.c", b, a, "b.h", decl, 0, TC_EDIT_CALL, 1, want);
}

TC_TEST(edit_params_declared_items)
{
    ev v;
    const char *s = "f(a, b * c, d(e));\nf(int x, T* y);\nf(T<U> x);\nf(x, T y);\nf(b * c);\nf(a > b);\n";
    size_t i, lp[6], n = 0;
    TC_CHECK_EQ_INT(ev_init(&v, TC_LANG_CPP, s, strlen(s)), TC_OK);
    for (i = 0; i + 1 < v.n && n < 6; i++)
        if (ev_is(&v, i, "f") && ev_is(&v, i + 1, "(")) lp[n++] = i + 1;
    TC_CHECK_EQ_INT(n, 6);
    if (n == 6) {
        TC_CHECK(!edit_params_declared(&v, TC_LANG_CPP, lp[0], (size_t)v.match[lp[0]])); /* expressions */
        TC_CHECK(edit_params_declared(&v, TC_LANG_CPP, lp[1], (size_t)v.match[lp[1]]));
        TC_CHECK(edit_params_declared(&v, TC_LANG_CPP, lp[2], (size_t)v.match[lp[2]]));
        TC_CHECK(!edit_params_declared(&v, TC_LANG_CPP, lp[3], (size_t)v.match[lp[3]])); /* not every item */
        TC_CHECK(!edit_params_declared(&v, TC_LANG_JS, lp[1], (size_t)v.match[lp[1]]));
        TC_CHECK(!edit_params_declared(&v, TC_LANG_CPP, lp[4], (size_t)v.match[lp[4]])); /* a product */
        TC_CHECK(!edit_params_declared(&v, TC_LANG_CPP, lp[5], (size_t)v.match[lp[5]])); /* a comparison */
    }
    ev_free(&v);
}
