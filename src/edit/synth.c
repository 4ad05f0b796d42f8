/* synth.c - one example edit -> a rewrite rule (edit.h says which kinds).
 * The example is the token-level difference of the document before and
 * after the burst: the tokens between the common prefix and suffix. */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- token views ----------------------------------------------------------------- */

static int is_open(const ev *v, size_t i)
{
    return v->t[i].kind == TC_TOK_PUNCT && v->t[i].len == 1 && strchr("([{", v->s[v->t[i].off]);
}

static int is_close(const ev *v, size_t i)
{
    return v->t[i].kind == TC_TOK_PUNCT && v->t[i].len == 1 && strchr(")]}", v->s[v->t[i].off]);
}

int ev_init(ev *v, tc_lang lang, const char *s, size_t len)
{
    tc_toks all = {0};
    long *stack = NULL;
    size_t i, sp = 0;
    int rc;
    memset(v, 0, sizeof *v);
    v->s = s;
    v->len = len;
    if ((rc = tc_lex(lang, s, len, &all)) != TC_OK) goto out;
    rc = TC_ENOMEM;
    if (!(v->t = malloc((all.n + 1) * sizeof *v->t)) || !(v->match = malloc((all.n + 1) * sizeof *v->match)) ||
        !(stack = malloc((all.n + 1) * sizeof *stack)))
        goto out;
    for (i = 0; i < all.n; i++) {
        uint8_t k = all.v[i].kind;
        if (k == TC_TOK_COMMENT || k == TC_TOK_INDENT || k == TC_TOK_DEDENT) continue;
        v->t[v->n] = all.v[i];
        v->match[v->n] = -1;
        if (is_open(v, v->n)) {
            stack[sp++] = (long)v->n;
        } else if (is_close(v, v->n) && sp > 0) {
            char o = s[v->t[stack[sp - 1]].off], c = s[v->t[v->n].off];
            if ((o == '(' && c == ')') || (o == '[' && c == ']') || (o == '{' && c == '}')) {
                sp--;
                v->match[v->n] = stack[sp];
                v->match[stack[sp]] = (long)v->n;
            }
        }
        v->n++;
    }
    rc = TC_OK;
out:
    free(stack);
    tc_toks_free(&all);
    if (rc) ev_free(v);
    return rc;
}

void ev_free(ev *v)
{
    free(v->t);
    free(v->match);
    v->t = NULL;
    v->match = NULL;
    v->n = 0;
}

int ev_eq(const ev *a, size_t i, const ev *b, size_t j)
{
    const tc_token *x = &a->t[i], *y = &b->t[j];
    if (x->kind != y->kind) return 0;
    if (x->kind == TC_TOK_NEWLINE) return 1;
    return x->len == y->len && memcmp(a->s + x->off, b->s + y->off, x->len) == 0;
}

size_t edit_slide_insert(const ev *n, size_t *p, size_t *ne)
{
    size_t from = *p;
    while (*p > 0 && *ne > *p && n->t[*p - 1].kind != TC_TOK_NEWLINE && ev_eq(n, *p - 1, n, *ne - 1)) {
        (*p)--;
        (*ne)--;
    }
    return from - *p;
}

int ev_is(const ev *v, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    return i < v->n && v->t[i].len == n && memcmp(v->s + v->t[i].off, lit, n) == 0;
}

size_t ev_line_first(const ev *v, size_t i)
{
    while (i > 0 && v->t[i - 1].kind != TC_TOK_NEWLINE) i--;
    return i;
}

size_t ev_line_end(const ev *v, size_t i)
{
    while (i < v->n && v->t[i].kind != TC_TOK_NEWLINE) i++;
    return i;
}

const char *ev_line_indent(const ev *v, size_t i, size_t *len)
{
    size_t ls = ev_line_first(v, i), lstart = ev_end(v, ls);
    *len = v->t[ls].off - lstart;
    return v->s + lstart;
}

size_t ev_tok_at(const ev *v, size_t a)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->t[mid].off < a) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

size_t ev_off(const ev *v, size_t i) { return i < v->n ? v->t[i].off : v->len; }

size_t ev_end(const ev *v, size_t i) { return i == 0 ? 0 : v->t[i - 1].off + v->t[i - 1].len; }

char *edit_join(const ev *v, size_t a, size_t b)
{
    size_t i, n = 1;
    char *s, *p;
    for (i = a; i < b; i++) n += v->t[i].len + 1;
    if (!(s = p = malloc(n))) return NULL;
    for (i = a; i < b; i++) {
        if (i > a) *p++ = ' ';
        memcpy(p, v->s + v->t[i].off, v->t[i].len);
        p += v->t[i].len;
    }
    *p = 0;
    return s;
}

char *edit_shape(const ev *v, size_t a, size_t b)
{
    char *s = malloc(b - a + 1);
    size_t i;
    if (!s) return NULL;
    for (i = a; i < b; i++) s[i - a] = (char)('A' + v->t[i].kind);
    s[b - a] = 0;
    return s;
}

/* ---- rules ------------------------------------------------------------------------ */

const char *tc_edit_kind_name(tc_edit_kind k)
{
    static const char *names[] = {"rename", "call", "insert", "block", "literal", "tokens", "top", "lint", "template", "delete", "member"};
    return k < TC_EDIT_KIND_COUNT ? names[k] : "?";
}

/* Free what r owns and zero it. */
static void rule_clear(tc_edit_rule *r)
{
    size_t i;
    for (i = 0; i < r->npat; i++) free(r->pat[i].text);
    for (i = 0; i < r->nout; i++) free(r->out[i].lit);
    for (i = 0; i < r->nnew; i++) {
        free(r->args[i].pre);
        free(r->args[i].post);
        free(r->args[i].lit);
        free(r->args[i].guard);
        free(r->args[i].shape);
    }
    for (i = 0; r->oshape && i < r->nargs; i++) free(r->oshape[i]);
    free(r->oshape);
    for (i = 0; r->dropped && i < r->nargs; i++) free(r->dropped[i]);
    free(r->dropped);
    free(r->pat);
    free(r->out);
    free(r->args);
    free(r->key);
    free(r->indent);
    free(r->callee_from);
    free(r->callee_to);
    free(r->lctx);
    free(r->rctx);
    free(r->lwide);
    free(r->rwide);
    free(r->head);
    free(r->callee);
    free(r->expath);
    free(r->incs);
    free(r->path);
    free(r->dir);
    free(r->chain);
    free(r->mparam);
    tc_edit_rule_free(r->also);
    free(r->role_callee);
    free(r->role_member);
    free(r->family);
    free(r->family_var);
    free(r->family_type);
    memset(r, 0, sizeof *r);
}

void tc_edit_rule_free(tc_edit_rule *r)
{
    if (!r) return;
    rule_clear(r);
    free(r);
}

tc_edit_kind tc_edit_rule_kind(const tc_edit_rule *r) { return r->kind; }
const char *tc_edit_rule_title(const tc_edit_rule *r) { return r->title; }
int tc_edit_rule_crossfile(const tc_edit_rule *r) { return r->cross; }

const char *tc_edit_rule_key(const tc_edit_rule *r, size_t *len)
{
    *len = r->keylen;
    return r->key;
}

void tc_edit_rule_region(const tc_edit_rule *r, size_t *a, size_t *b)
{
    *a = r->reg_a;
    *b = r->reg_b;
}

static void shift_one(size_t *x, size_t a, size_t b, size_t n)
{
    if (*x >= b) *x = *x - (b - a) + n;
    else if (*x > a) *x = a + n;
}

void tc_edit_rule_shift(tc_edit_rule *r, size_t a, size_t b, size_t n)
{
    size_t i;
    shift_one(&r->reg_a, a, b, n);
    shift_one(&r->reg_b, a, b, n);
    if (r->scope_b > r->scope_a) {
        shift_one(&r->scope_a, a, b, n);
        shift_one(&r->scope_b, a, b, n);
    }
    for (i = 0; i < r->nskip; i++) {
        shift_one(&r->skip_a[i], a, b, n);
        shift_one(&r->skip_b[i], a, b, n);
    }
    if (r->also) tc_edit_rule_shift(r->also, a, b, n);
}

static char *tok_dup(const ev *v, size_t i) { return tc_memdup_str(v->s + v->t[i].off, v->t[i].len); }

static int push_el(tc_edit_rule *r, int type, const ev *v, size_t i, int hole)
{
    edit_el *e;
    void *p = realloc(r->pat, (r->npat + 1) * sizeof *r->pat);
    if (!p) return TC_ENOMEM;
    r->pat = p;
    e = &r->pat[r->npat];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->hole = hole;
    if (type == EL_LIT) {
        if (!(e->text = tok_dup(v, i))) return TC_ENOMEM;
        e->len = v->t[i].len;
        e->kind = v->t[i].kind;
    }
    r->npat++;
    return TC_OK;
}

static int push_piece(tc_edit_rule *r, int hole, const char *lit, size_t len)
{
    edit_piece *e;
    void *p;
    if (hole < 0 && len == 0) return TC_OK;
    if (!(p = realloc(r->out, (r->nout + 1) * sizeof *r->out))) return TC_ENOMEM;
    r->out = p;
    e = &r->out[r->nout];
    e->hole = hole;
    e->lit = NULL;
    e->len = len;
    if (hole < 0 && !(e->lit = tc_memdup_str(lit, len))) return TC_ENOMEM;
    r->nout++;
    return TC_OK;
}

static int set_key(tc_edit_rule *r, const char *s, size_t n)
{
    free(r->key);
    r->keylen = n;
    return (r->key = tc_memdup_str(s, n)) ? TC_OK : TC_ENOMEM;
}

