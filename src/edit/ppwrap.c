/* ppwrap.c - an `#endif` added after a line of C or C++ in a file whose
 * conditionals balanced before: the user is wrapping that line in an
 * `#if` (the opener is yet to come, or above at another place). The same
 * `#endif` is offered after the other lines of the file like that one: the
 * same tokens, but its longest name (of three words or more) a hole that
 * takes names of the same family, as many words with the same first and
 * the same last (`typedef void NAN_PROPERTY_GETTER_RETURN_TYPE;` ->
 * `typedef void NAN_INDEX_QUERY_RETURN_TYPE;`, not
 * `typedef void NAN_METHOD_RETURN_TYPE;`).
 *
 * The user who wrote the opener first (`#if C`, a line with the name,
 * `#else`, right above the line; the `#endif` closes that `#if`) gets the
 * whole wrap at each place as one edit: the `#if` line as typed, the
 * branch's line with the place's name, `#else`, the place's line,
 * `#endif` (ppwrap 2); so does the user who typed the wrap in one edit
 * (the line became `#if C`, a line with its name, `#else`, the line,
 * `#endif`).
 *
 * Kind `insert`, one `#endif` per line like the example's, in the edited
 * file only (another file's lines are another block). Precision first:
 * the `#endif` must be the only line added (a blank line with it, or any
 * other directive, is something else), the line above a whole statement
 * (it ends with `;`) with a name or keyword besides the hole; a line
 * already followed by `#endif` or preceded by `#else` is no place, and
 * more than PPWRAP_MAX_SITES lines like it in a file is not one block
 * being wrapped: none there. Tried before ppline.c (`#endif` between the same
 * two lines elsewhere): where both take the edit, the lines like the
 * example's are more places than the same two lines again (none, mostly,
 * for a declaration with its own name). */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define PPWRAP_MAX_SITES 16
#define PPWRAP_MIN_WORDS 3
#define PPWRAP_CONF 0.9

/* The words of name s[0..n): split at '_' and where a lower-case letter or
 * a digit is followed by an upper-case one. Their count; [*fa, *fb) the
 * first word's bytes, [*la, *lb) the last's. */
static size_t name_words(const char *s, size_t n, size_t *fa, size_t *fb, size_t *la, size_t *lb)
{
    size_t i, count = 0, start = 0;
    int in = 0;
    *fa = *fb = *la = *lb = 0;
    for (i = 0; i <= n; i++) {
        int sep = i == n || s[i] == '_';
        int hump = i > 0 && i < n && isupper((unsigned char)s[i]) &&
                   (islower((unsigned char)s[i - 1]) || isdigit((unsigned char)s[i - 1]));
        if (in && (sep || hump)) { /* a word ends before i */
            if (count++ == 0) {
                *fa = start;
                *fb = i;
            }
            *la = start;
            *lb = i;
            in = 0;
        }
        if (!sep && !in) {
            start = i;
            in = 1;
        }
    }
    return count;
}

/* 1 if names x and y are of one family: as many words (three or more),
 * the same first word and the same last. */
static int same_family(const char *x, size_t xn, const char *y, size_t yn)
{
    size_t xfa, xfb, xla, xlb, yfa, yfb, yla, ylb;
    size_t wx = name_words(x, xn, &xfa, &xfb, &xla, &xlb), wy = name_words(y, yn, &yfa, &yfb, &yla, &ylb);
    return wx >= PPWRAP_MIN_WORDS && wx == wy && xfb - xfa == yfb - yfa && memcmp(x + xfa, y + yfa, xfb - xfa) == 0 &&
           xlb - xla == ylb - yla && memcmp(x + xla, y + yla, xlb - xla) == 0;
}

int edit_pp_opener(const ev *v, size_t i)
{
    static const char *const op[] = {"if", "ifdef", "ifndef", NULL};
    return ev_is_any(v, i, op);
}

/* The conditionals' balance of v: openers (#if, #ifdef, #ifndef) less
 * `#endif`s, each at a line's first token. */
