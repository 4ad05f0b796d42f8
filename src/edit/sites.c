/* sites.c - where a rule applies: matching its pattern (or its call shape)
 * against a text's tokens, and rendering the new text at each match. */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void tc_edit_sites_free(tc_edit_sites *s)
{
    size_t i;
    if (!s) return;
    for (i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].text);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* 1 if a[0..an) and b[0..bn) are equal but for white space. When prefix,
 * a need only be a prefix of b. */
static int same_but_space(const char *a, size_t an, const char *b, size_t bn, int prefix)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < an && isspace((unsigned char)a[i])) i++;
        while (j < bn && isspace((unsigned char)b[j])) j++;
        if (i == an) return prefix || j == bn;
        if (j == bn || a[i] != b[j]) return 0;
        i++;
        j++;
    }
}

/* ---- confidence ------------------------------------------------------------------ */

/* The token before bytes [a, b) of v (dir < 0) or after them on the same
 * line, or -1 at the line's start or end: the shape of the statement
 * around a place. */
static long ctx_tok(const ev *v, size_t a, size_t b, int dir)
{
    long k = dir < 0 ? (long)ev_tok_at(v, a) - 1 : (long)ev_tok_at(v, b);
    return k >= 0 && (size_t)k < v->n && v->t[k].kind != TC_TOK_NEWLINE ? k : -1;
}

/* Token k's text, "" for a line's start or end (k < 0). */
static char *tok_copy(const ev *v, long k)
{
    return k < 0 ? strdup("") : strndup(v->s + v->t[k].off, v->t[k].len);
}

/* The next token of k's line going dir, or -1. */
static long line_step(const ev *v, long k, int dir)
{
    k += dir;
    return k >= 0 && (size_t)k < v->n && v->t[k].kind != TC_TOK_NEWLINE ? k : -1;
}

/* The tokens of a line kept beyond a place: 3 are compared, the rest let
 * the comparison look past namespace qualifiers (wide_agree). */
#define WIDE_KEEP 12

/* The WIDE_KEEP tokens of the line beyond token k going dir (none when
 * k < 0), each followed by '\n'. malloc'd; NULL on ENOMEM. */