int edit_pattern_key(tc_edit_rule *r)
{
    size_t key = 0, i;
    for (i = 1; i < r->npat; i++)
        if (r->pat[i].type == EL_LIT && r->pat[i].kind != TC_TOK_NEWLINE &&
            (r->pat[key].type != EL_LIT || r->pat[key].kind == TC_TOK_NEWLINE || r->pat[i].len > r->pat[key].len))
            key = i;
    if (r->npat == 0 || r->pat[key].type != EL_LIT) return set_key(r, "", 0);
    return set_key(r, r->pat[key].text, r->pat[key].len);
}

int edit_is_holey(uint8_t k) { return k == TC_TOK_IDENT || k == TC_TOK_NUMBER || k == TC_TOK_STRING; }

/* The pieces of the new text n.s[a..b) over tokens [p, e): token i becomes
 * hole at[i - p] where that is >= 0, the bytes between are literals. */
static int pieces_at(tc_edit_rule *r, const ev *n, size_t a, size_t b, size_t p, size_t e, const int *at)
{
    size_t i, lit = a;
    int rc;
    for (i = p; i < e; i++) {
        if (at[i - p] < 0) continue;
        if ((rc = push_piece(r, -1, n->s + lit, n->t[i].off - lit))) return rc;
        if ((rc = push_piece(r, at[i - p], NULL, 0))) return rc;
        lit = n->t[i].off + n->t[i].len;
    }
    return push_piece(r, -1, n->s + lit, b > lit ? b - lit : 0);
}

/* The pieces of the new text n.s[a..b) over tokens [p, e): a token whose
 * text is hole h's (holetok[h] in o) becomes that hole. */
static int make_pieces(tc_edit_rule *r, const ev *n, size_t a, size_t b, size_t p, size_t e, const ev *o,
                       const size_t *holetok, int nholes)
{
    int *at = malloc((e - p + 1) * sizeof *at), h, rc;
    size_t i;
    if (!at) return TC_ENOMEM;
    for (i = p; i < e; i++) {
        for (h = 0; h < nholes; h++)
            if (holetok[h] != (size_t)-1 && edit_is_holey(n->t[i].kind) && ev_eq(n, i, o, holetok[h])) break;
        at[i - p] = h < nholes ? h : -1;
    }
    rc = pieces_at(r, n, a, b, p, e, at);
    free(at);
    return rc;
}

/* The top-level item holding token i: [*a, *b) tokens. Brace languages:
 * from after the last ';' or '}' at depth 0 before i to the ';' or '}'
 * that ends the item; Python: from the last line starting at column 0. */
static void scope_of(const ev *v, tc_lang lang, size_t i, size_t *a, size_t *b)
{
    size_t k;
    int depth = 0;
    *a = 0;
    *b = v->n;
    if (lang == TC_LANG_PYTHON) {
        for (k = ev_line_first(v, i);; k = ev_line_first(v, k - 2)) {
            size_t ls = k == 0 ? 0 : ev_end(v, k);
            if (k == 0 || (v->t[k].off == ls && v->t[k].kind != TC_TOK_NEWLINE)) break;
            if (k < 2) {
                k = 0;
                break;
            }
        }
        *a = k;
        for (k = ev_line_end(v, i) + 1; k < v->n; k = ev_line_end(v, k) + 1)
            if (v->t[k].off == ev_end(v, k) && v->t[k].kind != TC_TOK_NEWLINE) {
                *b = k;
                break;
            }
        return;
    }
    for (k = 0; k < v->n; k++) {
        const char *t = v->s + v->t[k].off;
        int brace = v->t[k].len == 1 && (*t == '{' || *t == '}');
        if (brace && *t == '{') depth++;
        if (brace && *t == '}' && depth > 0) depth--;
        if (depth == 0 && v->t[k].len == 1 && (*t == ';' || *t == '}')) {
            if (k < i) {
                *a = k + 1;
            } else {
                *b = k + 1;
                return;
            }
        }
    }
}

int ev_is_qual(const ev *v, size_t i)
{
    return ev_is(v, i, ".") || ev_is(v, i, "->") || ev_is(v, i, "::") || ev_is(v, i, "?.");
}

/* 1 if token i of v declares a variable: after a declaring keyword, a
 * type name, '*' after one, or in a parameter list. */
static int declares(const ev *v, size_t i)
{
    static const char *kw[] = {"var", "let", "const", "auto", "int", "char", "long", "short", "unsigned", "float",
                               "double", "bool", "struct", "enum", "union", "size_t", "mut", NULL};
    if (i == 0) return 0;
    if (ev_is_any(v, i - 1, kw)) return 1;
    if (v->t[i - 1].kind == TC_TOK_IDENT) return 1; /* "T name" */
    return ev_is(v, i - 1, "*") && i >= 2 && (v->t[i - 2].kind == TC_TOK_IDENT || v->t[i - 2].kind == TC_TOK_KEYWORD);
}

size_t edit_block_from(const ev *v, size_t q)
{
    size_t j = q, from = q;
    while (j > 0 && v->t[j - 1].kind == TC_TOK_NEWLINE) j--;
    if (j > 0 && ev_is(v, j - 1, "=>")) {
        j--;
        if (j > 0 && v->t[j - 1].kind == TC_TOK_IDENT) from = j - 1; /* x => { */
    }
    if (j > 0 && ev_is(v, j - 1, ")") && v->match[j - 1] >= 0) from = (size_t)v->match[j - 1];
    return from;
}

/* The innermost brace block around token p (in n) that declares the old
 * name (token p of o) or the new one (token p of n), in its body or in
 * the parameter list before it: tokens [*a, *b) of n. 0 if there is none. */
static int block_scope(const ev *o, const ev *n, size_t p, size_t *a, size_t *b)
{
    long k;
    int depth = 0;
    for (k = (long)p - 1; k >= 0; k--) {
        size_t q = (size_t)k, close, i, from;
        if (ev_is(n, q, "}")) depth++;
        if (!ev_is(n, q, "{")) continue;
        if (depth > 0) {
            depth--;
            continue;
        }
        if (n->match[q] < 0) continue;
        close = (size_t)n->match[q];
        from = edit_block_from(n, q);
        for (i = from; i < close; i++)
            if ((ev_eq(n, i, o, p) || i == p) && (declares(n, i) || i < q)) {
                *a = from;
                *b = close + 1;
                return 1;
            }
    }
    return 0;
}

int edit_is_def(const ev *v, size_t i, const char *name, size_t len)
{
    if (v->t[i].kind != TC_TOK_IDENT || v->t[i].len != len || memcmp(v->s + v->t[i].off, name, len) != 0) return 0;
    if (i + 1 >= v->n || !ev_is(v, i + 1, "(") || v->match[i + 1] < 0 || !edit_is_decl_before(v, i)) return 0;
    return edit_body_after(v, (size_t)v->match[i + 1]);
}

/* 1 if v defines function name[0..len) (a declaration followed by a body);
 * only_static: only a definition with `static` before it on its line. */
int edit_defines(const ev *v, const char *name, size_t len, int only_static)
{
    size_t i, k;
    for (i = 0; i + 1 < v->n; i++) {
        if (!edit_is_def(v, i, name, len)) continue;
        if (!only_static) return 1;
        for (k = ev_line_first(v, i); k < i; k++)
            if (ev_is(v, k, "static")) return 1;
    }
    return 0;
}

/* ---- C macros --------------------------------------------------------------------- */

int edit_pp_line(const ev *v, size_t i)
{
    static const char *const dir[] = {"if", "ifdef", "ifndef", "elif", "define", "undef", NULL};
    size_t f = ev_line_first(v, i);
    return f + 1 < v->n && f + 1 < i && ev_is(v, f, "#") && ev_is_any(v, f + 1, dir);
}

/* 1 if v has `#define name` (a macro the file sets itself). */
static int pp_defines(const ev *v, const char *name, size_t len)
{
    size_t i;
    for (i = 2; i < v->n; i++)
        if (v->t[i].len == len && memcmp(v->s + v->t[i].off, name, len) == 0 && ev_is(v, i - 1, "define") &&
            ev_is(v, i - 2, "#"))
            return 1;
    return 0;
}

/* A C macro renamed on a preprocessor line (token p, the new name fresh in
 * the file) that the file does not define (a build flag, or set by a
 * header): on the preprocessor lines of every file. TC_ENOENT when it is
 * not that. */
static int synth_pp_rename(tc_edit_rule *r, const ev *o, size_t p, int fresh)
{
    if ((r->lang != TC_LANG_C && r->lang != TC_LANG_CPP) || !fresh || !edit_pp_line(o, p)) return TC_ENOENT;
    if (pp_defines(o, o->s + o->t[p].off, o->t[p].len)) return TC_ENOENT;
    r->pp = 1;
    r->cross = 1;
    return TC_OK;
}

/* ---- shell commands --------------------------------------------------------------- */

/* Words after which a shell word starts a command. */
static const char *const sh_lead[] = {";", "&", "&&", "||", "|", "|&", "(", "{", "!", "then", "do",
                                      "else", "elif", "if", "while", "until", "time", NULL};

int edit_sh_command(const ev *v, size_t i)
{
    size_t k;
    if (i >= v->n || v->t[i].kind != TC_TOK_IDENT || v->s[v->t[i].off] == '$') return 0;
    /* `name() {` defines it, `name=1` `name+=x` assign */
    if (ev_is(v, i + 1, "(") || ev_is(v, i + 1, "=") || ev_is(v, i + 1, "+=")) return 0;
    if (i == 0 || v->t[i - 1].kind == TC_TOK_NEWLINE) return 1;
    for (k = 0; sh_lead[k]; k++)
        if (ev_is(v, i - 1, sh_lead[k])) return 1;
    return 0;
}

int edit_sh_defines(const ev *v, const char *name, size_t len)
{
    size_t i;
    for (i = 0; i < v->n; i++) {
        if (v->t[i].kind != TC_TOK_IDENT || v->t[i].len != len || memcmp(v->s + v->t[i].off, name, len) != 0)
            continue;
        if (i > 0 && ev_is(v, i - 1, "function")) return 1;
        if (ev_is(v, i + 1, "(") && ev_is(v, i + 2, ")") && (i == 0 || v->t[i - 1].kind == TC_TOK_NEWLINE))
            return 1;
    }
    return 0;
}

