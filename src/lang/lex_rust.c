/* lex_rust.c - Rust lexer.
 *
 * Strings ("...", b"...", c"...") span lines; raw strings r#"..."# (also
 * br, cr) end at a quote followed by as many '#'. A quote starts a char
 * literal ('a', '\n', '\u{1F600}', multi-byte UTF-8) when one character and
 * a closing quote follow, else a lifetime or label ('a, 'static), lexed as
 * one IDENT. Raw identifiers r#type are IDENT. Block comments nest. */
#include "lang/lex_int.h"

static const char *const rs_words[] = {
    "as", "async", "await", "break", "const", "continue", "crate", "dyn",
    "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let",
    "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
    "try", "gen",
    NULL,
};

static const char *const rs_ops[] = {
    "::", "->", "=>", "..", "..=", "...", "==", "!=", "<=", ">=", "&&", "||",
    "+=", "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>", "<<=", ">>=",
    NULL,
};

static lx_kwtab rs_kw;
static lx_optab rs_op;

void tc_lx_rust_init(void)
{
    tc_lx_kw_build(&rs_kw, rs_words);
    tc_lx_op_build(&rs_op, rs_ops);
}

/* Raw string from i (the first '#' or '"' after r/br/cr): the index after
 * its closing quote and hashes (n if unterminated), or 0 if not one. */
static size_t rs_raw(const uint8_t *s, size_t n, size_t i)
{
    size_t h = 0;
    while (i < n && s[i] == '#') {
        i++;
        h++;
    }
    if (i >= n || s[i] != '"') return 0;
    for (i++; i < n; i++) {
        size_t j = i + 1;
        const uint8_t *p = memchr(s + i, '"', n - i);
        if (!p) return n;
        i = (size_t)(p - s);
        for (j = i + 1; j < n && j - i - 1 < h && s[j] == '#'; j++) {}
        if (j - i - 1 == h) return j;
    }
    return n;
}

/* After a quote at i: the end of a char literal, or 0 if it is none. */
static size_t rs_char(const uint8_t *s, size_t n, size_t i)
{
    uint8_t c;
    size_t len = 1, j;
    if (i + 1 >= n) return 0;
    c = s[i + 1];
    if (c == '\\') return tc_lx_quoted(s, n, i + 1, '\'', 0);
    if (c == '\'' || (tc_lx_cc[c] & LX_NL)) return 0;
    if (c >= 0xf0) len = 4;
    else if (c >= 0xe0) len = 3;
    else if (c >= 0xc0) len = 2;
    for (j = 1; j < len; j++)
        if (i + 1 + j >= n || s[i + 1 + j] < 0x80 || s[i + 1 + j] >= 0xc0) return 0;
    j = i + 1 + len;
    return j < n && s[j] == '\'' ? j + 1 : 0;
}

void tc_lx_rust(tc_lexer *L)
{
    const uint8_t *s = L->s;
    size_t n = L->n, i = 0;
    if (n >= 2 && s[0] == '#' && s[1] == '!' && !(n >= 3 && s[2] == '[')) {
        i = lx_line_end(s, n, 0);
        lx_emit(L, 0, i, TC_TOK_COMMENT);
    }
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
            size_t len;
            i = lx_ident(s, n, i, 0);
            len = i - st;
            if (i < n && len <= 2 && (s[i] == '"' || s[i] == '#' || s[i] == '\'')) {
                uint8_t q = s[i], p0 = s[st], p1 = len == 2 ? s[st + 1] : 0;
                int raw = (len == 1 && p0 == 'r') || (len == 2 && (p0 == 'b' || p0 == 'c') && p1 == 'r');
                if (raw && q != '\'' && (e = rs_raw(s, n, i)) != 0) {
                    lx_emit(L, st, e - st, TC_TOK_STRING);
                    i = e;
                    continue;
                }
                if (len == 1 && p0 == 'r' && q == '#' && i + 1 < n && (tc_lx_cc[s[i + 1]] & LX_ID)) {
                    i = lx_ident(s, n, i + 1, 0); /* r#type */
                    lx_emit(L, st, i - st, TC_TOK_IDENT);
                    continue;
                }
                if (len == 1 && (p0 == 'b' || p0 == 'c') && q == '"') {
                    i = tc_lx_quoted(s, n, i + 1, '"', 1);
                    lx_emit(L, st, i - st, TC_TOK_STRING);
                    continue;
                }
                if (len == 1 && p0 == 'b' && q == '\'' && (e = rs_char(s, n, i)) != 0) {
                    lx_emit(L, st, e - st, TC_TOK_STRING);
                    i = e;
                    continue;
                }
            }
            lx_emit(L, st, len, lx_is_kw(&rs_kw, s + st, len) ? TC_TOK_KEYWORD : TC_TOK_IDENT);
        } else if (k & LX_DIG) {
            i = tc_lx_number(s, n, i, 0);
            lx_emit(L, st, i - st, TC_TOK_NUMBER);
        } else if (c == '"') {
            i = tc_lx_quoted(s, n, i + 1, '"', 1);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '\'') {
            if ((e = rs_char(s, n, i)) != 0) {
                i = e;
                lx_emit(L, st, i - st, TC_TOK_STRING);
            } else if (i + 1 < n && (tc_lx_cc[s[i + 1]] & LX_ID)) {
                i = lx_ident(s, n, i + 1, 0);
                lx_emit(L, st, i - st, TC_TOK_IDENT);
            } else {
                lx_emit(L, i++, 1, TC_TOK_PUNCT);
            }
        } else if (c == '/' && (e = lx_slash_comment(s, n, i, 1)) != i) {
            i = e;
            lx_emit(L, st, i - st, TC_TOK_COMMENT);
        } else if (k & LX_PUN) {
            i += lx_op(&rs_op, s + i, n - i);
            lx_emit(L, st, i - st, TC_TOK_PUNCT);
        } else {
            lx_emit(L, i++, 1, TC_TOK_OTHER);
        }
    }
}
