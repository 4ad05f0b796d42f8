/* lex_js.c - JavaScript and TypeScript lexer.
 *
 * A template literal, with its nested ${...} expressions (strings, nested
 * templates, comments and braces inside them), is one STRING token.
 * A '/' starts a regular expression literal when the previous significant
 * token cannot end an expression: nothing, an operator other than ) ] }
 * ++ --, the ')' of "if (...)" / while / for / with, or a keyword such as
 * return/typeof/case. The literal must close on
 * its line (else '/' is an operator, and no regex is tried again before
 * that line's end, which keeps the pass linear). '$' is an identifier byte;
 * a leading "#!" line is a comment. */
#include "lang/lex_int.h"

static const char *const js_words[] = {
    "break", "case", "catch", "class", "const", "continue", "debugger",
    "default", "delete", "do", "else", "export", "extends", "finally", "for",
    "function", "if", "import", "in", "instanceof", "new", "return", "super",
    "switch", "this", "throw", "try", "typeof", "var", "void", "while", "with",
    "yield", "let", "static", "enum", "await", "async", "of", "null", "true",
    "false", "implements", "interface", "package", "private", "protected",
    "public",
    NULL,
};

static const char *const ts_words[] = {
    "break", "case", "catch", "class", "const", "continue", "debugger",
    "default", "delete", "do", "else", "export", "extends", "finally", "for",
    "function", "if", "import", "in", "instanceof", "new", "return", "super",
    "switch", "this", "throw", "try", "typeof", "var", "void", "while", "with",
    "yield", "let", "static", "enum", "await", "async", "of", "null", "true",
    "false", "implements", "interface", "package", "private", "protected",
    "public", "abstract", "any", "as", "asserts", "bigint", "boolean",
    "declare", "infer", "is", "keyof", "module", "namespace", "never",
    "number", "override", "readonly", "satisfies", "string", "symbol", "type",
    "unique", "unknown", "undefined", "accessor",
    NULL,
};

static const char *const js_ops[] = {
    "=>", "==", "!=", "===", "!==", "<=", ">=", "&&", "||", "??", "?.", "++",
    "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "**=", "<<",
    ">>", ">>>", "<<=", ">>=", ">>>=", "&&=", "||=", "?\?=", "...",
    NULL,
};

/* Keywords after which an expression (so a regex) may start. */
static const char *const js_regex_words[] = {
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void",
    "throw", "case", "do", "else", "yield", "await",
    NULL,
};

static const char *const js_cond_words[] = {"if", "while", "for", "with", NULL};

static lx_kwtab js_kw, ts_kw, js_rekw, js_cond_kw;
static lx_optab js_op;

void tc_lx_js_init(void)
{
    tc_lx_kw_build(&js_kw, js_words);
    tc_lx_kw_build(&ts_kw, ts_words);
    tc_lx_kw_build(&js_rekw, js_regex_words);
    tc_lx_kw_build(&js_cond_kw, js_cond_words);
    tc_lx_op_build(&js_op, js_ops);
}

#define JS_TDEPTH 32 /* nesting of templates inside ${} */

static size_t js_template(const uint8_t *s, size_t n, size_t i, int depth);

/* Expression inside ${ from i; returns the index after its '}', or n. */
static size_t js_template_expr(const uint8_t *s, size_t n, size_t i, int depth)
{
    size_t br = 0, ce;
    while (i < n) {
        uint8_t c = s[i];
        if (c == '\'' || c == '"') {
            i = tc_lx_quoted(s, n, i + 1, c, 0);
        } else if (c == '`') {
            i = js_template(s, n, i + 1, depth + 1);
        } else if (c == '/' && (ce = lx_slash_comment(s, n, i, 0)) != i) {
            i = ce;
        } else if (c == '{') {
            br++;
            i++;
        } else if (c == '}') {
            if (!br) return i + 1;
            br--;
            i++;
        } else {
            i++;
        }
    }
    return n;
}

/* Template body after the opening backquote; returns the index after the
 * closing backquote, or n. */
static size_t js_template(const uint8_t *s, size_t n, size_t i, int depth)
{
    while (i < n) {
        uint8_t c = s[i];
        if (c == '`') return i + 1;
        if (c == '\\') {
            i += 2;
            continue;
        }
        if (c == '$' && i + 1 < n && s[i + 1] == '{' && depth < JS_TDEPTH) {
            i = js_template_expr(s, n, i + 2, depth);
            continue;
        }
        i++;
    }
    return n;
}

/* Regex literal from i (at '/'): the index after its flags, or 0 if it does
 * not close on this line. */
static size_t js_regex(const uint8_t *s, size_t n, size_t i)
{
    int cls = 0;
    for (i++; i < n; i++) {
        uint8_t c = s[i];
        if (tc_lx_cc[c] & LX_NL) return 0;
        if (c == '\\') {
            if (i + 1 < n && (tc_lx_cc[s[i + 1]] & LX_NL)) return 0;
            i++;
        } else if (c == '[') {
            cls = 1;
        } else if (c == ']') {
            cls = 0;
        } else if (c == '/' && !cls) {
            i++;
            while (i < n && (tc_lx_cc[s[i]] & LX_IDC)) i++;
            return i;
        }
    }
    return 0;
}

