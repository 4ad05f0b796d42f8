/* bound.c - TC_EDIT_F_BOUND: a rewrite whose places are the uses of one
 * declaration, found through it, not through the example's text alone: a
 * member chain rooted in a local or a parameter replaced in its functions
 * (mchain.c), the initializers of one type given new elements (init.c), a
 * local's rewrite in its block (jslocal.c), `this` in one class's members
 * (thisclass.c), a class's member (classfield.c), and the calls of a
 * function the place's own file defines (its arguments changed: the
 * calls of that definition, whatever statement they sit in).
 *
 * Why: the other evidence weighs how like the example's surroundings a
 * place's are (the tokens around it, its line, the call it is an argument
 * of), which is what tells a text pattern's right places from its chance
 * matches; the uses of a declaration are its uses in any statement.
 * tacit's own history replaces a local's member chain by a name and gives
 * one type's initializers new elements at places in varied statements,
 * right at 0.09-0.45 (BENCHMARKS.md, "Places bound to a declaration
 * (branch ne22-tacit)"). Renames are not counted: their kind says it
 * already (fitted with them, their share of the weight was 0.09: the
 * histories' wrong renames are as bound as the right ones). A block of
 * similar lines has a scope (the block), no declaration's. */
#include "edit/edit_int.h"

#include <string.h>

int edit_place_bound(const tc_edit_rule *r, const ev *v)
{
    if (r->kind == TC_EDIT_RENAME || r->kind == TC_EDIT_BLOCK) return 0;
    if (r->init || r->scope_b > r->scope_a) return 1;
    /* a call whose function the place's file defines: not a method
     * (`x.f(`: which class's is not known) */
    return r->kind == TC_EDIT_CALL && r->callee_from && !r->qual &&
           edit_defines(v, r->callee_from, strlen(r->callee_from), 0);
}
