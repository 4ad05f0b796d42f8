/* chain.c - a call inserted into a chain of member calls, before another
 * member call: `obj->Get(k).As<v8::External>()` ->
 * `obj->Get(k).As<v8::Value>().As<v8::External>()` (a cast added before
 * a cast), `s.trim().length()` -> `s.trim().toLowerCase().length()`.
 * The token diff may show the insertion shifted (`Value>().As<v8::`
 * before `External`): every position where the same tokens removed give
 * the old text is tried, and the one where they are a whole member call
 * followed by another is taken.
 *
 * The rule (kind `call`: a change at the calls of one member) inserts the
 * same call, as typed, before every call of the member that followed it
 * in the example with the same template arguments (`.As<v8::External>(`,
 * not `.As<v8::Object>(`), after `.`, `->` or `?.` as in the example,
 * in every file. Not where the inserted call stands already. When the
 * example's call starts its line (a chain of one call a line), a place
 * whose line would grow longer than its file's longest gets the call on a
 * line of its own, indented as the example's. Precision first: no rule
 * when the inserted tokens are no single member call (`.a().b()`, `.a`
 * with no call), hold a line break (BENCHMARKS.md, "nan: a cast in a
 * chain"), or are the head that follows again (`.x().x()`: a call
 * doubled). */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHAIN_MAX 40    /* tokens of the inserted call */
#define CHAIN_CONF 0.85 /* the rule's own confidence: the next call is the anchor, not the receiver */

static int chain_dot(const ev *v, size_t i)
{
    return ev_is(v, i, ".") || ev_is(v, i, "->") || ev_is(v, i, "?.");
}

/* The end of a member call's head at i: `.` NAME [<...>] `(`, its '('
 * token; 0 if there is none. */
static size_t call_head(const ev *v, size_t i, size_t lim)
{
    size_t k;
    int depth = 0;
    if (i + 2 >= lim || !chain_dot(v, i) || v->t[i + 1].kind != TC_TOK_IDENT) return 0;
    k = i + 2;
    if (ev_is(v, k, "<")) {
        for (; k < lim; k++) {
            if (ev_is(v, k, "<")) depth++;
            else if (ev_is(v, k, ">")) depth--;
            else if (ev_is(v, k, ">>")) depth -= 2;
            else if (v->t[k].kind == TC_TOK_NEWLINE || ev_is(v, k, ";") || ev_is(v, k, "{") || ev_is(v, k, "}") ||
                     ev_is(v, k, "("))
                return 0;
            if (depth <= 0) break;
        }
        if (depth != 0) return 0;
        k++;
    }
    return k < lim && ev_is(v, k, "(") && v->match[k] > (long)k ? k : 0;
}

/* 1 if the inserted tokens [q, q + len) of n are one member call followed
 * by the head of another, which ends at *head (n's token). */
static int chain_at(const ev *n, size_t q, size_t len, size_t *head)
{
    size_t open, i;
    if (!(open = call_head(n, q, q + len)) || (size_t)n->match[open] != q + len - 1) return 0;
    for (i = q; i < q + len; i++)
        if (n->t[i].kind == TC_TOK_NEWLINE) return 0;
    if (!(*head = call_head(n, q + len, n->n))) return 0;
    /* the same head again (`.x().x()`): a call doubled, not a call added */
    if (*head - (q + len) != open - q) return 1;
    for (i = 0; q + i <= open; i++)
        if (!ev_eq(n, q + i, n, q + len + i)) return 1;
    return 0;
}

/* When the inserted call (token cs of n) starts its line, r->indent: how
 * much deeper it stands than the line before. TC_OK / TC_ENOMEM. */
static int example_layout(tc_edit_rule *r, const ev *n, size_t cs)
{
    size_t hl = 0, pl = 0;
    const char *hi;
    if (cs < 2 || n->t[cs - 1].kind != TC_TOK_NEWLINE) return TC_OK;
    hi = ev_line_indent(n, cs, &hl);
    ev_line_indent(n, cs - 2, &pl);
    r->indent = tc_memdup_str(hi, hl > pl ? hl - pl : 0);
    return r->indent ? TC_OK : TC_ENOMEM;
}

