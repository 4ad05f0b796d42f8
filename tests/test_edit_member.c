/* test_edit_member.c - the `member` kind (src/edit/member.c): lines added
 * to a C++ class with one base are offered in the other classes whose
 * bases lead to that base, before their own line like the example's next
 * line (the class's name for the example's). */
#include "edit_apply.h"
#include "test.h"

#define CHECK_MEMBER(lang, path, before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (path), (other), (origin), (want_kind), (want_n), (want))

/* A family: Value, Boolean and Name derive from it, String from Name;
 * Error derives from something else. */
static const char *fam =
    "class Value {\n public:\n  Value();\n};\n\n"
    "class Boolean : public Value {\n public:\n  static Boolean New(bool b);\n\n  Boolean();\n  operator bool() const;\n};\n\n"
    "class Name : public Value {\n public:\n  Name();\n};\n\n"
    "template <typename T>\nclass String : public Name {\n public:\n    String();\n    String(int n);\n};\n\n"
    "class Error : public Base {\n public:\n  Error();\n};\n";

TC_TEST(edit_member_family)
{
    const char *a =
        "class Value {\n public:\n  Value();\n};\n\n"
        "class Boolean : public Value {\n public:\n  static Boolean New(bool b);\n\n  static void CheckCast(Boolean *b);\n\n"
        "  Boolean();\n  operator bool() const;\n};\n\n"
        "class Name : public Value {\n public:\n  Name();\n};\n\n"
        "template <typename T>\nclass String : public Name {\n public:\n    String();\n    String(int n);\n};\n\n"
        "class Error : public Base {\n public:\n  Error();\n};\n";
    /* Name and String (through Name) get it, before their default
     * constructor, indented as it is, with their own name; not Value (the
     * base), not Error (another family), not Boolean (it has it) */
    CHECK_MEMBER(TC_LANG_CPP, "v.h", fam, a, a, 1, TC_EDIT_MEMBER, 2,
                 "class Value {\n public:\n  Value();\n};\n\n"
                 "class Boolean : public Value {\n public:\n  static Boolean New(bool b);\n\n  static void CheckCast(Boolean *b);\n\n"
                 "  Boolean();\n  operator bool() const;\n};\n\n"
                 "class Name : public Value {\n public:\n  static void CheckCast(Name *b);\n\n  Name();\n};\n\n"
                 "template <typename T>\nclass String : public Name {\n public:\n    static void CheckCast(String *b);\n\n"
                 "    String();\n    String(int n);\n};\n\n"
                 "class Error : public Base {\n public:\n  Error();\n};\n");
}

/* 1 if (before -> after) in path makes no member rule. */
static int no_member(tc_lang lang, const char *path, const char *before, const char *after)
{
    int k;
    size_t n;
    free(edit_apply_rule(lang, path, before, after, path, "class N : public V {\n  N();\n};\n", 0, &k, &n));
    return k != TC_EDIT_MEMBER;
}

TC_TEST(edit_member_alias)
{
    /* a base named through an alias (`using`, `typedef`) is followed */
    const char *b = "class Boolean : public Value {\n  Boolean();\n};\n";
    const char *a = "class Boolean : public Value {\n  void Check();\n  Boolean();\n};\n";
    const char *other = "template <typename T>\nclass Arr : public Value {\n  Arr();\n};\nusing Bytes =\n    Arr<char>;\n"
                        "typedef Arr<int> Ints;\nclass Buffer : public Bytes {\n  Buffer();\n};\n"
                        "class Vec : public Ints {\n  Vec();\n};\n";
    CHECK_MEMBER(TC_LANG_CPP, "v.h", b, a, other, 0, TC_EDIT_MEMBER, 3,
                 "template <typename T>\nclass Arr : public Value {\n  void Check();\n  Arr();\n};\nusing Bytes =\n    Arr<char>;\n"
                 "typedef Arr<int> Ints;\nclass Buffer : public Bytes {\n  void Check();\n  Buffer();\n};\n"
                 "class Vec : public Ints {\n  void Check();\n  Vec();\n};\n");
}

TC_TEST(edit_member_negative)
{
    /* a class that has the lines already, and one without the anchor line */
    CHECK_MEMBER(TC_LANG_CPP, "v.h", "class Boolean : public Value {\n  Boolean();\n};\n",
                 "class Boolean : public Value {\n  void Reset();\n  Boolean();\n};\n",
                 "class Number : public Value {\n  void Reset();\n  Number();\n};\nclass Date : public Value {\n  int x;\n};\n",
                 0, TC_EDIT_MEMBER, 0,
                 "class Number : public Value {\n  void Reset();\n  Number();\n};\nclass Date : public Value {\n  int x;\n};\n");
    /* the next line does not hold the class's name */
    TC_CHECK(no_member(TC_LANG_CPP, "v.h", "class B : public V {\n  int x;\n};\n",
                       "class B : public V {\n  void Reset();\n  int x;\n};\n"));
    /* a class with two bases, or none */
    TC_CHECK(no_member(TC_LANG_CPP, "v.h", "class B : public V, public W {\n  B();\n};\n",
                       "class B : public V, public W {\n  void Reset();\n  B();\n};\n"));
    TC_CHECK(no_member(TC_LANG_CPP, "v.h", "class B {\n  B();\n};\n", "class B {\n  void Reset();\n  B();\n};\n"));
    /* lines added inside a method's body */
    TC_CHECK(no_member(TC_LANG_CPP, "v.h", "class B : public V {\n  void f() {\n    B();\n  }\n};\n",
                       "class B : public V {\n  void f() {\n    g();\n    B();\n  }\n};\n"));
    /* not in other languages */
    TC_CHECK(no_member(TC_LANG_JS, "v.js", "class B extends V {\n  B()\n}\n", "class B extends V {\n  x()\n  B()\n}\n"));
}
