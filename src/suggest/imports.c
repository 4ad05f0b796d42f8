#include "suggest/imports.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "workspace/tokens.h"

#define IMP_PLACES 256     /* places of the typed start looked at */
#define IMP_NAME_PLACES 16 /* ... and of each wanted name right after the keyword */
#define IMP_NAMES 32       /* wanted names looked up that way */
#define IMP_LINES 64       /* distinct lines kept */

/* Is id's text s? */
static int is_text(const tc_vocab *v, uint32_t id, const char *s)
{
    size_t tl, n = strlen(s);
    const char *t = tc_vocab_text(v, id, &tl);
    return t && tl == n && memcmp(t, s, n) == 0;
}

int tc_imports_is_import(const tc_vocab *v, const uint32_t *ids, size_t n)
{
    size_t tl;
    const char *t;
    if (!n) return 0;
    t = tc_vocab_text(v, ids[0], &tl);
    if (!t) return 0;
    if (tl == 1 && *t == '#') return n == 1 || is_text(v, ids[1], "include");
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

/* Count l in ls, or add it. */
static void add_line(lineset *ls, const tc_import_line *l)
{
    size_t i;
    for (i = 0; i < ls->n; i++)
        if (ls->l[i].n == l->n && memcmp(ls->l[i].ids, l->ids, l->n * sizeof *l->ids) == 0) {
            ls->l[i].count++;
            return;
        }
    if (ls->n < IMP_LINES) ls->l[ls->n++] = *l;
}

/* Take the line at items it[p..nit) (after the typed tokens) when it
 * brings in a wanted name. */
static void take(const tc_vocab *v, const uint32_t *it, size_t p, size_t nit, const char *partial, size_t np,
                 const uint32_t *want, size_t nwant, lineset *ls)
{
    tc_import_line l;
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
    if (l.n && l.names) add_line(ls, &l);
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

/* The best max lines of ls (sorted by cmp_line) copied to out; ls is
 * freed. Returns how many. */
static size_t lineset_take(lineset *ls, tc_import_line *out, size_t max)
{
    size_t n = ls->l ? (ls->n < max ? ls->n : max) : 0;
    if (n) qsort(ls->l, ls->n, sizeof *ls->l, cmp_line);
    if (n) memcpy(out, ls->l, n * sizeof *out);
    free(ls->l);
    ls->l = NULL;
    ls->n = 0;
    return n;
}

size_t tc_imports_find(const tc_vocab *v, const tc_lineidx *li, long exclude, tc_imports_items_fn get, void *arg,
                       const uint32_t *typed, size_t ntyped, const char *partial, size_t np, const uint32_t *buf,
                       size_t nbuf, tc_import_line *out, size_t max)
{
    size_t nused, nimp, nwant = 0, i, n;
    uint32_t *names, *want = NULL;
    lineset ls = {0};
    if (!li || !ntyped || !tc_imports_is_import(v, typed, ntyped) || is_text(v, typed[0], "#")) return 0;
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
out:
    n = lineset_take(&ls, out, max);
    free(want);
    free(names);
    return n;
}

/* ---- C and C++: `#include` lines ---------------------------------------- */

typedef struct cids {
    int64_t hash, include, define, lpar, lbrace, rbrace, semi, comma, eq, rpar;
    int64_t kw_typedef, kw_extern, kw_struct, kw_union, kw_enum;
} cids;

static int cids_get(const tc_vocab *v, cids *k)
{
    k->hash = tc_vocab_lookup(v, TC_TOK_PUNCT, "#", 1);
    k->include = tc_vocab_lookup(v, TC_TOK_OTHER, "include", 7);
    k->define = tc_vocab_lookup(v, TC_TOK_OTHER, "define", 6);
    k->lpar = tc_vocab_lookup(v, TC_TOK_PUNCT, "(", 1);
    k->rpar = tc_vocab_lookup(v, TC_TOK_PUNCT, ")", 1);
    k->lbrace = tc_vocab_lookup(v, TC_TOK_PUNCT, "{", 1);
    k->rbrace = tc_vocab_lookup(v, TC_TOK_PUNCT, "}", 1);
    k->semi = tc_vocab_lookup(v, TC_TOK_PUNCT, ";", 1);
    k->comma = tc_vocab_lookup(v, TC_TOK_PUNCT, ",", 1);
    k->eq = tc_vocab_lookup(v, TC_TOK_PUNCT, "=", 1);
    k->kw_typedef = tc_vocab_lookup(v, TC_TOK_KEYWORD, "typedef", 7);
    k->kw_extern = tc_vocab_lookup(v, TC_TOK_KEYWORD, "extern", 6);
    k->kw_struct = tc_vocab_lookup(v, TC_TOK_KEYWORD, "struct", 6);
    k->kw_union = tc_vocab_lookup(v, TC_TOK_KEYWORD, "union", 5);
    k->kw_enum = tc_vocab_lookup(v, TC_TOK_KEYWORD, "enum", 4);
    return k->hash >= 0 && k->include >= 0;
}

#define ID(i) (a[i] >> shift)

/* The names a C file (a[0..n): ids, or items when shift is 1) declares at
 * file scope: macros, functions (a name before `(`), typedef and extern
 * names (the last before `;`), struct / union / enum tags and enum
 * constants. Into out (room for n), unsorted; returns how many. */
static size_t c_declared(const tc_vocab *v, const cids *k, const uint32_t *a, size_t n, int shift, uint32_t *out)
{
    size_t i, j, m = 0;
    int depth = 0, enum_depth = -1, body = 0;
    int64_t first = -1, prev = -1, prev2 = -1;
    for (i = 0; i < n; i++) {
        int64_t id = ID(i), next;
        if (id == TC_VOCAB_EOL || is_indent(v, (uint32_t)id)) continue;
        if (id == k->hash) { /* a directive: a macro's name, the rest skipped */
            if (i + 2 < n && (int64_t)ID(i + 1) == k->define && tc_vocab_kind(v, ID(i + 2)) == TC_TOK_IDENT)
                out[m++] = ID(i + 2);
            while (i + 1 < n && ID(i + 1) != TC_VOCAB_EOL) i++;
            continue;
        }
        for (j = i + 1; j < n && ID(j) == TC_VOCAB_EOL; j++)
            ;
        next = j < n ? (int64_t)ID(j) : -1;
        if (first < 0 && depth == 0) first = id;
        if (id == k->lbrace) {
            if (depth == 0 && prev >= 0 && tc_vocab_kind(v, (uint32_t)prev) == TC_TOK_IDENT &&
                (prev2 == k->kw_struct || prev2 == k->kw_union || prev2 == k->kw_enum))
                out[m++] = (uint32_t)prev;
            if (prev == k->kw_enum || prev2 == k->kw_enum) enum_depth = depth + 1;
            if (depth == 0) body = prev == k->rpar;
            depth++;
        } else if (id == k->rbrace) {
            if (depth > 0) depth--;
            if (depth < enum_depth) enum_depth = -1;
            if (depth == 0 && body) first = -1, body = 0;
        } else if (id == k->semi) {
            if (depth == 0 && (first == k->kw_typedef || first == k->kw_extern) && prev >= 0 &&
                tc_vocab_kind(v, (uint32_t)prev) == TC_TOK_IDENT)
                out[m++] = (uint32_t)prev;
            if (depth == 0) first = -1;
        } else if (tc_vocab_kind(v, (uint32_t)id) == TC_TOK_IDENT) {
            if (depth == 0 && next == k->lpar) out[m++] = (uint32_t)id;
            else if (depth > 0 && depth == enum_depth && (prev == k->lbrace || prev == k->comma) &&
                     (next == k->comma || next == k->eq || next == k->rbrace))
                out[m++] = (uint32_t)id;
        }
        prev2 = prev;
        prev = id;
    }
    return m;
}
#undef ID

/* Drop from a[0..n) (sorted) the ids in b[0..nb) (sorted); returns the
 * count left. */
static size_t minus(uint32_t *a, size_t n, const uint32_t *b, size_t nb)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++)
        if (!has(b, nb, a[i])) a[k++] = a[i];
    return k;
}

