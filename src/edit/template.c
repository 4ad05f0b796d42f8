/* template.c - the `template` kind: a statement or expression rewritten,
 * over one line or several, whose shape repeats. The old tokens become a
 * template: the names and literals the new text keeps are holes (the same
 * text twice, the same hole), every other token must be there as it was;
 * the new text is rebuilt from the holes at each place (`type(v) is dict`
 * -> `isinstance(v, dict)` offered at `type(cfg) is list`, not at
 * `type(x[0]) is list`: a hole is one token; `m = re.match(p, s)` + `if m:`
 * -> `if m := re.match(p, s):`).
 *
 * Anchored on the template itself, not on its neighbours: it must hold
 * two names or keywords of its own and at least as many as it has holes,
 * three tokens that are no hole, and a hole (without one it is a constant
 * replaced: the literal and tokens kinds) and close every bracket it
 * opens, as the new text must; the new text may bring no
 * string or number the old tokens lack (that is the place's own).
 * A place is not one where the template is part of a longer operand: a
 * `.`, `->` or `::` before it, or after it a `.`, `(`, `[` continuing its
 * last hole or bracket (`type(v) is dict.x`). Lines after the first are
 * re-indented to the place's first line. */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEMPLATE_MAX_OLD 40 /* tokens of the template */
#define TEMPLATE_MAX_NEW 60 /* tokens of the new text */
#define TEMPLATE_CONF 0.85

/* 1 if tokens [a, b) of v close every bracket they open (in order). */
static int balanced(const ev *v, size_t a, size_t b)
{
    char stack[TEMPLATE_MAX_NEW];
    size_t sp = 0, i;
    for (i = a; i < b; i++) {
        const char *t = v->s + v->t[i].off;
        if (v->t[i].kind != TC_TOK_PUNCT || v->t[i].len != 1) continue;
        if (strchr("([{", *t)) {
            if (sp == sizeof stack) return 0;
            stack[sp++] = *t == '(' ? ')' : *t == '[' ? ']' : '}';
        } else if (strchr(")]}", *t) && (sp == 0 || stack[--sp] != *t)) {
            return 0;
        }
    }
    return sp == 0;
}

/* What a template must hold (template.c's own limits; run.c's for a run
 * replaced over lines). */
const edit_tpl_need edit_tpl_template = {TEMPLATE_MAX_OLD, TEMPLATE_MAX_NEW, 3, 2, 1, 1, 0, 0};

int edit_template_rule(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne,
                       const edit_tpl_need *need)
{
    size_t i, j, holetok[EDIT_MAX_HOLES], lits = 0, named = 0, key = 0, keylen = 0, lines = 0;
    int nholes = 0, h, rc, call = 0;
    if (oe <= p || oe - p > need->max_old || ne - p > need->max_new) return TC_ENOENT;
    if (o->t[p].kind == TC_TOK_NEWLINE || o->t[oe - 1].kind == TC_TOK_NEWLINE) return TC_ENOENT;
    /* whole expressions or statements: braces moved around them are formatting */
    if (need->balanced && (!balanced(o, p, oe) || !balanced(n, p, ne))) return TC_ENOENT;
    for (i = p; i < oe; i++) {
        int kept = 0;
        if (need->names_only ? o->t[i].kind == TC_TOK_IDENT : edit_is_holey(o->t[i].kind))
            for (j = p; j < ne && !kept; j++) kept = ev_eq(o, i, n, j);
        for (h = 0; kept && h < nholes; h++)
            if (ev_eq(o, holetok[h], o, i)) break;
        if (kept && h == nholes) {
            if (nholes == EDIT_MAX_HOLES) return TC_ENOENT;
            holetok[nholes++] = i;
        }
        call |= o->t[i].kind == TC_TOK_IDENT && ev_is(o, i + 1, "(");
        if (kept) {
            rc = edit_rule_push_el(r, EL_HOLE, o, i, h);
            if (rc == TC_OK) { /* typed: only a token of the example's kind fills it */
                r->pat[r->npat - 1].typed = 1;
                r->pat[r->npat - 1].kind = o->t[i].kind;
            }
        } else {
            rc = edit_rule_push_el(r, EL_LIT, o, i, 0);
            lines += o->t[i].kind == TC_TOK_NEWLINE;
            lits += o->t[i].kind != TC_TOK_NEWLINE;
            if (o->t[i].kind == TC_TOK_IDENT || o->t[i].kind == TC_TOK_KEYWORD) {
                named++;
                if (o->t[i].len > keylen) {
                    keylen = o->t[i].len;
                    key = i;
                }
            }
        }
        if (rc) return rc;
    }
    if (lits < need->min_lits || named < need->min_named) return TC_ENOENT;
    if (need->holes && (nholes == 0 || named < (size_t)nholes)) return TC_ENOENT;
    for (j = p; j < ne; j++) { /* a literal the old tokens lack belongs to that place ('expect error') */
        if (n->t[j].kind != TC_TOK_STRING && n->t[j].kind != TC_TOK_NUMBER && n->t[j].kind != TC_TOK_OTHER) continue;
        for (i = p; i < oe && !ev_eq(o, i, n, j); i++) {}
        if (i == oe) return TC_ENOENT;
    }
    r->nholes = nholes;
    if (ne > p && (rc = edit_rule_pieces(r, n, n->t[p].off, ev_end(n, ne), p, ne, o, holetok, nholes))) return rc;
    if ((rc = edit_rule_set_key(r, o->s + o->t[key].off, keylen))) return rc;
    {
        size_t il;
        const char *ind = ev_line_indent(o, p, &il);
        if (!(r->indent = tc_memdup_str(ind, il))) return TC_ENOMEM;
    }
    r->kind = TC_EDIT_TEMPLATE;
    r->cross = need->cross_call ? call : 1;
    r->conf = TEMPLATE_CONF;
    r->rep0 = 0;
    r->rep1 = r->npat;
    snprintf(r->title, sizeof r->title, "rewrite \"%.*s\"%s -> \"%.*s\"", (int)(o->t[p].len < 40 ? o->t[p].len : 40),
             o->s + o->t[p].off, lines ? " (several lines)" : "...",
             (int)(ne > p ? (n->t[p].len < 40 ? n->t[p].len : 40) : 0), ne > p ? n->s + n->t[p].off : "");
    return TC_OK;
}

