/* lex_shell.c - POSIX sh / bash lexer.
 *
 * '#' starts a comment only at the start of a word. Strings: '...', "..."
 * (with nested $(...), ${...} and `...` kept inside the one token), $'...',
 * $"...", `...`; a backslash and the byte it escapes are one STRING (before
 * a line break the backslash is PUNCT, a continuation). $x, $1, $@ and a
 * simple ${x} are one IDENT. A here-document (<<WORD, <<-WORD, quoted WORD)
 * body is one STRING token from the line after the operator's line through
 * its delimiter line (excluding that line's break); several on one line are
 * read in order, a NEWLINE token between them. Inside (( )) and $(( ))
 * "<<" is a shift. Keywords count only as whole words. */
#include "lang/lex_int.h"

static const char *const sh_words[] = {
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
    "while", "until", "do", "done", "in", "function", "time", "coproc",
    NULL,
};

static const char *const sh_ops[] = {
    "&&", "||", ";;", ";&", ";;&", "|&", "<<", "<<-", "<<<", ">>", "<&", ">&",
    "&>", "&>>", "<>", ">|", "((", "))", "[[", "]]", "==", "!=", "=~", "+=",
    "-=", "*=", "/=", "%=", "<(", ">(", "++", "--", "**", "<=", ">=",
    NULL,
};

static lx_kwtab sh_kw;
static lx_optab sh_op;

void tc_lx_shell_init(void)
{
    tc_lx_kw_build(&sh_kw, sh_words);
    tc_lx_op_build(&sh_op, sh_ops);
}

#define SH_DEPTH 32       /* nesting of "$( "...")" inside strings */
#define SH_HEREDOCS 16    /* pending here-documents per line */
#define SH_DELIM_MAX 128  /* longer delimiters are not treated as heredocs */

typedef struct sh_heredoc {
    uint8_t delim[SH_DELIM_MAX];
    size_t len;
    int strip_tabs; /* <<- */
} sh_heredoc;

/* Bytes that end an unquoted word. */
static int sh_meta(uint8_t c)
{
    return (tc_lx_cc[c] & (LX_SP | LX_NL)) || c == ';' || c == '&' || c == '|' || c == '(' ||
           c == ')' || c == '<' || c == '>';
}

static size_t sh_squote(const uint8_t *s, size_t n, size_t i)
{
    const uint8_t *p = i < n ? memchr(s + i, '\'', n - i) : NULL;
    return p ? (size_t)(p - s) + 1 : n;
}

static size_t sh_backtick(const uint8_t *s, size_t n, size_t i)
{
    while (i < n) {
        if (s[i] == '`') return i + 1;
        i += s[i] == '\\' ? 2 : 1;
    }
    return n;
}

static size_t sh_dquote(const uint8_t *s, size_t n, size_t i, int depth);

/* Body of $( or ${ from i up to its matching close byte; the index after
 * it, or n. Quotes, nested substitutions and comments are skipped. */
static size_t sh_subst(const uint8_t *s, size_t n, size_t i, uint8_t close, int depth)
{
    uint8_t open = close == ')' ? '(' : '{';
    size_t d = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c == '\\') {
            i += 2;
        } else if (c == '\'') {
            i = sh_squote(s, n, i + 1);
        } else if (c == '"') {
            i = depth < SH_DEPTH ? sh_dquote(s, n, i + 1, depth + 1) : i + 1;
        } else if (c == '`') {
            i = sh_backtick(s, n, i + 1);
        } else if (c == '$' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '{') && depth < SH_DEPTH) {
            i = sh_subst(s, n, i + 2, s[i + 1] == '(' ? ')' : '}', depth + 1);
        } else if (c == '#' && close == ')' && (tc_lx_cc[s[i - 1]] & (LX_SP | LX_NL))) {
            i = lx_line_end(s, n, i);
        } else if (c == open) {
            d++;
            i++;
        } else if (c == close) {
            if (!d) return i + 1;
            d--;
            i++;
        } else {
            i++;
        }
    }
    return n;
}

/* Double-quoted body from i (after the quote): the index after the closing
 * quote, or n. */
