/* role.c - the role a parameter plays: parameter k of a function
 * expression passed as argument j of a call of a named function
 * (`test('x', function (t) {...})`: `t` is parameter 0 of argument 1 of
 * `test`). A parameter renamed at one use (`t.strictEqual(a, b)` ->
 * `assert.strictEqual(a, b)`: the test's object replaced by a module) is
 * renamed in the sibling functions where it plays the same role, at the
 * uses followed by the same member as the example's (JavaScript,
 * TypeScript). A `tokens` rewrite of a call with a callback (`test('x',
 * function (t` -> `it('x', function (`) has a role too: the calls of the
 * same function with a callback at the same argument, as many places as
 * the code has such calls (the limit of a role, TC_EDIT_MAX_NARROW, not
 * that of a `tokens` rule). In the example's own callback a renamed
 * parameter is likewise offered only at the uses followed by the same
 * member (edit_role_own): its parameter list (`function (t)`: the test's
 * object is still passed, or dropped, never named after the module) and
 * its uses by another member (`t.plan(3)`, `t.end()`: another API's
 * calls, which the module may not have) are left alone. */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

/* The parameters [a, b) (inside the parentheses, or the one name of
 * `x =>`) of the function whose body is the '{' at k: 1 if the tokens
 * before k make a function expression (`function (…) {`, `function
 * name (…) {`, `(…) => {`, `x => {`, `async` before any), *fs its first
 * token. */
static int fn_head(const ev *v, size_t k, size_t *a, size_t *b, size_t *fs)
{
    size_t j = k, c;
    while (j > 0 && v->t[j - 1].kind == TC_TOK_NEWLINE) j--;
    if (j == 0) return 0;
    if (ev_is(v, j - 1, "=>")) {
        j--;
        if (j == 0) return 0;
        if (v->t[j - 1].kind == TC_TOK_IDENT) { /* x => { */
            *a = j - 1;
            *b = j;
            *fs = j - 1;
        } else if (ev_is(v, j - 1, ")") && v->match[j - 1] >= 0) {
            *a = (size_t)v->match[j - 1] + 1;
            *b = j - 1;
            *fs = (size_t)v->match[j - 1];
        } else {
            return 0;
        }
    } else if (ev_is(v, j - 1, ")") && v->match[j - 1] >= 0) {
        c = (size_t)v->match[j - 1];
        *a = c + 1;
        *b = j - 1;
        if (c > 0 && v->t[c - 1].kind == TC_TOK_IDENT) c--; /* function name (…) */
        if (c == 0 || !ev_is(v, c - 1, "function")) return 0;
        *fs = c - 1;
    } else {
        return 0;
    }
    if (*fs > 0 && ev_is(v, *fs - 1, "async")) (*fs)--;
    return 1;
}

/* The index of the parameter named as token i among tokens [a, b) (the
 * name that starts each one, `t = 1` and `t: T` too), or -1. */
static long param_index(const ev *v, size_t a, size_t b, size_t i)
{
    size_t k;
    long idx = 0;
    int start = 1;
    for (k = a; k < b; k++) {
        if (v->match[k] > (long)k) { /* a default's or a type's brackets */
            k = (size_t)v->match[k];
            start = 0;
            continue;
        }
        if (ev_is(v, k, ",")) {
            idx++;
            start = 1;
            continue;
        }
        if (start && v->t[k].kind == TC_TOK_IDENT) {
            if (ev_eq(v, k, v, i)) return idx;
            start = 0;
        } else if (v->t[k].kind != TC_TOK_NEWLINE) {
            start = 0;
        }
    }
    return -1;
}

/* 1 if a token of [a, b) declares the name of token i (`var`, `let` or
 * `const` before it). */
static int declared_in(const ev *v, size_t a, size_t b, size_t i)
{
    size_t k;
    for (k = a + 1; k < b; k++)
        if (k != i && v->t[k].kind == TC_TOK_IDENT && ev_eq(v, k, v, i) &&
            (ev_is(v, k - 1, "var") || ev_is(v, k - 1, "let") || ev_is(v, k - 1, "const")))
            return 1;
    return 0;
}

int edit_param_role(const ev *v, size_t i, size_t *callee, long *arg, long *param)
{
    long k;
    if (i >= v->n || v->t[i].kind != TC_TOK_IDENT) return 0;
    for (k = (long)i - 1; k >= 0; k--) {
        size_t q = (size_t)k, a, b, fs, c, j;
        long pi, depth;
        if (v->match[q] <= (long)i || !ev_is(v, q, "{")) continue; /* not a block around i */
        if (declared_in(v, q, i, i)) return 0;                      /* a variable of that block */
        if (!fn_head(v, q, &a, &b, &fs)) continue;                  /* an if's or a loop's block */
        if ((pi = param_index(v, a, b, i)) < 0) continue;           /* an outer function's name */
        /* the function is an argument of a named call: the '(' around it */
        if (fs == 0 || !(ev_is(v, fs - 1, "(") || ev_is(v, fs - 1, ","))) return 0;
        for (c = fs, depth = 0; c-- > 0;) {
            if (v->match[c] >= 0 && v->match[c] < (long)c) { /* a bracket closed before fs: skip it */
                c = (size_t)v->match[c];
                continue;
            }
            if (v->match[c] > (long)fs) break; /* the bracket around the function */
        }
        if (c >= fs || !ev_is(v, c, "(") || c == 0 || v->t[c - 1].kind != TC_TOK_IDENT || edit_is_decl_before(v, c - 1))
            return 0;
        for (j = c + 1; j < fs; j++) {
            if (v->match[j] > (long)j) {
                j = (size_t)v->match[j];
                continue;
            }
            depth += ev_is(v, j, ",");
        }
        *callee = c - 1;
        *arg = depth;
        *param = pi;
        return 1;
    }
    return 0;
}

