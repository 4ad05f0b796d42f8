/* init.c - elements appended to the positional initializers of one type.
 *
 * C, C++: a struct gains a field, or an array a slot, and the user
 * appends the new element(s) to an initializer that lists every one:
 * `(tc_trace_cand){"x", 1, ..., 0.2}` -> `{..., 0.2, 0, 0, 0, 0}`,
 * `static const double W[TC_RANK_NF] = {..., 1.52}` -> `{..., 1.52, 0}`.
 * Every other initializer of that type with as many elements needs the
 * same elements (one with fewer leaves the rest zero on purpose, one
 * with more is another thing). The `tokens` rule anchors on the last two
 * elements and so finds none of them. Here: an initializer's type is its
 * compound literal's `(T)` or its declaration's `T name[dims] =`: the
 * base type, the pointers and the dimensions must agree, and the
 * elements' count (designated initializers `.x =`, `[i] =` and a trailing
 * comma aside). An array of a built-in type (`int`, `double`) must have a
 * named size (`[TC_RANK_NF]`): a literal size says nothing of which
 * arrays belong together. */
#include "edit/edit_int.h"
#include "util/status.h"

#include <stdio.h>
#include <string.h>

#define INIT_MAX_NEW 16 /* tokens appended */

/* An initializer's type: base token, pointers, dimensions [da, db) (da == db: none). */
typedef struct init_type {
    size_t base, da, db;
    int ptr;
} init_type;

static int is_qualifier(const ev *v, size_t i)
{
    static const char *const q[] = {"const", "static", "volatile", "extern", "register", "struct", "union",
                                     "enum",  "unsigned", "signed", "inline", "constexpr", NULL};
    return ev_is_any(v, i, q);
}

/* The type of the initializer whose '{' is token q of v: 1 and *t, or 0
 * (not an initializer of a type this file knows). */
static int type_of(const ev *v, size_t q, init_type *t)
{
    size_t j, k;
    memset(t, 0, sizeof *t);
    if (q < 2) return 0;
    if (ev_is(v, q - 1, ")") && v->match[q - 1] >= 0) { /* a compound literal: (T){ */
        size_t c = (size_t)v->match[q - 1];
        int words = 0;
        /* `f(x) {`, `if (x) {`: a body, not a literal */
        if (c == 0 || ev_is_word(v, c - 1) || ev_is(v, c - 1, ")") || ev_is(v, c - 1, "]")) {
            if (c == 0 || !ev_is(v, c - 1, "return")) return 0;
        }
        for (k = c + 1; k + 1 < q; k++) {
            if (ev_is_word(v, k) && !is_qualifier(v, k)) {
                t->base = k;
                words++;
            } else if (ev_is(v, k, "*")) {
                t->ptr++;
            } else if (ev_is(v, k, "[")) {
                if (!t->da) t->da = k;
                if (v->match[k] < 0) return 0;
                k = (size_t)v->match[k];
                t->db = k + 1;
            } else if (!is_qualifier(v, k)) {
                return 0;
            }
        }
        return words == 1;
    }
    if (!ev_is(v, q - 1, "=")) return 0;
    j = q - 2; /* the declared name, after its dimensions */
    if (ev_is(v, j, "]")) {
        t->db = j + 1;
        while (ev_is(v, j, "]") && v->match[j] > 0) {
            t->da = (size_t)v->match[j];
            j = t->da - 1;
        }
        if (ev_is(v, j, "]")) return 0;
    }
    if (v->t[j].kind != TC_TOK_IDENT || j == 0) return 0;
    for (k = j - 1; k > 0 && ev_is(v, k, "*"); k--) t->ptr++;
    if (!ev_is_word(v, k) || is_qualifier(v, k) || ev_is(v, k, "return")) return 0;
    t->base = k;
    return 1;
}

/* The elements of the initializer [q, close] of v: their count, 0 when
 * it is empty, designated or ends with a comma. */
static size_t count_of(const ev *v, size_t q, size_t close)
{
    size_t k, n = 1;
    if (close <= q + 1 || ev_is(v, close - 1, ",")) return 0;
    for (k = q + 1; k < close; k++) {
        if ((k == q + 1 || ev_is(v, k - 1, ",")) && (ev_is(v, k, ".") || ev_is(v, k, "["))) return 0;
        if (v->match[k] > (long)k) {
            k = (size_t)v->match[k];
            continue;
        }
        n += ev_is(v, k, ",");
    }
    return n;
}