int edit_sh_sources(const ev *v)
{
    size_t i;
    for (i = 0; i + 1 < v->n; i++) {
        if (!(ev_is(v, i, ".") || ev_is(v, i, "source")) || v->t[i + 1].kind == TC_TOK_NEWLINE) continue;
        if (i == 0 || v->t[i - 1].kind == TC_TOK_NEWLINE || ev_is(v, i - 1, ";") || ev_is(v, i - 1, "&&") ||
            ev_is(v, i - 1, "||") || ev_is(v, i - 1, "then") || ev_is(v, i - 1, "do"))
            return 1;
    }
    return 0;
}

/* A shell function renamed at a command that runs it (token p, the new
 * name fresh in the file): at every command of that name, in the file
 * when the file defines the function, else in the other files too (the
 * file sources the one that defines it: edit_sites_ev keeps the files
 * that define it or source one). TC_ENOENT when it is not that. */
static int synth_sh_rename(tc_edit_rule *r, const ev *o, size_t p, int fresh)
{
    int def;
    if (r->lang != TC_LANG_SHELL || !fresh || !edit_sh_command(o, p)) return TC_ENOENT;
    def = edit_sh_defines(o, o->s + o->t[p].off, o->t[p].len);
    if (!def && !edit_sh_sources(o)) return TC_ENOENT; /* a program on the PATH, maybe */
    r->calls_only = 1;
    r->cross = !def;
    return TC_OK;
}

/* A shell command's arguments: the words after command token c to its
 * line's end, each one identifier, number or string (not glued to
 * another token): their tokens in w[], how many; -1 when a word is not
 * that (an option `-q`, `a.txt`, an operator that ends the command). */
static long sh_args(const ev *v, size_t c, size_t *w, size_t max)
{
    size_t k, n = 0, end = ev_line_end(v, c);
    for (k = c + 1; k < end; k++) {
        if (!edit_is_holey(v->t[k].kind) || n == max || v->t[k].off == ev_end(v, k)) return -1;
        w[n++] = k;
    }
    return (long)n;
}

#define SH_MAX_ARGS 8

/* A shell function's arguments moved where it runs (`wait_for 'x' 5` ->
 * `nv_wait_for 5 'x'`, renamed or not; each argument one token, the new
 * ones taken from the old): at every command of that name, first on its
 * line, with as many arguments of the same kinds, as synth_sh_rename
 * says where (the file that defines it, or the files that source one).
 * A TC_EDIT_CALL rule with a pattern (no callee_from). */
static int synth_sh_call(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t c = ev_line_first(o, p), ow[SH_MAX_ARGS], nw[SH_MAX_ARGS], i, j, oend, nend;
    long no, nn;
    int moved = 0, def, rc;
    if (r->lang != TC_LANG_SHELL || c > p || c >= n->n) return TC_ENOENT;
    oend = ev_line_end(o, c);
    nend = ev_line_end(n, c);
    if (oend >= o->n || nend >= n->n || oe > oend || ne > nend) return TC_ENOENT;
    if (!edit_sh_command(o, c) || !edit_sh_command(n, c)) return TC_ENOENT;
    if ((no = sh_args(o, c, ow, SH_MAX_ARGS)) < 1 || (nn = sh_args(n, c, nw, SH_MAX_ARGS)) < 1) return TC_ENOENT;
    for (i = 0; i < (size_t)no; i++)
        for (j = 0; j < i; j++)
            if (ev_eq(o, ow[i], o, ow[j])) return TC_ENOENT; /* which is which: not clear */
    for (j = 0; j < (size_t)nn; j++) {
        for (i = 0; i < (size_t)no && !ev_eq(n, nw[j], o, ow[i]); i++) {
        }
        if (i == (size_t)no) return TC_ENOENT; /* a new argument: a call's constant, not said here */
        moved |= i != j;
    }
    if (!moved) return TC_ENOENT; /* the same arguments in order: a rename, or dropped ones */
    def = edit_sh_defines(o, o->s + o->t[c].off, o->t[c].len);
    if (!def && !edit_sh_sources(o)) return TC_ENOENT; /* a program of the PATH, maybe */
    r->kind = TC_EDIT_CALL;
    r->calls_only = 1;
    r->cross = !def;
    r->line_start = 1;
    if ((rc = push_el(r, EL_LIT, o, c, 0))) return rc;
    for (i = 0; i < (size_t)no; i++) {
        if ((rc = push_el(r, EL_HOLE, o, ow[i], (int)i))) return rc;
        r->pat[r->npat - 1].typed = 1;
        r->pat[r->npat - 1].kind = o->t[ow[i]].kind;
    }
    if ((rc = push_el(r, EL_LIT, o, oend, 0))) return rc; /* the line's end */
    r->rep0 = 0;
    r->rep1 = (size_t)no + 1;
    r->nholes = (int)no;
    if ((rc = make_pieces(r, n, n->t[c].off, ev_end(n, nend), c, nend, o, ow, (int)no)) ||
        (rc = set_key(r, o->s + o->t[c].off, o->t[c].len)))
        return rc;
    snprintf(r->title, sizeof r->title, "move the arguments of %.80s (-> %.*s)", r->pat[0].text,
             (int)(n->t[c].len < 80 ? n->t[c].len : 80), n->s + n->t[c].off);
    return TC_OK;
}

/* ---- rename ----------------------------------------------------------------------- */

/* 1 if token i of v is a parameter: inside the parentheses of a function
 * definition (their ')' followed by a body) or an arrow function's. */
static int in_params(const ev *v, tc_lang lang, size_t i)
{
    long depth = 0, k;
    /* C, C++: a name follows its type; alone after '(' or ',' it is a
     * type (an unnamed parameter) */
    if ((lang == TC_LANG_C || lang == TC_LANG_CPP) && (i == 0 || ev_is(v, i - 1, "(") || ev_is(v, i - 1, ",")))
        return 0;
    /* the name a parameter declares ends it (`T name,` `name: T` `name = 1`); a type does not */
    if (i + 1 >= v->n || !(ev_is(v, i + 1, ",") || ev_is(v, i + 1, ")") || ev_is(v, i + 1, "=") ||
                           ev_is(v, i + 1, ":") || ev_is(v, i + 1, "?") || ev_is(v, i + 1, "[")))
        return 0;
    for (k = (long)i - 1; k >= 0; k--) {
        size_t q = (size_t)k;
        if (ev_is(v, q, ")")) depth++;
        else if (ev_is(v, q, "(") && depth-- == 0) {
            size_t m;
            if (v->match[q] < 0) return 0;
            m = (size_t)v->match[q];
            return edit_body_after(v, m) || ev_is(v, m + 1, "=>");
        } else if (ev_is(v, q, ";") || ev_is(v, q, "{") || ev_is(v, q, "}")) {
            return 0;
        }
    }
    return 0;
}

/* 1 if token i of v declares the name it holds (a variable, a parameter,
 * `x =>`, a function or a member defined). */
static int declares_name(const ev *v, tc_lang lang, size_t i)
{
    if (ev_is(v, i + 1, "=>")) return 1;
    if (ev_is(v, i + 1, "(") && v->match[i + 1] >= 0 && edit_body_after(v, (size_t)v->match[i + 1])) return 1;
    return declares(v, i) || in_params(v, lang, i);
}

/* Token p of n is a parameter: its function, from the '(' to the end of
 * the body ('{...}', or an arrow function's expression: up to the ',',
 * ';' or closing bracket that ends it), tokens [*a, *b). 0 if it is not. */
static int param_scope(const ev *n, tc_lang lang, size_t p, size_t *a, size_t *b)
{
    long depth = 0, k;
    size_t m, e;
    if (!in_params(n, lang, p)) return 0;
    for (k = (long)p - 1; k >= 0; k--) {
        if (ev_is(n, (size_t)k, ")")) depth++;
        else if (ev_is(n, (size_t)k, "(") && depth-- == 0) break;
    }
    if (k < 0 || n->match[k] < 0) return 0;
    *a = (size_t)k;
    m = (size_t)n->match[k];
    for (e = m + 1; e < n->n && (n->t[e].kind == TC_TOK_NEWLINE || ev_is(n, e, "=>")); e++) {
    }
    if (e < n->n && ev_is(n, e, "{") && n->match[e] > (long)e) {
        *b = (size_t)n->match[e] + 1;
        return 1;
    }
    for (; e < n->n; e++) { /* an expression body */
        if (n->match[e] > (long)e) {
            e = (size_t)n->match[e];
            continue;
        }
        if (is_close(n, e) || ev_is(n, e, ",") || ev_is(n, e, ";")) break;
    }
    *b = e;
    return 1;
}

