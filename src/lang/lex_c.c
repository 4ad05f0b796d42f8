/* lex_c.c - C and C++ lexer.
 *
 * Preprocessor: a '#' first on a line is PUNCT, the directive name after it
 * OTHER, and the <header> of #include / #include_next / #import one STRING.
 * A backslash before a line break is PUNCT (the NEWLINE follows), and the
 * next line continues the directive. Literals: encoding prefixes (L u U u8)
 * belong to the string or char token; C++ raw strings R"d(...)d" span lines.
 * Numbers are pp-numbers (1.5e+3f, 0x1p-2, 1'000'000). */
#include "lang/lex_int.h"

static const char *const c_words[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline",
    "int", "long", "register", "restrict", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned",
    "void", "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool",
    "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
    "_Thread_local", "bool", "true", "false", "nullptr", "alignas", "alignof",
    "constexpr", "static_assert", "thread_local", "typeof", "typeof_unqual",
    NULL,
};

static const char *const cpp_words[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor",
    "bool", "break", "case", "catch", "char", "char8_t", "char16_t",
    "char32_t", "class", "compl", "concept", "const", "consteval",
    "constexpr", "constinit", "const_cast", "continue", "co_await",
    "co_return", "co_yield", "decltype", "default", "delete", "do", "double",
    "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false",
    "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable",
    "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator",
    "or", "or_eq", "private", "protected", "public", "register",
    "reinterpret_cast", "requires", "return", "short", "signed", "sizeof",
    "static", "static_assert", "static_cast", "struct", "switch", "template",
    "this", "thread_local", "throw", "true", "try", "typedef", "typeid",
    "typename", "union", "unsigned", "using", "virtual", "void", "volatile",
    "wchar_t", "while", "xor", "xor_eq", "override", "final",
    NULL,
};

static const char *const c_ops[] = {
    "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=",
    "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|=", "##", "...",
    NULL,
};

static const char *const cpp_ops[] = {
    "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=",
    "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|=", "##", "...",
    "::", "<=>", "->*", ".*",
    NULL,
};

static lx_kwtab c_kw, cpp_kw;
static lx_optab c_op, cpp_op;

void tc_lx_c_init(void)
{
    tc_lx_kw_build(&c_kw, c_words);
    tc_lx_kw_build(&cpp_kw, cpp_words);
    tc_lx_op_build(&c_op, c_ops);
    tc_lx_op_build(&cpp_op, cpp_ops);
}

/* Line comment from i; a backslash before the line break continues it. */
static size_t c_line_comment(const uint8_t *s, size_t n, size_t i)
{
    for (;;) {
        i = lx_line_end(s, n, i);
        if (i >= n || s[i - 1] != '\\') return i;
        i += lx_nl_len(s, n, i);
    }
}

/* Raw string body: q is the index of the '"' after R. Returns the index
 * after )delim" (n if unterminated), or 0 if the delimiter is invalid. */
static size_t c_raw_string(const uint8_t *s, size_t n, size_t q)
{
    size_t d = q + 1, dl, i;
    while (d < n && d - q - 1 < 16 && s[d] != '(') {
        uint8_t c = s[d];
        if (c == ')' || c == '\\' || c == '"' || (tc_lx_cc[c] & (LX_SP | LX_NL | LX_CTL))) return 0;
        d++;
    }
    if (d >= n || s[d] != '(') return 0;
    dl = d - q - 1;
    for (i = d + 1; i < n; i++) {
        const uint8_t *p = memchr(s + i, ')', n - i);
        if (!p) return n;
        i = (size_t)(p - s);
        if (n - i - 1 > dl && memcmp(s + i + 1, s + q + 1, dl) == 0 && s[i + 1 + dl] == '"')
            return i + dl + 2;
    }
    return n;
}

/* Identifier s[st..i) followed by a quote at s[i]: if it is an encoding
 * (or raw) prefix, return the end of the literal; else 0. */
static size_t c_prefixed(const uint8_t *s, size_t n, size_t st, size_t i, int cpp)
{
    const uint8_t *p = s + st;
    size_t len = i - st;
    int raw = cpp && s[i] == '"' && p[len - 1] == 'R';
    size_t plen = len - (size_t)raw;
    if (!(plen == 0 || (plen == 1 && (p[0] == 'L' || p[0] == 'u' || p[0] == 'U')) ||
          (plen == 2 && p[0] == 'u' && p[1] == '8')))
        return 0;
    if (raw) return c_raw_string(s, n, i);
    return tc_lx_quoted(s, n, i + 1, s[i], 0);
}

