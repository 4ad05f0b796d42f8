/* top.c - the `top` kind: whole lines inserted at the top of a file (before
 * its first token: comments, a "#!" line and blank lines may come before)
 * are offered at the top (above its leading comments, below a "#!" line
 * and the comments after it) of every other file of the same language and
 * extension that does not have them yet ('use strict' added to every
 * module of a package).
 *
 * Precision first, from one example: only a directive, new lines that
 * hold no name (strings, keywords and punctuation: 'use strict';, "use
 * client"); lines that import or declare a name are what that file needs,
 * not every file, unless the same lines are added at the top of a second
 * file (two examples: `#include "config.h"`, `import os`). */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

/* Tokens looked at from a file's top for the lines already there. */
#define TOP_LOOK 64

/* The confidence of a place: the example says "every file" but not which
 * files of a mixed tree (sources, tests, scripts). */
#define TOP_CONF 0.8
#define TOP_CONF2 0.85 /* the same lines at the top of two files */

/* The first token of v that is not a line break (v->n: none). */
static size_t first_tok(const ev *v)
{
    size_t i = 0;
    while (i < v->n && v->t[i].kind == TC_TOK_NEWLINE) i++;
    return i;
}

/* The extension of path ("" when none), a view. */
static const char *ext_of(const char *path)
{
    const char *slash, *dot;
    if (!path) return "";
    slash = strrchr(path, '/');
    dot = strrchr(slash ? slash : path, '.');
    return dot ? dot : "";
}

/* 1 if n's tokens [p, ne) are whole lines inserted before o's first token
 * (o not empty); names: they may hold names (else strings, keywords and
 * punctuation only). */
static int top_lines(const ev *o, const ev *n, size_t p, size_t oe, size_t ne, int names)
{
    size_t i;
    if (oe != p || ne == p || first_tok(o) < p) return 0; /* an insertion before the first token */
    if (first_tok(o) == o->n) return 0;                    /* a file that was empty */
    if (n->t[ne - 1].kind != TC_TOK_NEWLINE) return 0;     /* whole lines */
    for (i = p; i < ne && !names; i++) {
        uint8_t k = n->t[i].kind;
        if (k != TC_TOK_STRING && k != TC_TOK_KEYWORD && k != TC_TOK_PUNCT && k != TC_TOK_NEWLINE) return 0;
    }
    return 1;
}

/* r: the lines n.s[token p's start, ne's end) at the top of files like
 * before's. */
static int top_rule(tc_edit_rule *r, const tc_edit_src *before, const ev *n, size_t p, size_t ne, double conf)
{
    if (!(r->out = calloc(1, sizeof *r->out))) return TC_ENOMEM;
    r->out[0].hole = -1;
    r->out[0].len = ev_end(n, ne) - n->t[p].off;
    if (!(r->out[0].lit = tc_memdup_str(n->s + n->t[p].off, r->out[0].len))) return TC_ENOMEM;
    r->nout = 1;
    if (!(r->key = calloc(1, 1))) return TC_ENOMEM; /* any file: nothing to look for */
    if (!(r->indent = strdup(ext_of(before->path)))) return TC_ENOMEM;
    r->kind = TC_EDIT_TOP;
    r->cross = 1;
    r->conf = conf;
    r->reg_a = n->t[p].off;
    r->reg_b = ev_end(n, ne);
    snprintf(r->title, sizeof r->title, "add \"%.*s\" at the top of every %s file",
             (int)(n->t[p].len < 60 ? n->t[p].len : 60), n->s + n->t[p].off, *r->indent ? r->indent : "such");
    return TC_OK;
}

int edit_synth_top(tc_edit_rule *r, const tc_edit_src *before, const ev *o, const ev *n, size_t p, size_t oe,
                   size_t ne)
{
    if (!top_lines(o, n, p, oe, ne, 0)) return TC_ENOENT;
    return top_rule(r, before, n, p, ne, TOP_CONF);
}

int edit_synth_top2(tc_edit_rule *r, const tc_edit_src *b1, const ev *o1, const ev *n1, size_t p1, size_t oe1,
                    size_t ne1, const tc_edit_src *b2, const ev *o2, const ev *n2, size_t p2, size_t oe2, size_t ne2)
{
    if (!b1->path || !b2->path || strcmp(b1->path, b2->path) == 0 || strcmp(ext_of(b1->path), ext_of(b2->path)))
        return TC_ENOENT;
    if (!top_lines(o1, n1, p1, oe1, ne1, 1) || !top_lines(o2, n2, p2, oe2, ne2, 1)) return TC_ENOENT;
    if (!edit_same_tokens(b1->lang, n1->s + n1->t[p1].off, ev_end(n1, ne1) - n1->t[p1].off,
                          n2->s + n2->t[p2].off, ev_end(n2, ne2) - n2->t[p2].off))
        return TC_ENOENT;
    return top_rule(r, b1, n1, p1, ne1, TOP_CONF2);
}

/* 1 if the new lines' tokens (nv) already lie within the first TOP_LOOK
 * tokens of v. */
static int already_there(const ev *v, const ev *nv)
{
    size_t i, j, f = first_tok(nv), want = 0;
    for (j = f; j < nv->n; j++) want += nv->t[j].kind != TC_TOK_NEWLINE;
    for (i = 0; i < v->n && i < TOP_LOOK; i++) {
        size_t k = i, got = 0;
        for (j = f; j < nv->n && k < v->n; j++) {
            if (nv->t[j].kind == TC_TOK_NEWLINE) continue;
            while (k < v->n && v->t[k].kind == TC_TOK_NEWLINE) k++;
            if (k == v->n || !ev_eq(v, k, nv, j)) break;
            got++;
            k++;
        }
        if (got == want) return 1;
    }
    return 0;
}

int edit_top_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    const char *text = r->out[0].lit;
    size_t len = r->out[0].len, f = first_tok(v), a;
    ev nv;
    int rc, there;
    if (origin == 1 || f == v->n) return TC_OK; /* the edited file has them; an empty file is no module */
    if (strcmp(ext_of(src->path), r->indent) != 0) return TC_OK;
    if ((rc = ev_init(&nv, src->lang, text, len))) return rc;
    there = already_there(v, &nv);
    ev_free(&nv);
    if (there) return TC_OK;
    /* at the top, above a leading comment (a license, a description), but
     * below a "#!" line and the comments that follow it: the first token's line */
    a = 0;
    if (src->len >= 2 && memcmp(src->text, "#!", 2) == 0)
        for (a = v->t[f].off; a > 0 && src->text[a - 1] != '\n';) a--;
    return edit_site_push(r, src, v, origin, a, a, text, len, out);
}