static char *wide_copy(const ev *v, long k, int dir)
{
    tc_buf b = {0};
    int m, rc = tc_buf_puts(&b, "");
    for (m = 0; m < WIDE_KEEP && k >= 0 && rc == TC_OK; m++) {
        if ((k = line_step(v, k, dir)) < 0) break;
        rc = tc_buf_append(&b, v->s + v->t[k].off, v->t[k].len);
        if (rc == TC_OK) rc = tc_buf_puts(&b, "\n");
    }
    if (rc != TC_OK) {
        tc_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* A token's text, as the surroundings compare it. */
typedef struct {
    const char *s;
    size_t n;
} wide_tok;

/* The tokens `::` makes at t[i] of t[0..n): 1 (one token), 2 (two ':';
 * C has no `: :`) or 0. */
static size_t wide_colons(const wide_tok *t, size_t i, size_t n)
{
    if (i < n && t[i].n == 2 && memcmp(t[i].s, "::", 2) == 0) return 1;
    return i + 1 < n && t[i].n == 1 && t[i + 1].n == 1 && *t[i].s == ':' && *t[i + 1].s == ':' ? 2 : 0;
}

/* 1 if t is a name. */
static int wide_name(const wide_tok *t)
{
    return t->n > 0 && (isalpha((unsigned char)*t->s) || *t->s == '_');
}

/* Drops the namespace qualifiers (`a::`, a leading `::`) from t[0..n),
 * which is in reading order when dir > 0 and reversed when dir < 0; the
 * count left. */
static size_t wide_unqualify(wide_tok *t, size_t n, int dir)
{
    size_t i = 0, j = 0, c, d;
    while (i < n) {
        c = wide_colons(t, i, n);
        if (dir > 0 && !c && wide_name(&t[i]) && (d = wide_colons(t, i + 1, n)) != 0) {
            c = d + 1; /* `a::` read forward: the name, then the colons */
        } else if (dir < 0 && c && i + c < n && wide_name(&t[i + c])) {
            c++; /* read backward: the colons, then the name */
        }
        if (c) {
            i += c;
        } else {
            t[j++] = t[i++];
        }
    }
    return j;
}

/* How many of the first 3 positions of w[0..wn) and p[0..pn) agree: the
 * same text, or both ended. */
static int wide_same(const wide_tok *w, size_t wn, const wide_tok *p, size_t pn)
{
    size_t m;
    int same = 0;
    for (m = 0; m < 3; m++)
        same += m < wn ? m < pn && p[m].n == w[m].n && memcmp(p[m].s, w[m].s, w[m].n) == 0 : m >= pn;
    return same;
}

/* The share of the 3 tokens beyond k (going dir) that are want's, position
 * by position (a line's end against a token counts as a miss; both lines
 * ended, as agreement). 0.5 when want is not known. A namespace qualifier
 * on one side and not the other (`details::Wrap(` against `Wrap(`) is no
 * difference: the better of the share as written and without qualifiers. */
static double wide_agree(const char *want, const ev *v, long k, int dir)
{
    wide_tok w[WIDE_KEEP], p[WIDE_KEEP];
    size_t wn = 0, pn = 0;
    int same, bare;
    const char *nl;
    if (!want) return 0.5;
    for (; wn < WIDE_KEEP && (nl = strchr(want, '\n')) != NULL; want = nl + 1) {
        w[wn].s = want;
        w[wn++].n = (size_t)(nl - want);
    }
    while (pn < WIDE_KEEP && k >= 0 && (k = line_step(v, k, dir)) >= 0) {
        p[pn].s = v->s + v->t[k].off;
        p[pn++].n = v->t[k].len;
    }
    same = wide_same(w, wn, p, pn);
    wn = wide_unqualify(w, wn, dir);
    pn = wide_unqualify(p, pn, dir);
    bare = wide_same(w, wn, p, pn);
    return (same > bare ? same : bare) / 3.0;
}

/* The first token of the line of token k, or -1. */
static long line_head(const ev *v, size_t k)
{
    size_t i = ev_line_first(v, k);
    return i < v->n && v->t[i].kind != TC_TOK_NEWLINE ? (long)i : -1;
}

/* The function whose arguments hold the place starting at token k: its
 * name, "(" (or "[") for brackets that are not a call's, "" when the place
 * is in no bracket of its statement (a '{' or 400 tokens back). malloc'd. */
static char *enclosing_call(const ev *v, size_t k)
{
    size_t i = k, stop = k > 400 ? k - 400 : 0;
    while (i > stop) {
        const tc_token *t = &v->t[--i];
        char c = t->kind == TC_TOK_PUNCT && t->len == 1 ? v->s[t->off] : 0;
        if ((c == ')' || c == ']' || c == '}') && v->match[i] >= 0) {
            i = (size_t)v->match[i]; /* a closed pair before the place */
        } else if (c == '(' && i > 0 && v->t[i - 1].kind == TC_TOK_IDENT) {
            return tok_copy(v, (long)i - 1);
        } else if (c == '(' || c == '[') {
            return strdup(c == '(' ? "(" : "[");
        } else if (c == '{' || c == ';') {
            break;
        }
    }
    return strdup("");
}

/* The line of text[0..len) holding byte at, indentation and the line's
 * end aside: *from and the length (at most max). */
static size_t line_around(const char *text, size_t len, size_t at, size_t max, size_t *from)
{
    size_t a = at < len ? at : len, b;
    while (a > 0 && text[a - 1] != '\n') a--;
    while (a < len && (text[a] == ' ' || text[a] == '\t')) a++;
    for (b = a; b < len && text[b] != '\n' && b - a < max; b++) {}
    while (b > a && isspace((unsigned char)text[b - 1])) b--;
    *from = a;
    return b - a;
}

/* 1 - the edit distance of x[0..xn) and y[0..yn) / the longer's length
 * (both at most 120 bytes); 1 when both are empty. */
static double line_like(const char *x, size_t xn, const char *y, size_t yn)
{
    unsigned char d[2][121];
    size_t i, j, m = xn > yn ? xn : yn;
    if (xn > 120 || yn > 120) return 0;
    if (m == 0) return 1;
    for (j = 0; j <= yn; j++) d[0][j] = (unsigned char)j;
    for (i = 1; i <= xn; i++) {
        unsigned char *cur = d[i & 1], *prev = d[(i - 1) & 1];
        cur[0] = (unsigned char)i;
        for (j = 1; j <= yn; j++) {
            unsigned c = prev[j - 1] + (x[i - 1] != y[j - 1]), u = prev[j] + 1u, l = cur[j - 1] + 1u;
            cur[j] = (unsigned char)(c < u ? (c < l ? c : l) : (u < l ? u : l));
        }
    }
    return 1 - (double)d[xn & 1][yn] / (double)m;
}

int edit_rule_context(tc_edit_rule *r, const tc_edit_src *before, const ev *o, size_t a, size_t b)
{
    tc_edit_sites own = {0};
    size_t i;
    int rc = edit_sites_ev(r, before, o, 2, &own);
    if (rc == TC_OK && before->path && !(r->expath = strdup(before->path))) rc = TC_ENOMEM;
    if (rc == TC_OK && !r->incs) r->incs = edit_includes_of(before); /* incl.c: NULL for none */
    for (i = 0; rc == TC_OK && i < own.n; i++) {
        long l, rt, h;
        size_t k;
        if (own.v[i].b < a || own.v[i].a > b) continue; /* not the example's own place */
        l = ctx_tok(o, own.v[i].a, own.v[i].b, -1);
        rt = ctx_tok(o, own.v[i].a, own.v[i].b, 1);
        k = ev_tok_at(o, own.v[i].a);
        h = k < o->n ? line_head(o, k) : -1;
        {
            size_t from, n = line_around(before->text, before->len, own.v[i].a, 120, &from);
            memcpy(r->exline, before->text + from, n);
            r->exline[n] = 0;
        }
        r->lkind = l >= 0 ? o->t[l].kind : TC_TOK_NEWLINE;
        r->rkind = rt >= 0 ? o->t[rt].kind : TC_TOK_NEWLINE;
        if (!(r->lctx = tok_copy(o, l)) || !(r->rctx = tok_copy(o, rt)) || !(r->lwide = wide_copy(o, l, -1)) ||
            !(r->rwide = wide_copy(o, rt, 1)) || !(r->head = tok_copy(o, h)) || !(r->callee = enclosing_call(o, k)))
            rc = TC_ENOMEM;
        if (!r->path) r->path = edit_access_path(o, own.v[i].a, own.v[i].b); /* accpath.c: NULL for none */
        break;
    }
    tc_edit_sites_free(&own);
    return rc;
}

/* 1 if token k's text is want (k < 0: want is ""); 0.5 when want is not known. */
static double tok_agree(const char *want, const ev *v, long k)
{
    if (!want) return 0.5;
    if (k < 0) return *want == 0;
    return v->t[k].len == strlen(want) && memcmp(v->s + v->t[k].off, want, v->t[k].len) == 0;
}

/* 0, 0.5 (not known) or 1: the token k next to the site on its line (side
 * 0: before, 1: after; k < 0: the line's start or end) is the one next to
 * the example's. */
static double agreement(const tc_edit_rule *r, const ev *v, long k, int side)
{
    const char *want = side ? r->rctx : r->lctx;
    if (want && k >= 0 && v->t[k].kind != (side ? r->rkind : r->lkind)) return 0;
    return tok_agree(want, v, k);
}

int edit_same_dir(const char *x, const char *y)
{
    const char *sx = strrchr(x, '/'), *sy = strrchr(y, '/');
    size_t nx = sx ? (size_t)(sx - x) : 0, ny = sy ? (size_t)(sy - y) : 0;
    return nx == ny && memcmp(x, y, nx) == 0;
}

/* 1 if the word w[0..n) occurs in s[a..b) as a whole identifier. */
static int has_word(const char *s, size_t a, size_t b, const char *w, size_t n)
{
    const char *p = s + a, *end = s + b;
    while (p + n <= end && (p = memmem(p, (size_t)(end - p), w, n)) != NULL) {
        int l = p > s + a && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '$');
        int r = p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '$');
        if (!l && !r) return 1;
        p++;
    }
    return 0;
}