static int synth_rename(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t i, a, b;
    int rc, fresh = 1, local = 0;
    if (oe - p != 1 || ne - p != 1 || o->t[p].kind != TC_TOK_IDENT || n->t[p].kind != TC_TOK_IDENT) return TC_ENOENT;
    for (i = 0; i < o->n && fresh; i++) fresh = !(o->t[i].kind == TC_TOK_IDENT && ev_eq(o, i, n, p));
    if (ev_is(o, p + 1, "(") && !edit_is_decl_before(o, p) && !edit_defines(o, o->s + o->t[p].off, o->t[p].len, 0))
        return TC_ENOENT; /* a call of a function defined elsewhere: a call rule says more */
    r->kind = TC_EDIT_RENAME;
    if (synth_sh_rename(r, o, p, fresh) == TC_OK || synth_pp_rename(r, o, p, fresh) == TC_OK) {
        /* a shell function or a C macro: set where */
    } else if (ev_is(o, p + 1, "(") || (p > 0 && ev_is_qual(o, p - 1))) {
        if (!fresh) return TC_ENOENT; /* a function or member that exists: not a rename */
        if (edit_variant_use(o, n, r->lang, p)) return TC_ENOENT; /* one use switched to a variant (apivariant.c) */
        /* a function or a member: the whole file, and the other files
         * unless the file defines it for itself (static) */
        r->cross = !edit_defines(o, o->s + o->t[p].off, o->t[p].len, 1);
        /* renamed at a call: the function is being replaced, its definition stays */
        r->calls_only = ev_is(o, p + 1, "(") && !edit_is_decl_before(o, p);
        /* a member: only where it follows '.', '->' or '::' (a local of that name is another thing) */
        r->qual = p > 0 && ev_is_qual(o, p - 1);
    } else {
        size_t decls = 0;
        local = param_scope(n, r->lang, p, &a, &b) || (r->lang != TC_LANG_PYTHON && block_scope(o, n, p, &a, &b));
        if (!local && !edit_module_scope(o, n, r->lang, p, &a, &b)) scope_of(n, r->lang, p, &a, &b); /* modscope.c */
        if (!fresh && !local) return TC_ENOENT; /* not declared in a block: the file's name, new in the file */
        if (!local && edit_variant_use(o, n, r->lang, p)) return TC_ENOENT; /* a type's use switched (apivariant.c) */
        r->scope_a = ev_off(n, a);
        r->scope_b = ev_end(n, b);
        /* a name from another file, in a C++ namespace: the other files' uses too (nsname.c) */
        if ((r->lang == TC_LANG_C || r->lang == TC_LANG_CPP) && edit_ns_item(n, a, b) && edit_name_foreign(o, r->lang, p))
            r->cross = 1;
        /* a local declared twice in its scope (shadowed in an inner
         * function, declared again): which uses are the same variable is
         * not clear, offer nothing (a file's type or macro is "declared"
         * at each use by the loose test: not checked) */
        for (i = a; i < b && i < o->n && local; i++)
            decls += i != p && o->t[i].kind == TC_TOK_IDENT && ev_eq(o, i, o, p) &&
                     (declares_name(o, r->lang, i) || edit_pattern_kw(o, i)); /* `const [a, b]` too (inner.c) */
        /* ... unless the others open inner scopes of their own (inner.c) */
        if (local && decls + (declares_name(o, r->lang, p) != 0) > 1 && !edit_inner_mark(r, o, n, p, a, b))
            return TC_ENOENT;
        /* shadow.c: the file's other functions shadowing it too (not with inner scopes set aside:
         * its sites do not look at them) */
        if (local && !r->nskip) edit_shadow_mark(r, o, p);
        /* a local: the new name need only be new in its scope */
        for (i = a; i < b && i < o->n && !fresh; i++)
            if (o->t[i].kind == TC_TOK_IDENT && ev_eq(o, i, n, p)) return TC_ENOENT;
        /* a callback's parameter renamed at a use: the sibling callbacks too (role.c) */
        if (local && !declares_name(o, r->lang, p) && (rc = edit_role_rename(r, o, p))) return rc;
    }
    /* renamed where it is declared: surely a rename; at one use, maybe
     * only that use is changed to another variable */
    r->conf = r->lang != TC_LANG_SHELL && (declares_name(o, r->lang, p) || edit_is_decl_before(o, p)) ? 0.95 : 0.7;
    edit_first_use_mark(r, o, p); /* at a use: the name's first (firstuse.c) */
    edit_decl_scope_mark(r); /* at the declaration: its uses in scope (declscope.c) */
    edit_call_rename_mark(r, o, p, fresh, local); /* at a use of the file's function, type or macro (callrename.c) */
    if ((rc = push_el(r, EL_LIT, o, p, 0)) || (rc = push_piece(r, -1, n->s + n->t[p].off, n->t[p].len)) ||
        (rc = set_key(r, o->s + o->t[p].off, o->t[p].len)))
        return rc;
    r->rep0 = 0;
    r->rep1 = 1;
    snprintf(r->title, sizeof r->title, "rename %.80s -> %.80s", r->pat[0].text, r->out[0].lit);
    return TC_OK;
}

/* ---- call ------------------------------------------------------------------------- */

typedef struct span {
    size_t a, b;
} span;

/* Arguments of the call whose '(' is k and ')' is m: at most max. */
static size_t split_args(const ev *v, size_t k, size_t m, span *args, size_t max)
{
    size_t i = k + 1, start = k + 1, na = 0;
    if (m == k + 1) return 0;
    while (i < m) {
        if (is_open(v, i) && v->match[i] > (long)i) {
            i = (size_t)v->match[i] + 1;
            continue;
        }
        if (ev_is(v, i, ",")) {
            if (na < max) args[na] = (span){start, i};
            na++;
            start = i + 1;
        }
        i++;
    }
    if (start < m) {
        if (na < max) args[na] = (span){start, m};
        na++;
    }
    return na;
}

static int seq_eq(const ev *a, span x, const ev *b, size_t at)
{
    size_t i;
    for (i = x.a; i < x.b; i++)
        if (at + (i - x.a) >= b->n || !ev_eq(a, i, b, at + (i - x.a))) return 0;
    return 1;
}

/* Keywords and names that make "NAME (" a declaration, not a call. */
int edit_body_after(const ev *v, size_t m)
{
    size_t k = m + 1;
    while (k < v->n && v->t[k].kind == TC_TOK_NEWLINE) k++;
    return ev_is(v, k, "{") || ev_is(v, k, ":") || ev_is(v, k, "->");
}

int edit_is_decl_before(const ev *v, size_t c)
{
    static const char *decl[] = {"def", "function", "fn", "func", "void", "int", "char", "long", "short",
                                 "unsigned", "signed", "float", "double", "bool", "static", "inline", "const",
                                 "struct", "extern", "async", "class", "new", NULL};
    size_t j;
    while (c > 0 && v->t[c - 1].kind == TC_TOK_NEWLINE) c--;
    if (c == 0) return 0;
    if (v->t[c - 1].kind == TC_TOK_IDENT) return 1;
    for (j = 0; decl[j]; j++)
        if (ev_is(v, c - 1, decl[j])) return 1;
    return ev_is(v, c - 1, "*") && c >= 2 && v->t[c - 2].kind != TC_TOK_PUNCT;
}

#define EDIT_MAX_ARGS 32

static int synth_call(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    span oa[EDIT_MAX_ARGS], na[EDIT_MAX_ARGS];
    size_t k, c = (size_t)-1, m = 0, m2, no, nn, i, j;
    long delta = (long)n->n - (long)o->n;
    int interesting = 0, rc;
    if (r->lang == TC_LANG_SHELL) return synth_sh_call(r, o, n, p, oe, ne);
    (void)ne;
    for (k = 1; k < o->n && k <= p + 1; k++) {
        if (!ev_is(o, k, "(") || o->match[k] < 0 || o->t[k - 1].kind != TC_TOK_IDENT) continue;
        if (k - 1 <= p && (size_t)o->match[k] >= oe) {
            c = k - 1;
            m = (size_t)o->match[k];
        }
    }
    if (c == (size_t)-1 || !ev_is(n, c + 1, "(") || n->t[c].kind != TC_TOK_IDENT) return TC_ENOENT;
    m2 = (size_t)((long)m + delta);
    if (n->match[c + 1] != (long)m2) return TC_ENOENT;
    if (edit_is_decl_before(o, c) || edit_body_after(o, m)) return TC_ENOENT;
    no = split_args(o, c + 1, m, oa, EDIT_MAX_ARGS);
    nn = split_args(n, c + 1, m2, na, EDIT_MAX_ARGS);
    if (no > EDIT_MAX_ARGS || nn > EDIT_MAX_ARGS) return TC_ENOENT;
    if (!(r->args = calloc(nn + 1, sizeof *r->args))) return TC_ENOMEM;
    r->nnew = nn;
    for (j = 0; j < nn; j++) {
        edit_arg *g = &r->args[j];
        size_t best = (size_t)-1, bestlen = 0, at = 0, x;
        g->ref = -1;
        for (i = 0; i < no; i++)
            if (oa[i].b - oa[i].a == na[j].b - na[j].a && seq_eq(o, oa[i], n, na[j].a) &&
                (g->ref < 0 || i == j))
                g->ref = (int)i;
        if (g->ref >= 0) {
            if (g->ref != (int)j) interesting = 1;
            continue;
        }
        interesting = 1;
        for (i = 0; i < no; i++) /* a wrapped old argument: the longest */
            for (x = na[j].a; x + (oa[i].b - oa[i].a) <= na[j].b; x++)
                if (oa[i].b - oa[i].a > bestlen && seq_eq(o, oa[i], n, x)) {
                    best = i;
                    bestlen = oa[i].b - oa[i].a;
                    at = x;
                }
        /* a token of another old argument in what is not mapped: ambiguous */
        for (x = na[j].a; x < na[j].b; x++) {
            if (best != (size_t)-1 && x >= at && x < at + bestlen) continue;
            if (n->t[x].kind != TC_TOK_IDENT) continue;
            for (i = 0; i < no; i++) {
                size_t y;
                for (y = oa[i].a; y < oa[i].b; y++)
                    if (o->t[y].kind == TC_TOK_IDENT && ev_eq(o, y, n, x) && !ev_is(n, x, "sizeof")) return TC_ENOENT;
            }
        }
        if (best != (size_t)-1) {
            g->ref = (int)best;
            if (!(g->pre = tc_memdup_str(n->s + n->t[na[j].a].off, n->t[at].off - n->t[na[j].a].off)) ||
                !(g->post = tc_memdup_str(n->s + ev_end(n, at + bestlen), ev_end(n, na[j].b) - ev_end(n, at + bestlen))) ||
                (best == j && !(g->shape = edit_shape(o, oa[best].a, oa[best].b))))
                return TC_ENOMEM; /* in place: only arguments of the same shape */
        } else {
            size_t la = na[j].b > na[j].a ? n->t[na[j].a].off : 0; /* an empty argument: "" */
            if (!(g->lit = tc_memdup_str(n->s + la, na[j].b > na[j].a ? ev_end(n, na[j].b) - la : 0))) return TC_ENOMEM;
            if (nn == no) {
                int used = 0;
                for (i = 0; i < nn; i++)
                    if (r->args[i].ref == (int)j) used = 1;
                if (!used && !(g->guard = edit_join(o, oa[j].a, oa[j].b))) return TC_ENOMEM;
            }
        }
    }
    if (!ev_eq(o, c, n, c) || nn != no) interesting = 1;
    if (!interesting) return TC_ENOENT;
    r->kind = TC_EDIT_CALL;
    r->cross = 1;
    r->nargs = no;
    if (nn != no) { /* constants for arguments dropped: right where the same ones go (`hs, hy, nh` -> `base, h`) */
        int lits = 0;
        for (j = 0; j < nn; j++) lits += r->args[j].ref < 0;
        if (lits && !(r->dropped = calloc(no + 1, sizeof *r->dropped))) return TC_ENOMEM;
        for (i = 0; lits && i < no; i++) {
            for (j = 0; j < nn && r->args[j].ref != (int)i; j++) {}
            if (j == nn && !(r->dropped[i] = edit_join(o, oa[i].a, oa[i].b))) return TC_ENOMEM;
        }
    }
    r->qual = c > 0 && ev_is_qual(o, c - 1);
    if (!ev_eq(o, c, n, c)) {
        /* another function: often only for arguments of some types; the
         * sites' arguments must look like the example's */
        if (!(r->oshape = calloc(no + 1, sizeof *r->oshape))) return TC_ENOMEM;
        for (i = 0; i < no; i++)
            if (!(r->oshape[i] = edit_shape(o, oa[i].a, oa[i].b))) return TC_ENOMEM;
    }
    if (!(r->callee_from = tok_dup(o, c)) || !(r->callee_to = tok_dup(n, c))) return TC_ENOMEM;
    if ((rc = set_key(r, r->callee_from, strlen(r->callee_from)))) return rc;
    snprintf(r->title, sizeof r->title, "%.80s(%zu args) -> %.80s(%zu args)", r->callee_from, no, r->callee_to, nn);
    return TC_OK;
}

