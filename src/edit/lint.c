/* lint.c - the `lint` kind: a linter's fix made once by hand is offered
 * wherever the same check fails, in the file and the other files of its
 * language. Two checks, each decided per place from the tokens, never
 * from a guess:
 *
 *   extra semicolon  `};` after a function's or method's body (`name(a)
 *                    {...};`, C++ `void f() const {...};`) loses its `;`
 *                    (eslint no-extra-semi, -Wextra-semi). Not after an
 *                    initialiser, a class or struct, a lambda or function
 *                    expression assigned or returned: there the `;` ends
 *                    a statement; in C and C++ not after an if's, for's,
 *                    while's, switch's or catch's block either (an empty
 *                    statement, which eslint flags, -Wextra-semi not).
 *   var              JavaScript `var` becomes `const` where no name it
 *                    declares is assigned again in the file (nor left
 *                    without a value), `let` elsewhere (eslint no-var with
 *                    prefer-const); an example `var` -> `let` where const
 *                    would do means `let` everywhere. A name declared
 *                    twice in the file is left alone, and so is a var in
 *                    a loop's or a switch's block. A var in an if, else,
 *                    try, catch or finally block whose names are used only
 *                    in that block, after it, and that gives each a value
 *                    changes too, when the example's var was in such a
 *                    block (from a var at a function's top, the blocks'
 *                    are left: on node-gyp they were the places a commit
 *                    rewrote otherwise).
 *   curly            the body of an if, for, while or else that is one
 *                    statement on the next line gets braces: " {" after
 *                    the condition, "}" on a line after the body, or
 *                    before the `else` that follows it (eslint curly
 *                    multi-line). Not where the body runs over more lines.
 *                    When the example braced a body on its head's own
 *                    line (`if (c) return x` -> `if (c) {`, the body on
 *                    a line of its own, `}` after it: eslint curly all),
 *                    such bodies get the same, and the bodies on the next
 *                    line too; from a next-line body's example they are
 *                    left alone (curly multi-line allows them). From
 *                    the "}" line alone: not after a `{` left open (a
 *                    block closed), and at most TC_EDIT_MAX_NARROW
 *                    places (LINT_CLOSE).
 */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LINT_SEMI = 1, LINT_VAR_CONST, LINT_VAR_LET, LINT_CURLY };
/* with LINT_VAR_CONST or _LET: the example's var was in a block
 * (function_scoped 2), the places in blocks are offered too */
#define LINT_BLOCKS 16
/* with LINT_CURLY: the example braced a body on its head's line (curly
 * all), such bodies get braces too */
#define LINT_SAME 32
/* with LINT_CURLY: learned from the "}" line alone (curly_close), weaker
 * evidence than " {": a user closing a block they typed before (`} else {`
 * and a one-line body wrapped in it) writes the same line; its places are
 * limited (edit_lint_close, tc_edit_rule_too_broad) */
#define LINT_CLOSE 64

/* The confidence of a place: the check says exactly where, but not
 * whether the project applies it to every file. */
#define LINT_CONF 0.9

static int brace_lang(tc_lang l)
{
    return l == TC_LANG_C || l == TC_LANG_CPP || l == TC_LANG_JS || l == TC_LANG_TS || l == TC_LANG_JAVA;
}

static int is_js(tc_lang l) { return l == TC_LANG_JS || l == TC_LANG_TS; }

/* ---- extra semicolon ------------------------------------------------------------- */

/* 1 if token i of v is a keyword whose `(` heads a statement's block. */
static int ctl_keyword(const ev *v, size_t i)
{
    static const char *const kw[] = {"if", "for", "while", "switch", "catch", NULL};
    return ev_is_any(v, i, kw);
}

/* 1 if the ';' at i ends a function's body: `}` before it, a line break (or
 * the end) after it, and the `{` opening that body follows `)` (C++
 * qualifiers between) on a statement that neither assigns nor returns it
 * nor passes it as an argument; in a language other than JavaScript and
 * TypeScript, not after `if (...)`, `for`, `while`, `switch`, `catch`. */
