/* declspec.c - a word put before a function's declaration in C or C++
 * (`inline bool IdleNotification(int ms) {` -> `NAN_DEPRECATED inline
 * bool IdleNotification(int ms) {`, `int parse(` -> `static int
 * parse(`): offered before the other declarations of the same function
 * with the same head (its overloads, its other `#if` branches, its
 * prototype), in every C and C++ file.
 *
 * Kind `tokens` (its evidence and its limit of places). Precision first:
 * one to three names inserted at the start of a line, before a head of
 * names (and `*`, `&`, `::`) that ends in the function's name and `(`,
 * declared there (a type before it, no call); the places are the lines
 * that start with the same head, token for token, so a line that has the
 * word already is none. Anywhere else (a call, a statement) the `tokens`
 * kind decides as before (a word before every such line is no rule). */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECLSPEC_MAX_WORDS 3 /* names inserted */
#define DECLSPEC_MAX_HEAD 8  /* tokens of the head before the name */
#define DECLSPEC_CONF 0.8    /* as `tokens` */

int edit_synth_declspec(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t i, c;
    int rc;
    if ((r->lang != TC_LANG_C && r->lang != TC_LANG_CPP) || oe != p || ne == p || ne - p > DECLSPEC_MAX_WORDS ||
        (p > 0 && o->t[p - 1].kind != TC_TOK_NEWLINE))
        return TC_ENOENT;
    for (i = p; i < ne; i++)
        if (!ev_is_word(n, i)) return TC_ENOENT;
    /* the head: names (a type, `inline`...) up to the function's name and '(' */
    for (c = p; c < o->n && c < p + DECLSPEC_MAX_HEAD; c++) {
        if (o->t[c].kind == TC_TOK_IDENT && ev_is(o, c + 1, "(")) break;
        if (!ev_is_word(o, c) && !ev_is(o, c, "*") && !ev_is(o, c, "&") && !ev_is(o, c, "::")) return TC_ENOENT;
    }
    if (c == p || c >= o->n || c == p + DECLSPEC_MAX_HEAD || !ev_is(o, c + 1, "(") || !edit_is_decl_before(o, c))
        return TC_ENOENT;
    for (i = p; i <= c + 1; i++)
        if ((rc = edit_rule_push_el(r, EL_LIT, o, i, 0))) return rc;
    /* the words as typed, with the space after them */
    if ((rc = edit_rule_pieces(r, n, n->t[p].off, n->t[ne].off, p, ne, o, NULL, 0))) return rc;
    if ((rc = edit_rule_set_key(r, o->s + o->t[c].off, o->t[c].len))) return rc;
    r->rep0 = r->rep1 = 0;
    r->line_start = 1;
    r->kind = TC_EDIT_TOKENS;
    r->cross = 1;
    r->conf = DECLSPEC_CONF;
    snprintf(r->title, sizeof r->title, "insert \"%.*s\" before the declarations of %.*s",
             (int)(ev_end(n, ne) - n->t[p].off), n->s + n->t[p].off, (int)o->t[c].len, o->s + o->t[c].off);
    return TC_OK;
}
