/* lex_java.c - Java lexer.
 *
 * Text blocks """...""" span lines; other strings and chars end at a line
 * break when unterminated. '$' is an identifier byte; an annotation is '@'
 * then an identifier. */
#include "lang/lex_int.h"

static const char *const java_words[] = {
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char",
    "class", "const", "continue", "default", "do", "double", "else", "enum",
    "extends", "final", "finally", "float", "for", "goto", "if", "implements",
    "import", "instanceof", "int", "interface", "long", "native", "new",
    "package", "private", "protected", "public", "return", "short", "static",
    "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
    "transient", "try", "void", "volatile", "while", "true", "false", "null",
    "var", "record", "yield", "sealed", "permits",
    NULL,
};

static const char *const java_ops[] = {
    "->", "::", "...", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", ">>>", "<<=", ">>=",
    ">>>=",
    NULL,
};

static lx_kwtab java_kw;
static lx_optab java_op;

void tc_lx_java_init(void)
{
    tc_lx_kw_build(&java_kw, java_words);
    tc_lx_op_build(&java_op, java_ops);
}

/* Text block body from i (after the opening """): index after the closing
 * """, or n. */
static size_t java_text_block(const uint8_t *s, size_t n, size_t i)
{
    while (i < n) {
        if (s[i] == '\\') {
            i += 2;
        } else if (s[i] == '"' && i + 2 < n && s[i + 1] == '"' && s[i + 2] == '"') {
            return i + 3;
        } else {
            i++;
        }
    }
    return n;
}

void tc_lx_java(tc_lexer *L)
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
        if ((k & LX_ID) || c == '$') {
            i = lx_ident(s, n, i, 1);
            lx_emit(L, st, i - st, lx_is_kw(&java_kw, s + st, i - st) ? TC_TOK_KEYWORD : TC_TOK_IDENT);
        } else if ((k & LX_DIG) || (c == '.' && i + 1 < n && (tc_lx_cc[s[i + 1]] & LX_DIG))) {
            i = tc_lx_number(s, n, i, 0);
            lx_emit(L, st, i - st, TC_TOK_NUMBER);
        } else if (c == '"' && i + 2 < n && s[i + 1] == '"' && s[i + 2] == '"') {
            i = java_text_block(s, n, i + 3);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '"' || c == '\'') {
            i = tc_lx_quoted(s, n, i + 1, c, 0);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '/' && (e = lx_slash_comment(s, n, i, 0)) != i) {
            i = e;
            lx_emit(L, st, i - st, TC_TOK_COMMENT);
        } else if (k & LX_PUN) {
            i += lx_op(&java_op, s + i, n - i);
            lx_emit(L, st, i - st, TC_TOK_PUNCT);
        } else {
            lx_emit(L, i++, 1, TC_TOK_OTHER);
        }
    }
}