static int extra_semi(const ev *v, size_t i, tc_lang lang)
{
    static const char *const quals[] = {"const", "override", "noexcept", "final", "volatile", NULL};
    size_t k, open, ls, q;
    long m;
    if (i == 0 || !ev_is(v, i, ";") || !ev_is(v, i - 1, "}")) return 0;
    if (i + 1 < v->n && v->t[i + 1].kind != TC_TOK_NEWLINE) return 0;
    if ((m = v->match[i - 1]) <= 0) return 0;
    k = (size_t)m - 1;
    for (;;) { /* C++ qualifiers after the parameters */
        for (q = 0; quals[q] && !ev_is(v, k, quals[q]); q++) {}
        if (!quals[q] || k == 0) break;
        k--;
    }
    if (!ev_is(v, k, ")") || v->match[k] < 0) return 0;
    open = (size_t)v->match[k];
    ls = ev_line_first(v, open);
    if (open == ls) return 0; /* `(` first on its line: a wrapped expression */
    /* `if (c) {...};` in C and C++: a statement's block, not -Wextra-semi's (eslint's no-extra-semi flags both) */
    if (!is_js(lang) && ctl_keyword(v, open - 1)) return 0;
    for (q = ls; q < open; q++) {
        static const char *const no[] = {"=", "return", "(", ",", ":", "?", "=>", "[", "export", NULL};
        if (ev_is_any(v, q, no)) return 0;
    }
    return 1;
}

/* ---- var ------------------------------------------------------------------------- */

static int is_assign_op(const ev *v, size_t i)
{
    static const char *const ops[] = {"=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=",
                                      "&=", "|=", "^=", "&&=", "||=", "?\?=", NULL};
    if (i >= v->n || v->t[i].kind != TC_TOK_PUNCT) return 0;
    return ev_is_any(v, i, ops);
}

/* 1 if the name at d (declared there) is declared again, assigned again,
 * incremented or decremented anywhere else in v (not as a member). */
static int reassigned(const ev *v, size_t d)
{
    size_t i;
    for (i = 0; i < v->n; i++) {
        if (i == d || v->t[i].kind != TC_TOK_IDENT || !ev_eq(v, i, v, d)) continue;
        if (i > 0 && (ev_is(v, i - 1, ".") || ev_is(v, i - 1, "?."))) continue;
        if (i > 0 && (ev_is(v, i - 1, "var") || ev_is(v, i - 1, "let") || ev_is(v, i - 1, "const"))) return 2;
        if (is_assign_op(v, i + 1) || ev_is(v, i + 1, "++") || ev_is(v, i + 1, "--")) return 1;
        if (i > 0 && (ev_is(v, i - 1, "++") || ev_is(v, i - 1, "--"))) return 1;
    }
    return 0;
}

/* Where the `var` at i is scoped: 1 at the top level or directly in a
 * function's body (after `) {` of a function or method, or `=> {`), as
 * const/let would be; 2 directly in the block of an if, else, try, catch
 * or finally, the block's braces *ba and *bb (a let's scope, the var's
 * the function's: block_confined says whether that matters); 0 in a
 * loop's, a switch's or another block. */
static int function_scoped(const ev *v, size_t i, size_t *ba, size_t *bb)
{
    size_t k = i, c;
    while (k-- > 0) {
        const char *t = v->s + v->t[k].off;
        if (v->t[k].kind != TC_TOK_PUNCT || v->t[k].len != 1) continue;
        if (strchr(")]}", *t) && v->match[k] >= 0) {
            k = (size_t)v->match[k];
            continue;
        }
        if (*t != '{') continue;
        if (k > 0 && ev_is(v, k - 1, "=>")) return 1;
        *ba = k;
        *bb = v->match[k] > (long)k ? (size_t)v->match[k] : v->n;
        if (k > 0 && (ev_is(v, k - 1, "try") || ev_is(v, k - 1, "finally") || ev_is(v, k - 1, "else")))
            return *bb < v->n ? 2 : 0;
        if (k == 0 || !ev_is(v, k - 1, ")") || v->match[k - 1] <= 0) return 0;
        c = (size_t)v->match[k - 1] - 1; /* the token before the `(` */
        if (ev_is(v, c, "if") || ev_is(v, c, "catch")) return *bb < v->n ? 2 : 0;
        if (ev_is(v, c, "function")) return 1;
        if (v->t[c].kind != TC_TOK_IDENT) return 0; /* for, while, switch */
        return 1;
    }
    return 1;
}

/* 1 if every use of the name declared at d (not as a member) is in the
 * block (ba, bb) after d: there a let or const means what the var did
 * (no use outside the block, none before the declaration). */