/* Where the names of the new text t (string contents aside) that the
 * place's old bytes [a, b) lack are found in src: 1 for each of
 * *file (anywhere in it) and *near (from 60 lines before the place to 10
 * after) when all are, else 0. */
static void names_found(const tc_edit_src *src, size_t a, size_t b, const char *t, float *file, float *near)
{
    size_t lo = a, hi = b, i = 0, tl = strlen(t);
    int lines;
    for (lines = 0; lo > 0 && lines <= 60; lo--) lines += src->text[lo - 1] == '\n';
    for (lines = 0; hi < src->len && lines <= 10; hi++) lines += src->text[hi] == '\n';
    *file = *near = 1;
    while (i < tl) {
        char c = t[i];
        size_t j = i + 1;
        if (c == '"' || c == '\'' || c == '`') { /* a string: its words are not names */
            while (j < tl && t[j] != c) j += t[j] == '\\' ? 2 : 1;
            i = j + 1;
            continue;
        }
        if (!(isalpha((unsigned char)c) || c == '_' || c == '$')) {
            i++;
            continue;
        }
        while (j < tl && (isalnum((unsigned char)t[j]) || t[j] == '_' || t[j] == '$')) j++;
        if (!has_word(src->text, a, b, t + i, j - i)) {
            if (!has_word(src->text, 0, src->len, t + i, j - i)) *file = 0;
            if (!has_word(src->text, lo, hi, t + i, j - i)) *near = 0;
        }
        i = j;
    }
}

/* The scan of one side's text by punct_next. */
typedef struct {
    int q;                /* the open quote, 0 outside one, 0x100 added after a backslash in one */
    int pairs[4];         /* braces and square brackets passed over ({, }, [, ]) */
    unsigned long calls;  /* bit d: the open parenthesis at depth d is a call's */
    int depth;            /* open parentheses */
} punct_scan;

/* 1 if the `(` at x[i] follows a name (a call's or a definition's
 * parenthesis: `f(`, `def f(`), not an operator, the start or a word
 * that leads an expression (`in (a, b)`, `return (x)`: a tuple, a
 * grouping). */
static int call_paren(const char *x, size_t i)
{
    static const char *const lead[] = {"return", "in", "not", "and", "or", "is", "yield", "await", "typeof", "case"};
    size_t e = i, b, k;
    while (e > 0 && isspace((unsigned char)x[e - 1])) e--;
    for (b = e; b > 0 && (isalnum((unsigned char)x[b - 1]) || x[b - 1] == '_' || x[b - 1] == '$'); b--) {}
    if (b == e) return 0;
    for (k = 0; k < sizeof lead / sizeof *lead; k++)
        if (strlen(lead[k]) == e - b && memcmp(lead[k], x + b, e - b) == 0) return 0;
    return 1;
}

/* The next byte of x[*i..n) that is neither white space nor, outside a
 * quoted string, a bracket, brace, semicolon or comma; n when none is
 * left. A call's parenthesis (call_paren) and its `)` are code, not
 * passed over. */
static size_t punct_next(const char *x, size_t n, size_t *i, punct_scan *s)
{
    for (; *i < n; ++*i) {
        char c = x[*i];
        const char *pc;
        if (s->q & 0x100) /* the byte after a backslash */
            s->q &= 0xff;
        else if (s->q && c == '\\')
            s->q |= 0x100;
        else if (s->q && c == s->q)
            s->q = 0;
        else if (!s->q && (c == '"' || c == '\'' || c == '`'))
            s->q = c;
        else if (!s->q && c == '(') {
            int call = call_paren(x, *i);
            if (s->depth < (int)(8 * sizeof s->calls))
                s->calls = (s->calls & ~(1UL << s->depth)) | ((unsigned long)call << s->depth);
            s->depth++;
            if (!call) continue;
        } else if (!s->q && c == ')') {
            int call = 0;
            if (s->depth > 0) {
                s->depth--;
                call = s->depth < (int)(8 * sizeof s->calls) && (s->calls >> s->depth & 1);
            }
            if (!call) continue;
        } else if (!s->q && (isspace((unsigned char)c) || (c && strchr(";,", c))))
            continue;
        else if (!s->q && c && (pc = strchr("{}[]", c)) != NULL) {
            s->pairs[pc - "{}[]"]++;
            continue;
        }
        return *i;
    }
    return n;
}

/* TC_EDIT_F_PUNCT: 1 when a place's new text differs from its old one
 * (white space aside) only by brackets, braces, semicolons and commas
 * outside strings: a formatting change (a body's brace, a semicolon
 * dropped, a tuple's parentheses), which a style fix makes wherever the
 * code has the shape, whatever the statement. Not a pair of braces or
 * square brackets added or removed around code in the place (`fs` ->
 * `{ fs }`: a destructuring, an object, an array: the meaning changes),
 * nor a call's parentheses (`f` -> `f()`, `f(a, b)` -> `f(a)(b)`). */
int edit_punct_only(const char *old, size_t on, const char *nw, size_t nn)
{
    size_t i = 0, j = 0, a, b;
    punct_scan so, sn;
    if (same_but_space(old, on, nw, nn, 0)) return 0; /* no change */
    memset(&so, 0, sizeof so);
    memset(&sn, 0, sizeof sn);
    for (;;) {
        a = punct_next(old, on, &i, &so);
        b = punct_next(nw, nn, &j, &sn);
        if (a == on || b == nn) break;
        if (old[a] != nw[b]) return 0;
        i++;
        j++;
    }
    if (a != on || b != nn) return 0;
    return !(sn.pairs[0] != so.pairs[0] && sn.pairs[1] != so.pairs[1]) &&
           !(sn.pairs[2] != so.pairs[2] && sn.pairs[3] != so.pairs[3]);
}

/* A place's evidence (TC_EDIT_F_*; TC_EDIT_F_MANY is 0: not known yet;
 * TC_EDIT_F_INCLUDES, its file's, is set by edit_sites_ev). */
