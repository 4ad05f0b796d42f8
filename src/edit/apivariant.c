/* apivariant.c - one use of a name switched to a variant of it: the new
 * name is the old one with a camel-case word added before or after it
 * (`v.As<T>()` -> `v.UnsafeAs<T>()`, `readFile(p)` -> `readFileSync(p)`,
 * `: Subject<T>` -> `: SubjectLike<T>`, `Env` -> `BasicEnv`). Such a
 * name names a second API beside the first (the unchecked cast, the
 * synchronous call, the interface of the class, the base of the class
 * split in two), and which uses move to it is decided use by use: the
 * code does not say which (node-addon-api 8.2.1 made `As` -> `UnsafeAs`
 * at 2 of its 24 calls; rxjs 7.x `Subject` -> `SubjectLike` at 1 of 3,
 * `Observable` -> `ObservableInput` at 10 of 21 parameter types). Made at
 * the name's declaration it is a rename (the old name is gone); at a
 * local's use it is too (a local has no second API). */
#include "edit/edit_int.h"

#include <ctype.h>
#include <string.h>

/* 1 if s[0..n) is a plain camel-case name: letters and digits only (no
 * '_', '$': snake_case names and prefixes like `tc_`, `ev_`, `_` are
 * modules and privacy, not variants). */
static int camel_name(const char *s, size_t n)
{
    size_t i;
    if (n == 0) return 0;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i])) return 0;
    return 1;
}

/* 1 if w[0..n) is one or more whole camel-case words ending before an
 * upper-case letter (`Unsafe`, `safe`, `Basic`, `isNot`). */
static int words_before(const char *w, size_t n)
{
    return n > 0 && (islower((unsigned char)w[n - 1]) || isdigit((unsigned char)w[n - 1]));
}

int edit_name_variant(const char *old, size_t on, const char *nw, size_t nn)
{
    size_t add;
    if (on < 2 || nn <= on || !camel_name(old, on) || !camel_name(nw, nn)) return 0;
    add = nn - on;
    /* a word after: `readFile` -> `readFileSync`, `Subject` -> `SubjectLike` */
    if (memcmp(nw, old, on) == 0 && isupper((unsigned char)nw[on]) && words_before(old, on)) return 1;
    /* a word before: `As` -> `UnsafeAs`, `parse` -> `safeParse` (the old
     * name's first letter raised), `Env` -> `BasicEnv` */
    if (toupper((unsigned char)old[0]) == nw[add] && memcmp(nw + add + 1, old + 1, on - 1) == 0 &&
        words_before(nw, add))
        return 1;
    return 0;
}

int edit_variant_use(const ev *o, const ev *n, tc_lang lang, size_t p)
{
    if (edit_declares_name(o, lang, p) || edit_is_decl_before(o, p)) return 0;
    return edit_name_variant(o->s + o->t[p].off, o->t[p].len, n->s + n->t[p].off, n->t[p].len);
}