static int block_confined(const ev *v, size_t d, size_t ba, size_t bb)
{
    size_t i;
    for (i = 0; i < v->n; i++) {
        if (i == d || v->t[i].kind != TC_TOK_IDENT || !ev_eq(v, i, v, d)) continue;
        if (i > 0 && (ev_is(v, i - 1, ".") || ev_is(v, i - 1, "?."))) continue;
        if (i < d || i >= bb || i <= ba) return 0;
    }
    return 1;
}

/* What the `var` at i becomes under prefer-const: "const", "let", or NULL
 * (not a declaration we can read, or a name declared twice); *block 1
 * when the var is in a block (function_scoped 2). */
static const char *var_choice(const ev *v, size_t i, int *block)
{
    size_t k = i + 1, depth = 0, ba = 0, bb = 0;
    int expect_name = 1, let = 0, names = 0, scope;
    if (!ev_is(v, i, "var") || v->t[i].kind != TC_TOK_KEYWORD) return NULL;
    if (i > 0 && !(v->t[i - 1].kind == TC_TOK_NEWLINE || ev_is(v, i - 1, "(") || ev_is(v, i - 1, "{") ||
                   ev_is(v, i - 1, ";") || ev_is(v, i - 1, "}")))
        return NULL;
    if (!(scope = function_scoped(v, i, &ba, &bb))) return NULL;
    *block = scope == 2;
    /* for (var x in/of o): const; for (var i = 0; ...): whatever i's uses say */
    for (; k < v->n; k++) {
        if (depth == 0 && (ev_is(v, k, ";") || ev_is(v, k, "in") || ev_is(v, k, "of"))) break;
        if (depth == 0 && v->t[k].kind == TC_TOK_NEWLINE && !ev_is(v, k - 1, ",")) break;
        if (depth == 0 && ev_is(v, k, ")")) break;
        if (ev_is(v, k, "(") || ev_is(v, k, "[") || ev_is(v, k, "{")) {
            if (depth == 0 && expect_name) return NULL; /* destructuring: not read here */
            depth++;
            continue;
        }
        if (ev_is(v, k, ")") || ev_is(v, k, "]") || ev_is(v, k, "}")) {
            if (depth == 0) return NULL;
            depth--;
            continue;
        }
        if (depth) continue;
        if (expect_name) {
            int r;
            if (v->t[k].kind != TC_TOK_IDENT) return NULL;
            if ((r = reassigned(v, k)) == 2) return NULL;
            if (scope == 2 && !block_confined(v, k, ba, bb)) return NULL;
            let |= r;
            names++;
            expect_name = 0;
            /* no value: assigned later, or never (const needs one); in a
             * block (a loop's iterations may run it again: a var keeps the
             * last value, a let starts undefined), left alone */
            if (!ev_is(v, k + 1, "=") && !ev_is(v, k + 1, "in") && !ev_is(v, k + 1, "of")) {
                if (scope == 2) return NULL;
                let = 1;
            }
            continue;
        }
        if (ev_is(v, k, ",")) expect_name = 1;
    }
    if (!names || expect_name) return NULL;
    return let ? "let" : "const";
}

/* ---- curly ------------------------------------------------------------------------ */

/* 1 if the brackets of tokens [a, e) all close among them. */
static int closed_among(const ev *v, size_t a, size_t e)
{
    size_t j;
    for (j = a; j < e; j++) {
        const char *t = v->s + v->t[j].off;
        if (v->t[j].kind != TC_TOK_PUNCT || v->t[j].len != 1 || !strchr("()[]{}", *t)) continue;
        if (v->match[j] < 0 || (size_t)v->match[j] < a || (size_t)v->match[j] >= e) return 0;
    }
    return 1;
}

/* 1 if token i is an if/for/while with its `(...)` after it (not the
 * while of `do {...} while (c)`) or an else: *head its `)`, or the else. */
static int ctl_head(const ev *v, size_t i, size_t *head)
{
    if (v->t[i].kind != TC_TOK_KEYWORD) return 0;
    if (ev_is(v, i, "else")) {
        *head = i;
        return 1;
    }
    if (!ev_is(v, i, "if") && !ev_is(v, i, "for") && !ev_is(v, i, "while")) return 0;
    if (!ev_is(v, i + 1, "(") || v->match[i + 1] < 0) return 0;
    if (ev_is(v, i, "while") && i > 0 && ev_is(v, i - 1, "}")) return 0; /* do {...} while (c) */
    *head = (size_t)v->match[i + 1];
    return 1;
}

