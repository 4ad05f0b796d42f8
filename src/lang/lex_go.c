/* lex_go.c - Go lexer.
 *
 * Raw strings `...` span lines; interpreted strings and runes end at a line
 * break when unterminated. Block comments do not nest. */
#include "lang/lex_int.h"

static const char *const go_words[] = {
    "break", "case", "chan", "const", "continue", "default", "defer", "else",
    "fallthrough", "for", "func", "go", "goto", "if", "import", "interface",
    "map", "package", "range", "return", "select", "struct", "switch", "type",
    "var",
    NULL,
};

static const char *const go_ops[] = {
    "<-", ":=", "...", "&^", "&^=", "<<", ">>", "<<=", ">>=", "&&", "||", "++",
    "--", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
    "^=",
    NULL,
};

static lx_kwtab go_kw;
static lx_optab go_op;

void tc_lx_go_init(void)
{
    tc_lx_kw_build(&go_kw, go_words);
    tc_lx_op_build(&go_op, go_ops);
}

void tc_lx_go(tc_lexer *L)
{
    const uint8_t *s = L->s;
    size_t n = L->n, i = 0;
    while (i < n && !L->err) {
        uint8_t c = s[i], k = tc_lx_cc[c];
        size_t st = i, e;
        if (k & LX_SP) {
            i = lx_blank_end(s, n, i + 1);
            continue;
        }
        if (k & LX_NL) {
            i = lx_newline(L, i);
            continue;
        }
        if (k & LX_ID) {
            i = lx_ident(s, n, i, 0);
            lx_emit(L, st, i - st, lx_is_kw(&go_kw, s + st, i - st) ? TC_TOK_KEYWORD : TC_TOK_IDENT);
        } else if ((k & LX_DIG) || (c == '.' && i + 1 < n && (tc_lx_cc[s[i + 1]] & LX_DIG))) {
            i = tc_lx_number(s, n, i, 0);
            lx_emit(L, st, i - st, TC_TOK_NUMBER);
        } else if (c == '"' || c == '\'') {
            i = tc_lx_quoted(s, n, i + 1, c, 0);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '`') {
            const uint8_t *p = i + 1 < n ? memchr(s + i + 1, '`', n - i - 1) : NULL;
            i = p ? (size_t)(p - s) + 1 : n;
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '/' && (e = lx_slash_comment(s, n, i, 0)) != i) {
            i = e;
            lx_emit(L, st, i - st, TC_TOK_COMMENT);
        } else if (k & LX_PUN) {
            i += lx_op(&go_op, s + i, n - i);
            lx_emit(L, st, i - st, TC_TOK_PUNCT);
        } else {
            lx_emit(L, i++, 1, TC_TOK_OTHER);
        }
    }
}