static size_t sh_dquote(const uint8_t *s, size_t n, size_t i, int depth)
{
    while (i < n) {
        uint8_t c = s[i];
        if (c == '"') return i + 1;
        if (c == '\\') {
            i += 2;
        } else if (c == '`') {
            i = sh_backtick(s, n, i + 1);
        } else if (c == '$' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '{') && depth < SH_DEPTH) {
            i = sh_subst(s, n, i + 2, s[i + 1] == '(' ? ')' : '}', depth + 1);
        } else {
            i++;
        }
    }
    return n;
}

/* Here-document delimiter word from i (after << or <<-, blanks skipped by
 * the caller): fills h (unquoted) and returns the word's end; *quoted says
 * whether it held quotes. h->len is 0 if there is no usable word. */
static size_t sh_delim(const uint8_t *s, size_t n, size_t i, sh_heredoc *h, int *quoted)
{
    size_t len = 0;
    int over = 0;
    *quoted = 0;
    while (i < n && !sh_meta(s[i])) {
        uint8_t c = s[i];
        if (c == '\'' || c == '"') {
            *quoted = 1;
            for (i++; i < n && s[i] != c && !(tc_lx_cc[s[i]] & LX_NL); i++) {
                if (len < SH_DELIM_MAX) h->delim[len++] = s[i];
                else over = 1;
            }
            if (i < n && s[i] == c) i++;
            continue;
        }
        if (c == '\\') {
            *quoted = 1;
            if (++i >= n || (tc_lx_cc[s[i]] & LX_NL)) break;
            c = s[i];
        }
        if (len < SH_DELIM_MAX) h->delim[len++] = c;
        else over = 1;
        i++;
    }
    h->len = over ? 0 : len;
    return i;
}

/* Read the bodies of the pending here-documents from i (the start of the
 * line after the operator's). Returns the index after the last one. */
static size_t sh_bodies(tc_lexer *L, size_t i, const sh_heredoc *hd, int nhd)
{
    const uint8_t *s = L->s;
    size_t n = L->n;
    int k;
    for (k = 0; k < nhd && i < n; k++) {
        size_t st = i, end = n;
        if (k > 0) {
            if (!(tc_lx_cc[s[i]] & LX_NL)) break;
            i = lx_newline(L, i);
            st = i;
            if (i >= n) break;
        }
        while (i < n) {
            size_t le = lx_line_end(s, n, i), cs = i;
            if (hd[k].strip_tabs)
                while (cs < le && s[cs] == '\t') cs++;
            if (le - cs == hd[k].len && memcmp(s + cs, hd[k].delim, hd[k].len) == 0) {
                end = le;
                break;
            }
            i = le < n ? le + lx_nl_len(s, n, le) : n;
        }
        if (end > st) lx_emit(L, st, end - st, TC_TOK_STRING);
        i = end;
    }
    return i;
}

/* Whether s[st..e) stands as a whole word (for keywords). */
static int sh_whole_word(const uint8_t *s, size_t n, size_t st, size_t e)
{
    return (st == 0 || sh_meta(s[st - 1])) && (e >= n || sh_meta(s[e]));
}