int edit_synth_chain(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t len = ne - p, q, lo = p, hi = p, head = 0, i, cs, ce, c;
    tc_buf t = {0};
    int rc;
    (void)o;
    if (oe != p || len < 4 || len > CHAIN_MAX || r->lang == TC_LANG_SHELL) return TC_ENOENT;
    /* the positions the same insertion could have (it slides over equal tokens) */
    while (lo > 0 && ev_eq(n, lo - 1, n, lo - 1 + len)) lo--;
    while (hi + len < n->n && ev_eq(n, hi, n, hi + len)) hi++;
    for (q = lo; q <= hi && !chain_at(n, q, len, &head); q++) {
    }
    if (q > hi) return TC_ENOENT;
    cs = q; /* the call: tokens [cs, ce), the next call's head [ce, head] */
    ce = q + len;
    for (i = ce; i <= head; i++)
        if ((rc = edit_rule_push_el(r, EL_LIT, n, i, 0))) return rc;
    /* the call goes in where a diff puts it, after the tokens it shares
     * with the head (`Value>().As<v8::` after `.As<v8::`), so that a
     * place reads as the diff of its commit */
    for (c = 0; cs + c < ce && ce + c < head && ev_eq(n, cs + c, n, ce + c); c++) {
    }
    if ((rc = tc_buf_append(&t, n->s + n->t[cs + c].off, ev_end(n, ce) - n->t[cs + c].off)) == TC_OK && c > 0)
        rc = tc_buf_append(&t, n->s + n->t[cs].off, ev_end(n, cs + c) - n->t[cs].off);
    if (rc == TC_OK && !(r->out = calloc(1, sizeof *r->out))) rc = TC_ENOMEM;
    if (rc == TC_OK) {
        r->nout = 1;
        r->out[0].hole = -1;
        r->out[0].len = t.len;
        if (!(r->out[0].lit = tc_memdup_str(t.data, t.len))) rc = TC_ENOMEM;
    }
    tc_buf_free(&t);
    if (rc) return rc;
    if (!(r->chain = tc_memdup_str(n->s + n->t[cs].off, ev_end(n, ce) - n->t[cs].off))) return TC_ENOMEM;
    if ((rc = edit_rule_set_key(r, n->s + n->t[ce + 1].off, n->t[ce + 1].len))) return rc;
    if ((rc = example_layout(r, n, cs))) return rc;
    r->rep0 = r->rep1 = c;
    r->kind = TC_EDIT_CALL;
    r->cross = 1;
    r->conf = CHAIN_CONF;
    snprintf(r->title, sizeof r->title, "insert \"%.*s\" before \"%.*s\"", (int)(strlen(r->chain) < 60 ? strlen(r->chain) : 60),
             r->chain, (int)(ev_end(n, head + 1) - n->t[ce].off), n->s + n->t[ce].off);
    return TC_OK;
}

/* 1 if the text before token i of v, spacing aside, ends with the inserted call. */
static int chain_done(const tc_edit_rule *r, const ev *v, size_t i)
{
    const char *s = v->s, *t = r->chain;
    size_t at = v->t[i].off, tl = strlen(t);
    while (tl > 0) {
        while (tl > 0 && isspace((unsigned char)t[tl - 1])) tl--;
        while (at > 0 && isspace((unsigned char)s[at - 1])) at--;
        if (tl == 0) break;
        if (at == 0 || s[at - 1] != t[tl - 1]) return 0;
        at--;
        tl--;
    }
    return 1;
}

/* The length of the longest line of v's text (bytes). */
static size_t longest_line(const ev *v)
{
    size_t best = 0, from = 0, k;
    for (k = 0; k <= v->len; k++)
        if (k == v->len || v->s[k] == '\n') {
            if (k - from > best) best = k - from;
            from = k + 1;
        }
    return best;
}

int edit_chain_site(const tc_edit_rule *r, const ev *v, size_t i, size_t *a, size_t *b, tc_buf *text)
{
    size_t ls, le, cl = strlen(r->chain), il = 0;
    const char *ind;
    if (i >= v->n || chain_done(r, v, i)) return TC_ENOENT;
    if (!r->indent || i == 0 || v->t[i - 1].kind == TC_TOK_NEWLINE) return TC_OK;
    /* the example's chain is one call a line: where this line would grow
     * past the file's longest, the call goes on a line of its own */
    for (ls = v->t[i].off; ls > 0 && v->s[ls - 1] != '\n'; ls--) {
    }
    for (le = v->t[i].off; le < v->len && v->s[le] != '\n'; le++) {
    }
    if (le - ls + cl <= longest_line(v)) return TC_OK;
    ind = ev_line_indent(v, i, &il);
    text->len = 0;
    *a = *b = v->t[i].off;
    if (tc_buf_puts(text, "\n") || tc_buf_append(text, ind, il) || tc_buf_puts(text, r->indent) ||
        tc_buf_append(text, r->chain, cl))
        return TC_ENOMEM;
    return TC_OK;
}
