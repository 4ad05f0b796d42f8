/* family.c - an argument added at a call reaches the calls of the
 * function's sibling too: a function defined in the edited file whose name
 * is the callee's with camel-case words added (`WrapCallback` ->
 * `WrapVoidCallback`, `readFile` -> `readFileSync`) and whose parameter
 * list is the same, token for token (`(Callable callback)`): two versions
 * of one API whose signatures change together (node-addon-api 8.3.0 gave
 * both `WrapCallback` and `WrapVoidCallback` the `env` first).
 *
 * Only an insertion (a `tokens` rule) into the arguments of a call of a
 * function the edited file defines, whose pattern holds the callee's name;
 * one such sibling (two or more: none). A name the insertion brings that
 * is a parameter of the function around the example (`env`) must be a
 * parameter of the function around the sibling's call too, with the same
 * type (`napi_env env`): a sibling call in a function whose `env` is
 * another type (`node_addon_api_basic_env env`) is another API's use. */
#include "edit/edit_int.h"
#include "util/status.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int camel(const char *s, size_t n)
{
    size_t i;
    if (n < 2) return 0;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i])) return 0;
    return 1;
}

/* 1 if g is f with one or more camel-case words inserted inside or after
 * it (`WrapCallback` -> `WrapVoidCallback`, `readFile` -> `readFileSync`). */
int edit_name_family(const char *f, size_t fn, const char *g, size_t gn)
{
    size_t k, w;
    if (gn <= fn || !camel(f, fn) || !camel(g, gn)) return 0;
    w = gn - fn;
    for (k = 1; k <= fn; k++) {
        if (memcmp(g, f, k) != 0) break;
        if (k < fn && !isupper((unsigned char)f[k])) continue; /* a word boundary of f */
        if (!isupper((unsigned char)g[k])) continue;           /* the words added start one */
        if (memcmp(g + k + w, f + k, fn - k) == 0) return 1;
    }
    return 0;
}

/* The '(' of the definition of name[0..len) in v (a name, its
 * parameters, a body), v->n if none or more than one. */
static size_t defined_at(const ev *v, const char *name, size_t len)
{
    size_t i, at = v->n;
    for (i = 0; i + 1 < v->n; i++) {
        if (!edit_is_def(v, i, name, len) || (i > 0 && ev_is_qual(v, i - 1))) continue;
        if (at != v->n) return v->n;
        at = i + 1;
    }
    return at;
}

/* 1 if the parameter lists at '(' a of v and '(' b of v hold the same tokens. */
static int same_params(const ev *v, size_t a, size_t b)
{
    size_t ea = (size_t)v->match[a], eb = (size_t)v->match[b], i;
    if (ea - a != eb - b) return 0;
    for (i = 1; i < ea - a; i++)
        if (v->t[a + i].kind != TC_TOK_NEWLINE && !ev_eq(v, a + i, v, b + i)) return 0;
    return 1;
}

/* The parameter name[0..len) in the parameter list of the function of v
 * around token k (the innermost whose list declares it; a lambda's `[&]`
 * declares nothing): its type, the tokens before the name from the list's
 * '(' or ',' joined (edit_join), in *type (the caller's to free). TC_OK /
 * TC_ENOENT (no such parameter; *type NULL) / TC_ENOMEM. */
static int param_type(const ev *v, size_t k, const char *name, size_t len, char **type)
{
    size_t i;
    *type = NULL;
    for (i = k; i-- > 0;) {
        size_t c, j, from;
        if (v->match[i] >= 0 && (size_t)v->match[i] < i) {
            i = (size_t)v->match[i];
            continue;
        }
        if (!ev_is(v, i, "{") || v->match[i] <= (long)k) continue;
        c = ev_words_back(v, i);
        if (c == 0 || !ev_is(v, c - 1, ")") || v->match[c - 1] < 0) continue;
        c--;
        for (j = from = (size_t)v->match[c] + 1; j < c; j++) {
            if (v->match[j] > (long)j) {
                j = (size_t)v->match[j];
                continue;
            }
            if (ev_is(v, j, ",")) {
                from = j + 1;
                continue;
            }
            if (j > from && v->t[j].kind == TC_TOK_IDENT && v->t[j].len == len &&
                memcmp(v->s + v->t[j].off, name, len) == 0 && (j + 1 == c || ev_is(v, j + 1, ","))) {
                *type = edit_join(v, from, j);
                return *type ? TC_OK : TC_ENOMEM;
            }
        }
    }
    return TC_ENOENT;
}

