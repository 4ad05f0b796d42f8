/* jslocal.c - a `tokens` rewrite whose old tokens name a local of the
 * example's function, a name the new tokens drop (`innerSub.unsubscribe()`
 * -> `resubscribe()`, `innerSub` a `let` of that function), is about that
 * variable: another function's local of the same name is another variable
 * that merely shares it (rxjs: `innerSub` in seven operators, one
 * rewritten). Its places are those inside the block that declares the
 * local (its parameter list included), in the edited file, as a local's
 * rename's are. A name after `.` is a member (not a local), a name the
 * new tokens keep is a hole. Parameters are not such locals: the same
 * parameter name in the file's functions mostly plays the same role
 * (node-gyp: `return cb(null)` -> `return null` in each method taking a
 * `cb`; `return callback(new Error(msg` -> `throw new Error(msg` in
 * another file's), and a callback's parameter has its role (role.c).
 * JavaScript and TypeScript: `var`, `let`, `const`. */
#include "edit/edit_int.h"

/* 1 if token i of v declares its name: after `var`, `let` or `const`. */
static int js_declares(const ev *v, size_t i)
{
    return i > 0 && (ev_is(v, i - 1, "var") || ev_is(v, i - 1, "let") || ev_is(v, i - 1, "const"));
}

/* The innermost brace block around token i of v that declares i's name
 * with `var`, `let` or `const` (in its body, or in the brackets before it:
 * `for (let i ...) {`, not in an inner block): tokens [*a, *b). 0 if none
 * does (a parameter, a module's name, a global). */
static int local_block(const ev *v, size_t i, size_t *a, size_t *b)
{
    long k;
    for (k = (long)i - 1; k >= 0; k--) {
        size_t q = (size_t)k, from, close, m;
        if (!ev_is(v, q, "{") || v->match[q] <= (long)i) continue; /* not a block around i */
        close = (size_t)v->match[q];
        from = edit_block_from(v, q);
        for (m = from; m < close; m++) {
            if (m != q && ev_is(v, m, "{") && v->match[m] > (long)m) { /* an inner block's locals are its own */
                m = (size_t)v->match[m];
                continue;
            }
            if (m != i && v->t[m].kind == TC_TOK_IDENT && ev_eq(v, m, v, i) && js_declares(v, m)) {
                *a = from;
                *b = close + 1;
                return 1;
            }
        }
    }
    return 0;
}

int edit_tokens_local(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t i, j, a, b;
    if ((r->lang != TC_LANG_JS && r->lang != TC_LANG_TS) || r->role_callee || !r->cross) return 0;
    for (i = p; i < oe; i++) {
        int kept = 0;
        if (o->t[i].kind != TC_TOK_IDENT || (i > 0 && ev_is_qual(o, i - 1))) continue;
        for (j = p; j < ne && !kept; j++) kept = ev_eq(o, i, n, j);
        if (kept || !local_block(o, i, &a, &b)) continue;
        /* the block in the new text: the same start (before the change), its end moved by the change */
        r->cross = 0;
        r->scope_a = ev_off(o, a);
        r->scope_b = ev_end(o, b) + n->len - o->len; /* after the `}` */
        return 1;
    }
    return 0;
}
