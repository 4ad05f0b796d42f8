/* shadow.c - a parameter renamed because it shadowed a parameter of the
 * same name of the function around it (`(comp, options) => comp.split(x)
 * .map((comp) => f(comp))` -> `.map((c) => f(c))`): the same rename in
 * the file's other functions whose parameter shadows the same name the
 * same way (an arrow function's, or another's), each in its own function.
 * (A parameter renamed in one of a TypeScript function's overloads is
 * not offered in the others: on rxjs's groupBy, 3 of 7 such places were
 * what the commit did, the others were overloads it deleted.)
 *
 * Precision first: a function whose parameter shadows nothing (`.map(comp
 * => g(comp))` in a method without a `comp`) is left alone, as is one
 * that declares the name twice or already uses the new name (it would
 * capture it); a use after `.`, `->`, `::` or `?.` (a member) or before
 * `:` (an object's key, a type annotation) is not the parameter. Brace
 * languages only (Python's scopes are indentation). */
#include "edit/edit_int.h"
#include "util/status.h"

#include <string.h>

#define SHADOW_MAX_SCOPES 64    /* sibling functions looked at per file */
#define SHADOW_SIBLING_CONF 0.7 /* a sibling's places: the rule's own confidence (TC_EDIT_F_BASE) */

typedef struct scope {
    size_t a, b; /* tokens: the function, from its '(' to the end of its body */
} scope;

/* Token i of v is the identifier name[0..len). */
static int is_name(const ev *v, size_t i, const char *name, size_t len)
{
    return v->t[i].kind == TC_TOK_IDENT && v->t[i].len == len && memcmp(v->s + v->t[i].off, name, len) == 0;
}

/* Token i of v closes a bracket. */
static int closes(const ev *v, size_t i)
{
    return v->match[i] >= 0 && (size_t)v->match[i] < i;
}

/* edit_param_scope, the end clipped at the end of a body after a
 * TypeScript return type (`): T {...}`, `): T;`) and at the first line
 * that starts in column 0 (a statement of the file's top level: an arrow
 * function's expression body, in JavaScript without semicolons, ends
 * there; a line that starts by closing a bracket goes on). */
static int param_fn(const ev *v, tc_lang lang, size_t d, size_t *a, size_t *b)
{
    size_t k;
    if (!edit_param_scope(v, lang, d, a, b)) return 0;
    if (v->match[*a] >= 0 && ev_is(v, (size_t)v->match[*a] + 1, ":"))
        for (k = (size_t)v->match[*a] + 2; k < v->n; k++) {
            if (ev_is(v, k, "{") && v->match[k] > (long)k) {
                *b = (size_t)v->match[k] + 1;
                break;
            }
            if (ev_is(v, k, "=>")) break; /* an arrow function's: its body as edit_param_scope found it */
            if (ev_is(v, k, ";")) {
                *b = k + 1;
                break;
            }
            if (v->match[k] > (long)k) k = (size_t)v->match[k];
        }
    for (k = d; k + 1 < *b; k++)
        if (v->t[k].kind == TC_TOK_NEWLINE && v->t[k + 1].kind != TC_TOK_NEWLINE && !closes(v, k + 1) &&
            (v->t[k + 1].off == 0 || v->s[v->t[k + 1].off - 1] == '\n')) {
            *b = k + 1;
            break;
        }
    return 1;
}

/* 1 if token d of v is a parameter whose function, tokens [*a, *b), lies
 * inside a function with a parameter of the same name; *arrow: 1 for an
 * arrow function's parameter. */
static int shadow_param(const ev *v, tc_lang lang, size_t d, size_t *a, size_t *b, int *arrow)
{
    size_t k, a2, b2;
    if (lang == TC_LANG_PYTHON || lang == TC_LANG_SHELL || !param_fn(v, lang, d, a, b)) return 0;
    *arrow = v->match[*a] >= 0 && ev_is(v, (size_t)v->match[*a] + 1, "=>");
    for (k = *a; k-- > 0;)
        if (ev_eq(v, k, v, d) && param_fn(v, lang, k, &a2, &b2) && a2 < *a && *b <= b2) return 1;
    return 0;
}

/* 1 if the function [a, b) of v declares name once (its parameter) and
 * never uses the new name to[0..tl). */
static int scope_ok(const ev *v, tc_lang lang, size_t a, size_t b, const char *name, size_t nl, const char *to,
                    size_t tl)
{
    size_t j, decls = 0;
    for (j = a; j < b && j < v->n; j++) {
        if (is_name(v, j, to, tl)) return 0;
        if (is_name(v, j, name, nl) && edit_declares_name(v, lang, j) && ++decls > 1) return 0;
    }
    return decls == 1;
}

int edit_shadow_mark(tc_edit_rule *r, const ev *o, size_t p)
{
    size_t a, b;
    int arrow;
    if (!shadow_param(o, r->lang, p, &a, &b, &arrow)) return 0;
    r->shadow = 1 + arrow;
    return 1;
}

/* The functions of v whose parameter name[0..nl) shadows that name the
 * way r's example did, the example's own aside: at most max, in sc. */
static size_t sibling_scopes(const tc_edit_rule *r, const ev *v, const char *name, size_t nl, scope *sc, size_t max)
{
    size_t i, n = 0;
    for (i = 0; i < v->n && n < max; i++) {
        size_t a, b;
        int arrow;
        if (!is_name(v, i, name, nl) || !shadow_param(v, r->lang, i, &a, &b, &arrow) || 1 + arrow != r->shadow)
            continue;
        if (ev_off(v, a) < r->scope_b && ev_end(v, b) > r->scope_a) continue; /* the example's own function */
        if (scope_ok(v, r->lang, a, b, name, nl, r->out[0].lit, r->out[0].len)) sc[n++] = (scope){a, b};
    }
    return n;
}

/* 1 if token i of v, in a sibling function, is a use of its parameter
 * (not a member, not an object's key or a type's). */
static int sibling_use(const ev *v, size_t i, const scope *sc, size_t nsc)
{
    size_t k;
    if ((i > 0 && ev_is_qual(v, i - 1)) || (ev_is(v, i + 1, ":") && !edit_declares_name(v, TC_LANG_JS, i)))
        return 0;
    for (k = 0; k < nsc; k++)
        if (sc[k].a <= i && i < sc[k].b) return 1;
    return 0;
}

int edit_shadow_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    const char *name = r->pat[0].text, *to = r->out[0].lit;
    size_t nl = r->pat[0].len, tl = r->out[0].len, i, nsc = 0;
    scope sc[SHADOW_MAX_SCOPES];
    tc_edit_rule sib;
    int rc = TC_OK;
    /* a sibling is the example's reading, not the example: as sure as a
     * rename made at one use */
    sib = *r;
    sib.conf = SHADOW_SIBLING_CONF;
    nsc = sibling_scopes(r, v, name, nl, sc, SHADOW_MAX_SCOPES);
    for (i = 0; i < v->n && rc == TC_OK; i++) {
        size_t sa, sb;
        int own;
        if (!is_name(v, i, name, nl)) continue;
        sa = v->t[i].off;
        sb = sa + v->t[i].len;
        own = r->scope_b > r->scope_a && sa >= r->scope_a && sb <= r->scope_b;
        if (!own && !sibling_use(v, i, sc, nsc)) continue;
        if (sa <= r->reg_b && sb >= r->reg_a) continue; /* the edit itself */
        rc = edit_site_push(own ? r : &sib, src, v, origin, sa, sb, to, tl, out);
    }
    return rc;
}
