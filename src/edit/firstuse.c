/* firstuse.c - a rename made at a use that is the name's first in its
 * scope (TC_EDIT_F_FIRST_USE). A rename at a use (not the declaration)
 * is either a rename the user starts, or one use switched to another
 * variable or type (`uint32_t` -> `uint64_t` at one use): the rule's
 * own confidence says 0.7 for both. Where the example is the first use
 * of the name from the top of its scope, the user left no use before it
 * as it was: it is where a rename going through the uses starts
 * (node-addon-api 8.2.1: `node_api_nogc_env` -> `node_addon_api_basic_env`
 * at the type's first use in napi-inl.h, then at its 10 others). A use
 * changed after uses left alone says the change is that use's: those
 * before it were passed over. With two examples the rule a second
 * confirms is the first's, and so is this evidence (the second may
 * pass over a use the user rewrites otherwise: 8.2.1 broke one such
 * line in two). This is evidence, not a scope: the places are those
 * of the rename either way. */
#include "edit/edit_int.h"

int edit_first_use(const ev *o, size_t p, size_t from)
{
    size_t i;
    if (p >= o->n || o->t[p].kind != TC_TOK_IDENT) return 0;
    for (i = 0; i < p; i++)
        if (o->t[i].off >= from && o->t[i].kind == TC_TOK_IDENT && ev_eq(o, i, o, p)) return 0;
    return 1;
}

void edit_first_use_mark(tc_edit_rule *r, const ev *o, size_t p)
{
    /* renamed where it is declared the rule is sure already (0.95): the
     * evidence is for a rename at a use (edit_first_use_mark after the
     * rule's own confidence is set). Not for a member (`a->len` ->
     * `a->size`: maybe a switch to another field of a struct declared
     * elsewhere, wherever the use is) nor a function renamed at a call
     * (its definition stays: another function) */
    r->first_use = r->kind == TC_EDIT_RENAME && r->conf < 0.9 && !r->qual && !r->calls_only &&
                   edit_first_use(o, p, r->scope_a);
}
