/* mchain.c - a member chain rooted in a local replaced in its function.
 *
 * `cs.n` -> `ncases`, `e->succ_items.n` -> `nit`: the user replaces a
 * field read through a local variable or parameter (a count kept in a
 * local now, a view of another struct). The `tokens` rule (synth.c)
 * anchors on the two tokens before the change and the one after, so it
 * finds the places that read the chain in the same spot of the same
 * expression (`i < cs.n)`) and misses `malloc((cs.n + 1)` or `f(X, cs.n,
 * fold)`, while a chain of a local means something else in every other
 * function (another `cs`). Here: the chain's tokens alone, anywhere in
 * the function whose parameters or body declare its root, where the
 * chain is whole (no member operator before it; after it none, nor a call
 * or an index: `cs.n.x`, `cs.n(...)` are other things). Brace languages
 * only (the function is found by its braces); no rule when the function
 * declares the root twice (an inner block's own variable).
 *
 * A root that is a parameter (`tc_engine *e`) is the same object in the
 * other functions of the file that take the same parameter, name and type
 * (`succ_cands(tc_engine *e, …)`, `prefix_cands(tc_engine *e, …)`: a
 * field the file stops reading through it): the chain is replaced there
 * too, where those functions declare the root once. A local's chain stays
 * in its function (another function's `cs` is another variable). */
#include "edit/edit_int.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHAIN_MAX 12 /* tokens of the chain, and of the new text */

/* 1 if token i of v ends a chain's reach: a member operator, a call's or
 * index's bracket after it. */
static int chain_goes_on(const ev *v, size_t i)
{
    return i < v->n && (ev_is_qual(v, i) || ev_is(v, i, "(") || ev_is(v, i, "["));
}

/* 1 if tokens [p, e) of v are a member chain: name (op name)+, op '.' or '->'. */
static int is_chain(const ev *v, size_t p, size_t e)
{
    size_t i;
    if (e - p < 3 || (e - p) % 2 == 0) return 0;
    for (i = p; i < e; i++) {
        if ((i - p) % 2 == 0 && v->t[i].kind != TC_TOK_IDENT) return 0;
        if ((i - p) % 2 == 1 && !ev_is(v, i, ".") && !ev_is(v, i, "->")) return 0;
    }
    return 1;
}

/* The function around token p of v: its parameter list's '(' *a and its
 * body's '}' *b (the innermost `name(...) {`, `function (...) {` or
 * `(...) => {` holding p; not an `if`, `for`, `while`, `switch` or
 * `catch`). 0 if there is none. */
static int function_of(const ev *v, size_t p, size_t *a, size_t *b)
{
    static const char *const ctl[] = {"if", "for", "while", "switch", "catch", "with", NULL};
    long k;
    int depth = 0;
    for (k = (long)p - 1; k >= 0; k--) {
        size_t q = (size_t)k, j, c;
        if (ev_is(v, q, "}")) depth++;
        if (!ev_is(v, q, "{")) continue;
        if (depth > 0) {
            depth--;
            continue;
        }
        if (v->match[q] < 0 || (size_t)v->match[q] < p) continue;
        j = q;
        while (j > 0 && (v->t[j - 1].kind == TC_TOK_NEWLINE || ev_is(v, j - 1, "=>"))) j--;
        /* C++ `) const {`, `) noexcept {`: a word between the list and the body */
        if (j > 1 && v->t[j - 1].kind != TC_TOK_PUNCT && ev_is(v, j - 2, ")")) j--;
        if (j == 0 || !ev_is(v, j - 1, ")") || v->match[j - 1] < 0) continue;
        c = (size_t)v->match[j - 1];
        if (c > 0 && ev_is_any(v, c - 1, ctl)) continue;
        *a = c;
        *b = (size_t)v->match[q];
        return 1;
    }
    return 0;
}

/* The parameter of the list '(' at a of v that declares the name of
 * token x of w: its tokens from the ',' or '(' before it to the next ','
 * or ')' (*pa, *pb). 0 if none does. */
static int param_of(const ev *v, tc_lang lang, size_t a, const ev *w, size_t x, size_t *pa, size_t *pb)
{
    size_t i, start = a + 1, m;
    if (v->match[a] < 0) return 0;
    m = (size_t)v->match[a];
    for (i = a + 1; i <= m; i++) {
        if (i < m && v->match[i] > (long)i) { /* a nested bracket: skipped */
            i = (size_t)v->match[i];
            continue;
        }
        if (i < m && !ev_is(v, i, ",")) continue;
        {
            size_t k;
            for (k = start; k < i; k++)
                if (ev_eq(v, k, w, x) && edit_declares_name(v, lang, k)) {
                    *pa = start;
                    *pb = i;
                    return 1;
                }
        }
        start = i + 1;
    }
    return 0;
}

