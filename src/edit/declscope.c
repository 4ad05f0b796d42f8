/* declscope.c - TC_EDIT_F_DECL_SCOPE: a rename made at the old name's
 * declaration, and a place that is a use of that declaration in its
 * scope.
 *
 * Why: renamed where it is declared (a local, a parameter, a function at
 * its definition), every use the declaration reaches has to follow, or
 * the code no longer compiles: the uses are not a guess from the
 * example's text. The rule's own confidence (0.95 then, TC_EDIT_F_BASE)
 * says the rule is a rename; it does not say which of its places are
 * bound to the declaration and which are the same name elsewhere (a
 * parameter's namesake in a sibling function, shadow.c; a name in a file
 * that does not see the definition). tacit's own history renames a local
 * at its declaration (`found` -> `more`, src/lsp/edits.c) with its uses,
 * all in its block, at 0.52-0.61 before this evidence (BENCHMARKS.md,
 * "Renamed at the declaration (branch ne23-decl)").
 *
 * A use in another file counts only in C and C++, for a function no file
 * of its own defines static: the linker binds it there; a JavaScript or
 * Python module's name is another module's only through an import. */
#include "edit/edit_int.h"

void edit_decl_scope_mark(tc_edit_rule *r)
{
    /* the rule's own confidence says it already: 0.95 when renamed where
     * it is declared (not in shell), 0.7 at a use (synth_rename) */
    r->at_decl = r->kind == TC_EDIT_RENAME && r->conf >= 0.9 && !r->qual && !r->calls_only && !r->role_callee;
}

int edit_place_decl_scope(const tc_edit_rule *r, int origin, size_t a, size_t b)
{
    if (r->kind != TC_EDIT_RENAME || !r->at_decl) return 0;
    if (!origin) return r->cross && (r->lang == TC_LANG_C || r->lang == TC_LANG_CPP);
    if (r->scope_b > r->scope_a) /* a local, a parameter, a module's name: its block */
        return a >= r->scope_a && b <= r->scope_b && !edit_inner_skipped(r, a, b);
    return 1; /* a function: its file */
}