/* How many of want[0..nwant) (sorted) the items it[0..nit) of a header
 * declare. */
static uint32_t header_names(const tc_vocab *v, const cids *k, const uint32_t *it, size_t nit, const uint32_t *want,
                             size_t nwant)
{
    uint32_t *d = malloc((nit + 1) * sizeof *d), names = 0;
    size_t nd, i;
    if (!d) return 0;
    nd = sort_unique(d, c_declared(v, k, it, nit, 1, d));
    for (i = 0; i < nd; i++) names += (uint32_t)has(want, nwant, d[i]);
    free(d);
    return names;
}

size_t tc_imports_find_include(const tc_vocab *v, const tc_lineidx *li, long exclude, tc_imports_items_fn get,
                               tc_imports_header_fn header, void *arg, const uint32_t *typed, size_t ntyped,
                               const char *partial, size_t np, const uint32_t *buf, size_t nbuf, tc_import_line *out,
                               size_t max)
{
    cids k;
    uint32_t *used = NULL, *decl = NULL, key[2];
    size_t nused = 0, ndecl = 0, cap = nbuf + 1, i, nr, n = 0;
    tc_lineref refs[IMP_PLACES];
    lineset ls = {0};
    if (!li || !header || !ntyped || ntyped > 2 || !cids_get(v, &k) || (int64_t)typed[0] != k.hash ||
        (ntyped == 2 && (int64_t)typed[1] != k.include))
        return 0;
    used = malloc(cap * sizeof *used);
    decl = malloc(cap * sizeof *decl);
    ls.l = malloc(IMP_LINES * sizeof *ls.l);
    if (!used || !decl || !ls.l) goto out;
    /* wanted: the names the buffer uses, less those it declares itself and
     * those the workspace headers it includes declare */
    for (i = 0; i < nbuf; i++)
        if (tc_vocab_kind(v, buf[i]) == TC_TOK_IDENT) used[nused++] = buf[i];
    ndecl = c_declared(v, &k, buf, nbuf, 0, decl);
    for (i = 0; i + 2 < nbuf; i++) {
        const uint32_t *it;
        size_t nit;
        long f;
        uint32_t *grown;
        if ((int64_t)buf[i] != k.hash || (int64_t)buf[i + 1] != k.include || (i && buf[i - 1] != TC_VOCAB_EOL))
            continue;
        if ((f = header(arg, buf[i + 2], exclude)) < 0 || f == exclude || !(it = get(arg, (uint32_t)f, &nit)))
            continue;
        if (!(grown = realloc(decl, (ndecl + nit + 1) * sizeof *decl))) goto out;
        decl = grown;
        ndecl += c_declared(v, &k, it, nit, 1, decl + ndecl);
    }
    nused = minus(used, sort_unique(used, nused), decl, sort_unique(decl, ndecl));
    if (!nused) goto out;
    /* the workspace's include lines, each header read once */
    key[0] = (uint32_t)k.hash;
    key[1] = (uint32_t)k.include;
    nr = tc_lineidx_prefix(li, key, 2, exclude, refs, IMP_PLACES);
    if (nr > IMP_PLACES) nr = IMP_PLACES;
    for (i = 0; i < nr; i++) {
        size_t nit, p = refs[i].item, j;
        const uint32_t *it = get(arg, refs[i].fileno, &nit);
        uint32_t str;
        tc_import_line l;
        if (!it || p + 2 >= nit || tc_vocab_kind(v, TC_ITEM_ID(it[p + 2])) != TC_TOK_STRING ||
            (p + 3 < nit && TC_ITEM_ID(it[p + 3]) != TC_VOCAB_EOL))
            continue;
        str = TC_ITEM_ID(it[p + 2]);
        for (j = 0; j < ls.n && ls.l[j].ids[2 - ntyped] != str; j++)
            ;
        if (j < ls.n) {
            ls.l[j].count++;
            continue;
        }
        if (ls.n == IMP_LINES) continue;
        l.n = 0;
        for (j = ntyped; j < 3; j++) {
            l.ids[l.n] = TC_ITEM_ID(it[p + j]);
            l.sp[l.n++] = (int8_t)TC_ITEM_SP(it[p + j]);
        }
        if (np) {
            size_t tl;
            const char *t = tc_vocab_text(v, l.ids[0], &tl);
            if (!t || tl < np || memcmp(t, partial, np) != 0) continue;
        }
        l.count = 1;
        l.names = refs[i].fileno; /* the including file, until the header is read */
        ls.l[ls.n++] = l;
    }
    for (i = 0; i < ls.n; i++) {
        size_t nit;
        const uint32_t *it;
        long f = header(arg, ls.l[i].ids[ls.l[i].n - 1], (long)ls.l[i].names);
        ls.l[i].names = 0;
        if (f >= 0 && f != exclude && (it = get(arg, (uint32_t)f, &nit)))
            ls.l[i].names = header_names(v, &k, it, nit, used, nused);
        if (ls.l[i].names) ls.l[n++] = ls.l[i];
    }
    ls.n = n;
out:
    n = lineset_take(&ls, out, max);
    free(decl);
    free(used);
    return n;
}