/* '#' first on a line at i: emit '#', the directive name, an include's
 * <header>. Returns where lexing goes on. */
static size_t c_directive(tc_lexer *L, size_t i)
{
    const uint8_t *s = L->s;
    size_t n = L->n, j, st;
    lx_emit(L, i, 1, TC_TOK_PUNCT);
    j = i + 1;
    while (j < n && (tc_lx_cc[s[j]] & LX_SP)) j++;
    if (j >= n || !(tc_lx_cc[s[j]] & LX_ID)) return i + 1;
    st = j;
    j = lx_ident(s, n, j, 0);
    lx_emit(L, st, j - st, TC_TOK_OTHER);
    if (!((j - st == 7 && memcmp(s + st, "include", 7) == 0) ||
          (j - st == 12 && memcmp(s + st, "include_next", 12) == 0) ||
          (j - st == 6 && memcmp(s + st, "import", 6) == 0)))
        return j;
    while (j < n && (tc_lx_cc[s[j]] & LX_SP)) j++;
    if (j < n && s[j] == '<') {
        size_t e = j + 1;
        while (e < n && s[e] != '>' && !(tc_lx_cc[s[e]] & LX_NL)) e++;
        if (e < n && s[e] == '>') {
            lx_emit(L, j, e + 1 - j, TC_TOK_STRING);
            return e + 1;
        }
    }
    return j;
}

void tc_lx_c(tc_lexer *L, int cpp)
{
    const uint8_t *s = L->s;
    const lx_kwtab *kw = cpp ? &cpp_kw : &c_kw;
    const lx_optab *op = cpp ? &cpp_op : &c_op;
    size_t n = L->n, i = 0;
    int bol = 1;  /* only blanks/comments so far on this (logical) line */
    int cont = 0; /* last token was a backslash: the next line continues */
    while (i < n && !L->err) {
        uint8_t c = s[i], k = tc_lx_cc[c];
        size_t st = i;
        if (k & LX_SP) {
            i = lx_blank_end(s, n, i + 1);
            continue;
        }
        if (k & LX_NL) {
            i = lx_newline(L, i);
            bol = !cont;
            cont = 0;
            continue;
        }
        if (k & LX_ID) {
            i = lx_ident(s, n, i, 0);
            if (i < n && (s[i] == '"' || s[i] == '\'') && i - st <= 3) {
                size_t e = c_prefixed(s, n, st, i, cpp);
                if (e) {
                    lx_emit(L, st, e - st, TC_TOK_STRING);
                    i = e;
                    bol = cont = 0;
                    continue;
                }
            }
            lx_emit(L, st, i - st, lx_is_kw(kw, s + st, i - st) ? TC_TOK_KEYWORD : TC_TOK_IDENT);
        } else if (k & LX_DIG) {
            i = tc_lx_number(s, n, i, LX_NUM_PP | LX_NUM_QUOTE);
            lx_emit(L, st, i - st, TC_TOK_NUMBER);
        } else if (c == '"' || c == '\'') {
            i = tc_lx_quoted(s, n, i + 1, c, 0);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            i = c_line_comment(s, n, i + 2);
            lx_emit(L, st, i - st, TC_TOK_COMMENT);
            continue; /* a comment keeps bol and cont */
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            i = tc_lx_block_comment(s, n, i, 0);
            lx_emit(L, st, i - st, TC_TOK_COMMENT);
            continue;
        } else if (c == '.' && i + 1 < n && (tc_lx_cc[s[i + 1]] & LX_DIG)) {
            i = tc_lx_number(s, n, i, LX_NUM_PP | LX_NUM_QUOTE);
            lx_emit(L, st, i - st, TC_TOK_NUMBER);
        } else if (c == '#' && bol) {
            i = c_directive(L, i);
        } else if (c == '\\') {
            lx_emit(L, i++, 1, TC_TOK_PUNCT);
            bol = 0;
            cont = 1;
            continue;
        } else if (k & LX_PUN) {
            i += lx_op(op, s + i, n - i);
            lx_emit(L, st, i - st, TC_TOK_PUNCT);
        } else {
            lx_emit(L, i++, 1, TC_TOK_OTHER);
        }
        bol = 0;
        cont = 0;
    }
}
