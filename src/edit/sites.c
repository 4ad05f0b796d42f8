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

static int add_site(const tc_edit_rule *r, const tc_edit_src *src, size_t a, size_t b, tc_buf *text,
                    tc_edit_sites *out)
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
        if (origin && (r->scope_b > r->scope_a) && (a < r->scope_a || b > r->scope_b)) continue;
        if (origin && a <= r->reg_b && b >= r->reg_a) continue; /* the edit itself */
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
            rc = add_site(r, src, a, b, &text, out);
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
        if (origin && a <= r->reg_b && b >= r->reg_a) continue;
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
                    same_but_space(g->pre, strlen(g->pre), as, an, 1))
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
            rc = add_site(r, src, a, b, &text, out);
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

static int sites_on(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    /* a file with its own function of that name is another function */
    if (!origin && r->kind == TC_EDIT_RENAME && edit_defines(v, r->pat[0].text, r->pat[0].len, 0)) return TC_OK;
    return r->kind == TC_EDIT_CALL ? call_sites(r, src, v, origin, out) : pattern_sites(r, src, v, origin, out);
}

/* 1 if src may hold sites of r (language, key, scope). */
static int may_hold(const tc_edit_rule *r, const tc_edit_src *src, int origin)
{
    if (!lang_ok(r->lang, src->lang)) return 0;
    if (r->keylen && !memmem(src->text, src->len, r->key, r->keylen)) return 0;
    return origin || r->cross;
}

int tc_edit_rule_sites_text(const tc_edit_rule *r, const tc_edit_text *t, const char *path, int origin,
                            tc_edit_sites *out)
{
    tc_edit_src src = t->src;
    src.path = path;
    if (!may_hold(r, &src, origin)) return TC_OK;
    return sites_on(r, &src, &t->v, origin, out);
}

int tc_edit_rule_sites(const tc_edit_rule *r, const tc_edit_src *src, int origin, tc_edit_sites *out)
{
    ev v;
    int rc;
    if (!may_hold(r, src, origin)) return TC_OK;
    if ((rc = ev_init(&v, src->lang, src->text, src->len))) return rc;
    rc = sites_on(r, src, &v, origin, out);
    ev_free(&v);
    return rc;
}

int tc_edit_rule_too_broad(const tc_edit_rule *r, size_t n) { return r->cross && n > TC_EDIT_MAX_OFFERS; }