static void site_features(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, size_t a, size_t b,
                          const char *text, float *f)
{
    size_t k = ev_tok_at(v, a), lo = a < r->reg_a ? a : r->reg_a, hi = a < r->reg_a ? r->reg_a : a, i, lines = 0;
    long left = ctx_tok(v, a, b, -1), right = ctx_tok(v, a, b, 1);
    char *callee;
    memset(f, 0, TC_EDIT_NFEAT * sizeof *f);
    f[TC_EDIT_F_KIND + r->kind] = 1;
    f[TC_EDIT_F_BASE] = (float)(r->conf > 0 ? r->conf : 0.9);
    f[TC_EDIT_F_LEFT] = (float)agreement(r, v, left, 0);
    f[TC_EDIT_F_RIGHT] = (float)agreement(r, v, right, 1);
    f[TC_EDIT_F_LEFT3] = (float)wide_agree(r->lwide, v, left, -1);
    f[TC_EDIT_F_RIGHT3] = (float)wide_agree(r->rwide, v, right, 1);
    f[TC_EDIT_F_HEAD] = (float)tok_agree(r->head, v, k < v->n ? line_head(v, k) : -1);
    if (!r->callee) {
        f[TC_EDIT_F_CALLEE] = 0.5f;
    } else if ((callee = enclosing_call(v, k)) != NULL) {
        f[TC_EDIT_F_CALLEE] = strcmp(callee, r->callee) == 0 || (r->family && strcmp(callee, r->family) == 0);
        free(callee);
    }
    f[TC_EDIT_F_FILE] = origin != 0;
    if (origin && hi - lo < 40 * 160 && hi <= src->len) {
        for (i = lo; i < hi && lines <= 40; i++) lines += src->text[i] == '\n';
        f[TC_EDIT_F_NEAR] = lines <= 40;
    }
    f[TC_EDIT_F_DIR] = !origin && r->expath && src->path && edit_same_dir(r->expath, src->path);
    f[TC_EDIT_F_CONFIRMED] = r->twoex == 1;
    f[TC_EDIT_F_TWO] = r->twoex == 2;
    f[TC_EDIT_F_SECOND_LOW] = r->twoex == 1 ? (float)(1 - r->conf2) : 0;
    f[TC_EDIT_F_ROLE] = /* a sibling callback's place, not the example function's (a call's
                           own role, role_param -1, is not a parameter's: no evidence) */
        r->role_callee && r->role_param >= 0 &&
        !(origin == 1 && r->scope_b > r->scope_a && a >= r->scope_a && b <= r->scope_b);
    if (r->exline[0] && r->kind != TC_EDIT_RENAME) { /* a name's uses sit in any statement */
        size_t from, n = line_around(src->text, src->len, a, 120, &from);
        f[TC_EDIT_F_LINE] = (float)line_like(r->exline, strlen(r->exline), src->text + from, n);
    } else {
        f[TC_EDIT_F_LINE] = 0.5f;
    }
    f[TC_EDIT_F_LINE_FILE] = f[TC_EDIT_F_FILE] == 1 && f[TC_EDIT_F_LINE] >= 0.95f;
    if (r->kind == TC_EDIT_RENAME) { /* the new name is new by definition */
        f[TC_EDIT_F_NAMES] = f[TC_EDIT_F_NAMES_NEAR] = 0.5f;
    } else {
        names_found(src, a, b, text, &f[TC_EDIT_F_NAMES], &f[TC_EDIT_F_NAMES_NEAR]);
    }
    if (b <= src->len) f[TC_EDIT_F_PUNCT] = (float)edit_punct_only(src->text + a, b - a, text, strlen(text));
    f[TC_EDIT_F_BOUND] = (float)edit_place_bound(r, v);
    f[TC_EDIT_F_FIRST_USE] = r->kind == TC_EDIT_RENAME && r->first_use; /* firstuse.c */
    f[TC_EDIT_F_PPLINE] = r->ppline; /* ppline.c */
    f[TC_EDIT_F_DECL_SCOPE] = (float)edit_place_decl_scope(r, origin, a, b); /* declscope.c */
    f[TC_EDIT_F_CALL_RENAME] = (float)edit_place_call_rename(r, v, origin, a); /* callrename.c */
    f[TC_EDIT_F_SAME_PATH] = (float)edit_place_same_path(r, v, a, b); /* accpath.c */
}

/* ---- sites ------------------------------------------------------------------------ */

/* 1 if b[0..bn) ends with a (white space aside). */
static int ends_but_space(const char *a, const char *b, size_t bn)
{
    size_t i = a ? strlen(a) : 0, j = bn;
    for (;;) {
        while (i > 0 && isspace((unsigned char)a[i - 1])) i--;
        while (j > 0 && isspace((unsigned char)b[j - 1])) j--;
        if (i == 0) return 1;
        if (j == 0 || a[i - 1] != b[j - 1]) return 0;
        i--;
        j--;
    }
}

int edit_site_push(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, size_t a, size_t b,
                   const char *text, size_t len, tc_edit_sites *out)
{
    tc_edit_site *s;
    if (out->n == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 8;
        void *p = realloc(out->v, cap * sizeof *out->v);
        if (!p) return TC_ENOMEM;
        out->v = p;
        out->cap = cap;
    }
    s = &out->v[out->n];
    s->a = a;
    s->b = b;
    s->path = strdup(src->path ? src->path : "");
    s->text = tc_memdup_str(text ? text : "", len);
    if (!s->path || !s->text) {
        free(s->path);
        free(s->text);
        return TC_ENOMEM;
    }
    site_features(r, src, v, origin, a, b, s->text, s->feat);
    s->conf = tc_edit_conf(s->feat);
    out->n++;
    return TC_OK;
}

static int add_site(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, size_t a, size_t b,
                    tc_buf *text, tc_edit_sites *out)
{
    const char *t = text->data ? text->data : "";
    if (r->kind == TC_EDIT_INSERT) {
        if (same_but_space(t, text->len, src->text + a, src->len - a, 1)) return TC_OK; /* already there */
    } else if (same_but_space(t, text->len, src->text + a, b - a, 0)) {
        return TC_OK; /* changes nothing */
    }
    return edit_site_push(r, src, v, origin, a, b, t, text->len, out);
}