long tc_imports_open_include(const char *line, size_t n)
{
    size_t i = 0, lt;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i == n || line[i++] != '#') return -1;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
    if (n - i < 7 || memcmp(line + i, "include", 7) != 0) return -1;
    for (i += 7; i < n && (line[i] == ' ' || line[i] == '\t');) i++;
    if (i == n || line[i] != '<') return -1;
    for (lt = i++; i < n; i++)
        if (line[i] == '>' || isspace((unsigned char)line[i]) || line[i] == '"') return -1;
    return (long)lt;
}

/* ---- Go: import specs in an `import (` block ----------------------------- */

/* The package name an import spec s[0..n) (`"path"` or `name "path"`)
 * brings in, as an identifier id; -1 when none (`_`, `.`, or a name never
 * seen as an identifier). */
static int64_t go_spec_name(const tc_vocab *v, const uint32_t *s, size_t n)
{
    size_t tl, b, e;
    const char *t;
    if (!n) return -1;
    if (tc_vocab_kind(v, s[0]) == TC_TOK_IDENT) return n == 2 ? (int64_t)s[0] : -1;
    if (n != 1 || tc_vocab_kind(v, s[0]) != TC_TOK_STRING || !(t = tc_vocab_text(v, s[0], &tl)) || tl < 3) return -1;
    e = tl - 1; /* the path's last element, or the one before a major version (`/v2`) */
    for (b = e; b > 1 && t[b - 1] != '/'; b--)
        ;
    if (b > 2 && e - b >= 2 && t[b] == 'v' && t[b + 1] >= '0' && t[b + 1] <= '9') {
        e = b - 1;
        for (b = e; b > 1 && t[b - 1] != '/'; b--)
            ;
    }
    return tc_vocab_lookup(v, TC_TOK_IDENT, t + b, e - b);
}

