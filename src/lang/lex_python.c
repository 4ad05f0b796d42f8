/* lex_python.c - Python lexer.
 *
 * Indentation follows Python's tokenizer: at the first token of a logical
 * line (not inside brackets, not after a backslash continuation, not on a
 * blank or comment-only line) the column (tab to the next multiple of 8,
 * form feed resets) is compared with a stack; a deeper column pushes and
 * emits INDENT, a shallower one pops and emits one DEDENT per level. A
 * column that matches no level pops to the next shallower one (Python
 * would raise IndentationError). End of input closes every level.
 * Strings take any prefix of r/b/u/f/t; triple-quoted ones span lines. An
 * f-string is one STRING token: replacement fields may nest strings with
 * the same quote (PEP 701), and a line break ends a single-quoted one. */
#include "lang/lex_int.h"

static const char *const py_words[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break",
    "class", "continue", "def", "del", "elif", "else", "except", "finally",
    "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    NULL,
};

static const char *const py_ops[] = {
    "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", ":=", "+=", "-=",
    "*=", "/=", "%=", "&=", "|=", "^=", "@=", "**=", "//=", "<<=", ">>=",
    "...",
    NULL,
};

static lx_kwtab py_kw;
static lx_optab py_op;

void tc_lx_python_init(void)
{
    tc_lx_kw_build(&py_kw, py_words);
    tc_lx_op_build(&py_op, py_ops);
}

#define PY_MAX_INDENT 200 /* Python's own limit is 100 */
#define PY_FDEPTH 16      /* nesting of f-string replacement fields */

enum { PY_RAW = 1, PY_F = 2 };

/* Flags of a string prefix s[st..i) (1-2 letters), or -1 if not one. */
static int py_prefix(const uint8_t *s, size_t st, size_t i)
{
    int f = 0, seen = 0;
    size_t j;
    if (i - st > 2) return -1;
    for (j = st; j < i; j++) {
        int bit;
        switch (s[j] | 0x20) {
        case 'r': bit = 1; f |= PY_RAW; break;
        case 'b': bit = 2; break;
        case 'u': bit = 4; break;
        case 'f': bit = 8; f |= PY_F; break;
        case 't': bit = 16; f |= PY_F; break;
        default: return -1;
        }
        if (seen & bit) return -1;
        seen |= bit;
    }
    if ((seen & 4) && seen != 4) return -1;  /* u stands alone */
    if ((seen & 2) && (seen & 24)) return -1; /* no bf, bt */
    if ((seen & 8) && (seen & 16)) return -1;
    return f;
}

static size_t py_string(const uint8_t *s, size_t n, size_t q, int flags, int depth);
static size_t py_fexpr(const uint8_t *s, size_t n, size_t i, uint8_t q, int triple, int depth);

/* Body of a string opened with quote q (tripled if triple) from i. Returns
 * the index after the closing quote(s), the index of the line break that
 * ends a single-quoted string, or n. */
static size_t py_body(const uint8_t *s, size_t n, size_t i, uint8_t q, int triple, int fstr,
                      int depth)
{
    while (i < n) {
        uint8_t c = s[i];
        if (c == '\\') { /* escapes the quote even in raw strings */
            if (i + 1 >= n) return n;
            i += (tc_lx_cc[s[i + 1]] & LX_NL) ? 1 + lx_nl_len(s, n, i + 1) : 2;
            continue;
        }
        if (c == q) {
            if (!triple) return i + 1;
            if (i + 2 < n && s[i + 1] == q && s[i + 2] == q) return i + 3;
        } else if (tc_lx_cc[c] & LX_NL) {
            if (!triple) return i;
        } else if (c == '{' && fstr && depth < PY_FDEPTH) {
            if (i + 1 < n && s[i + 1] == '{') {
                i += 2;
                continue;
            }
            i = py_fexpr(s, n, i + 1, q, triple, depth + 1);
            continue;
        }
        i++;
    }
    return n;
}

/* Format spec after ':' in a replacement field; may hold nested fields. */
static size_t py_fspec(const uint8_t *s, size_t n, size_t i, uint8_t q, int triple, int depth)
{
    while (i < n) {
        uint8_t c = s[i];
        if (c == '}') return i + 1;
        if (c == q || ((tc_lx_cc[c] & LX_NL) && !triple)) return i; /* the string ends */
        if (c == '{' && depth < PY_FDEPTH) {
            i = py_fexpr(s, n, i + 1, q, triple, depth + 1);
            continue;
        }
        i++;
    }
    return n;
}

/* Replacement field expression after '{'; returns the index after its '}'
 * or where the enclosing string must stop. */
