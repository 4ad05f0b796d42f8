/* callrename.c - TC_EDIT_F_CALL_RENAME: a function renamed at a call,
 * the old name a function the edited file defines, the new name defined
 * nowhere in it; the place another call of it. Likewise a C type or
 * macro the file defines (a typedef, an object-like #define) renamed at
 * a use: every use must follow or the code no longer compiles (tacit's
 * 151fc2fb6c moved query.c's typedef `v4i` to a header as `tc_v4i`,
 * renamed at a use: one place at 0.65 under the middle protocol).
 *
 * Why: a call switched to a function that exists (a variant, a library's)
 * says nothing of the other calls, but one renamed to a name the file
 * does not know yet renames the function: the user moves it, makes it
 * extern with a module's prefix, or renames it where they met it first;
 * left as they were, the other calls name a function that is about to go
 * (or two functions that do the same). It is the call's side of a rename
 * made at the definition (declscope.c: every use in its scope follows).
 * tacit's own history: a46a71ac11 moved synth.c's static `is_holey` to
 * another file as `edit_is_holey`, renamed at a call first; its two
 * other calls were offered at 0.63 and 0.60 before this evidence
 * (BENCHMARKS.md, "Renamed at a call (branch ne24-call)").
 *
 * The rename's own scope is the file for a static function and any file
 * else (synth.c sets r->cross); a call in another file counts only in C
 * and C++, where the linker binds it (as declscope.c): a JavaScript or
 * Python module's namesake is another module's without an import. */
#include "edit/edit_int.h"

#include <string.h>

/* 1 if the declarator at token i follows a `typedef` in its statement:
 * back to the statement's start (`;` or an open `{`), bracketed groups
 * (a struct's body, a parameter list) skipped whole. */
static int in_typedef(const ev *v, size_t i)
{
    size_t k = i;
    while (k-- > 0) {
        if (ev_is(v, k, "typedef")) return 1;
        if (ev_is(v, k, ";") || ev_is(v, k, "{")) return 0;
        if ((ev_is(v, k, "}") || ev_is(v, k, ")") || ev_is(v, k, "]")) && v->match[k] >= 0 && (size_t)v->match[k] < k)
            k = (size_t)v->match[k];
    }
    return 0;
}

/* 1 if token i of v (a name) defines a C type or macro: `#define name`
 * or a typedef's declarator (followed by `;`, `,`, `[`, `__attribute__`,
 * or `)` after `*`: a function pointer's). Not a struct's tag: a rename
 * rule made at `struct node` finds no place (its loose declaration test
 * reads `struct node x` as declaring `node`). */
static int def_at(const ev *v, size_t i)
{
    static const char *const after[] = {";", ",", "[", "__attribute__", NULL};
    if (i == 0 || i + 1 >= v->n || v->t[i].kind != TC_TOK_IDENT) return 0;
    if (i >= 2 && ev_is(v, i - 1, "define") && ev_is(v, i - 2, "#")) return 1;
    return (ev_is_any(v, i + 1, after) || (ev_is(v, i + 1, ")") && ev_is(v, i - 1, "*"))) && in_typedef(v, i);
}

/* 1 if token p of o is a use (not the definition) of a C type or macro
 * o defines. */
static int type_use(const tc_edit_rule *r, const ev *o, size_t p)
{
    size_t i;
    if ((r->lang != TC_LANG_C && r->lang != TC_LANG_CPP) || def_at(o, p)) return 0;
    for (i = 1; i + 1 < o->n; i++)
        if (ev_eq(o, i, o, p) && def_at(o, i)) return 1;
    return 0;
}

void edit_call_rename_mark(tc_edit_rule *r, const ev *o, size_t p, int fresh, int local)
{
    /* a member's call (`a->f()`) is a method of a type declared elsewhere;
     * a shell function or a macro is set by its own rule */
    if (r->kind != TC_EDIT_RENAME || !fresh || r->qual || r->lang == TC_LANG_SHELL || p >= o->n ||
        o->t[p].kind != TC_TOK_IDENT) {
        r->call_def = 0;
        return;
    }
    /* a type's or macro's use: not a local's (a variable may shadow a
     * typedef: `int count` in a block) */
    if (r->calls_only) r->call_def = edit_defines(o, o->s + o->t[p].off, o->t[p].len, 0);
    else r->call_def = !local && type_use(r, o, p) ? 2 : 0;
}

int edit_place_call_rename(const tc_edit_rule *r, const ev *v, int origin, size_t a)
{
    size_t k;
    if (r->kind != TC_EDIT_RENAME || !r->call_def) return 0;
    if (r->call_def == 2) { /* a type's or macro's definition: moved or renamed, the example does not say */
        k = ev_tok_at(v, a);
        return origin && !(k < v->n && v->t[k].off == a && def_at(v, k));
    }
    if (origin) return 1;
    return r->cross && (r->lang == TC_LANG_C || r->lang == TC_LANG_CPP);
}
