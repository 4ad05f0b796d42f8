/* ppline.c - conditional-compilation lines added between two lines of C
 * or C++: `#if !defined(V8_MAJOR_VERSION) || V8_MAJOR_VERSION < 12` added
 * between `, obj` and `, settings` of a call's arguments, `#endif` added
 * between `tpl->SetAccessor(` and `name`. The same lines are offered
 * between every other pair of adjacent lines that read as those two (token
 * for token, spacing aside), in every C and C++ file: the same code
 * written twice (the overloads of a function, the branches of another
 * `#if`) wrapped the same way.
 *
 * Kind `insert` (whole lines added; the line above and the line below
 * both the same, as for its lines that use nothing of the line above).
 * Precision first: only `#if`, `#ifdef`, `#ifndef`, `#elif`, `#else` and
 * `#endif` lines (a line of code added makes an `insert` rule, synth.c);
 * the line above and the line below each hold a name and are no
 * preprocessor line themselves. Before the `call` kind: such a line
 * inside a call's arguments is no change of the call (the arguments are
 * the same tokens), and a call rewrite made from it offered the call with
 * the lines at calls that have none of them.
 *
 * An `#include` guarded (`#if NAPI_HAS_THREADS` above `#include <mutex>`,
 * or `#endif` below it: node-addon-api 6.0.0, in napi.h and napi-inl.h):
 * the directive is about that include, not about its other neighbour, so
 * openers (`#if`, `#ifdef`, `#ifndef`) added right above an `#include`
 * anchor on that line alone, and `#endif` lines right below one on that
 * line alone: the same include in every C and C++ file. */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PPLINE_MAX_LINES 4 /* preprocessor lines added at once */
#define PPLINE_CONF 0.9

/* 1 if the line starting at token f of v is a conditional-compilation line. */
static int pp_cond(const ev *v, size_t f)
{
    static const char *const dir[] = {"if", "ifdef", "ifndef", "elif", "else", "endif", NULL};
    return f + 1 < v->n && ev_is(v, f, "#") && ev_is_any(v, f + 1, dir);
}

/* 1 if the line starting at token f of v opens a conditional (`#if`,
 * `#ifdef`, `#ifndef`); 0 otherwise. */
static int pp_opens(const ev *v, size_t f)
{
    return f + 1 < v->n && ev_is(v, f, "#") && edit_pp_opener(v, f + 1);
}

/* 1 if the line starting at token f of v is an `#include`. */
static int pp_include(const ev *v, size_t f)
{
    return f + 1 < v->n && ev_is(v, f, "#") && ev_is(v, f + 1, "include");
}

/* 1 if tokens [a, b) of v (one line) are an anchor: a name, no preprocessor line. */
static int anchor_line(const ev *v, size_t a, size_t b)
{
    size_t i;
    if (a >= b || ev_is(v, a, "#")) return 0;
    for (i = a; i < b; i++)
        if (v->t[i].kind == TC_TOK_IDENT) return 1;
    return 0;
}

int edit_synth_ppline(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t i, la, be, lines = 0, key, ia, ib, opens = 0, closes = 0;
    const char *ind;
    size_t indn = 0;
    int rc;
    if ((r->lang != TC_LANG_C && r->lang != TC_LANG_CPP) || oe != p || ne == p || p == 0) return TC_ENOENT;
    edit_slide_insert(n, &p, &ne);
    if (p < 2 || n->t[p - 1].kind != TC_TOK_NEWLINE || n->t[ne - 1].kind != TC_TOK_NEWLINE || ne >= n->n) return TC_ENOENT;
    for (i = p; i < ne; i = ev_line_end(n, i) + 1, lines++) {
        if (!pp_cond(n, i) || lines >= PPLINE_MAX_LINES) return TC_ENOENT;
        opens += pp_opens(n, i);
        closes += ev_is(n, i + 1, "endif");
    }
    /* the line above, [la, p - 1) of o, and the line below, [p, be) */
    la = ev_line_first(o, p - 1);
    be = ev_line_end(o, p);
    if (opens == lines && pp_include(o, p)) {
        la = p; /* an include guarded from above: that line alone */
    } else if (closes == lines && pp_include(o, la)) {
        be = p - 1; /* ... closed below it */
    } else if (!anchor_line(o, la, p - 1) || !anchor_line(o, p, be)) {
        return TC_ENOENT;
    }
    /* whole lines: from a line's start to the line break after the line below */
    if (be < o->n) be++;
    for (key = la, i = la; i < be; i++) { /* the key: the longest name */
        if ((rc = edit_rule_push_el(r, EL_LIT, o, i, 0))) return rc;
        if (o->t[i].kind == TC_TOK_IDENT && (o->t[key].kind != TC_TOK_IDENT || o->t[i].len > o->t[key].len)) key = i;
    }
    /* the lines as typed, from the start of the first to the end of the last */
    ia = ev_end(n, p);
    ib = ev_end(n, ne);
    if ((rc = edit_rule_pieces(r, n, ia, ib, p, ne, o, NULL, 0))) return rc;
    ind = ev_line_indent(o, la, &indn);
    if (!(r->indent = tc_memdup_str(ind, indn))) return TC_ENOMEM;
    if ((rc = edit_rule_set_key(r, o->s + o->t[key].off, o->t[key].len))) return rc;
    r->rep0 = r->rep1 = p - la; /* before the line below */
    r->line_start = 1;
    r->kind = TC_EDIT_INSERT;
    r->cross = 1;
    r->conf = PPLINE_CONF;
    r->ppline = 1; /* TC_EDIT_F_PPLINE: the place is where those lines are */
    i = strcspn(r->out[0].lit, "\n");
    snprintf(r->title, sizeof r->title, "add \"%.*s\" %s", (int)(i < 60 ? i : 60), r->out[0].lit,
             la == p || be == p ? "at the same #include" : "between the same two lines");
    return TC_OK;
}