void tc_lx_shell(tc_lexer *L)
{
    const uint8_t *s = L->s;
    size_t n = L->n, i = 0;
    sh_heredoc hd[SH_HEREDOCS];
    int nhd = 0;
    size_t pd = 0;          /* open parentheses */
    size_t arith = SIZE_MAX; /* pd where an arithmetic (( began, or none */
    while (i < n && !L->err) {
        uint8_t c = s[i], k = tc_lx_cc[c];
        size_t st = i;
        if (k & LX_SP) {
            i = lx_blank_end(s, n, i + 1);
            continue;
        }
        if (k & LX_NL) {
            i = lx_newline(L, i);
            if (nhd) {
                i = sh_bodies(L, i, hd, nhd);
                nhd = 0;
            }
            continue;
        }
        if (k & LX_ID) {
            i = lx_ident(s, n, i, 0);
            lx_emit(L, st, i - st,
                    lx_is_kw(&sh_kw, s + st, i - st) && sh_whole_word(s, n, st, i) ? TC_TOK_KEYWORD
                                                                                  : TC_TOK_IDENT);
        } else if (k & LX_DIG) {
            while (i < n && (tc_lx_cc[s[i]] & LX_IDC)) i++;
            lx_emit(L, st, i - st, TC_TOK_NUMBER);
        } else if (c == '#' && (i == 0 || sh_meta(s[i - 1]))) {
            i = lx_line_end(s, n, i);
            lx_emit(L, st, i - st, TC_TOK_COMMENT);
        } else if (c == '\'') {
            i = sh_squote(s, n, i + 1);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '"') {
            i = sh_dquote(s, n, i + 1, 0);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '`') {
            i = sh_backtick(s, n, i + 1);
            lx_emit(L, st, i - st, TC_TOK_STRING);
        } else if (c == '\\') {
            if (i + 1 < n && !(tc_lx_cc[s[i + 1]] & LX_NL)) {
                i += 2;
                lx_emit(L, st, 2, TC_TOK_STRING);
            } else {
                lx_emit(L, i++, 1, TC_TOK_PUNCT);
            }
        } else if (c == '$') {
            uint8_t d = i + 1 < n ? s[i + 1] : 0;
            if (d == '{') {
                size_t j = i + 2;
                while (j < n && s[j] != '}' && !(tc_lx_cc[s[j]] & (LX_SP | LX_NL | LX_CTL)) &&
                       s[j] != '\'' && s[j] != '"' && s[j] != '`' && s[j] != '$' && s[j] != '{')
                    j++;
                if (j < n && s[j] == '}') {
                    i = j + 1;
                    lx_emit(L, st, i - st, TC_TOK_IDENT);
                } else {
                    i += 2;
                    lx_emit(L, st, 2, TC_TOK_PUNCT);
                }
            } else if (d == '(') {
                if (i + 2 < n && s[i + 2] == '(') {
                    if (arith == SIZE_MAX) arith = pd;
                    pd += 2;
                    i += 3;
                } else {
                    pd++;
                    i += 2;
                }
                lx_emit(L, st, i - st, TC_TOK_PUNCT);
            } else if (d == '\'') {
                i = tc_lx_quoted(s, n, i + 2, '\'', 1);
                lx_emit(L, st, i - st, TC_TOK_STRING);
            } else if (d == '"') {
                i = sh_dquote(s, n, i + 2, 0);
                lx_emit(L, st, i - st, TC_TOK_STRING);
            } else if (tc_lx_cc[d] & LX_ID) {
                i = lx_ident(s, n, i + 1, 0);
                lx_emit(L, st, i - st, TC_TOK_IDENT);
            } else if ((tc_lx_cc[d] & LX_DIG) || (d && strchr("@*#?$!-", d))) {
                i += 2;
                lx_emit(L, st, 2, TC_TOK_IDENT);
            } else {
                lx_emit(L, i++, 1, TC_TOK_PUNCT);
            }
        } else if (k & LX_PUN) {
            size_t len = lx_op(&sh_op, s + i, n - i);
            i += len;
            lx_emit(L, st, len, TC_TOK_PUNCT);
            if (c == '(') {
                if (len == 2 && s[st + 1] == '(' && arith == SIZE_MAX) arith = pd;
                pd += len;
            } else if (c == ')') {
                pd = pd > len ? pd - len : 0;
                if (arith != SIZE_MAX && pd <= arith) arith = SIZE_MAX;
            } else if (c == '<' && len >= 2 && s[st + 1] == '<' && (len == 2 || s[st + 2] == '-') &&
                       arith == SIZE_MAX) {
                size_t j = i, e;
                int quoted;
                while (j < n && (tc_lx_cc[s[j]] & LX_SP)) j++;
                if (nhd < SH_HEREDOCS) {
                    e = sh_delim(s, n, j, &hd[nhd], &quoted);
                    if (e > j) {
                        lx_emit(L, j, e - j, quoted ? TC_TOK_STRING : TC_TOK_IDENT);
                        i = e;
                        if (hd[nhd].len) {
                            hd[nhd].strip_tabs = len == 3;
                            nhd++;
                        }
                    }
                }
            }
        } else {
            lx_emit(L, i++, 1, TC_TOK_OTHER);
        }
    }
}