int edit_family_mark(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t i, c, e, fdef, gdef = 0, found = 0;
    if (r->kind != TC_EDIT_TOKENS || oe != p || ne <= p || r->role_callee || r->scope_b > r->scope_a) return TC_OK;
    /* the call around the insertion: `F(` with the insertion in its brackets */
    for (c = p; c-- > 0;) {
        if (o->match[c] >= 0 && (size_t)o->match[c] < c) {
            c = (size_t)o->match[c];
            continue;
        }
        if (ev_is(o, c, "(") || ev_is(o, c, "[") || ev_is(o, c, "{") || ev_is(o, c, ";")) break;
    }
    if (c == (size_t)-1 || !ev_is(o, c, "(") || c == 0 || o->t[c - 1].kind != TC_TOK_IDENT) return TC_OK;
    c--;
    for (e = 0; e < r->npat; e++)
        if (r->pat[e].type == EL_LIT && r->pat[e].len == o->t[c].len &&
            memcmp(r->pat[e].text, o->s + o->t[c].off, o->t[c].len) == 0)
            break;
    if (e == r->npat) return TC_OK;
    fdef = defined_at(o, o->s + o->t[c].off, o->t[c].len);
    if (fdef == o->n) return TC_OK;
    for (i = 0; i + 1 < o->n; i++) { /* the one sibling defined with the same parameters */
        if (o->t[i].kind != TC_TOK_IDENT || !ev_is(o, i + 1, "(") || o->match[i + 1] < 0) continue;
        if (!edit_name_family(o->s + o->t[c].off, o->t[c].len, o->s + o->t[i].off, o->t[i].len)) continue;
        if (defined_at(o, o->s + o->t[i].off, o->t[i].len) != i + 1 || !same_params(o, fdef, i + 1)) continue;
        if (found && !ev_eq(o, gdef, o, i)) return TC_OK;
        gdef = i;
        found = 1;
    }
    if (!found) return TC_OK;
    if (!(r->family = malloc(o->t[gdef].len + 1))) return TC_ENOMEM;
    memcpy(r->family, o->s + o->t[gdef].off, o->t[gdef].len);
    r->family[o->t[gdef].len] = '\0';
    r->family_el = e + 1;
    /* the first name brought that is a parameter of the example's function */
    for (i = p; i < ne && !r->family_type; i++) {
        int rc;
        if (n->t[i].kind != TC_TOK_IDENT) continue;
        rc = param_type(n, p, n->s + n->t[i].off, n->t[i].len, &r->family_type);
        if (rc == TC_ENOENT) continue;
        if (rc != TC_OK || !(r->family_var = edit_join(n, i, i + 1))) return TC_ENOMEM;
    }
    return TC_OK;
}

int edit_family_lit(const tc_edit_rule *r, size_t e, const ev *v, size_t k)
{
    size_t len;
    if (!r->family || e + 1 != r->family_el) return 0;
    len = strlen(r->family);
    return v->t[k].kind == TC_TOK_IDENT && v->t[k].len == len && memcmp(v->s + v->t[k].off, r->family, len) == 0;
}

int edit_family_site(const tc_edit_rule *r, const ev *v, const size_t *pos)
{
    size_t k;
    char *have;
    int rc;
    if (!r->family) return TC_OK;
    k = pos[r->family_el - 1];
    if (!edit_family_lit(r, r->family_el - 1, v, k)) return TC_OK; /* the example's own function */
    if (!r->family_type) return TC_OK;
    /* the name the insertion brings: a parameter of the same type around the call */
    rc = param_type(v, k, r->family_var, strlen(r->family_var), &have);
    if (rc == TC_OK && strcmp(have, r->family_type) != 0) rc = TC_ENOENT;
    free(have);
    return rc;
}
