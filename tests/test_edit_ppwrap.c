/* test_edit_ppwrap.c - an `#endif` added after a line of C or C++ in a
 * file whose conditionals balanced (src/edit/ppwrap.c): offered after the
 * file's other lines like it, its longest name a hole for the names of
 * one family (as many words, the same first and last), once per line. */
#include "edit_apply.h"
#include "test.h"

#include <stdio.h>

#define CHECK_WRAP(lang, path, before, after, other, origin, want_kind, want_n, want) \
    EDIT_CHECK_APPLY((lang), (path), (before), (after), (path), (other), (origin), (want_kind), (want_n), (want))

#define TYPES_HEAD               \
    "#ifndef A_H\n#define A_H\n" \
    "typedef void NAN_METHOD_RETURN_TYPE;\ntypedef void NAN_PROPERTY_GETTER_RETURN_TYPE;\n"
#define TYPES_SETTER "\ntypedef void NAN_PROPERTY_SETTER_RETURN_TYPE;\n"
#define TYPES_QUERY                                                                       \
    "typedef int NAN_INDEX_SIZE_RETURN_TYPE;\ntypedef void NAN_INDEX_QUERY_ARGS_LIST;\n" \
    "typedef void NAN_INDEX_QUERY_RETURN_TYPE;\n"
#define TYPES_TAIL "int x;\ntypedef void NAN_INDEX_DELETER_RETURN_TYPE;\n#endif\n"

#define CB_GET "typedef int (*PropertyGetterCallback)(int);\n"
#define CB_SET "typedef int (*PropertySetterCallback)(int);\n"
#define CB_REST "#if V8\ntypedef int (*PropertyQueryCallback)(int);\n#endif\ntypedef int (*IndexQueryCallback)(int);\n"

static const char *types = TYPES_HEAD TYPES_SETTER TYPES_QUERY TYPES_TAIL;
static const char *types_endif = TYPES_HEAD "#endif\n" TYPES_SETTER TYPES_QUERY TYPES_TAIL;

TC_TEST(edit_ppwrap_family)
{
    /* after the lines with a name of the family (five words, NAN ... TYPE):
     * not the four-word name, not another type, not another last word; not
     * a line an `#endif` follows already (the include guard's) */
    CHECK_WRAP(TC_LANG_CPP, "a.h", types, types_endif, types_endif, 1, TC_EDIT_INSERT, 2,
               TYPES_HEAD "#endif\n" TYPES_SETTER "#endif\n" TYPES_QUERY "#endif\n" TYPES_TAIL);
    /* a line wrapped already is no place; camel-case words, in C */
    CHECK_WRAP(TC_LANG_C, "b.h", CB_GET CB_SET CB_REST, CB_GET "#endif\n" CB_SET CB_REST, CB_GET "#endif\n" CB_SET CB_REST,
               1, TC_EDIT_INSERT, 1, CB_GET "#endif\n" CB_SET "#endif\n" CB_REST);
}

#define WRAP_OPEN "#if V8 > 12\ntypedef v8::Intercepted NAN_PROPERTY_GETTER_RETURN_TYPE;\n#else\n"
#define WRAP_GETTER "typedef void NAN_PROPERTY_GETTER_RETURN_TYPE;\n"
#define WRAP_REST "\ntypedef void NAN_INDEX_QUERY_RETURN_TYPE;\ntypedef void NAN_METHOD_RETURN_TYPE;\n"

TC_TEST(edit_ppwrap_whole_wrap)
{
    /* the user wrote the opener first (`#if`, the line with the name, `#else`
     * above the line), then the `#endif`: each line of the family gets the
     * whole wrap as one edit, the opener's line with its own name */
    CHECK_WRAP(TC_LANG_CPP, "a.h", WRAP_OPEN WRAP_GETTER WRAP_REST, WRAP_OPEN WRAP_GETTER "#endif\n" WRAP_REST,
               WRAP_OPEN WRAP_GETTER "#endif\n" WRAP_REST, 1, TC_EDIT_INSERT, 1,
               WRAP_OPEN WRAP_GETTER "#endif\n\n#if V8 > 12\ntypedef v8::Intercepted NAN_INDEX_QUERY_RETURN_TYPE;\n#else\n"
               "typedef void NAN_INDEX_QUERY_RETURN_TYPE;\n#endif\ntypedef void NAN_METHOD_RETURN_TYPE;\n");
    /* a line of the family wrapped already (`#else` above it) is no place */
#define WRAPPED "\n#if X\n#else\ntypedef void NAN_INDEX_QUERY_RETURN_TYPE;\nint z;\n#endif\n"
    CHECK_WRAP(TC_LANG_CPP, "a.h", WRAP_OPEN WRAP_GETTER WRAPPED, WRAP_OPEN WRAP_GETTER "#endif\n" WRAPPED,
               WRAP_OPEN WRAP_GETTER "#endif\n" WRAPPED, 1, TC_EDIT_INSERT, 0, WRAP_OPEN WRAP_GETTER "#endif\n" WRAPPED);
}

TC_TEST(edit_ppwrap_whole_wrap_at_once)
{
    /* the wrap typed as one edit (`#if`, the line with the name, `#else`
     * above the line, `#endif` below): the same at the family's lines */
    CHECK_WRAP(TC_LANG_CPP, "a.h", WRAP_GETTER WRAP_REST, WRAP_OPEN WRAP_GETTER "#endif\n" WRAP_REST,
               WRAP_OPEN WRAP_GETTER "#endif\n" WRAP_REST, 1, TC_EDIT_INSERT, 1,
               WRAP_OPEN WRAP_GETTER "#endif\n\n#if V8 > 12\ntypedef v8::Intercepted NAN_INDEX_QUERY_RETURN_TYPE;\n#else\n"
               "typedef void NAN_INDEX_QUERY_RETURN_TYPE;\n#endif\ntypedef void NAN_METHOD_RETURN_TYPE;\n");
}

