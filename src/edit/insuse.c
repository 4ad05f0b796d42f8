/* insuse.c - an insertion that names what follows it on its line: `if
 * (instance) ` inserted before `(instance->*cb)(info);` (node-addon-api
 * 7.0.0, at four such calls). The `tokens` kind anchors an insertion on
 * two tokens before it and one after, here the line's start and `(`: any
 * line that starts with a bracket, too many places to offer from one
 * example. The name the inserted tokens use is what they are about (a
 * guard of `instance`), so the anchor after the insertion reaches to it:
 * the places are the lines where the same name follows as closely. */
#include "edit/edit_int.h"

#define INSUSE_REACH 3 /* tokens after the insertion the anchor may reach */

size_t edit_insert_uses(const ev *o, const ev *n, size_t p, size_t ne)
{
    size_t i, j;
    for (i = p; i < o->n && i < p + INSUSE_REACH; i++) {
        if (o->t[i].kind == TC_TOK_NEWLINE) break;
        if (o->t[i].kind != TC_TOK_IDENT) continue;
        for (j = p; j < ne; j++)
            if (ev_eq(o, i, n, j)) return i - p + 1;
    }
    return 1;
}