/* The if/for/while (`(` after it) or else at token i, when its body is one
 * statement on the next line without braces: *head the `)` or `else` the
 * " {" goes after, *nl the line break that ends the body. */
static int bare_body(const ev *v, size_t i, size_t *head, size_t *nl)
{
    static const char *const nested[] = {"if", "for", "while", "do", "else", "switch", "try", "{", "}", NULL};
    size_t k, b, e;
    if (!ctl_head(v, i, &k)) return 0;
    if (k + 2 >= v->n || v->t[k + 1].kind != TC_TOK_NEWLINE) return 0;
    b = k + 2;
    if (ev_is_any(v, b, nested)) return 0;
    if (v->t[b].kind == TC_TOK_NEWLINE || v->t[b].kind == TC_TOK_PUNCT) return 0;
    e = ev_line_end(v, b);
    if (e + 1 >= v->n || !closed_among(v, b, e)) return 0;
    /* the next line must not go on with the body's expression */
    if (v->t[e + 1].kind == TC_TOK_PUNCT && !ev_is(v, e + 1, "}")) return 0;
    *head = k;
    *nl = e;
    return 1;
}

/* The if/for/while (`(` after it) or else at token i, first on its line
 * (after `}` or `else` at most), when its body is one statement on the
 * same line that ends the line: *head the `)` or `else` the " {\n" goes
 * after, *body the statement's first token, *nl the line break that ends
 * it. Not `else if`, not a nested if/for/while or a block, not where the
 * next line goes on with the statement. */
static int same_body(const ev *v, size_t i, size_t *head, size_t *body, size_t *nl)
{
    static const char *const nested[] = {"if", "for", "while", "do", "else", "switch", "try", "function", NULL};
    size_t k, b, e, w, f;
    if (!ctl_head(v, i, &k)) return 0;
    f = ev_line_first(v, i);
    if (f != i && !(f + 1 == i && (ev_is(v, f, "}") || ev_is(v, f, "else"))) &&
        !(f + 2 == i && ev_is(v, f, "}") && ev_is(v, f + 1, "else")))
        return 0;
    b = k + 1;
    if (b >= v->n || v->t[b].kind == TC_TOK_NEWLINE || v->t[b].kind == TC_TOK_PUNCT) return 0;
    if (v->t[b].off == ev_end(v, b)) return 0; /* no space between: not a written-out body */
    if (ev_is_any(v, b, nested)) return 0;
    e = ev_line_end(v, b);
    if (e + 1 >= v->n || !closed_among(v, b, e)) return 0;
    for (w = b; w < e; w++)
        if (ev_is(v, w, ";") && w + 1 < e) return 0; /* two statements */
    if (v->t[e + 1].kind == TC_TOK_PUNCT && !ev_is(v, e + 1, "}")) return 0; /* the statement goes on */
    /* the next line a block opened and closed on it (`if (d) { g() }`):
     * where a commit braces such bodies it lays that block out too, and
     * its diff makes one change of the two, which the rule does not know */
    for (w = e + 1; w < v->n && v->t[w].kind != TC_TOK_NEWLINE; w++)
        if (ev_is(v, w, "{") && v->match[w] > (long)w && (size_t)v->match[w] < ev_line_end(v, w)) return 0;
    *head = k;
    *body = b;
    *nl = e;
    return 1;
}

/* The keyword whose bare body the `)` or `else` at h heads in v, or v->n;
 * *same 1 when that body is on the head's line (same_body). */
static size_t curly_keyword(const ev *v, size_t h, int *same)
{
    size_t head, nl, body;
    if (!ev_is(v, h, "else")) {
        if (!ev_is(v, h, ")") || v->match[h] <= 0) return v->n;
        h = (size_t)v->match[h] - 1;
    }
    *same = 0;
    if (bare_body(v, h, &head, &nl)) return h;
    *same = 1;
    return same_body(v, h, &head, &body, &nl) ? h : v->n;
}

/* Lines looked back from a `}` line for the keyword whose bare body it
 * closes (curly_close). */
#define CURLY_CLOSE_LOOK 400

/* 1 if a `{` among tokens [0, p) of v is left open (nothing in v closes
 * it: the stack match leaves the outermost of them unmatched). */