/* May a regex start here, given the last significant token? cond_close:
 * that token is the ')' closing "if (", "while (", "for (" or "with (". */
static int js_regex_ok(const tc_lexer *L, size_t last, int cond_close)
{
    const tc_token *t;
    uint8_t c;
    if (last == SIZE_MAX) return 1;
    t = &L->out->v[last];
    switch (t->kind) {
    case TC_TOK_PUNCT:
        c = L->s[t->off];
        if (t->len == 1) return c == ')' ? cond_close : c != ']' && c != '}';
        return !(t->len == 2 && (c == '+' || c == '-') && L->s[t->off + 1] == c);
    case TC_TOK_KEYWORD:
        return lx_is_kw(&js_rekw, L->s + t->off, t->len);
    case TC_TOK_IDENT:
    case TC_TOK_NUMBER:
    case TC_TOK_STRING:
        return 0;
    default:
        return 1;
    }
}

/* Is the last significant token if / while / for / with? */
static int js_after_cond_kw(const tc_lexer *L, size_t last)
{
    const tc_token *t;
    if (last == SIZE_MAX) return 0;
    t = &L->out->v[last];
    return t->kind == TC_TOK_KEYWORD && lx_is_kw(&js_cond_kw, L->s + t->off, t->len);
}

void tc_lx_js(tc_lexer *L, int ts)
{
    const uint8_t *s = L->s;
    const lx_kwtab *kw = ts ? &ts_kw : &js_kw;
    size_t n = L->n, i = 0;
    size_t base = L->out->n;    /* our tokens start here in out */
    size_t last = SIZE_MAX;     /* index of the last significant token */
    size_t no_regex_until = 0;  /* a regex failed to close before this */
    uint64_t cond = 0;          /* bit d: the '(' at depth d follows if/while/for/with */
    size_t depth = 0;           /* open parentheses */
    int cond_close = 0;         /* last token is a ')' that closed such a '(' */
    if (n >= 2 && s[0] == '#' && s[1] == '!') {
        i = lx_line_end(s, n, 0);
        lx_emit(L, 0, i, TC_TOK_COMMENT);
    }
    while (i < n && !L->err) {
        uint8_t c = s[i], k = tc_lx_cc[c];
        size_t st = i, ce;
        if (k & LX_SP) {
            i = lx_blank_end(s, n, i + 1);
            continue;
        }
        if (k & LX_NL) {
            i = lx_newline(L, i);
            continue;
        }
        if ((k & LX_ID) || c == '$') {
            i = lx_ident(s, n, i, 1);
            lx_emit(L, st, i - st, lx_is_kw(kw, s + st, i - st) ? TC_TOK_KEYWORD : TC_TOK_IDENT);
        } else if ((k & LX_DIG) || (c == '.' && i + 1 < n && (tc_lx_cc[s[i + 1]] & LX_DIG))) {
            i = tc_lx_number(s, n, i, 0);
            lx_emit(L, st, i - st, TC_TOK_NUMBER);
        } else if (c == '"' || c == '\'') {
            i = tc_lx_quoted(s, n, i + 1, c, 0);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '`') {
            i = js_template(s, n, i + 1, 0);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '/' && (ce = lx_slash_comment(s, n, i, 0)) != i) {
            i = ce;
            lx_emit(L, st, i - st, TC_TOK_COMMENT);
            continue;
        } else if (c == '/' && i >= no_regex_until && js_regex_ok(L, last, cond_close)) {
            size_t e = js_regex(s, n, i);
            if (e) {
                i = e;
                lx_emit(L, st, i - st, TC_TOK_STRING);
            } else {
                no_regex_until = lx_line_end(s, n, i);
                i += lx_op(&js_op, s + i, n - i);
                lx_emit(L, st, i - st, TC_TOK_PUNCT);
            }
        } else if (k & LX_PUN) {
            int cc = 0;
            i += lx_op(&js_op, s + i, n - i);
            if (i - st == 2 && c == '?' && s[st + 1] == '.' && i < n && (tc_lx_cc[s[i]] & LX_DIG))
                i--; /* a ? .5 : b */
            if (c == '(') {
                uint64_t bit = depth < 64 ? (uint64_t)1 << depth : 0;
                cond = js_after_cond_kw(L, last) ? cond | bit : cond & ~bit;
                depth++;
            } else if (c == ')' && depth) {
                depth--;
                cc = depth < 64 && ((cond >> depth) & 1);
            }
            lx_emit(L, st, i - st, TC_TOK_PUNCT);
            if (L->out->n > base) last = L->out->n - 1;
            cond_close = cc;
            continue;
        } else {
            lx_emit(L, i++, 1, TC_TOK_OTHER);
        }
        if (L->out->n > base) last = L->out->n - 1;
        cond_close = 0;
    }
}
