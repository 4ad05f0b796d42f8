/* test_edit_chain.c - a member call inserted into a chain before another
 * (src/edit/chain.c): offered before the other calls of that member with
 * the same template arguments, not where it stands already. */
#include "edit_apply.h"
#include "test.h"

#define CHECK_CHAIN(lang, path, before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (path), (other), (origin), (want_kind), (want_n), (want))

static const char *cast_b = "void f() {\n  x = obj->Get(kA)\n      .As<v8::External>()->Value();\n}\n";
static const char *cast_a = "void f() {\n  x = obj->Get(kA)\n      .As<v8::Value>().As<v8::External>()->Value();\n}\n";

TC_TEST(edit_chain_cast)
{
    /* the diff shows `Value>().As<v8::` inserted before `External`: the
     * call `.As<v8::Value>()` inserted before `.As<v8::External>()` */
    const char *other = "// a comment longer than the lines below will be once the call is inserted in them\n"
                        "void g() {\n  y = obj->Get(kB).As<v8::External>()->Value();\n"
                        "  z = obj->Get(kC).As<v8::Object>();\n"
                        "  w = obj->Get(kD).As<v8::Value>().As<v8::External>();\n"
                        "  v = obj->Get(kE)\n      .As<v8::External>();\n}\n";
    /* kB and kE; not the cast to Object, not kD (it has it) */
    CHECK_CHAIN(TC_LANG_CPP, "a.h", cast_b, cast_a, other, 0, TC_EDIT_CALL, 2,
                "// a comment longer than the lines below will be once the call is inserted in them\n"
                "void g() {\n  y = obj->Get(kB).As<v8::Value>().As<v8::External>()->Value();\n"
                "  z = obj->Get(kC).As<v8::Object>();\n"
                "  w = obj->Get(kD).As<v8::Value>().As<v8::External>();\n"
                "  v = obj->Get(kE)\n      .As<v8::Value>().As<v8::External>();\n}\n");
}

TC_TEST(edit_chain_layout)
{
    /* the example's call starts its line: a line that would grow past the
     * file's longest is broken before the inserted call, indented as the
     * example's (4 deeper); a short one is not */
    const char *other = "void g() {\n  y = obj->Get(kB).As<v8::External>()->Value();\n  u = o.As<v8::External>();\n}\n";
    CHECK_CHAIN(TC_LANG_CPP, "a.h", cast_b, cast_a, other, 0, TC_EDIT_CALL, 2,
                "void g() {\n  y = obj->Get(kB)\n      .As<v8::Value>().As<v8::External>()->Value();\n"
                "  u = o.As<v8::Value>().As<v8::External>();\n}\n");
    /* an example on one line: no line broken */
    CHECK_CHAIN(TC_LANG_CPP, "a.h", "x = obj->Get(kA).As<v8::External>();\n",
                "x = obj->Get(kA).As<v8::Value>().As<v8::External>();\n", other, 0, TC_EDIT_CALL, 2,
                "void g() {\n  y = obj->Get(kB).As<v8::Value>().As<v8::External>()->Value();\n"
                "  u = o.As<v8::Value>().As<v8::External>();\n}\n");
}

TC_TEST(edit_chain_js)
{
    /* JavaScript: a call added before another call of the chain */
    CHECK_CHAIN(TC_LANG_JS, "a.js", "const n = s.trim().length();\n", "const n = s.trim().toLowerCase().length();\n",
                "const m = t.length();\nconst k = t.size();\nconst q = t.toLowerCase().length();\n", 0, TC_EDIT_CALL, 1,
                "const m = t.toLowerCase().length();\nconst k = t.size();\nconst q = t.toLowerCase().length();\n");
}

/* The kind of the rule (path: before -> after) makes, -1 for none. */
static int kind_of(tc_lang lang, const char *before, const char *after)
{
    int k;
    size_t n;
    free(edit_apply_rule(lang, "a.h", before, after, "a.h", "x.y();\n", 0, &k, &n));
    return k;
}

/* The title of the rule, "" for none. */
static int titled(tc_lang lang, const char *before, const char *after, const char *want)
{
    return edit_rule_titled(lang, "a.h", before, after, want);
}

TC_TEST(edit_chain_negative)
{
    /* two calls inserted, a member with no call, a call doubled, a call
     * inserted before no member call: no chain rule */
    TC_CHECK(!titled(TC_LANG_CPP, "x = a.b();\n", "x = a.c().d().b();\n", "before"));
    TC_CHECK(!titled(TC_LANG_CPP, "x = a.b();\n", "x = a.c.b();\n", "before"));
    TC_CHECK(!titled(TC_LANG_CPP, "x = a.b();\n", "x = a.b().b();\n", "before"));
    TC_CHECK(!titled(TC_LANG_CPP, "x = a.b;\n", "x = a.c().b;\n", "before"));
    /* a line break in the inserted call */
    TC_CHECK(!titled(TC_LANG_CPP, "x = a.b();\n", "x = a.c(\n1).b();\n", "before"));
    /* the example broke its line before the call: no rule (a line break
     * inserted with the call; its places' evidence is weak: BENCHMARKS.md) */
    TC_CHECK(!titled(TC_LANG_CPP, "void f() {\n  x = obj->Get(kA).As<v8::External>()->Value();\n}\n",
                     "void f() {\n  x = obj->Get(kA)\n      .As<v8::Value>().As<v8::External>()->Value();\n}\n", "before"));
    /* the positive case has the title */
    TC_CHECK(titled(TC_LANG_CPP, "x = a.b();\n", "x = a.c(1).b();\n", "insert \".c(1)\" before \".b(\""));
    TC_CHECK(kind_of(TC_LANG_CPP, "x = a.b();\n", "x = a.c(1).b();\n") == TC_EDIT_CALL);
}