static long pp_balance(const ev *v)
{
    long bal = 0;
    size_t i;
    for (i = 0; i + 1 < v->n; i++) {
        if (!ev_is(v, i, "#") || (i > 0 && v->t[i - 1].kind != TC_TOK_NEWLINE)) continue;
        if (edit_pp_opener(v, i + 1)) bal++;
        if (ev_is(v, i + 1, "endif")) bal--;
    }
    return bal;
}

/* The line [la, ...) of o (the hole's name at token hole) right after
 * `#if C` (or `#ifdef`, `#ifndef`), one line holding that name, and
 * `#else`: 1, *op the `#` of the `#if`. */
static int wrap_opener(const ev *o, size_t la, size_t hole, size_t *op)
{
    size_t el, xl, il, i;
    int has = 0;
    if (la < 2) return 0;
    el = ev_line_first(o, la - 2); /* `#else` */
    if (el + 3 != la || !ev_is(o, el, "#") || !ev_is(o, el + 1, "else") || el < 2) return 0;
    xl = ev_line_first(o, el - 2); /* the line for the other branch */
    if (ev_is(o, xl, "#") || !ev_is(o, el - 2, ";")) return 0;
    for (i = xl; i + 1 < el; i++) has |= o->t[i].kind == TC_TOK_IDENT && ev_eq(o, i, o, hole);
    if (!has || xl < 2) return 0;
    il = ev_line_first(o, xl - 2);
    if (!ev_is(o, il, "#") || !edit_pp_opener(o, il + 1)) return 0;
    *op = il;
    return 1;
}

/* The hole of the line [la, le) of o (le its line break): its longest name
 * of three words or more, when the line is a whole statement (`;` last)
 * and no directive. 1, *hole; 0 none. */
static int line_hole(const ev *o, size_t la, size_t le, size_t *hole)
{
    size_t i, fa, fb, wa, wb;
    int found = 0;
    if (le < la + 3 || ev_is(o, la, "#") || !ev_is(o, le - 1, ";")) return 0;
    for (i = la; i < le; i++) {
        if (o->t[i].kind != TC_TOK_IDENT) continue;
        if (name_words(o->s + o->t[i].off, o->t[i].len, &fa, &fb, &wa, &wb) < PPWRAP_MIN_WORDS) continue;
        if (!found || o->t[i].len > o->t[*hole].len) *hole = i;
        found = 1;
    }
    return found;
}

/* r from the line [la, le] of o (le its line break, hole its name's token):
 * the pattern, the opener's pieces (bytes of w before the line, tokens
 * [op, wl) of w, wh the name's token in w; op == wl: none), the `#endif`
 * line's (tokens [ea, eb) of n). */
static int wrap_rule(tc_edit_rule *r, const ev *o, size_t la, size_t le, size_t hole, const ev *w, size_t op, size_t wl,
                     size_t wh, const ev *n, size_t ea, size_t eb)
{
    size_t i, key = la;
    int named = 0, rc;
    for (i = la; i <= le; i++) { /* the line, its line break with it */
        if ((rc = edit_rule_push_el(r, i == hole ? EL_HOLE : EL_LIT, o, i, 0))) return rc;
        if (i == hole) {
            r->pat[r->npat - 1].typed = 1;
            r->pat[r->npat - 1].kind = TC_TOK_IDENT;
            continue;
        }
        if (o->t[i].kind == TC_TOK_IDENT || o->t[i].kind == TC_TOK_KEYWORD) {
            if (!named || o->t[i].len > o->t[key].len) key = i;
            named = 1;
        }
    }
    if (!named) return TC_ENOENT; /* the hole and punctuation: too loose */
    r->nholes = 1;
    r->rep0 = r->rep1 = r->npat;
    /* the hole's name, to compare the places' with */
    if (!(r->callee_from = tc_memdup_str(o->s + o->t[hole].off, o->t[hole].len))) return TC_ENOMEM;
    if ((rc = edit_rule_set_key(r, o->s + o->t[key].off, o->t[key].len))) return rc;
    if (op < wl && (rc = edit_rule_pieces(r, w, ev_end(w, op), ev_end(w, wl), op, wl, w, &wh, 1))) return rc;
    if ((rc = edit_rule_pieces(r, n, ev_end(n, ea), ev_end(n, eb), ea, eb, o, NULL, 0))) return rc;
    r->kind = TC_EDIT_INSERT;
    r->ppwrap = op < wl ? 2 : 1;
    r->line_start = 1;
    r->conf = PPWRAP_CONF;
    if (op < wl) {
        size_t ia = w->t[op].off, ib = ev_off(w, ev_line_end(w, op));
        snprintf(r->title, sizeof r->title, "wrap the lines like \"%.*s\" in \"%.*s\"",
                 (int)(o->t[hole].len < 60 ? o->t[hole].len : 60), o->s + o->t[hole].off,
                 (int)(ib - ia < 60 ? ib - ia : 60), w->s + ia);
    } else {
        snprintf(r->title, sizeof r->title, "add \"#endif\" after the lines like \"%.*s\"",
                 (int)(o->t[hole].len < 60 ? o->t[hole].len : 60), o->s + o->t[hole].off);
    }
    return TC_OK;
}

