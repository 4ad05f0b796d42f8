/* test_edit_declscope.c - TC_EDIT_F_DECL_SCOPE (src/edit/declscope.c): 1 at
 * the places of a rename made at the old name's declaration that are uses
 * of that declaration in its scope (a local's or a parameter's function, a
 * static function's file, any C file for an extern one); 0 for a rename
 * made at a use, a member's, and a namesake outside the scope. */
#include "edit_feat.h"

#include <string.h>

/* The rule's places in other carrying TC_EDIT_F_DECL_SCOPE (edit_feat.h). */
static void count_decl(tc_lang lang, const char *before, const char *after, const char *other_path, const char *other,
                       int origin, size_t *on, size_t *off)
{
    int kind;
    edit_count_feat(lang, before, after, other_path, other, origin, TC_EDIT_F_DECL_SCOPE, on, off, &kind);
    TC_CHECK_EQ_INT(kind, TC_EDIT_RENAME);
}

TC_TEST(edit_decl_scope_local_and_parameter)
{
    /* tacit's aeebe77869: `found` -> `more` at its declaration, its uses
     * in its block; g's own `found` is another variable */
    const char *b = "int f(void)\n{\n    if (x) {\n        sites found = {0};\n        if (get(&found) && found.n)\n"
                    "            take(&found);\n        free_sites(&found);\n    }\n    return 0;\n}\n"
                    "int g(void)\n{\n    int found = 1;\n    return found;\n}\n";
    const char *a = "int f(void)\n{\n    if (x) {\n        sites more = {0};\n        if (get(&found) && found.n)\n"
                    "            take(&found);\n        free_sites(&found);\n    }\n    return 0;\n}\n"
                    "int g(void)\n{\n    int found = 1;\n    return found;\n}\n";
    size_t on, off;
    count_decl(TC_LANG_C, b, a, "t.c", a, 1, &on, &off);
    TC_CHECK(on == 4 && off == 0);
    /* a parameter renamed where it is declared */
    count_decl(TC_LANG_C, "int f(int count) {\n  return count + count;\n}\n",
               "int f(int total) {\n  return count + count;\n}\n", "t.c", "int f(int total) {\n  return count + count;\n}\n", 1,
               &on, &off);
    TC_CHECK(on == 2 && off == 0);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_DECL_SCOPE), "decl_scope") == 0);
}

TC_TEST(edit_decl_scope_functions)
{
    /* a static function renamed at its definition: its calls in its file */
    const char *b = "static int is_holey(int k) { return k > 2; }\nint f(int k) { return is_holey(k) || is_holey(1); }\n";
    const char *a = "static int edit_is_holey(int k) { return k > 2; }\nint f(int k) { return is_holey(k) || is_holey(1); }\n";
    /* an extern one: another C file's calls too; a JavaScript module's
     * namesake is not the same function without an import */
    const char *e = "int is_holey(int k) { return k > 2; }\nint f(int k) { return is_holey(k); }\n";
    const char *ea = "int edit_is_holey(int k) { return k > 2; }\nint f(int k) { return is_holey(k); }\n";
    const char *other = "int g(int k) { return is_holey(k + 1); }\n";
    size_t on, off;
    count_decl(TC_LANG_C, b, a, "t.c", a, 1, &on, &off);
    TC_CHECK(on == 2 && off == 0);
    count_decl(TC_LANG_C, e, ea, "u.c", other, 0, &on, &off);
    TC_CHECK(on == 1 && off == 0);
    count_decl(TC_LANG_JS, "function isHoley(k) { return k > 2 }\nf(isHoley(1))\n",
               "function editIsHoley(k) { return k > 2 }\nf(isHoley(1))\n", "u.js", "g(isHoley(3))\n", 0, &on, &off);
    TC_CHECK(on == 0);
}

TC_TEST(edit_decl_scope_negative)
{
    size_t on, off;
    /* renamed at a use, not the declaration: maybe one use switched */
    count_decl(TC_LANG_C, "int f(int count) {\n  return count + count;\n}\n",
               "int f(int count) {\n  return total + count;\n}\n", "t.c", "int f(int count) {\n  return total + count;\n}\n", 1,
               &on, &off);
    TC_CHECK(on == 0);
    /* a member renamed at a use */
    count_decl(TC_LANG_C, "int f(struct s *a, struct s *b)\n{\n    x = a->len;\n    y = b->len;\n}\n",
               "int f(struct s *a, struct s *b)\n{\n    x = a->size;\n    y = b->len;\n}\n", "t.c",
               "int f(struct s *a, struct s *b)\n{\n    x = a->size;\n    y = b->len;\n}\n", 1, &on, &off);
    TC_CHECK(on == 0 && off == 1);
}

/* semver's classes/range.js: a parameter renamed at its declaration, the
 * same name in sibling functions shadowing it too (shadow.c): those are
 * other variables, renamed by analogy, not bound to the declaration */
#define TILDES "const replaceTildes = (comp, options) =>\n  comp.trim().split(/\\s+/).map((comp) => {\n    return replaceTilde(comp, options)\n  }).join(' ')\n"
#define CARETS "const replaceCarets = (comp, options) =>\n  comp.trim().split(/\\s+/).map((comp) => {\n    return replaceCaret(comp, options)\n  }).join(' ')\n"

TC_TEST(edit_decl_scope_shadowing_siblings)
{
    const char *ex = "const replaceTildes = (comp, options) =>\n  comp.trim().split(/\\s+/).map((c) => {\n"
                     "    return replaceTilde(comp, options)\n  }).join(' ')\n" CARETS;
    size_t on, off;
    count_decl(TC_LANG_JS, TILDES CARETS, ex, "t.js", ex, 1, &on, &off);
    TC_CHECK(on == 1 && off == 2);
}