int edit_synth_init(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    init_type t;
    size_t q, k, cnt;
    int named = 0, rc;
    if (r->lang != TC_LANG_C && r->lang != TC_LANG_CPP) return TC_ENOENT;
    if (oe != p || ne <= p + 1 || ne - p > INIT_MAX_NEW || p == 0 || p >= o->n || !ev_is(o, p, "}")) return TC_ENOENT;
    /* `, a, b`: a comma, then elements of one token each (a sign before a number) */
    for (k = p; k < ne; k++) {
        int comma = ev_is(n, k, ",");
        if (k == p && !comma) return TC_ENOENT;
        if (comma) {
            if (k + 1 >= ne) return TC_ENOENT;
            continue;
        }
        if ((ev_is(n, k, "-") || ev_is(n, k, "+")) && k + 1 < ne && n->t[k + 1].kind == TC_TOK_NUMBER) k++;
        if (!edit_is_holey(n->t[k].kind) && n->t[k].kind != TC_TOK_KEYWORD) return TC_ENOENT;
        if (k + 1 < ne && !ev_is(n, k + 1, ",")) return TC_ENOENT;
    }
    if (o->match[p] < 0) return TC_ENOENT;
    q = (size_t)o->match[p];
    if (!type_of(o, q, &t) || !(cnt = count_of(o, q, p))) return TC_ENOENT;
    for (k = t.da; k < t.db; k++) named |= o->t[k].kind == TC_TOK_IDENT;
    if (o->t[t.base].kind != TC_TOK_IDENT && !named) return TC_ENOENT; /* `int x[4]`: any array of 4 ints */
    /* the pattern: the base type, the pointers, the dimensions (what a site's type must be) */
    if ((rc = edit_rule_push_el(r, EL_LIT, o, t.base, 0))) return rc;
    for (k = t.da; k < t.db; k++)
        if ((rc = edit_rule_push_el(r, EL_LIT, o, k, 0))) return rc;
    if ((rc = edit_rule_pieces(r, n, ev_end(n, p), ev_end(n, ne), p, ne, o, NULL, 0))) return rc;
    if ((rc = edit_rule_set_key(r, o->s + o->t[t.base].off, o->t[t.base].len))) return rc;
    r->kind = TC_EDIT_TOKENS;
    r->init = cnt;
    r->init_ptr = t.ptr;
    r->cross = 1;
    r->rep0 = r->rep1 = r->npat;
    r->conf = 0.8;
    snprintf(r->title, sizeof r->title, "add \"%.*s\" to the initializers of %.*s with %zu elements",
             (int)(ev_end(n, ne) - ev_end(n, p) < 60 ? ev_end(n, ne) - ev_end(n, p) : 60), n->s + ev_end(n, p),
             (int)o->t[t.base].len, o->s + o->t[t.base].off, cnt);
    return TC_OK;
}

int edit_init_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    const char *text = r->nout ? r->out[0].lit : "";
    size_t len = r->nout ? r->out[0].len : 0, q, k;
    int rc = TC_OK;
    for (q = 0; q < v->n && rc == TC_OK; q++) {
        init_type t;
        size_t close, at;
        if (!ev_is(v, q, "{") || v->match[q] <= (long)q) continue;
        close = (size_t)v->match[q];
        if (!type_of(v, q, &t) || t.ptr != r->init_ptr || t.db - t.da + 1 != r->npat) continue;
        if (v->t[t.base].len != r->pat[0].len || memcmp(v->s + v->t[t.base].off, r->pat[0].text, r->pat[0].len) != 0)
            continue;
        for (k = t.da; k < t.db; k++) {
            const edit_el *el = &r->pat[1 + k - t.da];
            if (v->t[k].len != el->len || memcmp(v->s + v->t[k].off, el->text, el->len) != 0) break;
        }
        if (k < t.db || count_of(v, q, close) != r->init) continue;
        at = ev_end(v, close);
        if (origin == 1 && at <= r->reg_b && at >= r->reg_a) continue; /* the edit itself */
        rc = edit_site_push(r, src, v, origin, at, at, text, len, out);
    }
    return rc;
}