/* 1 if the chain at token i of v (the edited file; token i is its root)
 * lies in a function that takes r's root parameter (the same tokens) and
 * declares the root once. */
static int in_sibling(const tc_edit_rule *r, const ev *v, size_t i)
{
    size_t fa, fb, pa, pb, k;
    int declared = 0, ok;
    char *have;
    if (!function_of(v, i, &fa, &fb) || !param_of(v, r->lang, fa, v, i, &pa, &pb)) return 0;
    for (k = fa; k <= fb; k++) declared += ev_eq(v, k, v, i) && edit_declares_name(v, r->lang, k);
    if (declared != 1 || !(have = edit_join(v, pa, pb))) return 0;
    ok = strcmp(have, r->mparam) == 0;
    free(have);
    return ok;
}

int edit_synth_mchain(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t fa, fb, i, key = p;
    int rc, declared = 0, before = 0;
    switch (r->lang) {
    case TC_LANG_C: case TC_LANG_CPP: case TC_LANG_JS: case TC_LANG_TS: case TC_LANG_GO: case TC_LANG_JAVA:
    case TC_LANG_RUST:
        break;
    default:
        return TC_ENOENT;
    }
    /* `res.code` -> `code`: the diff is `res.` deleted, the chain is `res.code` */
    if (oe > p && oe < o->n && ne < n->n && ev_is_qual(o, oe - 1) && ev_eq(o, oe, n, ne)) oe++, ne++;
    if (oe - p > CHAIN_MAX || ne <= p || ne - p > CHAIN_MAX || p == 0 || oe >= o->n) return TC_ENOENT;
    if (!is_chain(o, p, oe) || ev_is_qual(o, p - 1) || chain_goes_on(o, oe)) return TC_ENOENT;
    for (i = p; i < ne; i++)
        if (n->t[i].kind == TC_TOK_NEWLINE) return TC_ENOENT;
    /* the root is declared in the function around the edit (a parameter or a local before it) */
    if (!function_of(n, p, &fa, &fb)) return TC_ENOENT;
    /* ...and only once (declared again, in an inner block: which uses are meant is not told) */
    for (i = fa; i <= fb; i++)
        if (ev_eq(n, i, o, p) && edit_declares_name(n, r->lang, i)) declared++, before += i < p;
    if (!before || declared > 1) return TC_ENOENT;
    {
        size_t pa, pb; /* a parameter: its tokens, to find it in the other functions */
        if (param_of(n, r->lang, fa, o, p, &pa, &pb) && !(r->mparam = edit_join(n, pa, pb))) return TC_ENOMEM;
    }
    for (i = p; i < oe; i++) {
        if ((rc = edit_rule_push_el(r, EL_LIT, o, i, 0))) return rc;
        if (o->t[i].len > o->t[key].len) key = i;
    }
    if ((rc = edit_rule_pieces(r, n, n->t[p].off, ev_end(n, ne), p, ne, o, NULL, 0))) return rc;
    if ((rc = edit_rule_set_key(r, o->s + o->t[key].off, o->t[key].len))) return rc;
    r->kind = TC_EDIT_TOKENS;
    r->mchain = 1;
    r->cross = 0;
    r->rep0 = 0;
    r->rep1 = r->npat;
    r->scope_a = n->t[fa].off;
    r->scope_b = ev_end(n, fb + 1);
    r->conf = 0.8;
    snprintf(r->title, sizeof r->title, "replace \"%.*s\" with \"%.*s\" in %s",
             (int)(ev_end(o, oe) - o->t[p].off < 80 ? ev_end(o, oe) - o->t[p].off : 80), o->s + o->t[p].off,
             (int)(ev_end(n, ne) - n->t[p].off < 80 ? ev_end(n, ne) - n->t[p].off : 80), n->s + n->t[p].off,
             r->mparam ? "the functions that take it" : "its function");
    return TC_OK;
}

int edit_mchain_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    const char *text = r->nout ? r->out[0].lit : "";
    size_t len = r->nout ? r->out[0].len : 0, i;
    int rc = TC_OK;
    for (i = 0; i + r->npat <= v->n && rc == TC_OK; i++) {
        size_t a = v->t[i].off, b, e, hole[EDIT_MAX_HOLES];
        if (!edit_match_tokens(r, v, i, &e, hole)) continue; /* the chain's tokens: names, `.`, `->` */
        if ((i > 0 && ev_is_qual(v, i - 1)) || chain_goes_on(v, e)) continue;
        b = ev_end(v, e);
        /* the example's file: inside the function only (or another that
         * takes its root parameter), not the edit itself */
        if (origin == 1 && (a <= r->reg_b && b >= r->reg_a)) continue;
        if (origin == 1 && (a < r->scope_a || b > r->scope_b) && !(r->mparam && in_sibling(r, v, i))) continue;
        rc = edit_site_push(r, src, v, origin, a, b, text, len, out);
        i += r->npat - 1;
    }
    return rc;
}
