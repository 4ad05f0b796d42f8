/* unbal.c - an example that leaves a bracket open is a piece of a larger
 * change (a call's head deleted, its arguments kept as another call's:
 * `TC_CHECK_STR(got, "x");` -> `"x");` with the lines above rewritten):
 * the same tokens changed at another place would leave that place's
 * brackets unbalanced, so the token kinds make no rule of it.
 *
 * The count is of the changed tokens only: the prefix and suffix the
 * texts share hold the same brackets, so however the difference is
 * aligned, the changed tokens keep the balance exactly when the whole text
 * does (`f(a)` -> `g(f(a))` changes `f ( a` into `g ( f ( a )`: one '('
 * open in each, kept). */
#include "edit/edit_int.h"

#include <string.h>

/* Per kind of bracket ("()", "[]", "{}"), opened minus closed in tokens
 * [a, b) of v, added to d[0..3) with sign. */
static void count_brackets(const ev *v, size_t a, size_t b, int sign, long *d)
{
    static const char open[] = "([{", close[] = ")]}";
    size_t i;
    for (i = a; i < b && i < v->n; i++) {
        const char *c;
        if (v->t[i].kind != TC_TOK_PUNCT || v->t[i].len != 1) continue;
        if ((c = strchr(open, v->s[v->t[i].off])) != NULL && *c) d[c - open] += sign;
        else if ((c = strchr(close, v->s[v->t[i].off])) != NULL && *c) d[c - close] -= sign;
    }
}

int edit_brackets_kept(const ev *o, size_t p, size_t oe, const ev *n, size_t ne)
{
    long d[3] = {0, 0, 0};
    count_brackets(o, p, oe, 1, d);
    count_brackets(n, p, ne, -1, d);
    return d[0] == 0 && d[1] == 0 && d[2] == 0;
}
