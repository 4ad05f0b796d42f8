/* test_edit_callrename.c - TC_EDIT_F_CALL_RENAME (src/edit/callrename.c):
 * 1 at the other calls of a function renamed at a call when the edited
 * file defines the old name and names the new one nowhere (its file for
 * a static function, any C file for an extern one); 0 for a call switched
 * to a function that exists, a function defined elsewhere, a member's
 * call, and a JavaScript namesake in another module. The same for a C
 * type or macro the file defines renamed at a use (a typedef, a
 * #define; not at the #define); 0 for a local shadowing a typedef, a
 * type defined elsewhere, and a JavaScript class. */
#include "edit_feat.h"

#include <stdio.h>
#include <string.h>

/* The rule's places in other carrying TC_EDIT_F_CALL_RENAME (edit_feat.h). */
static void count_call(tc_lang lang, const char *before, const char *after, const char *other_path, const char *other,
                       int origin, size_t *on, size_t *off, int *kind)
{
    edit_count_feat(lang, before, after, other_path, other, origin, TC_EDIT_F_CALL_RENAME, on, off, kind);
}

/* tacit's a46a71ac11: synth.c's static is_holey moved to another file as
 * edit_is_holey, renamed at a call first */
#define HOLEY "static int is_holey(int k)\n{\n    return k > 2;\n}\n"
#define CALLS(x) "int f(int k)\n{\n    if (" x "(k))\n        return 1;\n    return is_holey(k + 1) || is_holey(0);\n}\n"

TC_TEST(edit_call_rename_static)
{
    size_t on, off;
    int kind;
    count_call(TC_LANG_C, HOLEY CALLS("is_holey"), HOLEY CALLS("edit_is_holey"), "t.c", HOLEY CALLS("edit_is_holey"), 1,
               &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 2 && off == 0);
    /* static: another file's namesake is another function (no place at all) */
    count_call(TC_LANG_C, HOLEY CALLS("is_holey"), HOLEY CALLS("edit_is_holey"), "u.c", "int g(void) { return is_holey(3); }\n",
               0, &on, &off, &kind);
    TC_CHECK(on == 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_CALL_RENAME), "call_rename") == 0);
}

TC_TEST(edit_call_rename_extern)
{
    /* an extern function: another C file's calls too, not a JavaScript module's */
    const char *e = "int is_holey(int k) { return k > 2; }\nint f(int k) { return is_holey(k) + is_holey(1); }\n";
    const char *ea = "int is_holey(int k) { return k > 2; }\nint f(int k) { return edit_is_holey(k) + is_holey(1); }\n";
    size_t on, off;
    int kind;
    count_call(TC_LANG_C, e, ea, "u.c", "int g(int k) { return is_holey(k + 1); }\n", 0, &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 1 && off == 0);
    count_call(TC_LANG_JS, "function isHoley(k) { return k > 2 }\nf(isHoley(1))\nf(isHoley(2))\n",
               "function isHoley(k) { return k > 2 }\nf(editIsHoley(1))\nf(isHoley(2))\n", "u.js", "g(isHoley(3))\n", 0,
               &on, &off, &kind);
    TC_CHECK(on == 0);
}

TC_TEST(edit_call_rename_negative)
{
    size_t on, off;
    int kind;
    /* switched to a function the file has: one call changed, not a rename (no rename rule) */
    const char *b = "static int lo(int k) { return k; }\nstatic int hi(int k) { return -k; }\n"
                    "int f(int k) { return lo(k) + lo(1); }\n";
    const char *a = "static int lo(int k) { return k; }\nstatic int hi(int k) { return -k; }\n"
                    "int f(int k) { return hi(k) + lo(1); }\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(kind != TC_EDIT_RENAME && on == 0);
    /* a function the file declares but does not define: its definition is elsewhere */
    b = "int lo(int k);\nint f(int k) { return lo(k) + lo(1); }\n";
    a = "int lo(int k);\nint f(int k) { return lo2(k) + lo(1); }\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(on == 0);
    /* renamed at its definition: declscope.c's evidence, not this one */
    b = "static int lo(int k) { return k; }\nint f(int k) { return lo(k) + lo(1); }\n";
    a = "static int low(int k) { return k; }\nint f(int k) { return lo(k) + lo(1); }\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 0 && off == 2);
    /* a local renamed at a use: no call */
    b = "int f(int count) {\n  return count + count;\n}\n";
    a = "int f(int count) {\n  return total + count;\n}\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(on == 0);
}

/* tacit's 151fc2fb6c: query.c's typedef v4i renamed tc_v4i at a middle use
 * (the type moved to a header); each kind of definition, the example
 * its second use (count: its other uses) */
static void count_type(const char *def, const char *use, const char *to, size_t *on, size_t *off, int *kind)
{
    char b[512], a[512];
    snprintf(b, sizeof b, "%sint f(void)\n{\n    %s x = {0};\n    %s y = x;\n    return sizeof(%s) + sizeof y;\n}\n",
             def, use, use, use);
    snprintf(a, sizeof a, "%sint f(void)\n{\n    %s x = {0};\n    %s y = x;\n    return sizeof(%s) + sizeof y;\n}\n",
             def, use, to, use);
    count_call(TC_LANG_C, b, a, "t.c", a, 1, on, off, kind);
}

TC_TEST(edit_call_rename_type)
{
    size_t on, off;
    int kind;
    count_type("typedef int v4i __attribute__((vector_size(16)));\n", "v4i", "tc_v4i", &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 2 && off == 0);
    count_type("typedef struct pt {\n    int x, y;\n} pt;\n", "pt", "tc_pt", &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 2 && off == 0);
    /* a struct typedef'd under another name: the typedef's uses */
    count_type("typedef struct pt {\n    int x;\n} pt_t;\n", "pt_t", "tc_pt", &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 2 && off == 0);
    count_type("typedef int (*cb)(int);\n", "cb", "tc_cb", &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 2 && off == 0);
    /* a macro: its #define is a place, without the evidence (moved or renamed there) */
    count_type("#define T int\n", "T", "TC_T", &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 2 && off == 1);
}

TC_TEST(edit_call_rename_type_negative)
{
    size_t on, off;
    int kind;
    const char *b, *a;
    /* a type the file does not define (a header's, the C library's) */
    count_type("", "size_t", "tc_size", &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 0 && off == 2);
    /* a local shadowing the file's type: the variable, not the type */
    b = "typedef int count;\nint f(void)\n{\n    int count = 0;\n    return count + count;\n}\n";
    a = "typedef int count;\nint f(void)\n{\n    int count = 0;\n    return n2 + count;\n}\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(kind == TC_EDIT_RENAME && on == 0);
    /* renamed at its typedef: declscope.c's evidence */
    b = "typedef int v4i;\nv4i f(v4i a) { return a; }\n";
    a = "typedef int tc_v4i;\nv4i f(v4i a) { return a; }\n";
    count_call(TC_LANG_C, b, a, "t.c", a, 1, &on, &off, &kind);
    TC_CHECK(on == 0);
    /* JavaScript: not this evidence */
    count_call(TC_LANG_JS, "class Pt {}\nconst a = new Pt()\nconst b = new Pt()\nconst c = new Pt()\n",
               "class Pt {}\nconst a = new Pt()\nconst b = new TcPt()\nconst c = new Pt()\n", "t.js",
               "class Pt {}\nconst a = new Pt()\nconst b = new TcPt()\nconst c = new Pt()\n", 1, &on, &off, &kind);
    TC_CHECK(on == 0);
}
