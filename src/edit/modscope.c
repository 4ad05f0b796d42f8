/* modscope.c - a name declared at a file's top level and renamed where
 * it is declared (`const include_dir = path.relative(...)` ->
 * `const includeDir = ...` in a JavaScript module, `static int count;`
 * in C): its scope is the whole file. Before, such a name's scope was
 * its own statement (the `;` or `}` at the top level around it), and the
 * rename had no other place (node-addon-api 5.1.0: `include_dir` ->
 * `includeDir`, 0 places, `path.join(include_dir, ...)` missed).
 *
 * Only where every other use is plainly the same variable: the name
 * declared nowhere else in the file (no parameter, local or inner
 * function of that name shadowing it), never after `.`, `->`, `::` (a
 * member of that name is another thing) and never a key of an object
 * literal (`{ include_dir: 1 }`: a property of that name). Otherwise the
 * scope stays the statement, as before.
 *
 * A shorthand property (`{ include_dir, }`, JavaScript and TypeScript)
 * is a key and a use at once: the key is the object's API, and a rename's
 * place there keeps it (`include_dir: includeDir`, as node-addon-api
 * 5.1.0 did), edit_object_prop for sites.c; an object's key of the old
 * name is no place at all. */
#include "edit/edit_int.h"

#include <string.h>

/* The token before i (after, for dir 1) that is no line break; v->n when none. */
static size_t near_tok(const ev *v, size_t i, int dir)
{
    size_t k = i;
    for (;;) {
        if (dir < 0) {
            if (k == 0) return v->n;
            k--;
        } else if (++k >= v->n) {
            return v->n;
        }
        if (v->t[k].kind != TC_TOK_NEWLINE) return k;
    }
}

/* The bracket that holds token i of v (its opening token), v->n at the
 * top level; the bracket pairs before i are stepped over whole. */
static size_t holder(const ev *v, size_t i)
{
    size_t k;
    for (k = i; k-- > 0;) {
        if (v->match[k] >= 0 && v->match[k] < (long)k) k = (size_t)v->match[k]; /* a closed pair */
        else if (v->match[k] > (long)i) return k;
    }
    return v->n;
}

int edit_object_prop(tc_lang lang, const ev *v, size_t i)
{
    size_t h, b, f;
    if (lang != TC_LANG_JS && lang != TC_LANG_TS) return 0; /* C++'s `{ a, b }` is a list of values */
    h = holder(v, i), b = near_tok(v, i, -1), f = near_tok(v, i, 1);
    if (h == v->n || !ev_is(v, h, "{")) return 0;
    /* `import { a } from`, `export { a }`: names, not properties (they rename with `as`) */
    if (ev_is(v, ev_line_first(v, h), "import") || ev_is(v, ev_line_first(v, h), "export")) {
        size_t q = near_tok(v, h, -1);
        if (q == v->n || !(ev_is(v, q, "=") || ev_is(v, q, "(") || ev_is(v, q, "default") || ev_is(v, q, "return")))
            return 0;
    }
    if (b == v->n || !(ev_is(v, b, "{") || ev_is(v, b, ","))) return 0;
    if (f < v->n && ev_is(v, f, ":")) return 2;
    return f < v->n && (ev_is(v, f, ",") || ev_is(v, f, "}"));
}

int edit_module_scope(const ev *o, const ev *n, tc_lang lang, size_t p, size_t *a, size_t *b)
{
    size_t i;
    if (lang != TC_LANG_C && lang != TC_LANG_CPP && lang != TC_LANG_JS && lang != TC_LANG_TS) return 0;
    if (p >= o->n || p >= n->n || holder(n, p) != n->n || !edit_declares_name(n, lang, p)) return 0;
    for (i = 0; i < o->n; i++) {
        if (i == p || o->t[i].kind != TC_TOK_IDENT || !ev_eq(o, i, o, p)) continue;
        if (edit_declares_name(o, lang, i) || edit_pattern_kw(o, i)) return 0; /* declared again */
        if (i > 0 && ev_is_qual(o, i - 1)) return 0;                           /* a member of that name */
        if (edit_object_prop(lang, o, i) == 2) return 0; /* a key: a property of that name */
    }
    *a = 0;
    *b = n->n;
    return 1;
}
