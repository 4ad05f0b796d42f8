/* nsname.c - a name from another file renamed in a C++ namespace: the
 * renamed type of a header (`node_api_nogc_env` ->
 * `node_addon_api_basic_env` in napi-inl.h, node-addon-api 8.2.1, the
 * same in napi.h). A name the file uses but does not declare comes from
 * elsewhere, so renaming it is renaming it wherever it is used: the
 * other files too, as a function's rename reaches them. Only where the
 * scope the rename found is a namespace's (its block, or the top-level
 * item that opens with `namespace`): the rename already covers that
 * namespace of the file, where a C function's item (a type renamed in one
 * function) stays that function's. */
#include "edit/edit_int.h"

#include <string.h>

int edit_ns_item(const ev *v, size_t a, size_t b)
{
    size_t i;
    for (i = a; i < b && i < v->n && !ev_is(v, i, "{"); i++) {
    }
    if (i >= b || i >= v->n) return 0;
    return (i >= 1 && ev_is(v, i - 1, "namespace")) ||
           (i >= 2 && ev_is(v, i - 2, "namespace") && v->t[i - 1].kind == TC_TOK_IDENT);
}

/* 1 if token i of v (the name) is declared there: after a keyword that
 * declares a type or macro, before the `=` of a `using`, as the last name
 * of a `typedef`, or declaring it as synth.c does (a variable, a
 * parameter, a function defined), but not a conversion operator's
 * `operator T()`. */
static int declared_at(const ev *v, tc_lang lang, size_t i)
{
    static const char *const kw[] = {"struct", "union", "enum", "class", "typedef", "using", "define", "namespace", NULL};
    size_t f = ev_line_first(v, i);
    if (i > 0 && ev_is(v, i - 1, "operator")) return 0; /* a conversion to it, `operator T()` */
    if (i > 0 && ev_is_any(v, i - 1, kw)) return 1;
    if (ev_is(v, i + 1, ";") && ev_is(v, f, "typedef")) return 1;
    return edit_declares_name(v, lang, i); /* a variable, a parameter, a function defined */
}

int edit_name_foreign(const ev *v, tc_lang lang, size_t p)
{
    size_t i;
    for (i = 0; i < v->n; i++)
        if (v->t[i].kind == TC_TOK_IDENT && ev_eq(v, i, v, p) && declared_at(v, lang, i)) return 0;
    return 1;
}
