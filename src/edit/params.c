/* params.c - in C and C++, brackets whose every item declares a
 * name (`Buffer(napi_env env, napi_value value);`, a constructor declared
 * in its class's body, no type before it) are a parameter list, not a
 * call's arguments: no expression holds a name right after a name (`T
 * x`, `T<U> x`; `T* x` and `const T& x` too when another item is
 * such). A call rule is not offered there
 * (node-addon-api: `Buffer(env, value, length, data)` -> `Buffer(env,
 * value)` was offered at `Buffer(napi_env env, napi_value value, size_t
 * length, T* data);`). */
#include "edit/edit_int.h"

/* Tokens [a, b) of v end in a name declared with a type before it: 2
 * when a name, keyword or `>` stands right before it (`T x`: no
 * expression reads so), 1 through `*` or `&` (`T* x`, which could be a
 * product), else 0. */
static int item_declares(const ev *v, size_t a, size_t b)
{
    size_t k;
    while (b > a && v->t[b - 1].kind == TC_TOK_NEWLINE) b--;
    if (b - a < 2 || v->t[b - 1].kind != TC_TOK_IDENT) return 0;
    k = b - 2;
    while (k > a && (ev_is(v, k, "*") || ev_is(v, k, "&") || ev_is(v, k, "&&"))) k--;
    if (ev_is(v, k, ">")) { /* a template's arguments (`T<U> x`), not `a > b` */
        size_t j;
        for (j = a; j < k && !ev_is(v, j, "<"); j++) {}
        if (j == k || j == a || v->t[j - 1].kind != TC_TOK_IDENT) return 0;
    } else if (v->t[k].kind != TC_TOK_IDENT && v->t[k].kind != TC_TOK_KEYWORD) {
        return 0;
    }
    return k == b - 2 ? 2 : 1;
}

int edit_params_declared(const ev *v, tc_lang lang, size_t lp, size_t rp)
{
    size_t k, from = lp + 1, n = 0;
    int sure = 0, d;
    if ((lang != TC_LANG_C && lang != TC_LANG_CPP) || rp <= lp + 1 || rp >= v->n) return 0;
    for (k = lp + 1; k <= rp; k++) {
        if (k < rp && v->match[k] > (long)k) {
            k = (size_t)v->match[k];
            continue;
        }
        if (k < rp && !ev_is(v, k, ",")) continue;
        if (!(d = item_declares(v, from, k))) return 0;
        sure |= d == 2;
        n++;
        from = k + 1;
    }
    return n > 0 && sure; /* one `T x` at least: `f(a * b)` may be a product */
}