/* ---- insert ----------------------------------------------------------------------- */

static int synth_insert(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t ls, i, holetok[EDIT_MAX_HOLES], bestkey = 0, keylen = 0;
    int nholes = 0, h, rc, named = 0;
    if (oe != p || ne == p || p == 0) return TC_ENOENT;
    edit_slide_insert(n, &p, &ne);
    if (p == 0 || n->t[p - 1].kind != TC_TOK_NEWLINE || n->t[ne - 1].kind != TC_TOK_NEWLINE) return TC_ENOENT;
    ls = ev_line_first(o, p - 1);
    if (p - 1 - ls < 3) return TC_ENOENT;
    for (i = ls; i < p - 1; i++) { /* holes: anchor names the new lines use */
        size_t j;
        if (o->t[i].kind != TC_TOK_IDENT) continue;
        for (h = 0; h < nholes; h++)
            if (ev_eq(o, holetok[h], o, i)) break;
        if (h < nholes) continue;
        for (j = p; j < ne; j++)
            if (ev_eq(n, j, o, i)) break;
        if (j < ne && nholes < EDIT_MAX_HOLES) holetok[nholes++] = i;
    }
    for (i = ls; i < p - 1; i++) {
        int hole = -1;
        if (nholes > 0 && is_open(o, i) && o->match[i] > (long)i + 1 && (size_t)o->match[i] < p - 1) {
            size_t j, m = (size_t)o->match[i];
            for (j = i + 1; j < m; j++)
                for (h = 0; h < nholes; h++)
                    if (ev_eq(o, j, o, holetok[h])) hole = h;
            if (hole < 0) {
                if ((rc = push_el(r, EL_LIT, o, i, 0)) || (rc = push_el(r, EL_GROUP, o, i, 0)) ||
                    (rc = push_el(r, EL_LIT, o, m, 0)))
                    return rc;
                i = m;
                continue;
            }
            hole = -1;
        }
        for (h = 0; h < nholes && o->t[i].kind == TC_TOK_IDENT; h++)
            if (ev_eq(o, i, o, holetok[h])) hole = h;
        if ((rc = push_el(r, hole >= 0 ? EL_HOLE : EL_LIT, o, i, hole))) return rc;
        if (hole < 0 && (o->t[i].kind == TC_TOK_IDENT || o->t[i].kind == TC_TOK_KEYWORD)) {
            named = 1;
            if (o->t[i].len > keylen) {
                keylen = o->t[i].len;
                bestkey = i;
            }
            if (o->t[i].kind == TC_TOK_IDENT && ev_is(o, i + 1, "(")) r->cross = 1;
        }
    }
    if (!named) return TC_ENOENT; /* nothing but holes and punctuation: too loose */
    if ((rc = push_el(r, EL_LIT, o, p - 1, 0))) return rc;
    r->rep0 = r->rep1 = r->npat;
    if (nholes == 0) {
        /* the new lines owe nothing to the line above: anchor on the line
         * below too, both exactly */
        size_t e = ev_line_end(o, p);
        if (e - p < 2) return TC_ENOENT;
        for (i = p; i <= e && i < o->n; i++)
            if ((rc = push_el(r, EL_LIT, o, i, 0))) return rc;
    }
    r->kind = TC_EDIT_INSERT;
    r->line_start = 1;
    r->nholes = nholes;
    if ((rc = set_key(r, o->s + o->t[bestkey].off, keylen))) return rc;
    {
        size_t il;
        const char *ind = ev_line_indent(o, ls, &il);
        if (!(r->indent = tc_memdup_str(ind, il))) return TC_ENOMEM;
    }
    if ((rc = make_pieces(r, n, ev_end(n, p), ev_end(n, ne), p, ne, o, holetok, nholes))) return rc;
    r->reg_a = ev_end(n, p);
    r->reg_b = ev_end(n, ne);
    {
        size_t lines = 0;
        for (i = p; i < ne; i++) lines += n->t[i].kind == TC_TOK_NEWLINE;
        snprintf(r->title, sizeof r->title, "add %zu line%s after similar lines", lines, lines == 1 ? "" : "s");
    }
    return TC_OK;
}

/* ---- block ------------------------------------------------------------------------ */

#define EDIT_BLOCK_REACH 64 /* lines looked at above and below */

/* Lines [a, ...) and [b, ...) of w tokens each are alike: same tokens but
 * at identifier/literal positions, where *diff marks those that differ. */
static int lines_alike(const ev *v, size_t a, size_t b, size_t w, unsigned char *diff)
{
    size_t q, d = 0;
    if (ev_line_end(v, b) - b != w) return 0;
    for (q = 0; q < w; q++) {
        if (ev_eq(v, a + q, v, b + q)) continue;
        if (v->t[a + q].kind != v->t[b + q].kind || !edit_is_holey(v->t[a + q].kind)) return 0;
        d++;
    }
    if (d * 2 > w) return 0;
    for (q = 0; q < w; q++)
        if (!ev_eq(v, a + q, v, b + q)) diff[q] = 1;
    return 1;
}

static int synth_block(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t L, E, w, q, i, top, bot, holetok[EDIT_MAX_HOLES], nsim = 0;
    unsigned char *diff = NULL;
    int rc = TC_ENOENT, hole_of[256];
    long delta = (long)n->n - (long)o->n;
    if (p >= o->n || !edit_brackets_kept(o, p, oe, n, ne)) return TC_ENOENT; /* unbal.c */
    L = ev_line_first(o, p);
    E = ev_line_end(o, p);
    w = E - L;
    if (w < 3 || w > 255 || oe > E) return TC_ENOENT;
    for (i = p; i < ne; i++)
        if (n->t[i].kind == TC_TOK_NEWLINE) return TC_ENOENT;
    if (!(diff = calloc(w, 1))) return TC_ENOMEM;
    top = L;
    while (top >= 2 && nsim < EDIT_BLOCK_REACH) { /* lines above */
        size_t b = ev_line_first(o, top - 1);
        if (!lines_alike(o, L, b, w, diff)) break;
        top = b;
        nsim++;
    }
    bot = E;
    while (bot < o->n && nsim < 2 * EDIT_BLOCK_REACH) { /* lines below */
        if (!lines_alike(o, L, bot + 1, w, diff)) break;
        bot = ev_line_end(o, bot + 1);
        nsim++;
    }
    if (nsim == 0) goto out;
    /* a varying token the edit removes must come back in the new text */
    for (q = 0; q < w; q++) hole_of[q] = -1;
    for (q = 0; q < w; q++) {
        if (!diff[q]) continue;
        if (r->nholes >= EDIT_MAX_HOLES) goto out;
        hole_of[q] = r->nholes;
        holetok[r->nholes++] = L + q;
        if (L + q >= p && L + q < oe) {
            for (i = p; i < ne; i++)
                if (ev_eq(n, i, o, L + q)) break;
            if (i == ne) goto out;
        }
    }
    for (q = 0; q < w; q++)
        if ((rc = push_el(r, diff[q] ? EL_HOLE : EL_LIT, o, L + q, hole_of[q]))) goto out;
    if (E < o->n && (rc = push_el(r, EL_LIT, o, E, 0))) goto out;
    r->line_start = 1;
    r->rep0 = p - L;
    r->rep1 = oe - L;
    if ((rc = make_pieces(r, n, p < ne ? n->t[p].off : ev_off(n, ne), p < ne ? ev_end(n, ne) : ev_off(n, ne), p, ne, o,
                          holetok, r->nholes)))
        goto out;
    if (p == oe) { /* an insertion must be made of what varies, else it is not "the same" */
        size_t k;
        for (k = 0; k < r->nout && r->out[k].hole < 0; k++) {}
        if (k == r->nout) {
            rc = TC_ENOENT;
            goto out;
        }
    }
    for (q = 0, i = 0; q < w; q++)
        if (!diff[q] && r->pat[q].len > i && (o->t[L + q].kind == TC_TOK_IDENT || o->t[L + q].kind == TC_TOK_KEYWORD)) {
            i = r->pat[q].len;
            if ((rc = set_key(r, r->pat[q].text, r->pat[q].len))) goto out;
        }
    if (!r->key && (rc = set_key(r, "", 0))) goto out;
    r->kind = TC_EDIT_BLOCK;
    /* one line of a block changed says less about the others than a call
     * or a literal does: offered only where its surroundings agree */
    r->conf = 0.75;
    r->scope_a = ev_off(n, top);
    r->scope_b = ev_end(n, (size_t)((long)bot + delta) + (bot < o->n));
    snprintf(r->title, sizeof r->title, "the same change on %zu similar line%s", nsim, nsim == 1 ? "" : "s");
    rc = TC_OK;
out:
    free(diff);
    return rc;
}