static size_t py_fexpr(const uint8_t *s, size_t n, size_t i, uint8_t q, int triple, int depth)
{
    int br = 0;
    while (i < n) {
        uint8_t c = s[i], k = tc_lx_cc[c];
        if ((k & LX_NL) && !triple) return i;
        if (k & LX_ID) {
            size_t st = i;
            int f;
            i = lx_ident(s, n, i, 0);
            if (i < n && (s[i] == '"' || s[i] == '\'') && (f = py_prefix(s, st, i)) >= 0)
                i = py_string(s, n, i, f, depth + 1);
            continue;
        }
        if (c == '"' || c == '\'') {
            if (depth >= PY_FDEPTH) {
                if (c == q) return i;
                i++;
                continue;
            }
            i = py_string(s, n, i, 0, depth + 1);
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            br++;
        } else if (c == ')' || c == ']') {
            if (br) br--;
        } else if (c == '}') {
            if (!br) return i + 1;
            br--;
        } else if (c == ':' && !br) {
            return py_fspec(s, n, i + 1, q, triple, depth);
        }
        i++;
    }
    return n;
}

/* String literal whose opening quote is at q (prefix already consumed). */
static size_t py_string(const uint8_t *s, size_t n, size_t q, int flags, int depth)
{
    uint8_t c = s[q];
    int triple = q + 2 < n && s[q + 1] == c && s[q + 2] == c;
    return py_body(s, n, q + (triple ? 3 : 1), c, triple, (flags & PY_F) != 0, depth);
}

void tc_lx_python(tc_lexer *L)
{
    const uint8_t *s = L->s;
    size_t n = L->n, i = 0;
    uint32_t ind[PY_MAX_INDENT]; /* columns of the open indentation levels */
    int nind = 0;
    size_t br = 0;  /* open brackets */
    int cont = 0;   /* last token was a backslash */
    int lstart = 1; /* at the start of a logical line */
    while (i < n && !L->err) {
        uint8_t c, k;
        size_t st;
        if (lstart) {
            uint32_t col = 0;
            lstart = 0;
            for (; i < n && (tc_lx_cc[s[i]] & LX_SP); i++) {
                if (s[i] == '\t') col = (col / 8 + 1) * 8;
                else if (s[i] == '\f') col = 0;
                else col++;
                if (col > 0x7fffffff) col = 0x7fffffff;
            }
            if (i >= n || (tc_lx_cc[s[i]] & LX_NL) || s[i] == '#') continue; /* blank line */
            if (col > (nind ? ind[nind - 1] : 0)) {
                if (nind < PY_MAX_INDENT) {
                    ind[nind++] = col;
                    lx_emit(L, i, 0, TC_TOK_INDENT);
                }
            } else {
                while (nind && ind[nind - 1] > col) {
                    nind--;
                    lx_emit(L, i, 0, TC_TOK_DEDENT);
                }
            }
            continue;
        }
        c = s[i];
        k = tc_lx_cc[c];
        st = i;
        if (k & LX_SP) {
            i = lx_blank_end(s, n, i + 1);
            continue;
        }
        if (k & LX_NL) {
            i = lx_newline(L, i);
            lstart = !br && !cont;
            cont = 0;
            continue;
        }
        if (k & LX_ID) {
            int f;
            i = lx_ident(s, n, i, 0);
            if (i < n && (s[i] == '"' || s[i] == '\'') && (f = py_prefix(s, st, i)) >= 0) {
                i = py_string(s, n, i, f, 0);
                lx_emit(L, st, i - st, TC_TOK_STRING);
            } else {
                lx_emit(L, st, i - st, lx_is_kw(&py_kw, s + st, i - st) ? TC_TOK_KEYWORD : TC_TOK_IDENT);
            }
        } else if ((k & LX_DIG) || (c == '.' && i + 1 < n && (tc_lx_cc[s[i + 1]] & LX_DIG))) {
            i = tc_lx_number(s, n, i, 0);
            lx_emit(L, st, i - st, TC_TOK_NUMBER);
        } else if (c == '"' || c == '\'') {
            i = py_string(s, n, i, 0, 0);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '#') {
            i = lx_line_end(s, n, i);
            lx_emit(L, st, i - st, TC_TOK_COMMENT);
        } else if (c == '\\') {
            lx_emit(L, i++, 1, TC_TOK_PUNCT);
            cont = 1;
            continue;
        } else if (k & LX_PUN) {
            if (c == '(' || c == '[' || c == '{') br++;
            else if ((c == ')' || c == ']' || c == '}') && br) br--;
            i += lx_op(&py_op, s + i, n - i);
            lx_emit(L, st, i - st, TC_TOK_PUNCT);
        } else {
            lx_emit(L, i++, 1, TC_TOK_OTHER);
        }
        cont = 0;
    }
    while (nind-- > 0 && !L->err) lx_emit(L, n, 0, TC_TOK_DEDENT);
}