static int lang_ok(tc_lang a, tc_lang b)
{
    if (a == b) return 1;
    if ((a == TC_LANG_C || a == TC_LANG_CPP) && (b == TC_LANG_C || b == TC_LANG_CPP)) return 1;
    return (a == TC_LANG_JS || a == TC_LANG_TS) && (b == TC_LANG_JS || b == TC_LANG_TS);
}

/* ---- patterns --------------------------------------------------------------------- */

/* Match r's pattern at token i: pos[e] is where element e begins (pos[npat]
 * its end), hole[h] the token a hole took. 1 on a match. */
static int match_at(const tc_edit_rule *r, const ev *v, size_t i, size_t *pos, size_t *hole)
{
    size_t e, k = i, h;
    if (r->line_start && i > 0 && v->t[i - 1].kind != TC_TOK_NEWLINE) return 0;
    for (h = 0; h < EDIT_MAX_HOLES; h++) hole[h] = (size_t)-1;
    for (e = 0; e < r->npat; e++) {
        const edit_el *el = &r->pat[e];
        pos[e] = k;
        if (el->type == EL_GROUP) {
            while (k < v->n) {
                const char *t = v->s + v->t[k].off;
                if (v->t[k].kind == TC_TOK_PUNCT && v->t[k].len == 1 && strchr("([{", *t)) {
                    if (v->match[k] < 0) return 0;
                    k = (size_t)v->match[k] + 1;
                } else if (v->t[k].kind == TC_TOK_PUNCT && v->t[k].len == 1 && strchr(")]}", *t)) {
                    break;
                } else {
                    k++;
                }
            }
            continue;
        }
        if (k >= v->n) return 0;
        if (el->type == EL_LIT) {
            if (v->t[k].kind != el->kind) return 0;
            if (el->kind != TC_TOK_NEWLINE &&
                (v->t[k].len != el->len || memcmp(v->s + v->t[k].off, el->text, el->len) != 0) &&
                !edit_family_lit(r, e, v, k)) /* a sibling function's call (family.c) */
                return 0;
        } else {
            uint8_t kd = v->t[k].kind;
            if (kd != TC_TOK_IDENT && kd != TC_TOK_NUMBER && kd != TC_TOK_STRING) return 0;
            if (el->typed && kd != el->kind) return 0;
            if (hole[el->hole] == (size_t)-1) {
                hole[el->hole] = k;
            } else if (!ev_eq(v, hole[el->hole], v, k)) {
                return 0;
            }
        }
        k++;
    }
    pos[r->npat] = k;
    return 1;
}

/* The insert's text re-indented from the example's anchor to the site's. */
static int reindent(const tc_edit_rule *r, const char *ind, size_t indn, tc_buf *text)
{
    tc_buf o = {0};
    size_t i = 0, il = strlen(r->indent);
    int rc = TC_OK;
    while (i < text->len && rc == TC_OK) {
        const char *nl = memchr(text->data + i, '\n', text->len - i);
        size_t end = nl ? (size_t)(nl - text->data) + 1 : text->len;
        if (end - i >= il && memcmp(text->data + i, r->indent, il) == 0) {
            rc = tc_buf_append(&o, ind, indn);
            i += il;
        }
        if (rc == TC_OK) rc = tc_buf_append(&o, text->data + i, end - i);
        i = end;
    }
    if (rc == TC_OK) {
        tc_buf_free(text);
        *text = o;
    } else {
        tc_buf_free(&o);
    }
    return rc;
}

/* 1 if the site [a, b) at token i of v is in r's scope: a local's
 * rename, in the edited file (origin 1), inside it, or elsewhere where
 * the name plays the role of the example's callback parameter (role.c,
 * every file then); a `tokens` rule with a role, where its first old
 * token plays it. */
static int in_scope(const tc_edit_rule *r, const ev *v, int origin, size_t a, size_t b, size_t i)
{
    if (r->role_callee && r->kind == TC_EDIT_TOKENS) return edit_role_site(r, v, i);
    /* inner.c: not where an inner scope declares it again; role.c: a role's uses */
    if (origin == 1 && r->scope_b > r->scope_a && a >= r->scope_a && b <= r->scope_b)
        return !edit_inner_skipped(r, a, b) && edit_role_own(r, v, i);
    if (r->role_callee && origin != 2) return edit_role_site(r, v, i);
    return !(origin == 1 && r->scope_b > r->scope_a);
}

