/* wrap.c - an expression wrapped in another, or unwrapped, over a line
 * break the formatter made: `details::FinalizeData<T, F>::Wrapper,` ->
 * `details::PostFinalizerWrapper<\n    details::FinalizeData<T, F>::Wrapper>,`
 * (node-addon-api 8.1.0, and the reverse in 8.2.0). The change is one
 * line's tokens, only wrapped to fit: the `tokens` kind takes it, its
 * neighbours anchored on the line as for any other change, where it
 * would refuse a change whose tokens span lines (the next line is another
 * matter) or hold more than its usual count (the wrapped text is the
 * change's tokens again, not more change).
 *
 * A wrap: the tokens of one side, line breaks aside, are those of the
 * other with tokens added before, after or both, and every line break of
 * either side lies inside a bracket the changed tokens open (`(`, `[`,
 * `{`, and a template's `<` after a name in C and C++: a `.h` is lexed as C): a line break outside one
 * ends a statement, which is a change of lines, not of one line. */
#include "edit/edit_int.h"

#include <string.h>

#define WRAP_MAX 24 /* tokens of either side, line breaks aside */

/* The tokens of [a, b) of v, line breaks aside, into idx (at most WRAP_MAX); their count, or
 * WRAP_MAX + 1 when there are more. */
static size_t solid(const ev *v, size_t a, size_t b, size_t *idx)
{
    size_t i, k = 0;
    for (i = a; i < b; i++) {
        if (v->t[i].kind == TC_TOK_NEWLINE) continue;
        if (k == WRAP_MAX) return WRAP_MAX + 1;
        idx[k++] = i;
    }
    return k;
}

/* 1 if every line break of [a, b) of v lies inside a bracket opened in
 * [a, b) and not yet closed; 0 also for a break that opens or ends it. */
static int breaks_bracketed(const ev *v, tc_lang lang, size_t a, size_t b)
{
    long depth = 0;
    size_t i;
    int cfam = lang == TC_LANG_C || lang == TC_LANG_CPP;
    for (i = a; i < b; i++) {
        const char *t = v->s + v->t[i].off;
        if (v->t[i].kind == TC_TOK_NEWLINE) {
            if (depth <= 0 || i == a || i + 1 == b) return 0;
            continue;
        }
        if (v->t[i].kind != TC_TOK_PUNCT || v->t[i].len != 1) continue;
        if (strchr("([{", *t) || (*t == '<' && cfam && i > a && v->t[i - 1].kind == TC_TOK_IDENT))
            depth++;
        else if (strchr(")]}", *t) || (*t == '>' && cfam && depth > 0))
            depth--;
    }
    return 1;
}

/* 1 if the tokens at in[0..m) are those at out[k..k+m) (in's side x, out's y). */
static int inside_at(const ev *x, const size_t *in, size_t m, const ev *y, const size_t *out, size_t k)
{
    size_t i;
    for (i = 0; i < m; i++)
        if (!ev_eq(x, in[i], y, out[k + i])) return 0;
    return 1;
}

int edit_is_wrap(tc_lang lang, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t oi[WRAP_MAX], ni[WRAP_MAX], on, nn, k;
    const ev *in, *out;
    const size_t *ii, *oo;
    size_t m, w;
    int broken = 0;
    if (oe <= p || ne <= p) return 0;
    for (k = p; k < oe || k < ne; k++) /* on one line, the kind's own limits hold */
        broken |= (k < oe && o->t[k].kind == TC_TOK_NEWLINE) || (k < ne && n->t[k].kind == TC_TOK_NEWLINE);
    if (!broken) return 0;
    if ((on = solid(o, p, oe, oi)) > WRAP_MAX || (nn = solid(n, p, ne, ni)) > WRAP_MAX || on == nn || !on || !nn)
        return 0;
    if (!breaks_bracketed(o, lang, p, oe) || !breaks_bracketed(n, lang, p, ne)) return 0;
    if (on < nn) {
        in = o, ii = oi, m = on, out = n, oo = ni, w = nn;
    } else {
        in = n, ii = ni, m = nn, out = o, oo = oi, w = on;
    }
    for (k = 0; k + m <= w; k++)
        if (inside_at(in, ii, m, out, oo, k)) return 1;
    return 0;
}