size_t tc_imports_find_go(const tc_vocab *v, const tc_lineidx *li, long exclude, tc_imports_items_fn get, void *arg,
                          const char *partial, size_t np, const uint32_t *buf, size_t nbuf, tc_import_line *out,
                          size_t max)
{
    int64_t imp = tc_vocab_lookup(v, TC_TOK_KEYWORD, "import", 6), lpar = tc_vocab_lookup(v, TC_TOK_PUNCT, "(", 1),
            rpar = tc_vocab_lookup(v, TC_TOK_PUNCT, ")", 1), dot = tc_vocab_lookup(v, TC_TOK_PUNCT, ".", 1);
    uint32_t *used = NULL, *have = NULL, key[2];
    size_t nused = 0, nhave = 0, i, nr, n = 0;
    int block = 0;
    tc_lineref refs[IMP_PLACES];
    lineset ls = {0};
    if (!li || imp < 0 || lpar < 0 || rpar < 0 || dot < 0) return 0;
    used = malloc((nbuf + 1) * sizeof *used);
    have = malloc((nbuf + 1) * sizeof *have);
    ls.l = malloc(IMP_LINES * sizeof *ls.l);
    if (!used || !have || !ls.l) goto out;
    /* wanted: `name.` in the buffer where no import spec brings name */
    for (i = 0; i < nbuf;) {
        size_t s = i, e;
        int64_t name = -1;
        for (e = s; e < nbuf && buf[e] != TC_VOCAB_EOL; e++)
            ;
        if (e - s == 2 && buf[s] == imp && buf[s + 1] == lpar) block = 1;
        else if (block && e > s && buf[s] == rpar) block = 0;
        else if (block) name = go_spec_name(v, buf + s, e - s);
        else if (e > s && buf[s] == imp) name = go_spec_name(v, buf + s + 1, e - s - 1);
        else
            for (i = s; i + 1 < e; i++)
                if (buf[i + 1] == dot && tc_vocab_kind(v, buf[i]) == TC_TOK_IDENT && (i == s || buf[i - 1] != dot))
                    used[nused++] = buf[i];
        if (name >= 0) have[nhave++] = (uint32_t)name;
        i = e + 1;
    }
    nused = minus(used, sort_unique(used, nused), have, sort_unique(have, nhave));
    if (!nused) goto out;
    /* the specs of the workspace's import blocks */
    key[0] = (uint32_t)imp;
    key[1] = (uint32_t)lpar;
    nr = tc_lineidx_prefix(li, key, 2, exclude, refs, IMP_PLACES);
    if (nr > IMP_PLACES) nr = IMP_PLACES;
    for (i = 0; i < nr; i++) {
        size_t nit, p = refs[i].item + 2, lines;
        const uint32_t *it = get(arg, refs[i].fileno, &nit);
        if (!it || p >= nit || TC_ITEM_ID(it[p]) != TC_VOCAB_EOL) continue;
        for (p++, lines = 0; p < nit && lines < 64 && TC_ITEM_ID(it[p]) != (uint32_t)rpar; lines++) {
            size_t s = p, j;
            uint32_t ids[2];
            int64_t name;
            for (; p < nit && TC_ITEM_ID(it[p]) != TC_VOCAB_EOL; p++)
                ;
            for (j = 0; j < 2 && s + j < p; j++) ids[j] = TC_ITEM_ID(it[s + j]);
            p++;
            if (p - 1 - s > 2 || (name = go_spec_name(v, ids, p - 1 - s)) < 0 || !has(used, nused, (uint32_t)name))
                continue;
            if (np) {
                size_t tl;
                const char *t = tc_vocab_text(v, ids[0], &tl);
                if (!t || tl < np || memcmp(t, partial, np) != 0) continue;
            }
            {
                tc_import_line l;
                for (l.n = 0; l.n < p - 1 - s; l.n++) {
                    l.ids[l.n] = TC_ITEM_ID(it[s + l.n]);
                    l.sp[l.n] = (int8_t)TC_ITEM_SP(it[s + l.n]);
                }
                l.count = 1;
                l.names = 1;
                add_line(&ls, &l);
            }
        }
    }
out:
    n = lineset_take(&ls, out, max);
    free(have);
    free(used);
    return n;
}