static int pattern_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    size_t *pos = malloc((r->npat + 1) * sizeof *pos), hole[EDIT_MAX_HOLES], i, last = 0, e;
    tc_buf text = {0};
    int rc = TC_OK, prop;
    if (!pos) return TC_ENOMEM;
    for (i = 0; i < v->n && rc == TC_OK; i++) {
        size_t a, b;
        if (!match_at(r, v, i, pos, hole)) continue;
        if (r->rep0 == r->rep1 && r->rep0 == r->npat) {
            a = b = ev_end(v, pos[r->npat]);
        } else if (r->rep0 == r->rep1) {
            a = b = r->kind == TC_EDIT_INSERT ? ev_end(v, pos[r->rep0]) : ev_off(v, pos[r->rep0]);
        } else {
            a = ev_off(v, pos[r->rep0]);
            b = r->nout == 0 ? ev_off(v, pos[r->rep1]) : ev_end(v, pos[r->rep1]);
        }
        if (a < last) continue; /* overlaps the previous site */
        if (r->calls_only && (r->lang == TC_LANG_SHELL ? !edit_sh_command(v, i)
                                                       : !ev_is(v, i + 1, "(") || edit_is_decl_before(v, i)))
            continue;
        if (r->pp && !edit_pp_line(v, i)) continue;
        if (r->kind == TC_EDIT_RENAME && r->qual &&
            (i == 0 || !(ev_is(v, i - 1, ".") || ev_is(v, i - 1, "->") || ev_is(v, i - 1, "::") || ev_is(v, i - 1, "?."))))
            continue;
        if (!in_scope(r, v, origin, a, b, r->kind == TC_EDIT_TOKENS ? pos[r->rep0] : i)) continue;
        rc = edit_family_site(r, v, pos); /* family.c */
        if (rc == TC_ENOENT) {
            rc = TC_OK;
            continue;
        }
        if (rc != TC_OK) break;
        if (origin == 1 && a <= r->reg_b && b >= r->reg_a) continue; /* the edit itself */
        prop = r->kind == TC_EDIT_RENAME ? edit_object_prop(r->lang, v, i) : 0; /* modscope.c */
        if (prop == 2) continue; /* an object's key: a property of that name, not the variable */
        text.len = 0;
        /* a shorthand property keeps its key: `{ a }` -> `{ a: b }` */
        if (prop == 1 && !(rc = tc_buf_append(&text, r->pat[0].text, r->pat[0].len)))
            rc = tc_buf_append(&text, ": ", 2);
        for (e = 0; e < r->nout && rc == TC_OK; e++) {
            const edit_piece *pc = &r->out[e];
            if (pc->hole < 0) {
                rc = tc_buf_append(&text, pc->lit, pc->len);
            } else {
                size_t t = hole[pc->hole];
                rc = tc_buf_append(&text, v->s + v->t[t].off, v->t[t].len);
            }
        }
        if (rc == TC_OK && r->kind == TC_EDIT_INSERT) {
            size_t ls = i == 0 ? 0 : ev_end(v, i);
            rc = reindent(r, v->s + ls, v->t[i].off - ls, &text);
        }
        if (rc == TC_OK && r->chain) { /* chain.c: the call inserted already, or the line broken as the example's */
            int c = edit_chain_site(r, v, i, &a, &b, &text);
            if (c == TC_ENOENT) continue;
            rc = c;
        }
        if (rc == TC_OK) {
            size_t before = out->n;
            rc = add_site(r, src, v, origin, a, b, &text, out);
            if (out->n > before) last = b;
        }
    }
    tc_buf_free(&text);
    free(pos);
    return rc;
}

/* ---- calls ------------------------------------------------------------------------ */

static int call_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    size_t i, flen = strlen(r->callee_from), last = 0;
    tc_buf text = {0};
    int rc = TC_OK;
    for (i = 0; i + 1 < v->n && rc == TC_OK; i++) {
        size_t m, k, start, na = 0, a, b, j;
        size_t aa[64], ab[64];
        if (v->t[i].kind != TC_TOK_IDENT || v->t[i].len != flen || memcmp(v->s + v->t[i].off, r->callee_from, flen))
            continue;
        if (!ev_is(v, i + 1, "(") || v->match[i + 1] < 0) continue;
        if ((i > 0 && (ev_is(v, i - 1, ".") || ev_is(v, i - 1, "->") || ev_is(v, i - 1, "::") ||
                       ev_is(v, i - 1, "?."))) != r->qual)
            continue;
        m = (size_t)v->match[i + 1];
        if (edit_is_decl_before(v, i) || edit_body_after(v, m)) continue;
        if (edit_params_declared(v, r->lang, i + 1, m)) continue; /* a parameter list (params.c) */
        for (k = start = i + 2; k < m;) { /* split the arguments */
            if (v->match[k] > (long)k) {
                k = (size_t)v->match[k] + 1;
                continue;
            }
            if (ev_is(v, k, ",")) {
                if (na < 64) {
                    aa[na] = start;
                    ab[na] = k;
                }
                na++;
                start = k + 1;
            }
            k++;
        }
        if (start < m) {
            if (na < 64) {
                aa[na] = start;
                ab[na] = m;
            }
            na++;
        }
        if (na != r->nargs || na > 64) continue;
        for (j = 0; r->oshape && j < na; j++) {
            char *have = edit_shape(v, aa[j], ab[j]);
            int ok = have && strcmp(have, r->oshape[j]) == 0;
            free(have);
            if (!ok) break;
        }
        if (r->oshape && j < na) continue;
        for (j = 0; r->dropped && j < na; j++) { /* the arguments whose constants the rule brings */
            char *have = r->dropped[j] ? edit_join(v, aa[j], ab[j]) : NULL;
            int ok = !r->dropped[j] || (have && strcmp(have, r->dropped[j]) == 0);
            free(have);
            if (!ok) break;
        }
        if (r->dropped && j < na) continue;
        a = v->t[i].off;
        b = v->t[m].off + v->t[m].len;
        if (a < last) continue;
        if (origin == 1 && a <= r->reg_b && b >= r->reg_a) continue;
        if (!in_scope(r, v, origin, a, b, i)) continue; /* a class's members (thisclass.c) */
        text.len = 0;
        rc = tc_buf_puts(&text, r->callee_to);
        if (rc == TC_OK) rc = tc_buf_puts(&text, "(");
        for (j = 0; j < r->nnew && rc == TC_OK; j++) {
            const edit_arg *g = &r->args[j];
            if (j > 0) rc = tc_buf_puts(&text, ", ");
            if (g->shape) {
                char *have = edit_shape(v, aa[g->ref], ab[g->ref]);
                int ok = have && strcmp(have, g->shape) == 0;
                free(have);
                if (!ok) break;
            }
            if (g->guard) {
                char *have = edit_join(v, aa[j], ab[j]);
                int ok = have && strcmp(have, g->guard) == 0;
                free(have);
                if (!ok) break;
            }
            if (g->ref < 0) {
                if (rc == TC_OK) rc = tc_buf_puts(&text, g->lit);
                continue;
            }
            {
                size_t ia = aa[g->ref], ib = ab[g->ref];
                const char *as = ib > ia ? v->s + v->t[ia].off : "";
                size_t an = ib > ia ? ev_end(v, ib) - v->t[ia].off : 0; /* an empty argument: "" */
                if (g->pre && (strlen(g->pre) + strlen(g->post) > 0) &&
                    same_but_space(g->pre, strlen(g->pre), as, an, 1) && ends_but_space(g->post, as, an))
                    break; /* already wrapped */
                if (g->pre) rc = tc_buf_puts(&text, g->pre);
                if (rc == TC_OK) rc = tc_buf_append(&text, as, an);
                if (rc == TC_OK && g->post) rc = tc_buf_puts(&text, g->post);
            }
        }
        if (j < r->nnew) continue; /* a guard said no */
        if (rc == TC_OK) rc = tc_buf_puts(&text, ")");
        if (rc == TC_OK) {
            size_t before = out->n;
            rc = add_site(r, src, v, origin, a, b, &text, out);
            if (out->n > before) last = b;
        }
    }
    tc_buf_free(&text);
    return rc;
}