/* ---- literal ---------------------------------------------------------------------- */

static int memchr_digit(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9') return 1;
    return 0;
}

static int synth_literal(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    uint8_t k = p < o->n ? o->t[p].kind : 0;
    int rc;
    if (oe - p != 1 || ne - p != 1 || p < 2 || oe >= o->n) return TC_ENOENT;
    if (k != TC_TOK_NUMBER && k != TC_TOK_STRING) return TC_ENOENT;
    if ((rc = push_el(r, EL_LIT, o, p - 2, 0)) || (rc = push_el(r, EL_LIT, o, p - 1, 0)) ||
        (rc = push_el(r, EL_LIT, o, p, 0)) || (rc = push_el(r, EL_LIT, o, p + 1, 0)) ||
        (rc = push_piece(r, -1, n->s + n->t[p].off, n->t[p].len)) ||
        (rc = set_key(r, o->s + o->t[p].off, o->t[p].len)))
        return rc;
    r->kind = TC_EDIT_LITERAL;
    r->cross = 1;
    /* a number, or a string with digits (a version, a size, a year), is
     * a value that differs from place to place more often than a name
     * or a message does */
    r->conf = k == TC_TOK_NUMBER || memchr_digit(o->s + o->t[p].off, o->t[p].len) ? 0.7 : 0.9;
    r->rep0 = 2;
    r->rep1 = 3;
    snprintf(r->title, sizeof r->title, "replace %.80s with %.80s", r->pat[2].text, r->out[0].lit);
    return TC_OK;
}

/* ---- tokens ---------------------------------------------------------------------- */

#define TOKENS_MAX 12 /* tokens replaced or inserted */

/* Tokens [p, oe) of o replaced by [p, ne) of n inside one line, no other
 * kind saying more: the same replacement where the same tokens lie
 * between the same neighbours (two before, one after; within the line). */
static int synth_tokens(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t i, j, left = 2, right = 1, yb = 0, ye = 0, holetok[EDIT_MAX_HOLES], lits = 0;
    int rc, h, nholes = 0, wrap = edit_is_wrap(r->lang, o, n, p, oe, ne); /* wrap.c */
    if ((!wrap && (oe - p > TOKENS_MAX || ne - p > TOKENS_MAX)) || p < 2 || oe + right > o->n) return TC_ENOENT;
    if (!edit_brackets_kept(o, p, oe, n, ne)) return TC_ENOENT; /* a piece of a larger change (unbal.c) */
    /* one name for another that the rename refused (the name exists in
     * its scope, or is declared twice): which uses change is a guess */
    if (oe - p == 1 && ne - p == 1 && o->t[p].kind == TC_TOK_IDENT && n->t[p].kind == TC_TOK_IDENT) return TC_ENOENT;
    /* the neighbours stop at the line's ends: the next line is another matter */
    if (o->t[p - 1].kind == TC_TOK_NEWLINE) left = 1;
    if (o->t[oe].kind == TC_TOK_NEWLINE) right = 1;
    else if (oe == p) right = edit_insert_uses(o, n, p, ne); /* insuse.c */
    for (i = p; i < oe && !wrap; i++)
        if (o->t[i].kind == TC_TOK_NEWLINE) return TC_ENOENT;
    for (i = p; i < ne && !wrap; i++)
        if (n->t[i].kind == TC_TOK_NEWLINE) return TC_ENOENT;
    /* names of the old tokens that the new ones keep are holes (`hook =
     * this.run(hook` -> `chain = this.run(chain`: any name for `run`),
     * when some old token stays literal */
    for (i = p; i < oe; i++) {
        int kept = 0;
        for (j = p; j < ne && !kept; j++) kept = o->t[i].kind == TC_TOK_IDENT && ev_eq(o, i, n, j);
        lits += !kept;
    }
    for (i = p - left; i < oe + right; i++) {
        int kept = 0;
        /* a string kept too (`test('x', function (t` -> `it('x', function (`:
         * any test's name), a hole that only a string fills */
        for (j = p; j < ne && !kept && i >= p && i < oe && lits > 0; j++)
            kept = (o->t[i].kind == TC_TOK_IDENT || o->t[i].kind == TC_TOK_STRING) && ev_eq(o, i, n, j);
        for (h = 0; kept && h < nholes; h++)
            if (ev_eq(o, holetok[h], o, i)) break;
        if (kept && h == nholes && nholes < EDIT_MAX_HOLES) holetok[nholes++] = i;
        if ((rc = kept && h < nholes ? push_el(r, EL_HOLE, o, i, h) : push_el(r, EL_LIT, o, i, 0))) return rc;
        if (kept && h < nholes && o->t[i].kind == TC_TOK_STRING) {
            r->pat[r->npat - 1].kind = TC_TOK_STRING;
            r->pat[r->npat - 1].typed = 1;
        }
    }
    r->nholes = nholes;
    /* the new tokens as typed; an insertion keeps the space before the next token */
    if (ne > p) { /* a deletion has no piece: the space after the tokens goes with them */
        yb = n->t[p].off;
        ye = oe > p ? ev_end(n, ne) : ev_off(n, ne);
        if ((rc = make_pieces(r, n, yb, ye, p, ne, o, holetok, nholes))) return rc;
    }
    if ((rc = edit_pattern_key(r))) return rc;
    edit_widen_mark(r, o, n, p, left, ne); /* if it reaches nothing (widen.c) */
    r->kind = TC_EDIT_TOKENS;
    r->cross = 1;
    if ((r->lang == TC_LANG_C || r->lang == TC_LANG_CPP) && edit_class_field(o, n, p, oe, &r->scope_a, &r->scope_b))
        r->cross = 0; /* a class's member declaration: that class's (classfield.c) */
    if ((rc = edit_role_tokens(r, o, p))) return rc; /* `t.equal` -> `assert.strictEqual` in each callback (role.c) */
    edit_tokens_local(r, o, n, p, oe, ne); /* a local's rewrite: its block's (jslocal.c) */
    r->rep0 = left;
    r->rep1 = left + (oe - p);
    r->conf = 0.8;
    if (oe == p) snprintf(r->title, sizeof r->title, "insert \"%.*s\"", (int)(ye - yb < 80 ? ye - yb : 80), n->s + yb);
    else if (ne == p) snprintf(r->title, sizeof r->title, "delete \"%.*s\"...", (int)o->t[p].len, o->s + o->t[p].off);
    else
        snprintf(r->title, sizeof r->title, "replace \"%.*s\"... with \"%.*s\"", (int)o->t[p].len,
                 o->s + o->t[p].off, (int)(ye - yb < 80 ? ye - yb : 80), n->s + yb);
    return TC_OK;
}

/* ---- relative paths --------------------------------------------------------------- */

/* A string literal that is a relative path ('./log', "../lib/x.h"). */
static int relative_path(const ev *v, size_t i)
{
    const char *t = v->s + v->t[i].off;
    if (v->t[i].kind != TC_TOK_STRING || v->t[i].len < 4) return 0;
    return strncmp(t + 1, "./", 2) == 0 || strncmp(t + 1, "../", 3) == 0;
}

/* New tokens [p, e) of n hold a relative path: it names a file from the
 * example's directory, so the rule applies only to files of that
 * directory (set r->dir). TC_OK / TC_ENOMEM. */
static int edit_rule_dir(tc_edit_rule *r, const char *path, const ev *n, size_t p, size_t e)
{
    size_t i;
    const char *slash;
    for (i = p; i < e && !relative_path(n, i); i++) {
    }
    if (i == e || !path) return TC_OK;
    slash = strrchr(path, '/');
    r->dir = tc_memdup_str(path, slash ? (size_t)(slash - path) : 0);
    return r->dir ? TC_OK : TC_ENOMEM;
}

/* ---- entry ------------------------------------------------------------------------ */

static void reset_rule(tc_edit_rule *r)
{
    tc_lang lang = r->lang;
    size_t a = r->reg_a, b = r->reg_b;
    rule_clear(r);
    r->lang = lang;
    r->reg_a = a;
    r->reg_b = b;
}

/* The tokens o and n share: *p at the start, *s at the end. */
static void ev_diff(const ev *o, const ev *n, size_t *p, size_t *s)
{
    *p = *s = 0;
    while (*p < o->n && *p < n->n && ev_eq(o, *p, n, *p)) (*p)++;
    while (*s < o->n - *p && *s < n->n - *p && ev_eq(o, o->n - 1 - *s, n, n->n - 1 - *s)) (*s)++;
}