static int open_before(const ev *v, size_t p)
{
    size_t k;
    for (k = 0; k < p; k++)
        if (v->match[k] < 0 && ev_is(v, k, "{")) return 1;
    return 0;
}

/* The example is the closing half of braces added to a bare body (a diff
 * splits " {" after the head and the "}" line after the body into two
 * places): a line that is only `}` inserted right after the body of an if,
 * for, while or else (bare_body in o, whose body's line break ends right
 * before it): 1, or 2 when that body is on its head's line (same_body).
 * Not when a `{` before it is open in o: then the `}` closes a block typed
 * before it (`} else {` and a one-line body wrapped in it, as in
 * 7318fc9beb's sa.c, or a user closing the block they wrap code in),
 * not a braces fix, whose o is balanced (its " {" is the other place,
 * not written yet). */
static int curly_close(const ev *o, const ev *n, size_t p, size_t oe, size_t ne)
{
    size_t k, head, nl, lo, body;
    if (oe != p) return 0;
    edit_slide_insert(n, &p, &ne);
    if (ne != p + 2 || p < 2 || !ev_is(n, p, "}") || n->t[p + 1].kind != TC_TOK_NEWLINE ||
        n->t[p - 1].kind != TC_TOK_NEWLINE)
        return 0;
    if (open_before(o, p)) return 0;
    /* o's tokens before p are n's: the body's line ends at o's p - 1 */
    if (same_body(o, ev_line_first(o, p - 2), &head, &body, &nl) && nl == p - 1) return 2;
    if (ev_line_first(o, p - 2) + 2 < p && same_body(o, ev_line_first(o, p - 2) + 1, &head, &body, &nl) &&
        nl == p - 1)
        return 2; /* `} else x` */
    lo = p > CURLY_CLOSE_LOOK ? p - CURLY_CLOSE_LOOK : 0;
    for (k = p - 1; k-- > lo;)
        if (bare_body(o, k, &head, &nl) && nl == p - 1) return 1;
    return 0;
}

/* The example added braces to a bare body: "{" after its head alone (with
 * a line break after it for a body on the head's line), or "{" ... "}"
 * around the body, or the "}" line alone (curly_close, *close 1): 1, or 2
 * when the body was on its head's line (the rule's LINT_SAME). */
static int curly_example(const ev *o, const ev *n, size_t p, size_t oe, size_t ne, int *close)
{
    size_t i, j;
    int same, c;
    if ((*close = (c = curly_close(o, n, p, oe, ne)) != 0)) return c;
    if (p == 0 || ne <= p || !ev_is(n, p, "{") || curly_keyword(o, p - 1, &same) == o->n) return 0;
    c = same ? 2 : 1;
    if (oe == p && ne == p + 1 && !same) return c;
    if (oe == p && ne == p + 2 && same && n->t[p + 1].kind == TC_TOK_NEWLINE) return c;
    if (!ev_is(n, ne - 1, "}")) return 0;
    for (i = p, j = p + 1;; i++, j++) { /* the same tokens between, line breaks aside */
        while (i < oe && o->t[i].kind == TC_TOK_NEWLINE) i++;
        while (j < ne - 1 && n->t[j].kind == TC_TOK_NEWLINE) j++;
        if (i == oe || j == ne - 1) return i == oe && j == ne - 1 ? c : 0;
        if (!ev_eq(o, i, n, j)) return 0;
    }
}

/* The "}" of a body whose line break is nl, its head's line indented
 * ind[0..il): before the `else` that follows, else on a line of its own. */
static int curly_close_push(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, size_t nl,
                            const char *ind, size_t il, tc_edit_sites *out)
{
    tc_buf close = {0};
    int rc;
    if (ev_is(v, nl + 1, "else")) /* `} else` */
        return edit_site_push(r, src, v, origin, v->t[nl + 1].off, v->t[nl + 1].off, "} ", 2, out);
    {
        /* a line of its own; when the next statement, as indented, gets
         * braces too, the same bytes written just before it (the one place
         * a diff makes of the two) */
        size_t nil, at = ev_end(v, nl + 1), h2, nl2;
        const char *nind = ev_line_indent(v, nl + 1, &nil);
        size_t b2;
        int before_next = (bare_body(v, nl + 1, &h2, &nl2) ||
                           ((r->lint & LINT_SAME) && same_body(v, nl + 1, &h2, &b2, &nl2))) &&
                          nil == il && memcmp(nind, ind, il) == 0;
        if (before_next) {
            at = v->t[nl + 1].off;
            rc = tc_buf_puts(&close, "}\n");
            if (rc == TC_OK) rc = tc_buf_append(&close, ind, il);
        } else {
            rc = tc_buf_append(&close, ind, il);
            if (rc == TC_OK) rc = tc_buf_puts(&close, "}\n");
        }
        if (rc == TC_OK) rc = edit_site_push(r, src, v, origin, at, at, close.data, close.len, out);
    }
    tc_buf_free(&close);
    return rc;
}

