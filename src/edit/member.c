/* member.c - the `member` kind: whole lines added to a C++ class's body
 * (a member declared: `static void CheckCast(napi_env env, napi_value
 * value);`) are offered in the other classes of the same family, before
 * the same line.
 *
 * Precision first, the family and the place are read from the tokens, not
 * guessed: the example's class has one base (`class Boolean : public
 * Value {`); the family is every class of the file whose bases lead to
 * that one (`String : public Name`, `Name : public Value`), the base
 * itself not included; a base named by an alias (`using Uint8Array =
 * TypedArrayOf<uint8_t>;`, `typedef`) is the class it names. The lines go
 * right before the line of that class's body (at its top level) that is
 * the example's next line with the class's own name for the example's
 * (`Boolean();` -> `Number();`: the default constructor), so the line
 * after the insertion must hold the class's name; the new lines take the
 * class's name where they had the example's. A class that has the new
 * lines already, or no such line, is left alone. */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMBER_CONF 0.85
#define MEMBER_HEAD_LOOK 40 /* tokens before a class's '{' looked at for its head */
#define MEMBER_DEPTH 16     /* bases followed */
#define MEMBER_MAX_NEW 80   /* tokens of the new lines */

static int member_lang(tc_lang l) { return l == TC_LANG_C || l == TC_LANG_CPP; }

/* Skip template arguments `<...>` at i: the token after them (i if none). */
static size_t skip_targs(const ev *v, size_t i)
{
    size_t k;
    int depth = 0;
    if (!ev_is(v, i, "<")) return i;
    for (k = i; k < v->n; k++) {
        if (ev_is(v, k, "<")) depth++;
        else if (ev_is(v, k, ">")) depth--;
        else if (ev_is(v, k, ">>")) depth -= 2;
        else if (ev_is(v, k, ";") || ev_is(v, k, "{") || ev_is(v, k, "}")) return i;
        if (depth <= 0) return k + 1;
    }
    return i;
}

/* The class whose body opens with the '{' at b: its name and its one
 * base (tokens *name, *base), `class|struct NAME [<...>] [final] :
 * [public|protected|private|virtual] BASE [<...>] {`. 0 if it is not one. */
static int class_head(const ev *v, size_t b, size_t *name, size_t *base)
{
    size_t k, lo = b > MEMBER_HEAD_LOOK ? b - MEMBER_HEAD_LOOK : 0, i;
    if (!ev_is(v, b, "{")) return 0;
    for (k = b; k-- > lo;) {
        if (ev_is(v, k, ";") || ev_is(v, k, "{") || ev_is(v, k, "}")) return 0;
        if (ev_is(v, k, "class") || ev_is(v, k, "struct")) break;
    }
    if (k < lo || k + 1 >= b || k == (size_t)-1) return 0;
    if (k > 0 && ev_is(v, k - 1, "enum")) return 0;
    i = k + 1;
    if (v->t[i].kind != TC_TOK_IDENT) return 0;
    *name = i;
    i = skip_targs(v, i + 1);
    if (ev_is(v, i, "final")) i++;
    if (!ev_is(v, i, ":")) return 0;
    i++;
    while (ev_is(v, i, "public") || ev_is(v, i, "protected") || ev_is(v, i, "private") || ev_is(v, i, "virtual")) i++;
    if (i >= b || v->t[i].kind != TC_TOK_IDENT) return 0;
    *base = i;
    while (i + 2 < b && ev_is(v, i + 1, "::") && v->t[i + 2].kind == TC_TOK_IDENT) *base = i += 2; /* ns::Base */
    return skip_targs(v, i + 1) == b; /* one base */
}

/* The '{' of the class body holding token p directly (not in a nested
 * brace), or v->n. */
static size_t body_open(const ev *v, size_t p)
{
    size_t k;
    for (k = p; k-- > 0;) {
        if (ev_is(v, k, "}") && v->match[k] >= 0) {
            k = (size_t)v->match[k];
            continue;
        }
        if (ev_is(v, k, "{")) return k;
    }
    return v->n;
}

