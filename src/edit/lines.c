/* lines.c - the `delete` kind: whole lines deleted (a statement over one
 * to six lines, and the blank lines after it) are offered wherever the
 * same lines stand, numbers aside (`t.plan(2)` deleted: every `t.plan(N)`
 * line), in the file, and in the other files of its language when the
 * lines call a function.
 *
 * Precision first: the lines must hold a name and three tokens, close
 * every bracket they open and not begin with one that closes (`})` ends
 * something the deletion keeps). */
#include "edit/edit_int.h"
#include "util/status.h"

#include <stdio.h>
#include <string.h>

#define DELETE_MAX_LINES 6
#define DELETE_CONF 0.8

int edit_synth_delete(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t i, core, lines = 0, toks = 0, key = 0, keylen = 0, depth = 0, holetok[EDIT_MAX_HOLES];
    int named = 0, call = 0, nholes = 0, h, rc;
    (void)n;
    if (ne != p || oe <= p) return TC_ENOENT;
    /* slide the deleted lines up so they start after a line break */
    while (p > 0 && o->t[p - 1].kind != TC_TOK_NEWLINE && ev_eq(o, p - 1, o, oe - 1)) {
        p--;
        oe--;
    }
    if ((p > 0 && o->t[p - 1].kind != TC_TOK_NEWLINE) || o->t[oe - 1].kind != TC_TOK_NEWLINE) return TC_ENOENT;
    for (core = oe; core - 1 > p && o->t[core - 2].kind == TC_TOK_NEWLINE;) core--; /* blank lines after */
    if (o->t[p].kind == TC_TOK_NEWLINE || o->t[p].kind == TC_TOK_PUNCT) return TC_ENOENT;
    for (i = p; i < core; i++) {
        const char *t = o->s + o->t[i].off;
        uint8_t k = o->t[i].kind;
        if (k == TC_TOK_NEWLINE) {
            lines++;
            continue;
        }
        toks++;
        if (k == TC_TOK_PUNCT && o->t[i].len == 1 && strchr("([{", *t)) depth++;
        if (k == TC_TOK_PUNCT && o->t[i].len == 1 && strchr(")]}", *t)) {
            if (depth == 0) return TC_ENOENT;
            depth--;
        }
        if (k == TC_TOK_IDENT) {
            named = 1;
            call |= ev_is(o, i + 1, "(");
            if (o->t[i].len > keylen) {
                keylen = o->t[i].len;
                key = i;
            }
        }
    }
    if (!named || toks < 3 || depth || lines > DELETE_MAX_LINES) return TC_ENOENT;
    for (i = p; i < core; i++) { /* numbers are holes: the same statement with another count */
        if (o->t[i].kind != TC_TOK_NUMBER) {
            if ((rc = edit_rule_push_el(r, EL_LIT, o, i, 0))) return rc;
            continue;
        }
        for (h = 0; h < nholes && !ev_eq(o, holetok[h], o, i); h++) {}
        if (h == nholes) {
            if (nholes == EDIT_MAX_HOLES) return TC_ENOENT;
            holetok[nholes++] = i;
        }
        if ((rc = edit_rule_push_el(r, EL_HOLE, o, i, h))) return rc;
        r->pat[r->npat - 1].typed = 1;
        r->pat[r->npat - 1].kind = TC_TOK_NUMBER;
    }
    r->nholes = nholes;
    r->rep0 = oe - core; /* here: the blank lines after, deleted with them where they are */
    if ((rc = edit_rule_set_key(r, o->s + o->t[key].off, keylen))) return rc;
    r->kind = TC_EDIT_DELETE;
    r->cross = call;
    r->line_start = 1;
    r->conf = DELETE_CONF;
    snprintf(r->title, sizeof r->title, "delete the line%s \"%.*s\"...", lines > 1 ? "s" : "",
             (int)(o->t[p].len < 60 ? o->t[p].len : 60), o->s + o->t[p].off);
    return TC_OK;
}

/* Match r's lines at token i (a line's first): *end the token after them
 * and the blank lines after them that the example deleted too. */
static int lines_at(const tc_edit_rule *r, const ev *v, size_t i, size_t *end)
{
    size_t k, hole[EDIT_MAX_HOLES], h;
    if (i > 0 && v->t[i - 1].kind != TC_TOK_NEWLINE) return 0;
    if (!edit_match_tokens(r, v, i, &k, hole)) return 0;
    for (h = 0; h < r->rep0 && k < v->n && v->t[k].kind == TC_TOK_NEWLINE; h++) k++;
    *end = k;
    return 1;
}

int edit_delete_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    size_t i, end;
    int rc = TC_OK;
    for (i = 0; i < v->n && rc == TC_OK; i++) {
        size_t a, b;
        if (!lines_at(r, v, i, &end)) continue;
        a = ev_end(v, i); /* the line's start, its indentation with it */
        b = ev_end(v, end);
        rc = edit_site_push(r, src, v, origin, a, b, "", 0, out);
        i = end - 1;
    }
    return rc;
}
