/* misfit.c - see misfit.h. */
#include "suggest/misfit.h"

#include <string.h>

/* The calls of a name are searched this far each side of the cursor
 * (the lexed window's reach, suggest.c's lex_window). */
#define MF_REACH 24576
/* A call's arguments end within this many bytes, or it is not counted. */
#define MF_ARGS_MAX 4096

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Past a string or character literal or a comment starting at s[i] (i when
 * none starts there); never past n. */
static size_t skip_literal(const char *s, size_t i, size_t n)
{
    char q = s[i];
    if (q == '"' || q == '\'') {
        for (i++; i < n && s[i] != q && s[i] != '\n'; i++)
            if (s[i] == '\\') i++;
        return i < n ? i + 1 : n;
    }
    if (q == '/' && i + 1 < n && s[i + 1] == '/') {
        while (i < n && s[i] != '\n') i++;
        return i;
    }
    if (q == '/' && i + 1 < n && s[i + 1] == '*') {
        for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
            ;
        return i + 1 < n ? i + 2 : n;
    }
    return i;
}

/* The arguments of the call whose `(` is s[open]: their count (0 for `()`
 * and `(void)`), MF_UNENDED when its `)` is not within s[..n) or a `;`
 * stands among them, MF_VARIADIC when a string literal or `...` does;
 * *close gets where its `)` stands. */
enum { MF_UNENDED = -1, MF_VARIADIC = -3 };
static int count_args(const char *s, size_t open, size_t n, size_t *close)
{
    size_t i = open, first = 0, last = 0;
    int depth = 0, commas = 0, var = 0;
    while (i < n) {
        size_t j = skip_literal(s, i, n);
        char c = s[i];
        if (j != i) {
            if (depth == 1 && !first) first = i;
            if (depth >= 1) last = j;
            var |= c == '"';
            i = j;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            if (depth == 1 && !first) first = i;
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (--depth == 0) break;
            last = i + 1;
        } else if (c == ';') {
            return MF_UNENDED;
        } else if (depth == 1 && c == ',') {
            commas++;
        } else if (c == '.' && i + 2 < n && s[i + 1] == '.' && s[i + 2] == '.') {
            var = 1;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') {
            if (depth == 1 && !first) first = i;
            last = i + 1;
        }
        i++;
    }
    if (i >= n) return MF_UNENDED;
    *close = i;
    if (var) return MF_VARIADIC;
    if (!first) return 0;
    if (!commas && last - first == 4 && !memcmp(s + first, "void", 4)) return 0;
    return commas + 1;
}

/* Words that take parentheses without being calls. */
static int is_keyword(const char *w, size_t n)
{
    static const char *const kw[] = {
        "if", "while", "for", "switch", "return", "case", "do", "else", "sizeof", "typeof", "__typeof__",
        "alignof", "_Alignof", "defined", "asm", "__asm__", "_Generic", "__attribute__", "_Static_assert",
        "static_assert", "__builtin_offsetof", "void", "int", "char", "short", "long", "unsigned", "signed",
        "float", "double", "const", "volatile", "struct", "union", "enum",
        /* C++ */
        "new", "delete", "operator", "decltype", "catch", "throw", "noexcept"};
    size_t k;
    for (k = 0; k < sizeof kw / sizeof *kw; k++)
        if (strlen(kw[k]) == n && !memcmp(kw[k], w, n)) return 1;
    return 0;
}

/* A member's call (`p->f(`, `s.f(`): another function than a plain f. */
static int after_member(const char *s, size_t at)
{
    while (at && (s[at - 1] == ' ' || s[at - 1] == '\t')) at--;
    return at && (s[at - 1] == '.' || (s[at - 1] == '>' && at > 1 && s[at - 2] == '-'));
}

/* The one argument count of the buffer's calls and definitions of w
 * (outside the cursor's line), as tc_misfit's names[].arity. */
static int buffer_arity(const tc_misfit *m, const char *w, size_t n)
{
    const char *p = m->buf + m->lo, *end = m->buf + m->hi;
    int arity = -2;
    while (p < end && (p = memmem(p, (size_t)(end - p), w, n)) != NULL) {
        size_t at = (size_t)(p - m->buf), q = at + n, close;
        int a;
        p += n;
        if ((at && is_word(m->buf[at - 1])) || (q < m->hi && is_word(m->buf[q]))) continue;
        if (at >= m->line_lo && at < m->line_hi) continue;
        if (after_member(m->buf, at)) continue;
        while (q < m->hi && (m->buf[q] == ' ' || m->buf[q] == '\t')) q++;
        if (q >= m->hi || m->buf[q] != '(') continue;
        a = count_args(m->buf, q, q + MF_ARGS_MAX < m->hi ? q + MF_ARGS_MAX : m->hi, &close);
        if (a == MF_UNENDED) continue;
        if (a == MF_VARIADIC || (arity >= 0 && a != arity)) return -1;
        arity = a;
    }
    return arity;
}

