/* test_edit_thisclass.c - a C++ change that brings `this` (`f(_env, &r)`
 * -> `f(*this, &r)`) keeps to the members of the example's class in the
 * edited file (src/edit/thisclass.c): offered in that class's other
 * members, defined out of the class or in its body, not in another
 * class's members (whose `*this` is another object), not in other files. */
#include "edit_apply.h"
#include "test.h"

static const char *two = "inline bool Env::Pending() const {\n  bool r;\n  napi_pending(_env, &r);\n  return r;\n}\n\n"
                         "inline void Error::Throw() const {\n  bool r;\n  napi_pending(_env, &r);\n}\n\n"
                         "inline bool Env::Clear() const {\n  bool v;\n  napi_pending(_env, &v);\n  return v;\n}\n";
static const char *two_ex = "inline bool Env::Pending() const {\n  bool r;\n  napi_pending(*this, &r);\n  return r;\n}\n\n"
                            "inline void Error::Throw() const {\n  bool r;\n  napi_pending(_env, &r);\n}\n\n"
                            "inline bool Env::Clear() const {\n  bool v;\n  napi_pending(_env, &v);\n  return v;\n}\n";
static const char *two_all = "inline bool Env::Pending() const {\n  bool r;\n  napi_pending(*this, &r);\n  return r;\n}\n\n"
                             "inline void Error::Throw() const {\n  bool r;\n  napi_pending(_env, &r);\n}\n\n"
                             "inline bool Env::Clear() const {\n  bool v;\n  napi_pending(*this, &v);\n  return v;\n}\n";

TC_TEST(edit_thisclass_keeps_to_class)
{
    /* positive: Env's other member; negative: Error's member, between them */
    EDIT_CHECK_APPLY(TC_LANG_C, "napi-inl.h", two, two_ex, "napi-inl.hpp", two_ex, 1, TC_EDIT_CALL, 1, two_all);
    /* negative: another file (its `this` may be any class's) */
    EDIT_CHECK_APPLY(TC_LANG_C, "napi-inl.h", two, two_ex, "b.hpp",
                     "inline void Env::More() const {\n  bool r;\n  napi_pending(_env, &r);\n}\n", 0, TC_EDIT_CALL, 0,
                     "inline void Env::More() const {\n  bool r;\n  napi_pending(_env, &r);\n}\n");
}

TC_TEST(edit_thisclass_class_body)
{
    /* members defined in the class's body, a nested template's qualifier
     * (`Env::Hook<H>::Run`: the class is Hook) */
    const char *b = "class Env {\n  void A() { f(_env, 1); }\n  void B() { f(_env, 2); }\n};\n"
                    "struct Other {\n  void C() { f(_env, 3); }\n};\n";
    const char *a = "class Env {\n  void A() { f(*this, 1); }\n  void B() { f(_env, 2); }\n};\n"
                    "struct Other {\n  void C() { f(_env, 3); }\n};\n";
    const char *all = "class Env {\n  void A() { f(*this, 1); }\n  void B() { f(*this, 2); }\n};\n"
                      "struct Other {\n  void C() { f(_env, 3); }\n};\n";
    EDIT_CHECK_APPLY(TC_LANG_CPP, "e.hpp", b, a, "e.hpp", a, 1, TC_EDIT_CALL, 1, all);
    {
        const char *t = "template <typename H>\nvoid Env::Hook<H>::Run() const {\n  g(_env, 1);\n}\n"
                        "template <typename H>\nvoid Env::Hook<H>::Stop() {\n  g(_env, 2);\n}\n"
                        "inline void Env::Top() {\n  g(_env, 3);\n}\n";
        const char *ta = "template <typename H>\nvoid Env::Hook<H>::Run() const {\n  g(*this, 1);\n}\n"
                         "template <typename H>\nvoid Env::Hook<H>::Stop() {\n  g(_env, 2);\n}\n"
                         "inline void Env::Top() {\n  g(_env, 3);\n}\n";
        const char *tall = "template <typename H>\nvoid Env::Hook<H>::Run() const {\n  g(*this, 1);\n}\n"
                           "template <typename H>\nvoid Env::Hook<H>::Stop() {\n  g(*this, 2);\n}\n"
                           "inline void Env::Top() {\n  g(_env, 3);\n}\n";
        EDIT_CHECK_APPLY(TC_LANG_CPP, "h.hpp", t, ta, "h.hpp", ta, 1, TC_EDIT_CALL, 1, tall);
    }
}

TC_TEST(edit_thisclass_not_a_member)
{
    /* the example in a free function: the rule is as before (every call, other files too) */
    const char *b = "void a() {\n  f(_env, 1);\n}\nvoid b() {\n  f(_env, 2);\n}\n";
    const char *a = "void a() {\n  f(*this, 1);\n}\nvoid b() {\n  f(_env, 2);\n}\n";
    EDIT_CHECK_APPLY(TC_LANG_CPP, "f.cpp", b, a, "g.cpp", "void c() {\n  f(_env, 3);\n}\n", 0, TC_EDIT_CALL, 1,
                     "void c() {\n  f(*this, 3);\n}\n");
}