/* tc_edit_synth on the lexed texts o (before's) and n. */
static int synth_lexed(const tc_edit_src *before, const ev *o, const ev *n, tc_edit_rule **out)
{
    typedef int (*synth_fn)(tc_edit_rule *, const ev *, const ev *, size_t, size_t, size_t);
    /* mchain.c and init.c before the block: their places are a superset of its similar lines;
     * run.c last: a run replaced is the rule of an example no other kind takes */
    static const synth_fn kinds[] = {edit_synth_ppwrap,   edit_synth_ppline,   synth_rename,        synth_call,
                                       synth_insert,        edit_synth_delete,   edit_synth_mchain,   edit_synth_init,
                                       synth_block,         synth_literal,       edit_synth_template, edit_synth_declspec,
                                       edit_synth_chain,    synth_tokens,        edit_synth_run};
    size_t p = 0, s = 0, k;
    tc_edit_rule *r = NULL;
    int rc = TC_ENOENT;
    *out = NULL;
    ev_diff(o, n, &p, &s);
    if (p == o->n - s && p == n->n - s) goto out;
    if (!(r = calloc(1, sizeof *r))) {
        rc = TC_ENOMEM;
        goto out;
    }
    r->lang = before->lang;
    r->reg_a = p < n->n - s ? n->t[p].off : ev_end(n, p);
    r->reg_b = p < n->n - s ? ev_end(n, n->n - s) : r->reg_a;
    rc = edit_synth_top(r, before, o, n, p, o->n - s, n->n - s); /* top.c */
    if (rc == TC_ENOENT) rc = edit_synth_rename2(r, before, o, n, p, o->n - s, n->n - s); /* rename2.c */
    if (rc == TC_ENOENT) rc = edit_synth_lint(r, before, o, n, p, o->n - s, n->n - s); /* lint.c */
    if (rc == TC_ENOENT) rc = edit_synth_member(r, before, o, n, p, o->n - s, n->n - s); /* member.c */
    for (k = 0; rc == TC_ENOENT && k < sizeof kinds / sizeof *kinds; k++) {
        reset_rule(r);
        rc = kinds[k](r, o, n, p, o->n - s, n->n - s);
    }
    if (rc == TC_OK) {
        /* an insertion's spot: anywhere between the tokens around it (its
         * own place starts at the next token, after the indentation), from
         * where it slides back to (`#if X` + newline + `#` inserted after a
         * line's `#`: before that `#`) */
        size_t sp = p, sne = n->n - s, back = p == o->n - s ? edit_slide_insert(n, &sp, &sne) : 0;
        size_t oa = p < o->n - s ? o->t[p].off : ev_end(o, p - back), ob = p < o->n - s ? ev_end(o, o->n - s) : ev_off(o, p);
        if (r->conf == 0) r->conf = 0.9;
        rc = edit_this_class_scope(r, o, n, p, o->n - s, n->n - s); /* `this` brought: its class's (thisclass.c) */
        if (rc == TC_OK) rc = edit_family_mark(r, o, n, p, o->n - s, n->n - s); /* a sibling's calls (family.c) */
        if (rc == TC_OK) rc = edit_rule_context(r, before, o, oa, ob);
        if (rc == TC_OK) rc = edit_rule_dir(r, before->path, n, p, n->n - s);
    }
out:
    if (rc == TC_OK) {
        *out = r;
    } else {
        tc_edit_rule_free(r);
    }
    return rc;
}

int tc_edit_synth(const tc_edit_src *before, const char *after, size_t alen, tc_edit_rule **out)
{
    ev o, n;
    int rc;
    *out = NULL;
    if ((rc = ev_init(&o, before->lang, before->text, before->len))) return rc;
    if ((rc = ev_init(&n, before->lang, after, alen)) == TC_OK) {
        rc = synth_lexed(before, &o, &n, out);
        ev_free(&n);
    }
    ev_free(&o);
    return rc;
}

/* ---- two examples ------------------------------------------------------------------ */

#define TWO_LEFT_MAX 8 /* tokens of context before the change (within the line) */
#define TWO_MAX 24     /* tokens replaced or inserted, line breaks included */

/* One example: its old and new tokens, the changed ones [p, oe) -> [p, ne). */
typedef struct twoex {
    const tc_edit_src *before;
    ev o, n;
    size_t p, oe, ne;
} twoex;

int edit_same_tokens(tc_lang lang, const char *x, size_t xn, const char *y, size_t yn)
{
    ev a, b;
    size_t i;
    int same = 0;
    if (ev_init(&a, lang, x, xn)) return 0;
    if (ev_init(&b, lang, y, yn) == TC_OK) {
        same = a.n == b.n;
        for (i = 0; same && i < a.n; i++) same = ev_eq(&a, i, &b, i);
        ev_free(&b);
    }
    ev_free(&a);
    return same;
}

/* The confidence r (learned from the first example, in file path1) gives
 * its place st in path2, the second example's file, from the place's own
 * evidence: as a place of another file (not the edited file, nor near the
 * edit; in its directory or not) when path2 is not path1 (remakes finds
 * the places of every example's file as the edited file's). */
static double second_conf(const tc_edit_rule *r, const char *path2, const tc_edit_site *st)
{
    float f[TC_EDIT_NFEAT];
    const char *p1 = r->expath ? r->expath : "", *p2 = path2 ? path2 : "";
    memcpy(f, st->feat, sizeof f);
    if (strcmp(p1, p2) != 0) {
        f[TC_EDIT_F_FILE] = f[TC_EDIT_F_NEAR] = f[TC_EDIT_F_LINE_FILE] = 0;
        f[TC_EDIT_F_DIR] = edit_same_dir(p1, p2);
    }
    return tc_edit_conf(f);
}

/* 1 if one of r's places in the example's old text remakes its new text
 * exactly (token for token); *conf (when not NULL) is then that place's
 * confidence from its own evidence (second_conf). Only the lines around
 * the place are lexed when the texts are the same bytes outside them. */
static int remakes(const tc_edit_rule *r, const twoex *x, double *conf)
{
    tc_edit_sites s = {0};
    size_t k, oa = ev_off(&x->o, x->p), ob = ev_end(&x->o, x->oe), blen = x->before->len, alen = x->n.len;
    const char *bs = x->before->text, *as = x->n.s;
    int hit = 0;
    if (oa > ob) { /* lines inserted before an indented line: from the line's start */
        size_t t = oa;
        oa = ob;
        ob = t;
    }
    /* A line inserted next to an equal line (a second `}`) may be diffed
     * one line off the rule's own place: the range grows to its lines'
     * ends, and past a line break it starts or ends on (a whole line
     * inserted: the line before it and the one after), so such a place
     * still counts; the check below applies it and must give the
     * example's new text exactly. */
    if (oa > 0) oa--;
    while (oa > 0 && bs[oa - 1] != '\n') oa--;
    if (ob < blen) ob++;
    while (ob < blen && bs[ob] != '\n') ob++;
    if (edit_sites_ev(r, x->before, &x->o, 2, &s) != TC_OK) goto out;
    for (k = 0; k < s.n && !hit; k++) {
        const tc_edit_site *st = &s.v[k];
        size_t tl = strlen(st->text), lo = st->a < oa ? st->a : oa, hi = st->b > ob ? st->b : ob, tail, len;
        char *t;
        if (st->a > ob || st->b < oa) continue; /* not the example's place */
        while (lo > 0 && bs[lo - 1] != '\n') lo--;
        while (hi < blen && bs[hi] != '\n') hi++;
        tail = blen - hi;
        if (tail > alen || lo > alen - tail || memcmp(bs, as, lo) != 0 || memcmp(bs + hi, as + alen - tail, tail) != 0) {
            lo = 0; /* the texts differ elsewhere too: all of them */
            hi = blen;
            tail = 0;
        }
        len = hi - lo - (st->b - st->a) + tl;
        if (!(t = malloc(len + 1))) continue;
        memcpy(t, bs + lo, st->a - lo);
        memcpy(t + (st->a - lo), st->text, tl);
        memcpy(t + (st->a - lo) + tl, bs + st->b, hi - st->b);
        t[len] = 0;
        hit = edit_same_tokens(x->before->lang, t, len, as + lo, alen - tail - lo);
        free(t);
        if (hit && conf) *conf = second_conf(r, x->before->path, st);
    }
out:
    tc_edit_sites_free(&s);
    return hit;
}

/* Token i of a against token j of b: 0 the same, 1 a hole (two
 * identifiers or literals of one kind), -1 neither. */
static int unify(const ev *a, size_t i, const ev *b, size_t j)
{
    if (ev_eq(a, i, b, j)) return 0;
    return a->t[i].kind == b->t[j].kind && edit_is_holey(a->t[i].kind) ? 1 : -1;
}

/* The hole of the pair (token i of x's old text, token j of y's): the
 * pair's own, a new one, or -1 when either token already fills another
 * hole (the examples disagree on its role) or there are too many. */
static int two_hole(const twoex *x, size_t i, const twoex *y, size_t j, size_t *h1, size_t *h2, int *nh)
{
    int h;
    for (h = 0; h < *nh; h++) {
        int e1 = ev_eq(&x->o, h1[h], &x->o, i), e2 = ev_eq(&y->o, h2[h], &y->o, j);
        if (e1 && e2) return h;
        if (e1 || e2) return -1;
    }
    if (*nh >= EDIT_MAX_HOLES) return -1;
    h1[*nh] = i;
    h2[*nh] = j;
    return (*nh)++;
}

/* 1 if token i of v (an identifier) is the text of one of the holes h[]. */
static int is_a_hole(const ev *v, size_t i, const size_t *h, int nh)
{
    int k;
    for (k = 0; k < nh; k++)
        if (ev_eq(v, i, v, h[k])) return 1;
    return 0;
}

/* 1 if the old window of x from L tokens before the change to one after
 * holds a name, keyword or string that y has at the same place. */
static int two_anchored(const twoex *x, const twoex *y, size_t L, size_t R)
{
    size_t i;
    for (i = x->p - L; i < x->oe + R; i++) {
        uint8_t k = x->o.t[i].kind;
        if ((k == TC_TOK_IDENT || k == TC_TOK_KEYWORD || k == TC_TOK_STRING) &&
            unify(&x->o, i, &y->o, y->p + (i - x->p)) == 0)
            return 1;
    }
    return 0;
}

