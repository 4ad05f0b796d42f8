/* widen.c - a `tokens` rule that reaches no other place, widened once:
 * the names just before the change (its left anchor, synth.c) become
 * holes. `int f, ok;` -> `int f;` (tacit 851e487ddc) anchors the deletion
 * of `, ok` on `int f`, and the other place is `int a, ok;`: the name
 * before the change is whatever that place declares, the change is the
 * same. Widening first would reach too much (tried: on the seven
 * histories the anchor's names as holes cost node-addon-api and node-gyp
 * their right places, rules that already found theirs with the name),
 * so the callers (src/edit/eval.c, src/lsp/edits.c) widen only a rule
 * with no place besides the example's, and the wider rule's places still
 * face the limit of a `tokens` rule (tc_edit_rule_too_broad: `* X = NULL`
 * reaches hundreds, none offered) and get their confidence from the same
 * evidence (the left neighbour differs: TC_EDIT_F_LEFT says so). Not
 * when the new tokens use the name (`for k in d` -> `for k, v in
 * d.items()`: the pieces would copy the example's), nor for the rules
 * whose places something else picks (a role, a sibling function's calls,
 * a chain, a local's chain, initializers). */
#include "edit/edit_int.h"
#include "util/status.h"

#include <stdlib.h>

void edit_widen_mark(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t left, size_t ne)
{
    size_t k, j;
    r->nwiden = 0;
    for (k = 0; k < left && k < r->npat && k < EDIT_MAX_WIDEN; k++) {
        size_t i = p - left + k;
        if (o->t[i].kind != TC_TOK_IDENT || r->pat[k].type != EL_LIT) continue;
        for (j = p; j < ne; j++)
            if (ev_eq(o, i, n, j)) {
                r->nwiden = 0; /* the new tokens use it */
                return;
            }
        r->widen_el[r->nwiden++] = k;
    }
}

int tc_edit_rule_widen(tc_edit_rule *r)
{
    size_t k;
    if (!r || r->kind != TC_EDIT_TOKENS || !r->nwiden || r->role_callee || r->family || r->chain || r->mchain ||
        r->init || r->nholes + (int)r->nwiden > EDIT_MAX_HOLES)
        return 0;
    for (k = 0; k < r->nwiden; k++) {
        edit_el *el = &r->pat[r->widen_el[k]];
        free(el->text);
        el->text = NULL;
        el->len = 0;
        el->type = EL_HOLE;
        el->kind = TC_TOK_IDENT; /* a name, as the example's */
        el->typed = 1;
        el->hole = r->nholes++;
    }
    r->nwiden = 0; /* once */
    if (edit_pattern_key(r) != TC_OK) r->keylen = 0; /* no key: every file is searched */
    return 1;
}
