/* test_edit_apivariant.c - one use switched to a variant of its name
 * (src/edit/apivariant.c): `v.As<T>()` -> `v.UnsafeAs<T>()` at one call
 * makes no rename (which calls move is chosen call by call); the same
 * names renamed at a declaration, a local's, or a snake-case prefix
 * added (`is_qual` -> `ev_is_qual`) are renames as before. */
#include "edit/edit_int.h"
#include "edit_apply.h"
#include "test.h"

static int variant(const char *o, const char *n) { return edit_name_variant(o, strlen(o), n, strlen(n)); }

TC_TEST(edit_apivariant_names)
{
    /* a camel-case word added before or after */
    TC_CHECK(variant("As", "UnsafeAs"));
    TC_CHECK(variant("readFile", "readFileSync"));
    TC_CHECK(variant("Subject", "SubjectLike"));
    TC_CHECK(variant("Observable", "ObservableInput"));
    TC_CHECK(variant("Env", "BasicEnv"));
    TC_CHECK(variant("parse", "safeParse"));
    /* not: snake-case prefixes and suffixes, letters that are no word, other names */
    TC_CHECK(!variant("is_qual", "ev_is_qual"));
    TC_CHECK(!variant("v4i", "tc_v4i"));
    TC_CHECK(!variant("fit", "fit_agree"));
    TC_CHECK(!variant("basename", "_basename"));
    TC_CHECK(!variant("err", "error"));
    TC_CHECK(!variant("Win10SDKVer", "Win10or11SDKVer"));
    TC_CHECK(!variant("NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS"));
    TC_CHECK(!variant("As", "Ask"));
    TC_CHECK(!variant("keySelector", "key"));
    TC_CHECK(!variant("x", "unsafeX")); /* one letter: no word to keep */
}

/* node-addon-api 8.2.1: a member call switched to the unchecked variant */
#define CAST(m)                                                            \
    "Maybe<Symbol> Symbol::WellKnown(napi_env env, const std::string& name) {\n" \
    "  Value v = Get(env, name);\n"                                        \
    "  return Just<Symbol>(v." m "<Symbol>());\n"                           \
    "}\n"                                                                  \
    "Object Value::ToObject() const {\n"                                   \
    "  return o.As<Object>();\n"                                           \
    "}\n"

TC_TEST(edit_apivariant_member_use_negative)
{
    const char *b = CAST("As"), *a = CAST("UnsafeAs");
    EDIT_CHECK_SELF(TC_LANG_CPP, "napi-inl.h", b, a, -1, 0, a);
}

/* rxjs: a type's use switched to its interface, at one parameter */
TC_TEST(edit_apivariant_type_use_negative)
{
    const char *b = "import { Subject } from '../Subject';\n"
                    "export function f<T>(make: () => Subject<T>): void {}\n"
                    "export function g<T>(s: Subject<T>): Subject<T> { return s; }\n";
    const char *a = "import { Subject } from '../Subject';\n"
                    "export function f<T>(make: () => SubjectLike<T>): void {}\n"
                    "export function g<T>(s: Subject<T>): Subject<T> { return s; }\n";
    EDIT_CHECK_SELF(TC_LANG_TS, "groupBy.ts", b, a, -1, 0, a);
}

/* renamed where it is declared: the old name is gone, a rename as before */
TC_TEST(edit_apivariant_declaration_positive)
{
    const char *b = "function formatItem(t, d) {\n  return t + d\n}\nout.push(formatItem(a, b))\n"
                    "out.push(formatItem(c, d))\n";
    const char *a = "function callFormatItem(t, d) {\n  return t + d\n}\nout.push(formatItem(a, b))\n"
                    "out.push(formatItem(c, d))\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "help.js", b, a, TC_EDIT_RENAME, 2,
                    "function callFormatItem(t, d) {\n  return t + d\n}\nout.push(callFormatItem(a, b))\n"
                    "out.push(callFormatItem(c, d))\n");
}

/* a field renamed at a use with a snake-case prefix (a module's name): a rename as before */
TC_TEST(edit_apivariant_snake_prefix_positive)
{
    const char *b = "int f(const struct ev *v) {\n  return v->is_qual + 2 * v->is_qual;\n}\n";
    const char *a = "int f(const struct ev *v) {\n  return v->ev_is_qual + 2 * v->is_qual;\n}\n";
    EDIT_CHECK_SELF(TC_LANG_C, "f.c", b, a, TC_EDIT_RENAME, 1,
                    "int f(const struct ev *v) {\n  return v->ev_is_qual + 2 * v->ev_is_qual;\n}\n");
}

/* a local renamed at a use: a local has no second API, a rename as before */
TC_TEST(edit_apivariant_local_positive)
{
    const char *b = "function f(xs) {\n  const item = xs[0]\n  g(item)\n  return item\n}\n";
    const char *a = "function f(xs) {\n  const item = xs[0]\n  g(firstItem)\n  return item\n}\n";
    EDIT_CHECK_SELF(TC_LANG_JS, "f.js", b, a, TC_EDIT_RENAME, 2,
                    "function f(xs) {\n  const firstItem = xs[0]\n  g(firstItem)\n  return firstItem\n}\n");
}