/* names[].arity of w, looked up once a request; -1 when the cache is full. */
static int name_arity(tc_misfit *m, const char *w, size_t n)
{
    size_t k;
    if (n >= TC_MISFIT_NAME_MAX) return -1;
    for (k = 0; k < m->nnames; k++)
        if (m->names[k].n == n && !memcmp(m->names[k].name, w, n)) return m->names[k].arity;
    if (m->nnames == TC_MISFIT_NAMES) return -1;
    memcpy(m->names[k].name, w, n);
    m->names[k].n = n;
    m->names[k].arity = buffer_arity(m, w, n);
    m->nnames++;
    return m->names[k].arity;
}

/* The line before the one starting at buf[at] (at > 0): *ls, *le. */
static void prev_line(const char *buf, size_t at, size_t *ls, size_t *le)
{
    *le = at - 1;
    for (*ls = *le; *ls && buf[*ls - 1] != '\n'; --*ls)
        ;
}

/* A line at column 0 that can be part of a function's head: not blank,
 * indented, a directive, a comment or a closing brace. */
static int head_line(const char *s, size_t n)
{
    return n && !strchr(" \t\r#/*}", s[0]);
}

/* The words of s[0..n) before its first `(`, for the return type: how
 * many, whether `void` stands among all but the last (all: whole, a line of
 * the type alone), whether a `*` or an `=` does (a pointer; an initializer,
 * no function). */
static void head_words(const char *s, size_t n, int whole, int *words, int *is_void, int *star, int *eq)
{
    size_t i = 0, last = 0, lastn = 0;
    while (i < n && s[i] != '(') {
        if (is_word(s[i])) {
            size_t w = i;
            while (i < n && is_word(s[i])) i++;
            if (lastn == 4 && !memcmp(s + last, "void", 4)) *is_void = 1;
            last = w;
            lastn = i - w;
            ++*words;
            continue;
        }
        *star |= s[i] == '*';
        *eq |= s[i] == '=';
        i++;
    }
    if (whole && lastn == 4 && !memcmp(s + last, "void", 4)) *is_void = 1;
}

/* Does the cursor's function return nothing (MF_RET_VOID) or a value
 * (MF_RET_VALUE), by its head: the function whose body's `{` opens a line
 * at column 0 or ends a head line, with no `}` at column 0 between it and
 * the cursor; the head's words before its `(` (GNU style: the type on the
 * line above the name's). 0 when not known. */
enum { MF_RET_VOID = 1, MF_RET_VALUE = 2 };
static int function_returns(const char *buf, size_t lo, size_t line_lo)
{
    size_t at = line_lo, ls, le;
    while (at > lo) {
        size_t e;
        prev_line(buf, at, &ls, &le);
        at = ls;
        if (ls == le) continue;
        if (buf[ls] == '}') return 0;
        for (e = le; e > ls && (buf[e - 1] == ' ' || buf[e - 1] == '\t' || buf[e - 1] == '\r'); e--)
            ;
        if (buf[ls] == '{' || (head_line(buf + ls, le - ls) && buf[e - 1] == '{' && memchr(buf + ls, '(', le - ls))) {
            int words = 0, is_void = 0, star = 0, eq = 0;
            if (buf[ls] == '{') {
                /* the head's first line: the nearest line at column 0 above */
                do {
                    if (ls <= lo) return 0;
                    prev_line(buf, ls, &ls, &le);
                } while (ls == le || buf[ls] == ' ' || buf[ls] == '\t');
                if (!head_line(buf + ls, le - ls)) return 0;
            }
            head_words(buf + ls, le - ls, 0, &words, &is_void, &star, &eq);
            if (words == 1 && ls > lo) {
                /* GNU style: `static void` above `name (args)` */
                size_t ps, pe, k;
                prev_line(buf, ls, &ps, &pe);
                for (k = pe; k > ps && (buf[k - 1] == ' ' || buf[k - 1] == '\t' || buf[k - 1] == '\r'); k--)
                    ;
                if (!head_line(buf + ps, pe - ps) || strchr(";{}),\\", buf[k - 1]) || memchr(buf + ps, '(', pe - ps))
                    return 0;
                head_words(buf + ps, pe - ps, 1, &words, &is_void, &star, &eq);
            }
            if (words < 2 || eq || !memchr(buf + ls, '(', le - ls)) return 0;
            return is_void && !star ? MF_RET_VOID : MF_RET_VALUE;
        }
    }
    return 0;
}

