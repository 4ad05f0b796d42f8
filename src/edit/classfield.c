/* classfield.c - a change inside a data member's declaration, directly in
 * the body of a `class`, `struct` or `union` (`void* _data;` ->
 * `void* _data{};`), is that class's: another class's member of the same
 * name and type is another declaration the example says nothing of
 * (node-addon-api's commit gave DataView's members `{}`; the `_data` of
 * CallbackInfo, of a template's `T* _data;` and of a worker's stayed).
 * The `tokens` rule made of such an edit keeps to the class's body in
 * the edited file. */
#include "edit/edit_int.h"

#include <string.h>

/* 1 if token i of v is one of the words w (NULL-terminated). */
int edit_class_field(const ev *o, const ev *n, size_t p, size_t oe, size_t *a, size_t *b)
{
    static const char *const cls[] = {"class", "struct", "union", NULL};
    static const char *const no[] = {"(", ")", "{", "}", "return", "typedef", "using", "friend", "#", NULL};
    size_t ls, le, i, brace, h;
    long m;
    int named = 0;
    if (p == 0 || p > oe || oe > o->n) return 0;
    /* the old line: a declaration, `Type name;` (no call, no body, no
     * directive), that holds the edit */
    ls = ev_line_first(o, p > 0 && p == o->n ? p - 1 : p);
    le = ev_line_end(o, oe > p ? oe - 1 : p);
    if (le <= ls || le > o->n || !ev_is(o, le - 1, ";")) return 0;
    for (i = ls; i < le; i++) {
        if (ev_is_any(o, i, no)) return 0;
        named |= o->t[i].kind == TC_TOK_IDENT;
    }
    if (!named) return 0;
    /* the innermost bracket open around the line */
    for (i = ls; i-- > 0;) {
        if (o->match[i] >= 0 && (size_t)o->match[i] < i) { /* a closer: skip its pair */
            i = (size_t)o->match[i];
            continue;
        }
        if (o->match[i] >= 0 && (size_t)o->match[i] >= le) break;
    }
    if (i == (size_t)-1 || !ev_is(o, i, "{")) return 0;
    brace = i;
    /* its head: `class Name ... {` (bases, a template's words) after the
     * previous statement or directive, no call nor assignment */
    for (h = brace; h-- > 0;) {
        if (ev_is(o, h, ";") || ev_is(o, h, "{") || ev_is(o, h, "}")) break;
        if (o->t[h].kind == TC_TOK_NEWLINE && h > 0 && ev_is(o, ev_line_first(o, h - 1), "#")) break;
        if (ev_is(o, h, "(") || ev_is(o, h, "=")) return 0;
        if (ev_is_any(o, h, cls)) named = 2;
    }
    if (named != 2) return 0;
    /* the body in the new text: the tokens before the edit are the same */
    if ((m = n->match[brace]) < 0 || !ev_is(n, brace, "{")) return 0;
    *a = n->t[brace].off;
    *b = n->t[m].off + 1;
    return 1;
}