int tc_imports_in_go_block(const char *buf, size_t cursor)
{
    size_t e = cursor, lines = 0;
    while (e > 0 && buf[e - 1] != '\n') /* the cursor's line: indentation, then a word or a path being typed */
        if (!strchr(" \t_\"/.-", buf[--e]) && !isalnum((unsigned char)buf[e])) return 0;
    while (e > 0 && lines++ < 256) {
        size_t s = e - 1, a, z;
        while (s > 0 && buf[s - 1] != '\n') s--;
        for (a = s; a < e - 1 && (buf[a] == ' ' || buf[a] == '\t'); a++)
            ;
        for (z = e - 1; z > a && (buf[z - 1] == ' ' || buf[z - 1] == '\t' || buf[z - 1] == '\r'); z--)
            ;
        if (z - a >= 6 && memcmp(buf + a, "import", 6) == 0) {
            size_t b = a + 6;
            while (b < z && (buf[b] == ' ' || buf[b] == '\t')) b++;
            return b + 1 == z && buf[b] == '(';
        }
        /* inside a block: specs (`"path"`, `name "path"`), comments and blank lines */
        if (z > a && buf[z - 1] != '"' && buf[z - 1] != '`' && !(z - a >= 2 && buf[a] == '/' && buf[a + 1] == '/'))
            return 0;
        e = s;
    }
    return 0;
}