int edit_synth_member(tc_edit_rule *r, const tc_edit_src *before, const ev *o, const ev *n, size_t p, size_t oe,
                      size_t ne)
{
    size_t b, name, base, e, i, named = 0, il;
    const char *ind;
    int rc;
    if (!member_lang(before->lang) || oe != p || ne <= p || ne - p > MEMBER_MAX_NEW) return TC_ENOENT;
    oe -= edit_slide_insert(n, &p, &ne);
    if (p == 0 || n->t[p - 1].kind != TC_TOK_NEWLINE || n->t[ne - 1].kind != TC_TOK_NEWLINE) return TC_ENOENT;
    if (p >= o->n || o->t[p].kind == TC_TOK_NEWLINE) return TC_ENOENT; /* a line follows */
    if ((b = body_open(o, p)) == o->n || !class_head(o, b, &name, &base)) return TC_ENOENT;
    /* the new lines: a member declared (a name, balanced, no brace left open) */
    for (i = p; i < ne; i++) {
        named += n->t[i].kind == TC_TOK_IDENT;
        if (ev_is(n, i, "{") || ev_is(n, i, "(") || ev_is(n, i, "["))
            if (n->match[i] < 0 || (size_t)n->match[i] >= ne) return TC_ENOENT;
        if ((ev_is(n, i, "}") || ev_is(n, i, ")") || ev_is(n, i, "]")) && (n->match[i] < 0 || (size_t)n->match[i] < p))
            return TC_ENOENT;
    }
    if (!named) return TC_ENOENT;
    /* the next line: it must hold the class's name, and two more tokens */
    e = ev_line_end(o, p);
    if (e - p < 3) return TC_ENOENT;
    for (i = p; i < e && !ev_eq(o, i, o, name); i++) {}
    if (i == e) return TC_ENOENT;
    for (i = p; i < e; i++) {
        int hole = ev_eq(o, i, o, name);
        if ((rc = edit_rule_push_el(r, hole ? EL_HOLE : EL_LIT, o, i, 0))) return rc;
    }
    if ((rc = edit_rule_pieces(r, n, ev_end(n, p), ev_end(n, ne), p, ne, o, &name, 1))) return rc;
    r->nholes = 1;
    if ((rc = edit_rule_set_key(r, o->s + o->t[base].off, o->t[base].len))) return rc;
    if (!(r->callee_from = tc_memdup_str(o->s + o->t[base].off, o->t[base].len)) ||
        !(r->callee_to = tc_memdup_str(o->s + o->t[name].off, o->t[name].len)))
        return TC_ENOMEM;
    ind = ev_line_indent(o, p, &il);
    if (!(r->indent = tc_memdup_str(ind, il))) return TC_ENOMEM;
    r->kind = TC_EDIT_MEMBER;
    r->cross = 1;
    r->line_start = 1;
    r->conf = MEMBER_CONF;
    r->reg_a = ev_end(n, p);
    r->reg_b = ev_end(n, ne);
    snprintf(r->title, sizeof r->title, "add \"%.*s\"... to the other classes of %s", (int)(n->t[p].len < 40 ? n->t[p].len : 40),
             n->s + n->t[p].off, r->callee_from);
    return TC_OK;
}

/* ---- sites ------------------------------------------------------------------------- */

/* A class with one base (name, base, open: tokens), or a type alias
 * (`typedef TypedArrayOf<uint8_t> Uint8Array;`, `using A = B<int>;`: name
 * the alias, base the type it names, open v->n). */
typedef struct klass {
    size_t name, base, open;
} klass;

/* An alias at token i (`typedef` or `using`): *k. 0 if it is none. */
static int alias_at(const ev *v, size_t i, klass *k)
{
    size_t j, e;
    if (ev_is(v, i, "using") && i + 3 < v->n && v->t[i + 1].kind == TC_TOK_IDENT && ev_is(v, i + 2, "=")) {
        for (j = i + 3; j < v->n && v->t[j].kind == TC_TOK_NEWLINE; j++) {}
        if (j == v->n || v->t[j].kind != TC_TOK_IDENT) return 0;
        k->name = i + 1;
        k->base = j;
    } else if (ev_is(v, i, "typedef") && i + 1 < v->n && v->t[i + 1].kind == TC_TOK_IDENT) {
        for (e = i + 1; e < v->n && e < i + 24 && !ev_is(v, e, ";"); e++) {}
        if (e >= v->n || !ev_is(v, e, ";") || v->t[e - 1].kind != TC_TOK_IDENT || e - 1 == i + 1) return 0;
        j = skip_targs(v, i + 2);
        if (j != e - 1) return 0; /* `typedef T<...> Name;` only */
        k->name = e - 1;
        k->base = i + 1;
    } else {
        return 0;
    }
    k->open = v->n;
    return 1;
}

/* 1 if class c's bases (through aliases) lead to the name want (not c
 * itself being it). */
static int in_family(const ev *v, const klass *cs, size_t nc, size_t c, const char *want, size_t wlen)
{
    int step;
    for (step = 0; step < MEMBER_DEPTH; step++) {
        size_t b = cs[c].base, k;
        if (v->t[b].len == wlen && memcmp(v->s + v->t[b].off, want, wlen) == 0) return 1;
        for (k = 0; k < nc && !ev_eq(v, cs[k].name, v, b); k++) {}
        if (k == nc) return 0;
        c = k;
    }
    return 0;
}

/* The new lines for class token name in v: the rule's pieces with the
 * class's name for the hole, each line's indentation the example's
 * replaced by ind[0..il). */
