/* thisclass.c - a C++ change that brings `this` (`f(_env, &r)` ->
 * `f(*this, &r)`) is one class's: `this` is the object of the member
 * function around the place, and in another class's member it is another
 * object (node-addon-api 8.2.0 made `_env` -> `*this` in the members of
 * `Env`, which converts to the environment; `*this` in `Error`'s members
 * is an error, not an environment). Such a `call` or `tokens` rule keeps
 * to the member functions of the example's class in the edited file: the
 * bodies defined out of the class (`Env::Global() const {`, the class
 * being the name before the last `::`) and the class's own body when the
 * file holds it. The example must stand in such a member (else the rule
 * is left as it was). */
#include "edit/edit_int.h"
#include "util/status.h"


#define THIS_MAX_RANGES 512

/* 1 if token i of v is `this`. */
static int is_this(const ev *v, size_t i) { return ev_is(v, i, "this"); }

/* The class a member function defined at body brace b of v belongs to:
 * its token index in v (the name before the last `::` of the declarator,
 * `Env` in `inline bool Env::IsExceptionPending() const {`, `CleanupHook`
 * in `Env::CleanupHook<H, A>::Remove(Env env) {`), or v->n when the brace
 * opens no out-of-class member's body. */
static size_t body_class(const ev *v, size_t b)
{
    size_t i = ev_words_back(v, b), depth; /* `) const {`: a few words after the parameters */
    if (i == 0 || !ev_is(v, i - 1, ")") || v->match[i - 1] < 0) return v->n;
    i = (size_t)v->match[i - 1]; /* the '(' */
    if (i < 3 || (v->t[i - 1].kind != TC_TOK_IDENT && v->t[i - 1].kind != TC_TOK_KEYWORD)) return v->n;
    i--; /* the member's name; `operator T` is left alone (no `::` right before) */
    /* `::` (one token in C++, two `:` where a header is lexed as C) */
    if (ev_is(v, i - 1, "::")) i -= 2;
    else if (i >= 3 && ev_is(v, i - 1, ":") && ev_is(v, i - 2, ":") && v->t[i - 2].off + 1 == v->t[i - 1].off) i -= 3;
    else return v->n;
    /* the qualifier's last token: a name, or the `>` of its template arguments */
    if (ev_is(v, i, ">")) {
        for (depth = 0; i > 0; i--) {
            if (ev_is(v, i, ">")) depth++;
            else if (ev_is(v, i, "<") && --depth == 0) break;
            else if (ev_is(v, i, ";") || ev_is(v, i, "{") || ev_is(v, i, "}")) return v->n;
        }
        if (i == 0) return v->n;
        i--;
    }
    return v->t[i].kind == TC_TOK_IDENT ? i : v->n;
}

/* The class whose body opens at brace b of v (`class Env {`, `class Env
 * : public Base {`): its name's token, or v->n. */
static size_t body_of_class(const ev *v, size_t b)
{
    static const char *const cls[] = {"class", "struct", NULL};
    size_t i, lo = b > 24 ? b - 24 : 0;
    for (i = b; i-- > lo;) {
        if (ev_is(v, i, ";") || ev_is(v, i, "{") || ev_is(v, i, "}") || ev_is(v, i, ")")) return v->n;
        if (ev_is_any(v, i, cls) && i + 1 < b && v->t[i + 1].kind == TC_TOK_IDENT) return i + 1;
    }
    return v->n;
}

static int same_name(const ev *v, size_t i, size_t j) { return i < v->n && j < v->n && ev_eq(v, i, v, j); }

int edit_this_class_scope(tc_edit_rule *r, const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t i, cls = n->n, own = THIS_MAX_RANGES, nr = 0, w0, w1, k;
    size_t ra[THIS_MAX_RANGES], rb[THIS_MAX_RANGES]; /* the ranges' byte starts and ends: 8 KB */
    int brings = 0;
    if (r->lang != TC_LANG_C && r->lang != TC_LANG_CPP) return TC_OK;
    if ((r->kind != TC_EDIT_CALL && r->kind != TC_EDIT_TOKENS) || r->scope_b > r->scope_a || r->nskip) return TC_OK;
    for (i = p; i < ne && i < n->n; i++) brings |= is_this(n, i);
    for (i = p; i < oe && i < o->n && brings; i++) brings = !is_this(o, i);
    if (!brings || p >= n->n) return TC_OK;
    /* the outermost member function around the example (a lambda's `[&] {` is none) */
    for (i = p; i-- > 0;) {
        if (n->match[i] >= 0 && (size_t)n->match[i] < i) { /* a closer before p: skip its pair */
            i = (size_t)n->match[i];
            continue;
        }
        if (ev_is(n, i, "{") && n->match[i] > (long)p) {
            size_t c = body_class(n, i);
            if (c == n->n) c = body_of_class(n, i);
            if (c < n->n) cls = c;
        }
    }
    if (cls == n->n) return TC_OK;
    /* every body of that class's members, and the class's own body */
    for (i = 0; i < n->n && nr < THIS_MAX_RANGES; i++) {
        size_t c;
        if (!ev_is(n, i, "{") || n->match[i] <= (long)i) continue;
        c = body_class(n, i);
        if (c == n->n) c = body_of_class(n, i);
        if (!same_name(n, c, cls)) continue;
        ra[nr] = n->t[i].off;
        rb[nr] = ev_end(n, (size_t)n->match[i] + 1);
        if (ra[nr] <= n->t[p].off && n->t[p].off < rb[nr]) own = nr;
        nr++;
        i = (size_t)n->match[i]; /* nested bodies are in it */
    }
    if (own == THIS_MAX_RANGES) return TC_OK; /* the example's body past the cap: the window unknown */
    /* at most EDIT_MAX_SKIP gaps: the ranges nearest the example's */
    w0 = own;
    w1 = own + 1;
    while (w1 - w0 < nr && w1 - w0 < EDIT_MAX_SKIP + 1) {
        if (w0 > 0 && (w1 >= nr || own - w0 <= w1 - own - 1)) w0--;
        else w1++;
    }
    r->cross = 0;
    r->scope_a = ra[w0];
    r->scope_b = rb[w1 - 1];
    for (k = w0; k + 1 < w1; k++) {
        r->skip_a[r->nskip] = rb[k];
        r->skip_b[r->nskip] = ra[k + 1];
        r->nskip++;
    }
    return TC_OK;
}