/* The edit is a whole wrap typed at once: the line at token s of o
 * (tokens before s the same in n) became `#if C`, a line with its name,
 * `#else`, the line, `#endif` in n. */
static int synth_whole(tc_edit_rule *r, const ev *o, const ev *n, size_t s, size_t oe, size_t ne)
{
    size_t le = ev_line_end(o, s), e1, e2, e3, e4, e5, i, hole = 0, has = 0;
    /* the cheap test first: this runs for every C/C++ replacement */
    if (!ev_is(n, s, "#") || !edit_pp_opener(n, s + 1)) return TC_ENOENT;
    if (le >= o->n || !line_hole(o, s, le, &hole)) return TC_ENOENT;
    e1 = ev_line_end(n, s);
    e2 = e1 + 1 < n->n ? ev_line_end(n, e1 + 1) : n->n;
    e3 = e2 + 3;
    if (e2 >= n->n || e3 >= n->n || !ev_is(n, e2 + 1, "#") || !ev_is(n, e2 + 2, "else") || n->t[e3].kind != TC_TOK_NEWLINE)
        return TC_ENOENT;
    e4 = e3 + 1 + (le - s);
    e5 = e4 + 3;
    if (e5 >= n->n || n->t[e4].kind != TC_TOK_NEWLINE || !ev_is(n, e4 + 1, "#") || !ev_is(n, e4 + 2, "endif") ||
        n->t[e5].kind != TC_TOK_NEWLINE)
        return TC_ENOENT;
    for (i = s; i < le; i++) /* the line again, token for token */
        if (!ev_eq(o, i, n, e3 + 1 + (i - s))) return TC_ENOENT;
    if (oe > le + 1 || ne > e5 + 1) return TC_ENOENT; /* more changed than the wrap */
    if (ev_is(n, e1 + 1, "#") || !ev_is(n, e2 - 1, ";")) return TC_ENOENT; /* the branch's line */
    for (i = e1 + 1; i < e2; i++) has |= n->t[i].kind == TC_TOK_IDENT && ev_eq(n, i, o, hole);
    if (!has) return TC_ENOENT;
    return wrap_rule(r, o, s, le, hole, n, s, e3 + 1, e3 + 1 + (hole - s), n, e4 + 1, e5 + 1);
}

int edit_synth_ppwrap(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t la, hole = 0, op = 0;
    long bal;
    if ((r->lang != TC_LANG_C && r->lang != TC_LANG_CPP) || ne == p) return TC_ENOENT;
    if (oe != p) return p < o->n ? synth_whole(r, o, n, ev_line_first(o, p), oe, ne) : TC_ENOENT;
    edit_slide_insert(n, &p, &ne);
    /* one line, `#endif`, after a line */
    if (p < 2 || ne - p != 3 || n->t[p - 1].kind != TC_TOK_NEWLINE || !ev_is(n, p, "#") || !ev_is(n, p + 1, "endif") ||
        n->t[p + 2].kind != TC_TOK_NEWLINE)
        return TC_ENOENT;
    bal = pp_balance(o);
    if (bal != 0 && bal != 1) return TC_ENOENT; /* the file is odd */
    la = ev_line_first(o, p - 1);
    if (!line_hole(o, la, p - 1, &hole)) return TC_ENOENT;
    /* it closes the user's `#if`: `#if C` + a line with the name + `#else` right above the line */
    if (bal == 1 && !wrap_opener(o, la, hole, &op)) return TC_ENOENT;
    return wrap_rule(r, o, la, p - 1, hole, o, op, bal == 1 ? la : op, hole, n, p, ne);
}