/* Token p of o (JavaScript, TypeScript) is a callback's parameter followed
 * by `.name`: its role into r (role_callee, role_arg, role_param).
 * TC_OK (*found 0: no role, r unchanged) / TC_ENOMEM. */
static int role_of(tc_edit_rule *r, const ev *o, size_t p, int *found)
{
    size_t callee;
    long arg, param;
    *found = 0;
    if (r->lang != TC_LANG_JS && r->lang != TC_LANG_TS) return TC_OK;
    /* a member may be any word (`t.false(x)`, `t.throws(f)`) */
    if (p + 2 >= o->n || !ev_is(o, p + 1, ".") || !ev_is_word(o, p + 2)) return TC_OK;
    if (!edit_param_role(o, p, &callee, &arg, &param)) return TC_OK;
    if (!(r->role_callee = tc_memdup_str(o->s + o->t[callee].off, o->t[callee].len))) return TC_ENOMEM;
    r->role_arg = arg;
    r->role_param = param;
    *found = 1;
    return TC_OK;
}

int edit_role_rename(tc_edit_rule *r, const ev *o, size_t p)
{
    int found, rc = role_of(r, o, p, &found);
    if (rc != TC_OK || !found) return rc;
    /* the member after the example's use says which uses */
    if (!(r->role_member = tc_memdup_str(o->s + o->t[p + 2].off, o->t[p + 2].len))) return TC_ENOMEM;
    r->cross = 1;
    return TC_OK;
}

/* The index of the first argument of the call whose '(' is at c that is
 * a function expression (`function (…`, `async …`, `(…) =>`, `x =>`)
 * starting before token lim, or -1. */
static long callback_arg(const ev *v, size_t c, size_t lim)
{
    size_t j, e;
    long arg = 0;
    int start = 1;
    if (c >= v->n || !ev_is(v, c, "(") || v->match[c] <= (long)c) return -1;
    e = (size_t)v->match[c];
    for (j = c + 1; j < e && j < lim; j++) {
        if (v->t[j].kind == TC_TOK_NEWLINE) continue;
        if (start) {
            if (ev_is(v, j, "function") || ev_is(v, j, "async") ||
                (v->t[j].kind == TC_TOK_IDENT && ev_is(v, j + 1, "=>")) ||
                (ev_is(v, j, "(") && v->match[j] > (long)j && ev_is(v, (size_t)v->match[j] + 1, "=>")))
                return arg;
            start = 0;
        }
        if (v->match[j] > (long)j) {
            j = (size_t)v->match[j];
            continue;
        }
        if (ev_is(v, j, ",")) {
            arg++;
            start = 1;
        }
    }
    return -1;
}

/* 1 if token i of v calls a function by its name (not a member, not a
 * declaration: a line break before it starts a statement, whatever the
 * line before ends with) with a callback: its argument's index into
 * *arg. lim as callback_arg's. */
static int call_role(const ev *v, size_t i, size_t lim, long *arg)
{
    if (i + 1 >= v->n || v->t[i].kind != TC_TOK_IDENT || !ev_is(v, i + 1, "(")) return 0;
    if (i > 0 && (ev_is(v, i - 1, ".") || ev_is(v, i - 1, "?.") ||
                  (v->t[i - 1].kind != TC_TOK_NEWLINE && edit_is_decl_before(v, i))))
        return 0;
    return (*arg = callback_arg(v, i + 1, lim)) >= 0;
}

int edit_role_tokens(tc_edit_rule *r, const ev *o, size_t p)
{
    int found, rc = role_of(r, o, p, &found);
    size_t oe;
    long arg;
    if (rc != TC_OK || found || (r->lang != TC_LANG_JS && r->lang != TC_LANG_TS) || p < 2 || r->npat < 4)
        return rc;
    /* the call itself (`test('x', function (t` -> `it('x', function (`):
     * its old tokens (the pattern less one or two neighbours before, one
     * after: synth_tokens) reach into a callback argument */
    oe = p + r->npat - (o->t[p - 1].kind == TC_TOK_NEWLINE ? 1 : 2) - 1;
    if (!call_role(o, p, oe, &arg)) return TC_OK;
    if (!(r->role_callee = tc_memdup_str(o->s + o->t[p].off, o->t[p].len))) return TC_ENOMEM;
    r->role_arg = arg;
    r->role_param = -1;
    return TC_OK;
}

int edit_role_site(const tc_edit_rule *r, const ev *v, size_t i)
{
    size_t callee, n = r->role_member ? strlen(r->role_member) : 0;
    long arg, param;
    if (r->role_member && (i + 2 >= v->n || !ev_is(v, i + 1, ".") || v->t[i + 2].len != n ||
                           memcmp(v->s + v->t[i + 2].off, r->role_member, n) != 0))
        return 0;
    if (r->role_param < 0) { /* the call itself: the same function, a callback at the same argument */
        callee = i;
        if (!call_role(v, i, v->n, &arg) || arg != r->role_arg) return 0;
    } else if (!edit_param_role(v, i, &callee, &arg, &param) || arg != r->role_arg || param != r->role_param) {
        return 0;
    }
    n = strlen(r->role_callee);
    return v->t[callee].len == n && memcmp(v->s + v->t[callee].off, r->role_callee, n) == 0;
}

int edit_role_own(const tc_edit_rule *r, const ev *v, size_t i)
{
    if (r->kind != TC_EDIT_RENAME || !r->role_callee || !r->role_member) return 1;
    return edit_role_site(r, v, i);
}
