/* inner.c - a local renamed in a function that declares its name again
 * in an inner scope: semver's ranges/simplify.js renames `let min` to
 * `let first` in a function whose later loop declares a `min` of its own
 * (`for (const [min, max] of set) { ... min ... }`). The uses inside that
 * loop are the other variable; the function's other uses are the one
 * renamed. Without this, a local declared twice in its scope made no rule.
 *
 * An inner scope is the one a declaration opens: a for loop's header and
 * body, an inner function's parameters and body (edit_param_scope), or
 * the `{...}` block holding a `let`, `const` (or, in C and C++, a typed)
 * declaration. Precision first, no rule when any doubt: a `var` (its
 * scope is the function's, not the block's), `x =>` without parentheses,
 * a declaration this file cannot place, an inner scope that holds the
 * example itself, more than one declaration left outside the inner
 * scopes, or more than EDIT_MAX_SKIP inner scopes. Brace languages only
 * (Python's scopes are indentation; shell has none). */
#include "edit/edit_int.h"
#include "util/status.h"

#include <string.h>

/* Token i of v is the identifier with the text of token p of o. */
static int same_name(const ev *v, size_t i, const ev *o, size_t p)
{
    return v->t[i].kind == TC_TOK_IDENT && ev_eq(v, i, o, p);
}

/* The `let`, `const` or `var` whose destructuring pattern (`[a, b]`,
 * `{ a, b }`, nested) holds token d of v: its index, or 0 when there is
 * none. */
size_t edit_pattern_kw(const ev *v, size_t d)
{
    long k;
    for (k = (long)d - 1; k > 0; k--) {
        if (v->match[k] >= 0 && v->match[k] < k) { /* a closed bracket before d: skip it */
            k = v->match[k];
            continue;
        }
        if (!ev_is(v, (size_t)k, "[") && !ev_is(v, (size_t)k, "{") && !ev_is(v, (size_t)k, ",") &&
            v->t[k].kind != TC_TOK_IDENT && !ev_is(v, (size_t)k, ":") && !ev_is(v, (size_t)k, "..."))
            return 0;
        if ((ev_is(v, (size_t)k, "[") || ev_is(v, (size_t)k, "{")) &&
            (ev_is(v, (size_t)k - 1, "let") || ev_is(v, (size_t)k - 1, "const") || ev_is(v, (size_t)k - 1, "var")))
            return v->match[k] > (long)d ? (size_t)k - 1 : 0;
    }
    return 0;
}

/* Token d of v, in a for loop's header: 1 if the header declares it (`let`,
 * `const`, a destructuring pattern of either; in C and C++ a type before
 * it), -1 if it only assigns the variable outside (`for (i = 0; ...`), 0
 * for a `var` (the function's variable). */
static int for_declares(const ev *v, tc_lang lang, size_t d)
{
    size_t kw = edit_pattern_kw(v, d), q = kw ? kw : d - 1;
    if (ev_is(v, q, "var")) return 0;
    if (ev_is(v, q, "let") || ev_is(v, q, "const")) return 1;
    if ((lang == TC_LANG_C || lang == TC_LANG_CPP) && !kw && !ev_is(v, q, "(") && !ev_is(v, q, ",") &&
        !ev_is(v, q, ";"))
        return 1;
    return -1;
}

/* The inner scope the declaration at d of v opens, tokens [*a, *b): 1;
 * 0 when it is not one this file knows; -1 when d declares nothing (`if
 * (x) {`: a condition before a body, which edit_declares_name takes for
 * a parameter list). */
static int decl_scope(const ev *v, tc_lang lang, size_t d, size_t *a, size_t *b)
{
    static const char *const cond[] = {"if", "while", "switch", "with", "return", "else", NULL};
    long k, depth = 0;
    size_t kw;
    int fd;
    if (edit_param_scope(v, lang, d, a, b)) { /* a loop's header, a function's parameters */
        for (k = 0; *a > 0 && cond[k]; k++)
            if (ev_is(v, *a - 1, cond[k])) return -1;
        return *a > 0 && ev_is(v, *a - 1, "for") ? for_declares(v, lang, d) : 1;
    }
    if (d > 0 && (kw = edit_pattern_kw(v, d)) != 0) d = kw + 1; /* `const [a, b] = ...`: as `const a` */
    if (d == 0 || ev_is(v, d - 1, "var")) return 0;
    if (lang != TC_LANG_C && lang != TC_LANG_CPP && !ev_is(v, d - 1, "let") && !ev_is(v, d - 1, "const")) return 0;
    for (k = (long)d - 1; k >= 0; k--) { /* the innermost block around it */
        if (ev_is(v, (size_t)k, "(") && v->match[k] > (long)d) { /* a loop's header: it and the body */
            size_t e = (size_t)v->match[k] + 1;
            if (k == 0 || !ev_is(v, (size_t)k - 1, "for")) return 0;
            if ((fd = for_declares(v, lang, d)) <= 0) return fd;
            while (e < v->n && v->t[e].kind == TC_TOK_NEWLINE) e++;
            *a = (size_t)k - 1;
            *b = e < v->n && ev_is(v, e, "{") && v->match[e] > (long)e ? (size_t)v->match[e] + 1 : ev_line_end(v, e);
            return 1;
        }
        if (ev_is(v, (size_t)k, "}")) depth++;
        if (!ev_is(v, (size_t)k, "{")) continue;
        if (depth > 0) {
            depth--;
            continue;
        }
        if (v->match[k] < 0) return 0;
        *a = (size_t)k;
        *b = (size_t)v->match[k] + 1;
        return 1;
    }
    return 0;
}

int edit_inner_mark(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t a, size_t b)
{
    size_t i, k, ia, ib, outer = 0, ns = 0, sa[EDIT_MAX_SKIP], sb[EDIT_MAX_SKIP];
    int ds;
    r->nskip = 0;
    if (r->lang == TC_LANG_PYTHON || r->lang == TC_LANG_SHELL || o->n != n->n) return 0;
    for (i = a; i < b && i < o->n; i++) {
        if (i == p || !same_name(o, i, o, p) || !(edit_declares_name(o, r->lang, i) || edit_pattern_kw(o, i))) continue;
        for (k = 0; k < ns && !(sa[k] <= i && i < sb[k]); k++) {
        }
        if (k < ns) continue; /* inside a scope already set aside */
        if ((ds = decl_scope(o, r->lang, i, &ia, &ib)) < 0) continue; /* no declaration: a use */
        if (ds == 0) return 0;
        if (ia <= a || ib >= b) { /* no inner scope: a declaration of the scope itself */
            outer++;
            continue;
        }
        if ((ia <= p && p < ib) || ns == EDIT_MAX_SKIP) return 0;
        sa[ns] = ia;
        sb[ns++] = ib;
    }
    if (ns == 0 || outer + (edit_declares_name(o, r->lang, p) != 0) > 1) return 0;
    for (k = 0; k < ns; k++) { /* bytes of the new text, as the scope's */
        r->skip_a[k] = ev_off(n, sa[k]);
        r->skip_b[k] = ev_end(n, sb[k]);
    }
    r->nskip = ns;
    return 1;
}

int edit_inner_skipped(const tc_edit_rule *r, size_t a, size_t b)
{
    size_t k;
    for (k = 0; k < r->nskip; k++)
        if (a >= r->skip_a[k] && b <= r->skip_b[k]) return 1;
    return 0;
}
