/* sites.c - where a rule applies: matching its pattern (or its call shape)
 * against a text's tokens, and rendering the new text at each match. */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <ctype.h>
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

/* The first token of v at or after byte a. */
static size_t tok_at(const ev *v, size_t a)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->t[mid].off < a) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The token before bytes [a, b) of v (dir < 0) or after them on the same
 * line (indents skipped), or -1 at the line's start or end: the shape of
 * the statement around a place. */
static long ctx_tok(const ev *v, size_t a, size_t b, int dir)
{
    long k = dir < 0 ? (long)tok_at(v, a) - 1 : (long)tok_at(v, b);
    while (k >= 0 && (size_t)k < v->n && (v->t[k].kind == TC_TOK_INDENT || v->t[k].kind == TC_TOK_DEDENT))
        k += dir < 0 ? -1 : 1;
    return k >= 0 && (size_t)k < v->n && v->t[k].kind != TC_TOK_NEWLINE ? k : -1;
}

/* Token k's text, "" for a line's start or end (k < 0). */
static char *tok_copy(const ev *v, long k)
{
    return k < 0 ? strdup("") : strndup(v->s + v->t[k].off, v->t[k].len);
}

int edit_rule_context(tc_edit_rule *r, const tc_edit_src *before, const ev *o, size_t a, size_t b)
{
    tc_edit_sites own = {0};
    size_t i;
    int rc = edit_sites_ev(r, before, o, 2, &own);
    for (i = 0; rc == TC_OK && i < own.n; i++) {
        long l, rt;
        if (own.v[i].b < a || own.v[i].a > b) continue; /* not the example's own place */
        l = ctx_tok(o, own.v[i].a, own.v[i].b, -1);
        rt = ctx_tok(o, own.v[i].a, own.v[i].b, 1);
        r->lkind = l >= 0 ? o->t[l].kind : TC_TOK_NEWLINE;
        r->rkind = rt >= 0 ? o->t[rt].kind : TC_TOK_NEWLINE;
        if (!(r->lctx = tok_copy(o, l)) || !(r->rctx = tok_copy(o, rt))) rc = TC_ENOMEM;
        break;
    }
    tc_edit_sites_free(&own);
    return rc;
}

/* 0, 0.5 (not known) or 1 per side: the token next to the site on its
 * line (or the line's start or end) is the one next to the example's. */
static double agreement(const tc_edit_rule *r, const ev *v, size_t a, size_t b)
{
    double s = 0;
    int side;
    for (side = 0; side < 2; side++) {
        const char *want = side ? r->rctx : r->lctx;
        long k = ctx_tok(v, a, b, side ? 1 : -1);
        if (!want) {
            s += 0.5;
            continue;
        }
        if (k < 0) {
            s += *want == 0;
            continue;
        }
        s += v->t[k].kind == (side ? r->rkind : r->lkind) && v->t[k].len == strlen(want) &&
             memcmp(v->s + v->t[k].off, want, v->t[k].len) == 0;
    }
    return s;
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

/* Sites in a file other than the example's: the rule less sure there (on
 * six histories, 43 % of such offers were right against 70 % in the
 * edited file). */
#define CONF_OTHER_FILE 0.8

static int add_site(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, size_t a, size_t b,
                    tc_buf *text, tc_edit_sites *out)
{
    tc_edit_site *s;
    const char *t = text->data ? text->data : "";
    if (r->kind == TC_EDIT_INSERT) {
        if (same_but_space(t, text->len, src->text + a, src->len - a, 1)) return TC_OK; /* already there */
    } else if (same_but_space(t, text->len, src->text + a, b - a, 0)) {
        return TC_OK; /* changes nothing */
    }
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
    s->text = malloc(text->len + 1);
    if (!s->path || !s->text) {
        free(s->path);
        free(s->text);
        return TC_ENOMEM;
    }
    memcpy(s->text, t, text->len);
    s->text[text->len] = 0;
    /* a renamed name's neighbours vary from use to use: the rule alone says it */
    s->conf = (r->conf > 0 ? r->conf : 1) * (r->kind == TC_EDIT_RENAME ? 1 : 0.5 + 0.25 * agreement(r, v, a, b));
    if (!origin) s->conf *= CONF_OTHER_FILE;
    out->n++;
    return TC_OK;
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
                (v->t[k].len != el->len || memcmp(v->s + v->t[k].off, el->text, el->len) != 0))
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

static int pattern_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    size_t *pos = malloc((r->npat + 1) * sizeof *pos), hole[EDIT_MAX_HOLES], i, last = 0, e;
    tc_buf text = {0};
    int rc = TC_OK;
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
        if (r->calls_only && (!ev_is(v, i + 1, "(") || edit_is_decl_before(v, i))) continue;
        if (r->kind == TC_EDIT_RENAME && r->qual &&
            (i == 0 || !(ev_is(v, i - 1, ".") || ev_is(v, i - 1, "->") || ev_is(v, i - 1, "::") || ev_is(v, i - 1, "?."))))
            continue;
        if (origin == 1 && (r->scope_b > r->scope_a) && (a < r->scope_a || b > r->scope_b)) continue;
        if (origin == 1 && a <= r->reg_b && b >= r->reg_a) continue; /* the edit itself */
        text.len = 0;
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
        a = v->t[i].off;
        b = v->t[m].off + v->t[m].len;
        if (a < last) continue;
        if (origin == 1 && a <= r->reg_b && b >= r->reg_a) continue;
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

int edit_sites_ev(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    /* a file with its own function of that name is another function */
    if (!origin && r->kind == TC_EDIT_RENAME && edit_defines(v, r->pat[0].text, r->pat[0].len, 0)) return TC_OK;
    if (r->kind == TC_EDIT_TOP) return edit_top_sites(r, src, v, origin, out);
    if (r->kind == TC_EDIT_LINT) return edit_lint_sites(r, src, v, origin, out);
    if (r->kind == TC_EDIT_TEMPLATE) return edit_template_sites(r, src, v, origin, out);
    if (r->kind == TC_EDIT_DELETE) return edit_delete_sites(r, src, v, origin, out);
    return r->kind == TC_EDIT_CALL ? call_sites(r, src, v, origin, out) : pattern_sites(r, src, v, origin, out);
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
    /* a constant changed at one of many places of the same constant is
     * data being edited (a test's fixtures), not a constant renamed */
    if ((r->kind == TC_EDIT_LITERAL || r->kind == TC_EDIT_TOKENS) && n > TC_EDIT_MAX_LITERALS) return 1;
    /* lines for the top of every file, a linter's fix: as many places as
     * the files hold (top.c, lint.c) */
    return r->cross && r->kind != TC_EDIT_TOP && r->kind != TC_EDIT_LINT && n > TC_EDIT_MAX_OFFERS;
}
