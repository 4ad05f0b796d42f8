/* callrename.c - TC_EDIT_F_CALL_RENAME: a function renamed at a call,
 * the old name a function the edited file defines, the new name defined
 * nowhere in it; the place another call of it.
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

void edit_call_rename_mark(tc_edit_rule *r, const ev *o, size_t p, int fresh)
{
    /* a member's call (`a->f()`) is a method of a type declared elsewhere;
     * a shell function or a macro is set by its own rule */
    r->call_def = r->kind == TC_EDIT_RENAME && r->calls_only && fresh && !r->qual && r->lang != TC_LANG_SHELL &&
                  p < o->n && o->t[p].kind == TC_TOK_IDENT && edit_defines(o, o->s + o->t[p].off, o->t[p].len, 0);
}

int edit_place_call_rename(const tc_edit_rule *r, int origin)
{
    if (r->kind != TC_EDIT_RENAME || !r->call_def) return 0;
    if (origin) return 1;
    return r->cross && (r->lang == TC_LANG_C || r->lang == TC_LANG_CPP);
}