struct tc_edit_text {
    tc_edit_src src;
    ev v;
};

tc_edit_text *tc_edit_text_new(const tc_edit_src *src)
{
    tc_edit_text *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->src = *src;
    if (ev_init(&t->v, src->lang, src->text, src->len)) {
        free(t);
        return NULL;
    }
    return t;
}

void tc_edit_text_free(tc_edit_text *t)
{
    if (!t) return;
    ev_free(&t->v);
    free(t);
}

static int sites_of_kind(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    if (r->also) return edit_rename2_sites(r, src, v, origin, out); /* two names renamed on one line */
    /* a file with its own function of that name is another function */
    if (!origin && r->kind == TC_EDIT_RENAME && edit_defines(v, r->pat[0].text, r->pat[0].len, 0)) return TC_OK;
    /* a shell function: only where it is defined, or in a file that sources others (one defines it) */
    if (!origin && (r->kind == TC_EDIT_RENAME || r->kind == TC_EDIT_CALL) && r->lang == TC_LANG_SHELL && r->calls_only &&
        !edit_sh_defines(v, r->pat[0].text, r->pat[0].len) && !edit_sh_sources(v))
        return TC_OK;
    if (r->kind == TC_EDIT_RENAME && r->shadow && origin == 1) return edit_shadow_sites(r, src, v, origin, out);
    if (r->kind == TC_EDIT_TOP) return edit_top_sites(r, src, v, origin, out);
    if (r->kind == TC_EDIT_LINT) return edit_lint_sites(r, src, v, origin, out);
    if (r->kind == TC_EDIT_TEMPLATE) return edit_template_sites(r, src, v, origin, out);
    if (r->kind == TC_EDIT_DELETE) return edit_delete_sites(r, src, v, origin, out);
    if (r->kind == TC_EDIT_MEMBER) return edit_member_sites(r, src, v, origin, out);
    if (r->kind == TC_EDIT_INSERT && r->ppwrap) return edit_ppwrap_sites(r, src, v, origin, out); /* ppwrap.c */
    if (r->kind == TC_EDIT_TOKENS && r->mchain) return edit_mchain_sites(r, src, v, origin, out); /* mchain.c */
    if (r->kind == TC_EDIT_TOKENS && r->init) return edit_init_sites(r, src, v, origin, out);   /* init.c */
    /* a shell command's arguments moved: a pattern (synth.c) */
    if (r->kind == TC_EDIT_CALL && r->callee_from) return call_sites(r, src, v, origin, out);
    return pattern_sites(r, src, v, origin, out);
}

int edit_sites_ev(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    size_t from = out->n;
    int rc = sites_of_kind(r, src, v, origin, out);
    if (rc == TC_OK) edit_sites_includes(r, src, origin, from, out); /* the file's, once (incl.c) */
    if (rc == TC_OK) edit_sites_share_line(src, from, out); /* a line's places together (lineshare.c) */
    return rc;
}

/* edit_sites_ev, then the sites added below min dropped. */
static int edit_sites_min(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, double min,
                          tc_edit_sites *out)
{
    size_t from = out->n, i, k = from;
    int rc = edit_sites_ev(r, src, v, origin, out);
    for (i = from; i < out->n; i++) {
        if (out->v[i].conf >= min) {
            out->v[k++] = out->v[i];
            continue;
        }
        free(out->v[i].path);
        free(out->v[i].text);
    }
    out->n = k;
    return rc;
}

/* 1 if src may hold sites of r (language, key, scope). */
static int may_hold(const tc_edit_rule *r, const tc_edit_src *src, int origin)
{
    if (!lang_ok(r->lang, src->lang)) return 0;
    if (r->keylen && !memmem(src->text, src->len, r->key, r->keylen)) return 0;
    if (!origin && r->expath && edit_path_variant(r->expath, src->path)) return 0; /* another version's file */
    if (r->dir && src->path) { /* a relative path: only from the same directory */
        const char *slash = strrchr(src->path, '/');
        size_t dl = slash ? (size_t)(slash - src->path) : 0;
        if (dl != strlen(r->dir) || memcmp(src->path, r->dir, dl) != 0) return 0;
    }
    return origin || r->cross;
}

int edit_rule_sites_text_min(const tc_edit_rule *r, const tc_edit_text *t, const char *path, int origin, double min,
                             tc_edit_sites *out)
{
    tc_edit_src src = t->src;
    src.path = path;
    if (!may_hold(r, &src, origin)) return TC_OK;
    return edit_sites_min(r, &src, &t->v, origin, min, out);
}

int edit_rule_sites_min(const tc_edit_rule *r, const tc_edit_src *src, int origin, double min, tc_edit_sites *out)
{
    ev v;
    int rc;
    if (!may_hold(r, src, origin)) return TC_OK;
    if ((rc = ev_init(&v, src->lang, src->text, src->len))) return rc;
    rc = edit_sites_min(r, src, &v, origin, min, out);
    ev_free(&v);
    return rc;
}

int tc_edit_rule_sites_text(const tc_edit_rule *r, const tc_edit_text *t, const char *path, int origin,
                            tc_edit_sites *out)
{
    return edit_rule_sites_text_min(r, t, path, origin, TC_EDIT_MIN_CONF, out);
}

int tc_edit_rule_sites(const tc_edit_rule *r, const tc_edit_src *src, int origin, tc_edit_sites *out)
{
    return edit_rule_sites_min(r, src, origin, TC_EDIT_MIN_CONF, out);
}

