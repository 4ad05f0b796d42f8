#include "suggest/imports.h"

#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "workspace/tokens.h"

#define IMP_PLACES 256     /* places of the typed start looked at */
#define IMP_NAME_PLACES 16 /* ... and of each wanted name right after the keyword */
#define IMP_NAMES 32       /* wanted names looked up that way */
#define IMP_LINES 64       /* distinct lines kept */

int tc_imports_is_import(const tc_vocab *v, const uint32_t *ids, size_t n)
{
    size_t tl;
    const char *t;
    if (!n) return 0;
    t = tc_vocab_text(v, ids[0], &tl);
    if (!t) return 0;
    return (tl == 6 && memcmp(t, "import", 6) == 0) || (tl == 4 && memcmp(t, "from", 4) == 0) ||
           (tl == 3 && memcmp(t, "use", 3) == 0);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static size_t sort_unique(uint32_t *a, size_t n)
{
    size_t i, k = 0;
    if (!n) return 0;
    qsort(a, n, sizeof *a, cmp_u32);
    for (i = 1; i < n; i++)
        if (a[i] != a[k]) a[++k] = a[i];
    return k + 1;
}

static int has(const uint32_t *a, size_t n, uint32_t x) { return bsearch(&x, a, n, sizeof x, cmp_u32) != NULL; }

static int is_indent(const tc_vocab *v, uint32_t id)
{
    uint8_t k = tc_vocab_kind(v, id);
    return k == TC_TOK_INDENT || k == TC_TOK_DEDENT;
}

/* The names the buffer's lines use (*nused) and those its import lines
 * name (*nimp), each sorted, in one array: used first, then imported. */
static uint32_t *buffer_names(const tc_vocab *v, const uint32_t *buf, size_t nbuf, size_t *nused, size_t *nimp)
{
    uint32_t *used = malloc((nbuf + 1) * sizeof *used), *imp = malloc((nbuf + 1) * sizeof *imp);
    size_t i = 0, nu = 0, ni = 0;
    if (!used || !imp) {
        free(used);
        free(imp);
        return NULL;
    }
    while (i < nbuf) {
        size_t s, e;
        int is_imp;
        while (i < nbuf && (buf[i] == TC_VOCAB_EOL || is_indent(v, buf[i]))) i++;
        for (s = i, e = i; e < nbuf && buf[e] != TC_VOCAB_EOL; e++)
            ;
        is_imp = tc_imports_is_import(v, buf + s, e - s);
        for (i = s; i < e; i++)
            if (tc_vocab_kind(v, buf[i]) == TC_TOK_IDENT) {
                if (is_imp) imp[ni++] = buf[i];
                else used[nu++] = buf[i];
            }
    }
    nu = sort_unique(used, nu);
    ni = sort_unique(imp, ni);
    memcpy(used + nu, imp, ni * sizeof *imp);
    free(imp);
    *nused = nu;
    *nimp = ni;
    return used;
}

typedef struct {
    tc_import_line *l;
    size_t n;
} lineset;

/* Take the line at items it[p..nit) (after the typed tokens) when it
 * brings in a wanted name. */
static void take(const tc_vocab *v, const uint32_t *it, size_t p, size_t nit, const char *partial, size_t np,
                 const uint32_t *want, size_t nwant, lineset *ls)
{
    tc_import_line l;
    size_t i;
    l.n = 0;
    l.names = 0;
    l.count = 1;
    if (np) {
        size_t tl;
        const char *t;
        if (p >= nit || TC_ITEM_ID(it[p]) == TC_VOCAB_EOL) return;
        t = tc_vocab_text(v, TC_ITEM_ID(it[p]), &tl);
        if (!t || tl < np || memcmp(t, partial, np) != 0) return;
    }
    for (; p < nit && TC_ITEM_ID(it[p]) != TC_VOCAB_EOL; p++) {
        uint32_t id = TC_ITEM_ID(it[p]);
        if (l.n == TC_IMPORTS_MAX_TOKENS) return;
        l.ids[l.n] = id;
        l.sp[l.n++] = (int8_t)TC_ITEM_SP(it[p]);
        if (tc_vocab_kind(v, id) == TC_TOK_IDENT && has(want, nwant, id)) l.names++;
    }
    if (!l.n || !l.names) return;
    for (i = 0; i < ls->n; i++)
        if (ls->l[i].n == l.n && memcmp(ls->l[i].ids, l.ids, l.n * sizeof *l.ids) == 0) {
            ls->l[i].count++;
            return;
        }
    if (ls->n < IMP_LINES) ls->l[ls->n++] = l;
}

/* The places of key[0..nkey), each line taken when it starts with typed. */
static void look(const tc_vocab *v, const tc_lineidx *li, long exclude, tc_imports_items_fn get, void *arg,
                 const uint32_t *key, size_t nkey, size_t places, const uint32_t *typed, size_t ntyped,
                 const char *partial, size_t np, const uint32_t *want, size_t nwant, lineset *ls)
{
    tc_lineref refs[IMP_PLACES];
    size_t nr = tc_lineidx_prefix(li, key, nkey, exclude, refs, places), i, j;
    if (nr > places) nr = places;
    for (i = 0; i < nr; i++) {
        size_t nit;
        const uint32_t *it = get(arg, refs[i].fileno, &nit);
        size_t p = refs[i].item;
        if (!it) continue;
        for (j = 0; j < ntyped && p + j < nit && TC_ITEM_ID(it[p + j]) == typed[j]; j++)
            ;
        if (j < ntyped) continue;
        take(v, it, p + ntyped, nit, partial, np, want, nwant, ls);
    }
}

static int cmp_line(const void *a, const void *b)
{
    const tc_import_line *x = a, *y = b;
    if (x->names != y->names) return x->names > y->names ? -1 : 1;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return 0;
}

size_t tc_imports_find(const tc_vocab *v, const tc_lineidx *li, long exclude, tc_imports_items_fn get, void *arg,
                       const uint32_t *typed, size_t ntyped, const char *partial, size_t np, const uint32_t *buf,
                       size_t nbuf, tc_import_line *out, size_t max)
{
    size_t nused, nimp, nwant = 0, i, n;
    uint32_t *names, *want = NULL;
    lineset ls = {0};
    if (!li || !ntyped || !tc_imports_is_import(v, typed, ntyped)) return 0;
    if (!(names = buffer_names(v, buf, nbuf, &nused, &nimp))) return 0;
    want = malloc((nused + 1) * sizeof *want);
    ls.l = malloc(IMP_LINES * sizeof *ls.l);
    if (!want || !ls.l) goto out;
    for (i = 0; i < nused; i++) /* used and not imported */
        if (!has(names + nused, nimp, names[i])) want[nwant++] = names[i];
    if (!nwant) goto out;
    look(v, li, exclude, get, arg, typed, ntyped < TC_LINEIDX_PREFIX ? ntyped : TC_LINEIDX_PREFIX, IMP_PLACES,
         typed, ntyped, partial, np, want, nwant, &ls);
    if (ntyped == 1 && !np) {
        /* `import NAME` and `import { NAME`: the wanted names' own places,
         * beyond the first IMP_PLACES of the keyword's */
        int64_t brace = tc_vocab_lookup(v, TC_TOK_PUNCT, "{", 1);
        for (i = 0; i < nwant && i < IMP_NAMES; i++) {
            uint32_t key[3] = {typed[0], want[i], 0};
            look(v, li, exclude, get, arg, key, 2, IMP_NAME_PLACES, typed, 1, NULL, 0, want, nwant, &ls);
            if (brace >= 0) {
                key[1] = (uint32_t)brace;
                key[2] = want[i];
                look(v, li, exclude, get, arg, key, 3, IMP_NAME_PLACES, typed, 1, NULL, 0, want, nwant, &ls);
            }
        }
    }
    qsort(ls.l, ls.n, sizeof *ls.l, cmp_line);
out:
    n = ls.l ? (ls.n < max ? ls.n : max) : 0;
    if (n) memcpy(out, ls.l, n * sizeof *out);
    free(ls.l);
    free(want);
    free(names);
    return n;
}
