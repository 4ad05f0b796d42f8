/* test_edit_wrap.c - one line's change that the formatter wrapped
 * (src/edit/wrap.c) and an insertion anchored on the name it uses after
 * it (src/edit/insuse.c): both `tokens` rules. */
#include "edit_apply.h"
#include "test.h"

/* node-addon-api 8.1.0: a finalizer wrapped in a template, the line
 * broken inside its `<`; the same argument of the other calls (the `void`
 * one too: an argument like it), not the one a template's `>` follows */
#define CALLS(a, b, c, d)                                             \
    "  napi_create_external(env,\n      data,\n      " a ",\n      fd);\n" \
    "  napi_create_external(env,\n      data,\n      " b ",\n      fd);\n" \
    "  napi_create_buffer(env,\n      data,\n      " c ",\n      fd);\n"   \
    "  AttachData<T, " d ">(env, fd);\n"
#define OLD "details::FinalizeData<T, Finalizer>::Wrapper"
#define NEW "details::PostFinalizerWrapper<\n          details::FinalizeData<T, Finalizer>::Wrapper>"

TC_TEST(edit_wrap_template_over_a_break)
{
    EDIT_CHECK_SELF(TC_LANG_CPP, "napi-inl.h", CALLS(OLD, OLD, OLD, OLD), CALLS(NEW, OLD, OLD, OLD), TC_EDIT_TOKENS, 2,
                    CALLS(NEW, NEW, NEW, OLD));
    /* and unwrapped again (8.2.0) */
    EDIT_CHECK_SELF(TC_LANG_CPP, "napi-inl.h", CALLS(NEW, NEW, NEW, OLD), CALLS(OLD, NEW, NEW, OLD), TC_EDIT_TOKENS, 2,
                    CALLS(OLD, OLD, OLD, OLD));
}

TC_TEST(edit_wrap_break_outside_brackets)
{
    /* a statement added on the next line is no wrap: no tokens rule */
    const char *b = "  x = f(a);\n  y = f(a);\n", *a = "  x = g(f(a));\n  h();\n  y = f(a);\n";
    EDIT_CHECK_APPLY(TC_LANG_C, "c.c", b, a, "c.c", a, 1, -1, 0, a);
}

/* node-addon-api 7.0.0: `if (instance) ` before each member call through
 * `instance`; not before a line that starts with another bracket */
#define BODY(a, b, c)                                                \
    "  T* instance = T::Unwrap(info);\n  " a "(instance->*cb)(info);\n" \
    "  " b "(instance->*method)(info, info[0]);\n"                    \
    "  " c "(*wrapper)(env, info);\n  (void)env;\n"

TC_TEST(edit_insuse_guard_before_its_name)
{
    EDIT_CHECK_SELF(TC_LANG_CPP, "napi-inl.h", BODY("", "", ""), BODY("if (instance) ", "", ""), TC_EDIT_TOKENS, 1,
                    BODY("if (instance) ", "if (instance) ", ""));
}

/* The example's own place of an insertion at a line's start is found
 * (its spot runs to the line's first token, after the indentation): the
 * places' surroundings are compared with the example's, not unknown */
TC_TEST(edit_insuse_example_surroundings_known)
{
    const char *b = BODY("", "", ""), *a = BODY("if (instance) ", "", "");
    tc_edit_sites ss = {0};
    TC_CHECK_EQ_INT(edit_rule_sites_on(TC_LANG_CPP, "napi-inl.h", b, a, "napi-inl.h", a, 1, &ss), TC_EDIT_TOKENS);
    TC_CHECK_EQ_INT(ss.n, 1);
    if (ss.n == 1) {
        TC_CHECK(ss.v[0].feat[TC_EDIT_F_LEFT] == 1.0f);
        TC_CHECK(ss.v[0].feat[TC_EDIT_F_RIGHT] == 1.0f);
    }
    tc_edit_sites_free(&ss);
}