TC_TEST(edit_ppwrap_edited_file_only)
{
    /* another file's lines like it are another block: nothing there */
    CHECK_WRAP(TC_LANG_CPP, "a.h", types, types_endif, "typedef void NAN_INDEX_GETTER_RETURN_TYPE;\nint x;\n", 0,
               TC_EDIT_INSERT, 0, "typedef void NAN_INDEX_GETTER_RETURN_TYPE;\nint x;\n");
}

TC_TEST(edit_ppwrap_too_many)
{
    /* seventeen lines like it: not one block being wrapped, none */
    char before[2048], after[2048];
    size_t bn = 0, an = 0;
    int i, k;
    size_t n;
    char *res;
    for (i = 0; i < 18; i++) {
        bn += (size_t)snprintf(before + bn, sizeof before - bn, "typedef void KIND_W%d_RETURN_TYPE;\n", i);
        an += (size_t)snprintf(after + an, sizeof after - an, "typedef void KIND_W%d_RETURN_TYPE;\n%s", i, i ? "" : "#endif\n");
    }
    res = edit_apply_rule(TC_LANG_C, "c.h", before, after, "c.h", after, 1, &k, &n);
    TC_CHECK(res != NULL);
    TC_CHECK(k == TC_EDIT_INSERT);
    TC_CHECK(n == 0);
    free(res);
}

/* 1 if the rule of (before -> after) is this kind's. */
static int is_wrap(tc_lang lang, const char *path, const char *before, const char *after)
{
    return edit_rule_titled(lang, path, before, after, "the lines like");
}

TC_TEST(edit_ppwrap_negative)
{
    const char *b = "typedef void NAN_PROPERTY_GETTER_RETURN_TYPE;\n\nint x;\n";
    TC_CHECK(is_wrap(TC_LANG_CPP, "a.h", b, "typedef void NAN_PROPERTY_GETTER_RETURN_TYPE;\n#endif\n\nint x;\n"));
    /* the `#endif` closes the user's own `#if` with no `#else` above the
     * line, or an `#else` branch without the line's name */
    TC_CHECK(!is_wrap(TC_LANG_CPP, "a.h", "#if V8 > 12\ntypedef void NAN_PROPERTY_GETTER_RETURN_TYPE;\n\nint x;\n",
                      "#if V8 > 12\ntypedef void NAN_PROPERTY_GETTER_RETURN_TYPE;\n#endif\n\nint x;\n"));
    TC_CHECK(!is_wrap(TC_LANG_CPP, "a.h", "#if V8 > 12\nint y;\n#else\n" WRAP_GETTER "\nint x;\n",
                      "#if V8 > 12\nint y;\n#else\n" WRAP_GETTER "#endif\n\nint x;\n"));
    TC_CHECK(is_wrap(TC_LANG_CPP, "a.h", WRAP_OPEN WRAP_GETTER "\nint x;\n", WRAP_OPEN WRAP_GETTER "#endif\n\nint x;\n"));
    /* typed at once: the line changed inside the wrap, or no `#else` */
    TC_CHECK(!is_wrap(TC_LANG_CPP, "a.h", WRAP_GETTER WRAP_REST,
                      WRAP_OPEN "typedef int NAN_PROPERTY_GETTER_RETURN_TYPE;\n#endif\n" WRAP_REST));
    TC_CHECK(!is_wrap(TC_LANG_CPP, "a.h", WRAP_GETTER WRAP_REST, "#if V8 > 12\n" WRAP_GETTER "#endif\n" WRAP_REST));
    /* a blank line with it, `#else`, two lines: not this kind */
    TC_CHECK(!is_wrap(TC_LANG_CPP, "a.h", b, "typedef void NAN_PROPERTY_GETTER_RETURN_TYPE;\n#endif\n\n\nint x;\n"));
    TC_CHECK(!is_wrap(TC_LANG_CPP, "a.h", b, "typedef void NAN_PROPERTY_GETTER_RETURN_TYPE;\n#else\n\nint x;\n"));
    TC_CHECK(!is_wrap(TC_LANG_CPP, "a.h", b, "typedef void NAN_PROPERTY_GETTER_RETURN_TYPE;\n#else\n#endif\n\nint x;\n"));
    /* a name of fewer than three words; a line that is no whole statement;
     * the name and punctuation only */
    TC_CHECK(!is_wrap(TC_LANG_C, "a.h", "typedef void RETURN_TYPE;\n\nint x;\n",
                      "typedef void RETURN_TYPE;\n#endif\n\nint x;\n"));
    TC_CHECK(!is_wrap(TC_LANG_C, "a.c", "int f(void) {\n  g(NAN_PROPERTY_GETTER,\n    1);\n}\n",
                      "int f(void) {\n  g(NAN_PROPERTY_GETTER,\n#endif\n    1);\n}\n"));
    TC_CHECK(!is_wrap(TC_LANG_C, "a.c", "int f(void) {\n  NAN_PROPERTY_GETTER();\n\n}\n",
                      "int f(void) {\n  NAN_PROPERTY_GETTER();\n#endif\n\n}\n"));
    /* not in JavaScript */
    TC_CHECK(!is_wrap(TC_LANG_JS, "a.js", "let NAN_PROPERTY_GETTER_TYPE = 1;\n\nf();\n",
                      "let NAN_PROPERTY_GETTER_TYPE = 1;\n#endif\n\nf();\n"));
}