int edit_synth_template(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    return edit_template_rule(r, o, n, p, oe, ne, &edit_tpl_template);
}

int edit_match_tokens(const tc_edit_rule *r, const ev *v, size_t i, size_t *end, size_t *hole)
{
    size_t e, k = i, h;
    for (h = 0; h < EDIT_MAX_HOLES; h++) hole[h] = (size_t)-1;
    for (e = 0; e < r->npat; e++, k++) {
        const edit_el *el = &r->pat[e];
        if (k >= v->n || v->t[k].kind != el->kind) return 0;
        if (el->type == EL_LIT) {
            if (el->kind != TC_TOK_NEWLINE && (v->t[k].len != el->len || memcmp(v->s + v->t[k].off, el->text, el->len)))
                return 0;
        } else if (hole[el->hole] == (size_t)-1) {
            hole[el->hole] = k;
        } else if (!ev_eq(v, hole[el->hole], v, k)) {
            return 0;
        }
    }
    *end = k;
    return 1;
}

/* Match r's template at token i of v: *end the token after it, hole[h] the
 * token hole h took. */
static int template_at(const tc_edit_rule *r, const ev *v, size_t i, size_t *end, size_t *hole)
{
    size_t k;
    if (!edit_match_tokens(r, v, i, &k, hole)) return 0;
    /* part of a longer operand */
    if (i > 0 && ev_is_qual(v, i - 1)) return 0;
    if (k < v->n && (ev_is_qual(v, k) || ev_is(v, k, "(") || ev_is(v, k, "[")) &&
        (edit_is_holey(v->t[k - 1].kind) || ev_is(v, k - 1, ")") || ev_is(v, k - 1, "]")))
        return 0;
    *end = k;
    return 1;
}

/* The new text at a place: the pieces with the holes' tokens, lines after
 * the first re-indented from the example's indent to ind[0..indn). */
static int render(const tc_edit_rule *r, const ev *v, const size_t *hole, const char *ind, size_t indn, tc_buf *out)
{
    size_t e, il = strlen(r->indent);
    int rc = TC_OK;
    out->len = 0;
    for (e = 0; e < r->nout && rc == TC_OK; e++) {
        const edit_piece *pc = &r->out[e];
        const char *s = pc->hole < 0 ? pc->lit : v->s + v->t[hole[pc->hole]].off;
        size_t len = pc->hole < 0 ? pc->len : v->t[hole[pc->hole]].len, at = 0;
        while (pc->hole < 0 && rc == TC_OK && at < len) { /* copy line by line, swapping the indent */
            const char *nl = memchr(s + at, '\n', len - at);
            size_t stop = nl ? (size_t)(nl - s) + 1 : len;
            rc = tc_buf_append(out, s + at, stop - at);
            at = stop;
            if (nl && rc == TC_OK && len - at >= il && memcmp(s + at, r->indent, il) == 0) {
                rc = tc_buf_append(out, ind, indn);
                at += il;
            }
        }
        if (pc->hole >= 0 && rc == TC_OK) rc = tc_buf_append(out, s, len);
    }
    if (rc == TC_OK && !out->data) rc = tc_buf_append(out, "", 0);
    return rc;
}

int edit_template_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    size_t i, end, hole[EDIT_MAX_HOLES], last = 0;
    tc_buf text = {0};
    int rc = TC_OK;
    for (i = 0; i < v->n && rc == TC_OK; i++) {
        size_t a, b, il;
        const char *ind;
        if (!template_at(r, v, i, &end, hole)) continue;
        a = v->t[i].off;
        b = ev_end(v, end);
        if (a < last) continue;
        if (origin == 1 && a <= r->reg_b && b >= r->reg_a) continue; /* the edit itself */
        ind = ev_line_indent(v, i, &il);
        if ((rc = render(r, v, hole, ind, il, &text))) break;
        if (edit_same_tokens(src->lang, text.data, text.len, src->text + a, b - a)) continue; /* changes nothing */
        if ((rc = edit_site_push(r, src, v, origin, a, b, text.data, text.len, out))) break;
        last = b;
    }
    tc_buf_free(&text);
    return rc;
}
