/* accpath.c - TC_EDIT_F_SAME_PATH: a rewrite (not a rename) made inside
 * an access path of three names or more (`q->b->cfg.first_byte_ms`), and
 * a place inside the same path, name for name.
 *
 * Why: such a path names one datum reached the same way; a change inside
 * it (a level of the path dropped, a field moved) is a change of how that
 * datum is reached, and every other place that reaches it the same way
 * needs it, whatever statement the place sits in. The surroundings the
 * confidence compares (the tokens before and after on the line, the
 * line's first token) say little there: the example may be a call's last
 * argument on a line of its own. tacit's own history: 160d0bdef1 deleted
 * `b->cfg.` from `q->b->cfg.first_byte_ms` at five places, offered at
 * 0.79 and 0.58 with the first place as the example and at 0.38-0.39
 * with the middle one (BENCHMARKS.md, "Renamed at a call (branch
 * ne24-call)"). A path of two names (`cs.n`) is a local's member: any
 * use of it, some rewritten otherwise; not this evidence. */
#include "edit/edit_int.h"

#include <stdlib.h>
#include <string.h>

/* The fewest names a path must have. */
#define PATH_MIN_NAMES 3

char *edit_access_path(const ev *v, size_t a, size_t b)
{
    size_t k0, k1, k, names = 0, len = 0;
    char *out;
    if (b <= a || (k0 = ev_tok_at(v, a)) >= v->n || v->t[k0].off >= b) return NULL;
    for (k1 = k0; k1 + 1 < v->n && v->t[k1 + 1].off < b; k1++) {
    }
    /* the place's own tokens: names and member operators, alternating */
    for (k = k0; k <= k1; k++)
        if (!(v->t[k].kind == TC_TOK_IDENT || ev_is_qual(v, k)) ||
            (k > k0 && (v->t[k].kind == TC_TOK_IDENT) == (v->t[k - 1].kind == TC_TOK_IDENT)))
            return NULL;
    /* out to the path's ends: a name after an operator, an operator after a name */
    while (k0 > 0 && (v->t[k0].kind == TC_TOK_IDENT ? ev_is_qual(v, k0 - 1) : v->t[k0 - 1].kind == TC_TOK_IDENT))
        k0--;
    while (k1 + 1 < v->n && (v->t[k1].kind == TC_TOK_IDENT ? ev_is_qual(v, k1 + 1) : v->t[k1 + 1].kind == TC_TOK_IDENT))
        k1++;
    if (v->t[k0].kind != TC_TOK_IDENT || v->t[k1].kind != TC_TOK_IDENT) return NULL; /* `a.` cut short */
    for (k = k0; k <= k1; k++) {
        names += v->t[k].kind == TC_TOK_IDENT;
        len += v->t[k].len;
    }
    if (names < PATH_MIN_NAMES || !(out = malloc(len + 1))) return NULL;
    for (len = 0, k = k0; k <= k1; k++) {
        memcpy(out + len, v->s + v->t[k].off, v->t[k].len);
        len += v->t[k].len;
    }
    out[len] = 0;
    return out;
}

int edit_place_same_path(const tc_edit_rule *r, const ev *v, size_t a, size_t b)
{
    char *p;
    int same;
    if (!r->path || r->kind == TC_EDIT_RENAME) return 0;
    p = edit_access_path(v, a, b);
    same = p && strcmp(p, r->path) == 0;
    free(p);
    return same;
}