/* Anti-unify examples x and y (same shape) into r: see tc_edit_synth2. */
static int synth_two(tc_edit_rule *r, const twoex *x, const twoex *y)
{
    size_t w = x->oe - x->p, nw = x->ne - x->p, L = 0, R = 1, i, h1[EDIT_MAX_HOLES], h2[EDIT_MAX_HOLES], key = 0;
    size_t yb, ye;
    int nh = 0, rc, *at = NULL;
    if (y->oe - y->p != w || y->ne - y->p != nw || (w == 0 && nw == 0) || w > TWO_MAX || nw > TWO_MAX)
        return TC_ENOENT;
    if (x->oe >= x->o.n || y->oe >= y->o.n) return TC_ENOENT; /* one token of context after */
    if (!edit_brackets_kept(&x->o, x->p, x->oe, &x->n, x->ne) || !edit_brackets_kept(&y->o, y->p, y->oe, &y->n, y->ne))
        return TC_ENOENT; /* a piece of a larger change (unbal.c) */
    for (i = 0; i < w; i++)
        if (unify(&x->o, x->p + i, &y->o, y->p + i) < 0) return TC_ENOENT;
    for (i = 0; i < nw; i++)
        if (unify(&x->n, x->p + i, &y->n, y->p + i) < 0) return TC_ENOENT;
    if (unify(&x->o, x->oe, &y->o, y->oe) < 0) return TC_ENOENT;
    /* the context: every token before the change on its line that the two
     * share or that varies as a hole (up to TWO_LEFT_MAX), and the token
     * after it; it must hold a name, keyword or string both share */
    while (L < TWO_LEFT_MAX && L < x->p && L < y->p && x->o.t[x->p - 1 - L].kind != TC_TOK_NEWLINE &&
           y->o.t[y->p - 1 - L].kind != TC_TOK_NEWLINE && unify(&x->o, x->p - 1 - L, &y->o, y->p - 1 - L) >= 0)
        L++;
    if (!two_anchored(x, y, L, R)) return TC_ENOENT;
    /* holes first (every varying token of the old window), then the pattern */
    for (i = x->p - L; i < x->oe + R; i++)
        if (unify(&x->o, i, &y->o, y->p + (i - x->p)) == 1 && two_hole(x, i, y, y->p + (i - x->p), h1, h2, &nh) < 0)
            return TC_ENOENT;
    if (nh == 0) return TC_ENOENT; /* the first example's rule, which did not remake the second */
    for (i = x->p - L; i < x->oe + R; i++) {
        size_t j = y->p + (i - x->p);
        if (unify(&x->o, i, &y->o, j) == 1) {
            if ((rc = push_el(r, EL_HOLE, &x->o, i, two_hole(x, i, y, j, h1, h2, &nh)))) return rc;
            r->pat[r->npat - 1].typed = 1; /* both examples fill it with one kind */
            r->pat[r->npat - 1].kind = x->o.t[i].kind;
            continue;
        }
        /* a fixed name that is a hole's text elsewhere: which is meant is a guess */
        if (x->o.t[i].kind == TC_TOK_IDENT && (is_a_hole(&x->o, i, h1, nh) || is_a_hole(&y->o, j, h2, nh)))
            return TC_ENOENT;
        if ((rc = push_el(r, EL_LIT, &x->o, i, 0))) return rc;
        if (x->o.t[i].kind != TC_TOK_NEWLINE && (r->pat[key].type != EL_LIT || r->pat[r->npat - 1].len > r->pat[key].len))
            key = r->npat - 1;
    }
    /* the new tokens: the same in both, or a hole's */
    if (!(at = malloc((nw + 1) * sizeof *at))) return TC_ENOMEM;
    rc = TC_OK;
    for (i = 0; i < nw && rc == TC_OK; i++) {
        size_t a = x->p + i, b = y->p + i;
        int h;
        at[i] = -1;
        if (unify(&x->n, a, &y->n, b) == 0) {
            if (x->n.t[a].kind == TC_TOK_IDENT) {
                for (h = 0; h < nh; h++)
                    if (ev_eq(&x->n, a, &x->o, h1[h]) || ev_eq(&y->n, b, &y->o, h2[h])) rc = TC_ENOENT;
            }
            continue;
        }
        for (h = 0; h < nh; h++)
            if (ev_eq(&x->n, a, &x->o, h1[h]) && ev_eq(&y->n, b, &y->o, h2[h])) break;
        if (h == nh) rc = TC_ENOENT; /* a new token that varies as no old one does */
        at[i] = h;
    }
    yb = ye = 0;
    if (rc == TC_OK && nw > 0) {
        /* an insertion takes the space before it, not after: it goes
         * right before the token that follows it at a site */
        yb = w > 0 ? x->n.t[x->p].off : ev_end(&x->n, x->p);
        ye = ev_end(&x->n, x->ne);
        rc = pieces_at(r, &x->n, yb, ye, x->p, x->ne, at);
    }
    free(at);
    if (rc) return rc;
    if ((rc = set_key(r, r->pat[key].type == EL_LIT ? r->pat[key].text : "", r->pat[key].type == EL_LIT ? r->pat[key].len : 0)))
        return rc;
    r->kind = TC_EDIT_TOKENS;
    /* on six histories, 77 % of the offers of such rules were right in
     * the edited document against 55 % anywhere (BENCHMARKS.md) */
    r->cross = 0;
    r->nholes = nh;
    r->rep0 = L;
    r->rep1 = L + w;
    r->conf = 0.8;
    if (w == 0) snprintf(r->title, sizeof r->title, "insert \"%.*s\" (from two edits)", (int)(ye - yb < 80 ? ye - yb : 80), x->n.s + yb);
    else if (nw == 0) snprintf(r->title, sizeof r->title, "delete \"%.*s\"... (from two edits)", (int)x->o.t[x->p].len, x->o.s + x->o.t[x->p].off);
    else
        snprintf(r->title, sizeof r->title, "replace \"%.*s\"... with \"%.*s\" (from two edits)", (int)x->o.t[x->p].len,
                 x->o.s + x->o.t[x->p].off, (int)(ye - yb < 80 ? ye - yb : 80), x->n.s + yb);
    return TC_OK;
}

static int twoex_init(twoex *x, const tc_edit_src *before, const char *after, size_t alen)
{
    size_t s;
    int rc;
    memset(x, 0, sizeof *x);
    x->before = before;
    if ((rc = ev_init(&x->o, before->lang, before->text, before->len))) return rc;
    if ((rc = ev_init(&x->n, before->lang, after, alen))) return rc;
    ev_diff(&x->o, &x->n, &x->p, &s);
    x->oe = x->o.n - s;
    x->ne = x->n.n - s;
    return TC_OK;
}

int tc_edit_synth2(const tc_edit_src *b1, const char *a1, size_t a1len, const tc_edit_src *b2, const char *a2,
                   size_t a2len, tc_edit_rule **out)
{
    twoex x, y;
    tc_edit_rule *r = NULL;
    int rc;
    *out = NULL;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    if ((rc = twoex_init(&x, b1, a1, a1len)) || (rc = twoex_init(&y, b2, a2, a2len))) goto out;
    rc = synth_lexed(b1, &x.o, &x.n, &r);
    if (rc != TC_OK && rc != TC_ENOENT) goto out;
    if (r && remakes(r, &y, &r->conf2)) { /* the second confirms the first */
        r->twoex = 1;
        goto out;
    }
    tc_edit_rule_free(r);
    r = NULL;
    rc = TC_ENOENT;
    if (b1->lang != b2->lang) goto out;
    if (!(r = calloc(1, sizeof *r))) {
        rc = TC_ENOMEM;
        goto out;
    }
    r->lang = b1->lang;
    rc = edit_synth_top2(r, b1, &x.o, &x.n, x.p, x.oe, x.ne, b2, &y.o, &y.n, y.p, y.oe, y.ne); /* top.c */
    if (rc != TC_ENOENT) goto out;
    if ((rc = synth_two(r, &x, &y))) goto out;
    r->twoex = 2;
    if ((rc = edit_this_class_scope(r, &x.o, &x.n, x.p, x.oe, x.ne))) goto out; /* thisclass.c */
    r->reg_a = x.p < x.ne ? x.n.t[x.p].off : ev_end(&x.n, x.p);
    r->reg_b = x.p < x.ne ? ev_end(&x.n, x.ne) : r->reg_a;
    rc = edit_rule_context(r, b1, &x.o, ev_off(&x.o, x.p), ev_end(&x.o, x.oe));
    if (rc == TC_OK) rc = edit_rule_dir(r, b1->path, &x.n, x.p, x.ne);
    if (rc == TC_OK && !(remakes(r, &x, NULL) && remakes(r, &y, NULL))) rc = TC_ENOENT;
out:
    if (rc == TC_OK) {
        *out = r;
    } else {
        tc_edit_rule_free(r);
    }
    ev_free(&x.o);
    ev_free(&x.n);
    ev_free(&y.o);
    ev_free(&y.n);
    return rc;
}

/* ---- builders for the kinds in their own files (edit_int.h) ------------------------ */

int edit_rule_push_el(tc_edit_rule *r, int type, const ev *v, size_t i, int hole) { return push_el(r, type, v, i, hole); }

int edit_rule_pieces(tc_edit_rule *r, const ev *n, size_t a, size_t b, size_t p, size_t e, const ev *o,
                     const size_t *holetok, int nholes)
{
    return make_pieces(r, n, a, b, p, e, o, holetok, nholes);
}

int edit_rule_set_key(tc_edit_rule *r, const char *s, size_t n) { return set_key(r, s, n); }
int edit_synth_rename(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    return synth_rename(r, o, n, p, oe, ne);
}
int edit_param_scope(const ev *n, tc_lang lang, size_t p, size_t *a, size_t *b) { return param_scope(n, lang, p, a, b); }
int edit_declares_name(const ev *v, tc_lang lang, size_t i) { return declares_name(v, lang, i); }