int tc_edit_rule_too_broad(const tc_edit_rule *r, size_t n)
{
    /* the uses of a callback's parameter in the sibling callbacks (role.c):
     * as many places as the code has such callbacks */
    if (r->role_callee) return n > TC_EDIT_MAX_NARROW;
    /* a chain of a local in its function (mchain.c), the initializers of
     * one type (init.c): one variable's uses, one type's values, not data */
    if (r->mchain || r->init) return n > TC_EDIT_MAX_OFFERS;
    /* a constant changed at one of many places of the same constant is
     * data being edited (a test's fixtures), not a constant renamed */
    if ((r->kind == TC_EDIT_LITERAL || r->kind == TC_EDIT_TOKENS) && n > TC_EDIT_MAX_LITERALS) return 1;
    /* braces from a "}" line alone: where the code has more bare bodies
     * than this, its style is bare bodies, and a "}" after one is a block
     * closed (`} else {` typed before it) rather than the style changed
     * (7318fc9beb's sa.c: 9,015 wrong places on tacit's tree) */
    if (edit_lint_close(r)) return n > TC_EDIT_MAX_NARROW;
    /* lines for the top of every file, a linter's fix, the same statement
     * deleted: as many places as the files hold (top.c, lint.c, lines.c) */
    return r->cross && r->kind != TC_EDIT_TOP && r->kind != TC_EDIT_LINT && r->kind != TC_EDIT_DELETE &&
           n > TC_EDIT_MAX_OFFERS;
}

int tc_edit_rule_narrowable(const tc_edit_rule *r)
{
    /* a rename, or an example that is an argument of a named call (not a bracket, not in no call) */
    return r->kind == TC_EDIT_RENAME ||
           (r->callee && (isalpha((unsigned char)r->callee[0]) || r->callee[0] == '_' || r->callee[0] == '$'));
}

int tc_edit_site_exact(const tc_edit_rule *r, const float *feat)
{
    if (!tc_edit_rule_narrowable(r)) return 0;
    if (r->kind == TC_EDIT_RENAME) return feat[TC_EDIT_F_FILE] == 1 || feat[TC_EDIT_F_DIR] == 1;
    return feat[TC_EDIT_F_LEFT] == 1 && feat[TC_EDIT_F_RIGHT] == 1 && feat[TC_EDIT_F_CALLEE] == 1;
}

void tc_edit_sites_narrow(const tc_edit_rule *r, tc_edit_sites *s)
{
    size_t i, k = 0, exact = 0;
    if (!tc_edit_rule_too_broad(r, s->n)) return;
    for (i = 0; i < s->n; i++) exact += tc_edit_site_exact(r, s->v[i].feat) != 0;
    for (i = 0; i < s->n; i++) {
        if (exact <= TC_EDIT_MAX_NARROW && tc_edit_site_exact(r, s->v[i].feat)) {
            s->v[k++] = s->v[i];
            continue;
        }
        free(s->v[i].path);
        free(s->v[i].text);
    }
    s->n = k;
}

/* ---- confidence from evidence ------------------------------------------------------- */

/* The logistic model's weights per TC_EDIT_F_* and its bias, written by
 * bench/nextedit_refit.sh into conf_weights.h (included by edit.h). A
 * kind without a weight (one added since the last refit) counts 0: its
 * base confidence and its surroundings say it. */
static const double conf_w[TC_EDIT_NFEAT] = TC_EDIT_CONF_W;

const char *tc_edit_feat_name(int f)
{
    static const char *names[] = {"base", "left", "right", "left3", "right3", "head", "callee",
                                  "file", "near", "dir", "confirmed", "two", "names", "names_near",
                                  "many", "line", "many_syntax", "role", "line_file", "second_low",
                                  "punct", "bound", "first_use", "ppline", "includes", "decl_scope", "call_rename", "same_path"};
    if (f >= 0 && f < TC_EDIT_F_BASE) return tc_edit_kind_name((tc_edit_kind)f);
    if (f >= TC_EDIT_F_BASE && f < TC_EDIT_NFEAT && (size_t)(f - TC_EDIT_F_BASE) < sizeof names / sizeof *names)
        return names[f - TC_EDIT_F_BASE];
    return "?";
}

/* TC_EDIT_F_MANY_SYNTAX from TC_EDIT_F_MANY and the kind. */
static float many_syntax(const float *f)
{
    return f[TC_EDIT_F_KIND + TC_EDIT_TOP] > 0 || f[TC_EDIT_F_KIND + TC_EDIT_LINT] > 0 ? f[TC_EDIT_F_MANY] : 0;
}

double tc_edit_conf(const float *f)
{
    double z = TC_EDIT_CONF_BIAS;
    size_t i;
    for (i = 0; i < TC_EDIT_NFEAT; i++)
        if (i != TC_EDIT_F_MANY_SYNTAX) z += conf_w[i] * f[i];
    z += conf_w[TC_EDIT_F_MANY_SYNTAX] * many_syntax(f); /* derived: the server sets TC_EDIT_F_MANY alone */
    return 1 / (1 + exp(-z));
}

float tc_edit_many(size_t n)
{
    double many = log2(1 + (double)n) / 6;
    return (float)(many < 1 ? many : 1);
}

double tc_edit_logodds(double conf)
{
    double c = conf < 1e-6 ? 1e-6 : conf > 1 - 1e-6 ? 1 - 1e-6 : conf;
    return log(c / (1 - c));
}

double tc_edit_conf_rule(double place, double rule)
{
    return 1 / (1 + exp(-(tc_edit_logodds(place) + TC_EDIT_CONF_RULE * (rule - TC_EDIT_CONF_RULE_MID))));
}

void tc_edit_sites_score(tc_edit_sites *s)
{
    size_t i;
    double sum = 0;
    for (i = 0; i < s->n; i++) {
        s->v[i].feat[TC_EDIT_F_MANY] = tc_edit_many(s->n);
        s->v[i].feat[TC_EDIT_F_MANY_SYNTAX] = many_syntax(s->v[i].feat);
        s->v[i].conf = tc_edit_conf(s->v[i].feat);
        sum += tc_edit_logodds(s->v[i].conf);
    }
    for (i = 0; i < s->n; i++) s->v[i].conf = tc_edit_conf_rule(s->v[i].conf, sum / (double)s->n);
}