/* r's line at token i of v (a line's first), its name (*name) of the
 * example's family, not wrapped already (no `#endif` after it; outside
 * the example's old text, no `#else` right above it either): 1, *end the
 * token after its line break. */
static int wrap_at(const tc_edit_rule *r, const ev *v, int origin, size_t i, size_t *end, size_t *name)
{
    size_t hole[EDIT_MAX_HOLES], k;
    if (i > 0 && v->t[i - 1].kind != TC_TOK_NEWLINE) return 0;
    if (!edit_match_tokens(r, v, i, &k, hole) || hole[0] == (size_t)-1) return 0;
    if (!same_family(r->callee_from, strlen(r->callee_from), v->s + v->t[hole[0]].off, v->t[hole[0]].len)) return 0;
    if (ev_is(v, k, "#") && ev_is(v, k + 1, "endif")) return 0; /* wrapped already */
    if (origin != 2 && i >= 3 && v->t[i - 2].kind != TC_TOK_NEWLINE && ev_is(v, ev_line_first(v, i - 2), "#") &&
        ev_is(v, ev_line_first(v, i - 2) + 1, "else"))
        return 0; /* `#else` right above: wrapped already */
    *end = k;
    *name = hole[0];
    return 1;
}

/* The new text of a place of a wrap (ppwrap 2): the opener's pieces with
 * the place's name, its line [a, b) as it is, the `#endif`. */
static int wrap_text(const tc_edit_rule *r, const ev *v, size_t name, size_t a, size_t b, tc_buf *text)
{
    size_t e;
    int rc = TC_OK;
    text->len = 0;
    for (e = 0; e + 1 < r->nout && rc == TC_OK; e++)
        rc = r->out[e].hole >= 0 ? tc_buf_append(text, v->s + v->t[name].off, v->t[name].len)
                                 : tc_buf_append(text, r->out[e].lit, r->out[e].len);
    if (rc == TC_OK) rc = tc_buf_append(text, v->s + a, b - a);
    if (rc == TC_OK) rc = tc_buf_append(text, r->out[r->nout - 1].lit, r->out[r->nout - 1].len);
    return rc;
}

int edit_ppwrap_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    size_t i, k, count = 0, at[PPWRAP_MAX_SITES + 1], ends[PPWRAP_MAX_SITES + 1], names[PPWRAP_MAX_SITES + 1];
    tc_buf text = {0};
    int rc = TC_OK;
    if (r->nout < 1 || r->out[r->nout - 1].hole >= 0 || (r->ppwrap == 1 && r->nout != 1)) return TC_OK;
    for (i = 0; i < v->n && count <= PPWRAP_MAX_SITES; i++)
        if (wrap_at(r, v, origin, i, &ends[count], &names[count])) at[count++] = i;
    if (count > PPWRAP_MAX_SITES) return TC_OK; /* not one block's lines */
    for (k = 0; k < count && rc == TC_OK; k++) {
        size_t a, b, end = ends[k], name = names[k];
        i = at[k];
        b = ev_end(v, end); /* the start of the next line */
        a = r->ppwrap == 2 ? ev_end(v, i) : b;
        if (origin == 1 && (r->ppwrap == 2 ? a < r->reg_b && b > r->reg_a : b + 1 >= r->reg_a && b <= r->reg_b + 1))
            continue; /* the edit itself */
        if (r->ppwrap == 2) {
            if ((rc = wrap_text(r, v, name, a, b, &text)) == TC_OK)
                rc = edit_site_push(r, src, v, origin, a, b, text.data, text.len, out);
        } else {
            rc = edit_site_push(r, src, v, origin, a, a, r->out[0].lit, r->out[0].len, out);
        }
    }
    tc_buf_free(&text);
    return rc;
}