void tc_misfit_init(tc_misfit *m, const char *buf, size_t len, size_t cursor, const char *before, size_t nbefore,
                    int after_blank)
{
    const char *nl;
    memset(m, 0, sizeof *m);
    m->buf = buf;
    m->len = len;
    m->lo = cursor > MF_REACH ? cursor - MF_REACH : 0;
    m->hi = len - cursor > MF_REACH ? cursor + MF_REACH : len;
    m->before = before;
    m->nbefore = nbefore;
    for (m->line_lo = cursor; m->line_lo && buf[m->line_lo - 1] != '\n'; m->line_lo--)
        ;
    nl = memchr(buf + cursor, '\n', len - cursor);
    m->line_hi = nl ? (size_t)(nl - buf) : len;
    m->ret = function_returns(buf, cursor > 4 * MF_REACH ? cursor - 4 * MF_REACH : 0, m->line_lo);
    m->need = after_blank ? 0 : -1;
    if (after_blank && nl) {
        /* the next non-blank line: the `)` it closes without opening */
        size_t i = m->line_hi + 1, e;
        for (;;) {
            while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r')) i++;
            if (i >= len || buf[i] != '\n') break;
            i++;
        }
        nl = i < len ? memchr(buf + i, '\n', len - i) : NULL;
        e = nl ? (size_t)(nl - buf) : len;
        if (i < len && buf[i] != '#') {
            int depth = 0;
            while (i < e) {
                size_t j = skip_literal(buf, i, e);
                if (j != i) {
                    i = j;
                    continue;
                }
                if (buf[i] == '(') depth++;
                else if (buf[i] == ')' && depth) depth--;
                else if (buf[i] == ')') m->need++;
                i++;
            }
        }
    }
}

/* Does the word "for" stand in s[0..n)? */
static int has_for(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while (p < end && (p = memmem(p, (size_t)(end - p), "for", 3)) != NULL) {
        if ((p == s || !is_word(p[-1])) && (p + 3 == end || !is_word(p[3]))) return 1;
        p += 3;
    }
    return 0;
}

/* The bracket check of misfit.h on before + s. */
static int brackets_misfit(const tc_misfit *m, const char *s, size_t ns)
{
    char stack[256];
    int depth = 0, opened = 0, k, pass;
    int loose = has_for(m->before, m->nbefore) || has_for(s, ns);
    for (pass = 0; pass < 2; pass++) {
        const char *t = pass ? s : m->before;
        size_t n = pass ? ns : m->nbefore, i = 0;
        while (i < n) {
            size_t j = skip_literal(t, i, n);
            char c = t[i];
            if (j != i) {
                i = j;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                if (depth < (int)sizeof stack) stack[depth++] = c;
            } else if ((c == ')' || c == ']' || c == '}') && depth) {
                depth--;
            } else if (pass && c == ';' && depth && !loose && stack[depth - 1] != '{') {
                return 1;
            }
            i++;
        }
    }
    for (k = 0; k < depth; k++) opened += stack[k] == '(';
    return m->need > 0 && opened < m->need;
}

/* The arity check of misfit.h on the cursor's line before it + s. */
static int arity_misfit(tc_misfit *m, const char *s, size_t ns)
{
    char line[1024];
    size_t nb = m->nbefore, n, i;
    if (nb + ns > sizeof line) return 0;
    if (nb) memcpy(line, m->before, nb); /* an empty tc_buf's data is NULL */
    memcpy(line + nb, s, ns);
    n = nb + ns;
    for (i = 0; i < n;) {
        size_t j = skip_literal(line, i, n), w, q, close;
        int a, b;
        if (j != i) {
            i = j;
            continue;
        }
        if (!is_word(line[i]) || (line[i] >= '0' && line[i] <= '9')) {
            i++;
            continue;
        }
        for (w = i; i < n && is_word(line[i]); i++)
            ;
        if (is_keyword(line + w, i - w) || after_member(line, w)) continue;
        for (q = i; q < n && (line[q] == ' ' || line[q] == '\t'); q++)
            ;
        if (q >= n || line[q] != '(') continue;
        a = count_args(line, q, n, &close);
        if (a < 0 || close < nb) continue; /* no call, or one wholly before the cursor */
        b = name_arity(m, line + w, i - w);
        if (b >= 0 && a != b) return 1;
    }
    return 0;
}

/* The return check of misfit.h: `return;` in a function that returns a
 * value, `return x;` in one that returns nothing. */
static int return_misfit(const tc_misfit *m, const char *s, size_t ns)
{
    char line[64];
    size_t n = 0, i = 0, k;
    if (!m->ret) return 0;
    while (i < m->nbefore && strchr("([{ \t", m->before[i])) i++; /* the brackets open before the line, indentation */
    for (; i < m->nbefore && n < sizeof line; i++) line[n++] = m->before[i];
    for (k = 0; k < ns && n < sizeof line; k++) line[n++] = s[k];
    if (n < 7 || memcmp(line, "return", 6) || is_word(line[6])) return 0;
    for (i = 6; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
        ;
    if (i >= n) return 0;
    return m->ret == MF_RET_VOID ? line[i] != ';' : line[i] == ';';
}

int tc_misfit_check(tc_misfit *m, const char *s, size_t ns)
{
    if (return_misfit(m, s, ns)) return TC_MISFIT_RETURN;
    if (brackets_misfit(m, s, ns)) return TC_MISFIT_BRACKETS;
    if (arity_misfit(m, s, ns)) return TC_MISFIT_ARITY;
    return 0;
}