/* The indentation one block adds in v: the first line after a line that
 * ends in `{` and is indented more, less that line's indentation; else a
 * tab where ind[0..il) has one, two spaces in JavaScript, four elsewhere. */
static void indent_step(const ev *v, tc_lang lang, const char *ind, size_t il, const char **step, size_t *sl)
{
    size_t k;
    for (k = 1; k + 1 < v->n; k++) {
        size_t a, b;
        const char *ia, *ib;
        if (v->t[k].kind != TC_TOK_NEWLINE || !ev_is(v, k - 1, "{") || v->t[k + 1].kind == TC_TOK_NEWLINE) continue;
        ia = ev_line_indent(v, k - 1, &a);
        ib = ev_line_indent(v, k + 1, &b);
        if (b > a && memcmp(ia, ib, a) == 0) {
            *step = ib + a;
            *sl = b - a;
            return;
        }
    }
    *step = memchr(ind, '\t', il) ? "\t" : is_js(lang) ? "  " : "    ";
    *sl = strlen(*step);
}

/* A body on its head's line (same_body: head, body, nl) gets " {", its
 * statement on a line of its own indented one step more than the head's
 * line (ind[0..il)), and its "}". */
static int curly_same_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, size_t head,
                            size_t body, size_t nl, const char *ind, size_t il, tc_edit_sites *out)
{
    tc_buf open = {0};
    const char *step;
    size_t sl;
    int rc;
    indent_step(v, src->lang, ind, il, &step, &sl);
    rc = tc_buf_puts(&open, " {\n");
    if (rc == TC_OK) rc = tc_buf_append(&open, ind, il);
    if (rc == TC_OK) rc = tc_buf_append(&open, step, sl);
    if (rc == TC_OK)
        rc = edit_site_push(r, src, v, origin, ev_end(v, head + 1), v->t[body].off, open.data, open.len, out);
    tc_buf_free(&open);
    if (rc || (origin == 1 && v->t[nl + 1].off >= r->reg_a && v->t[nl + 1].off < r->reg_b)) return rc;
    return curly_close_push(r, src, v, origin, nl, ind, il, out);
}

static int curly_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, size_t i,
                       tc_edit_sites *out)
{
    size_t head, nl, il, body;
    const char *ind;
    int rc;
    if (!bare_body(v, i, &head, &nl)) {
        if (!(r->lint & LINT_SAME) || !same_body(v, i, &head, &body, &nl)) return TC_OK;
        ind = ev_line_indent(v, i, &il);
        return curly_same_sites(r, src, v, origin, head, body, nl, ind, il, out);
    }
    ind = ev_line_indent(v, i, &il);
    if ((rc = edit_site_push(r, src, v, origin, ev_end(v, head + 1), ev_end(v, head + 1), " {", 2, out))) return rc;
    if (origin == 1 && v->t[nl + 1].off >= r->reg_a && v->t[nl + 1].off < r->reg_b)
        return TC_OK; /* the example's body: its "}" is the edit itself */
    return curly_close_push(r, src, v, origin, nl, ind, il, out);
}

/* The edited file (v) where the example wrote the " {" alone: the "}" of
 * that body, the other half of the change (none once a "}" as indented as
 * the head follows the body). */