static int member_text(const tc_edit_rule *r, const ev *v, size_t name, const char *ind, size_t il, tc_buf *out)
{
    tc_buf raw = {0};
    size_t k, el = strlen(r->indent);
    int rc = TC_OK;
    for (k = 0; k < r->nout && rc == TC_OK; k++)
        rc = r->out[k].hole >= 0 ? tc_buf_append(&raw, v->s + v->t[name].off, v->t[name].len)
                                 : tc_buf_append(&raw, r->out[k].lit, r->out[k].len);
    for (k = 0; rc == TC_OK && k < raw.len;) { /* line by line */
        const char *nl = memchr(raw.data + k, '\n', raw.len - k);
        size_t end = nl ? (size_t)(nl - raw.data) + 1 : raw.len, from = k;
        if (end - k > 1 && end - k >= el && memcmp(raw.data + k, r->indent, el) == 0) {
            rc = tc_buf_append(out, ind, il);
            from = k + el;
        }
        if (rc == TC_OK) rc = tc_buf_append(out, raw.data + from, end - from);
        k = end;
    }
    if (rc == TC_OK && !out->data) rc = tc_buf_append(out, "", 0);
    tc_buf_free(&raw);
    return rc;
}

/* 1 if the class body (open, its match) holds the tokens of text (lexed
 * as w) at its top level already. */
static int has_lines(const ev *v, size_t open, const ev *w)
{
    size_t i, close = (size_t)v->match[open], j0 = 0, j, k;
    while (j0 < w->n && w->t[j0].kind == TC_TOK_NEWLINE) j0++;
    if (j0 == w->n) return 1;
    for (i = open + 1; i < close; i++) {
        for (j = j0, k = i; j < w->n && k < close; j++, k++) {
            while (j < w->n && w->t[j].kind == TC_TOK_NEWLINE) j++;
            while (k < close && v->t[k].kind == TC_TOK_NEWLINE) k++;
            if (j == w->n || k == close || !ev_eq(v, k, w, j)) break;
        }
        if (j >= w->n) return 1;
    }
    return 0;
}

/* The line of the body (open) at its top level where r's next line
 * stands for the class name (token name): its first token, or v->n. */
static size_t anchor_line(const tc_edit_rule *r, const ev *v, size_t open, size_t name)
{
    size_t i, close = (size_t)v->match[open];
    for (i = open + 1; i < close; i++) {
        size_t e, k;
        if (v->match[i] > (long)i && ev_is(v, i, "{")) {
            i = (size_t)v->match[i];
            continue;
        }
        if (i > 0 && v->t[i - 1].kind != TC_TOK_NEWLINE) continue;
        for (e = 0, k = i; e < r->npat && k < close; e++, k++) {
            const edit_el *el = &r->pat[e];
            if (el->type == EL_HOLE ? !ev_eq(v, k, v, name)
                                    : (v->t[k].kind != el->kind ||
                                       (el->kind != TC_TOK_NEWLINE &&
                                        (v->t[k].len != el->len || memcmp(v->s + v->t[k].off, el->text, el->len)))))
                break;
        }
        if (e == r->npat && (k == close || v->t[k].kind == TC_TOK_NEWLINE)) return i;
    }
    return v->n;
}

int edit_member_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    klass *cs = NULL;
    size_t nc = 0, i, blen = strlen(r->callee_from);
    int rc = TC_OK;
    if (!member_lang(src->lang)) return TC_OK;
    for (i = 0; i < v->n; i++) { /* the classes with one base, the aliases */
        klass k;
        if (!alias_at(v, i, &k)) {
            if (!ev_is(v, i, "{") || v->match[i] < 0 || !class_head(v, i, &k.name, &k.base)) continue;
            k.open = i;
        }
        if (nc % 64 == 0) {
            void *m = realloc(cs, (nc + 64) * sizeof *cs);
            if (!m) {
                free(cs);
                return TC_ENOMEM;
            }
            cs = m;
        }
        cs[nc++] = k;
    }
    for (i = 0; i < nc && rc == TC_OK; i++) {
        size_t at, il;
        const char *ind;
        tc_buf text = {0};
        ev w;
        int there;
        if (cs[i].open == v->n || !in_family(v, cs, nc, i, r->callee_from, blen)) continue;
        if ((at = anchor_line(r, v, cs[i].open, cs[i].name)) == v->n) continue;
        ind = ev_line_indent(v, at, &il);
        if ((rc = member_text(r, v, cs[i].name, ind, il, &text))) break;
        if ((rc = ev_init(&w, src->lang, text.data, text.len)) == TC_OK) {
            there = has_lines(v, cs[i].open, &w);
            ev_free(&w);
            if (!there) rc = edit_site_push(r, src, v, origin, ev_end(v, at), ev_end(v, at), text.data, text.len, out);
        }
        tc_buf_free(&text);
    }
    free(cs);
    return rc;
}
