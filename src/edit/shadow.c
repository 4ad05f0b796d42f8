/* shadow.c - a parameter renamed in one function, offered in its
 * siblings of the same file, each in its own function:
 * - it shadowed a parameter of the same name of the function around it
 *   (`(comp, options) => comp.split(x).map((comp) => f(comp))` ->
 *   `.map((c) => f(c))`): in the other functions whose parameter shadows
 *   the same name the same way (an arrow function's, or another's);
 * - it is a parameter of one declaration of a function declared several
 *   times (TypeScript's overloads, `function groupBy<T>(keySelector: ...)`
 *   -> `(key: ...)`): in the other declarations of that function.
 *
 * Precision first: a function whose parameter shadows nothing (`.map(comp
 * => g(comp))` in a method without a `comp`) is left alone, as is one
 * that declares the name twice or already uses the new name (it would
 * capture it); a use after `.`, `->`, `::` or `?.` (a member) or before
 * `:` (an object's key, a type annotation) is not the parameter. Brace
 * languages only (Python's scopes are indentation). */
#include "edit/edit_int.h"
#include "util/status.h"
#include "util/buf.h"

#include <string.h>

#define SHADOW_MAX_SCOPES 64 /* shadowing functions looked at per file */

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
            if (ev_is(v, k, ";") || ev_is(v, k, "=>")) {
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

/* The name of the function declared as `function name(` (TypeScript's
 * `function name<T>(`) whose parameter list opens at token a: its index,
 * or v->n when a is no such list. */
static size_t fn_name(const ev *v, size_t a)
{
    size_t k, lim = a > 64 ? a - 64 : 0;
    for (k = a; k-- > lim;) {
        if (ev_is(v, k, "function"))
            return k + 1 < a && v->t[k + 1].kind == TC_TOK_IDENT && (k + 2 == a || ev_is(v, k + 2, "<")) ? k + 1 : v->n;
        if (ev_is(v, k, "(") || ev_is(v, k, ";") || ev_is(v, k, "{") || ev_is(v, k, "}")) return v->n;
    }
    return v->n;
}

/* The number of `function name` declarations in v (up to 2). */
static int fn_decls(const ev *v, const char *name, size_t len)
{
    size_t i;
    int n = 0;
    for (i = 1; i < v->n && n < 2; i++) n += is_name(v, i, name, len) && ev_is(v, i - 1, "function");
    return n;
}

int edit_shadow_mark(tc_edit_rule *r, const ev *o, size_t p)
{
    size_t a, b, f;
    int arrow;
    if (shadow_param(o, r->lang, p, &a, &b, &arrow)) {
        r->shadow = 1 + arrow;
        return 1;
    }
    /* a parameter of one declaration of an overloaded function (TypeScript) */
    if (r->lang != TC_LANG_TS || !param_fn(o, r->lang, p, &a, &b) ||
        (f = fn_name(o, a)) == o->n || fn_decls(o, o->s + o->t[f].off, o->t[f].len) < 2)
        return 0;
    if (!(r->fn = tc_memdup_str(o->s + o->t[f].off, o->t[f].len))) return 0;
    r->shadow = 3;
    return 1;
}

/* The functions of v whose parameter name[0..nl) shadows that name the
 * way r's example did (r->shadow 1, 2), or the other declarations of the
 * example's function with a parameter of that name (3), the example's own
 * aside: at most max, in sc. */
static size_t sibling_scopes(const tc_edit_rule *r, const ev *v, const char *name, size_t nl, scope *sc, size_t max)
{
    size_t i, n = 0, fl = r->fn ? strlen(r->fn) : 0;
    for (i = 0; i < v->n && n < max; i++) {
        size_t a, b;
        int arrow;
        if (!is_name(v, i, name, nl)) continue;
        if (r->shadow == 3) {
            size_t f;
            if (!param_fn(v, r->lang, i, &a, &b) || (f = fn_name(v, a)) == v->n ||
                !is_name(v, f, r->fn, fl))
                continue;
        } else if (!shadow_param(v, r->lang, i, &a, &b, &arrow) || 1 + arrow != r->shadow) {
            continue;
        }
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
    int rc = TC_OK;
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
        rc = edit_site_push(r, src, v, origin, sa, sb, to, tl, out);
    }
    return rc;
}