static int curly_own_close(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, tc_edit_sites *out)
{
    size_t k = ev_tok_at(v, r->reg_a), e, il, cl;
    const char *ind, *cind;
    if (k + 2 >= v->n || !ev_is(v, k, "{") || v->t[k + 1].kind != TC_TOK_NEWLINE) return TC_OK;
    if (v->t[k + 2].kind == TC_TOK_NEWLINE || v->t[k + 2].kind == TC_TOK_PUNCT) return TC_OK;
    e = ev_line_end(v, k + 2);
    if (e + 1 >= v->n || !closed_among(v, k + 2, e)) return TC_OK;
    if (v->t[e + 1].kind == TC_TOK_PUNCT && !ev_is(v, e + 1, "}")) return TC_OK; /* the body goes on */
    ind = ev_line_indent(v, k, &il);
    cind = ev_line_indent(v, e + 1, &cl);
    if (ev_is(v, e + 1, "}") && cl == il && memcmp(cind, ind, il) == 0) return TC_OK; /* closed already */
    return curly_close_push(r, src, v, 1, e, ind, il, out);
}

/* ---- rules --------------------------------------------------------------------------- */

static int is_curly(const tc_edit_rule *r) { return (r->lint & ~(LINT_SAME | LINT_CLOSE)) == LINT_CURLY; }

int edit_lint_close(const tc_edit_rule *r)
{
    return r->kind == TC_EDIT_LINT && is_curly(r) && (r->lint & LINT_CLOSE);
}

int edit_synth_lint(tc_edit_rule *r, const tc_edit_src *before, const ev *o, const ev *n, size_t p, size_t oe,
                    size_t ne)
{
    int c, close;
    if (!brace_lang(before->lang)) return TC_ENOENT;
    if (oe == p + 1 && ne == p && extra_semi(o, p, before->lang)) {
        r->lint = LINT_SEMI;
        snprintf(r->title, sizeof r->title, "drop the ';' after a function's body");
    } else if (oe == p + 1 && ne == p + 1 && is_js(before->lang) && ev_is(o, p, "var") &&
               (ev_is(n, p, "const") || ev_is(n, p, "let"))) {
        int block;
        const char *want = var_choice(o, p, &block);
        if (!want) return TC_ENOENT;
        if (ev_is(n, p, want)) r->lint = LINT_VAR_CONST; /* what prefer-const says */
        else if (ev_is(n, p, "let")) r->lint = LINT_VAR_LET; /* let where const would do: let everywhere */
        else return TC_ENOENT; /* const for a name assigned again: not a rule we can follow */
        snprintf(r->title, sizeof r->title, "%s", r->lint == LINT_VAR_LET ? "var -> let" : "var -> const (let where assigned again)");
        if (block) r->lint |= LINT_BLOCKS;
    } else if ((c = curly_example(o, n, p, oe, ne, &close))) {
        r->lint = LINT_CURLY | (c == 2 ? LINT_SAME : 0) | (close ? LINT_CLOSE : 0);
        snprintf(r->title, sizeof r->title, "braces around a one-line if, for, while or else body");
    } else {
        return TC_ENOENT;
    }
    if (!(r->key = strdup(r->lint == LINT_SEMI ? ";" : is_curly(r) ? "" : "var")))
        return TC_ENOMEM;
    r->keylen = strlen(r->key);
    r->kind = TC_EDIT_LINT;
    r->cross = 1;
    r->conf = LINT_CONF;
    return TC_OK;
}

int edit_lint_sites(const tc_edit_rule *r, const tc_edit_src *src, const ev *v, int origin, tc_edit_sites *out)
{
    size_t i;
    int rc = TC_OK, var = r->lint & ~LINT_BLOCKS, curly = is_curly(r), block;
    if ((var == LINT_VAR_CONST || var == LINT_VAR_LET) && !is_js(src->lang)) return TC_OK;
    for (i = 0; i < v->n && rc == TC_OK; i++) {
        size_t a = v->t[i].off, b = a + v->t[i].len;
        const char *text;
        if (origin == 1 && a <= r->reg_b && b >= r->reg_a) { /* the edit itself */
            if (curly && a == r->reg_a) rc = curly_own_close(r, src, v, out);
            continue;
        }
        if (curly) {
            rc = curly_sites(r, src, v, origin, i, out);
            continue;
        }
        if (r->lint == LINT_SEMI) {
            if (!extra_semi(v, i, src->lang)) continue;
            text = "";
        } else {
            if (!(text = var_choice(v, i, &block))) continue;
            if (block && !(r->lint & LINT_BLOCKS)) continue;
            if (var == LINT_VAR_LET) text = "let";
        }
        rc = edit_site_push(r, src, v, origin, a, b, text, strlen(text), out);
    }
    return rc;
}
