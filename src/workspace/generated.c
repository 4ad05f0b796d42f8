/* generated.c - is a text a tool's output (generated.h). */
#include "workspace/generated.h"

#include <string.h>

#define GEN_HEAD 1024 /* bytes where a "generated" mark is looked for */
#define GEN_TAIL 512  /* bytes where a source-map comment is looked for */

static int minified(const char *p, size_t n, size_t max_line)
{
    size_t i, line = 0, longest = 0, lines = 1;
    for (i = 0; i < n; i++) {
        if (p[i] == '\n') {
            if (line > longest) longest = line;
            line = 0;
            lines++;
        } else {
            line++;
        }
    }
    if (line > longest) longest = line;
    return longest > max_line || (n >= 4096 && n / lines > max_line / 4);
}

/* 1 when at, in p, stands on a comment line: its first non-blank
 * characters open a comment: //, slash-star, *, #, --, ;, %, <!--. */
static int comment_line(const char *p, const char *at)
{
    const char *s = at;
    while (s > p && s[-1] != '\n') s--;
    while (s < at && (*s == ' ' || *s == '\t')) s++;
    if (s == at) return 0;
    if (*s == '#' || *s == '*' || *s == ';' || *s == '%') return 1;
    return s + 1 < at && ((s[0] == '/' && (s[1] == '/' || s[1] == '*')) || (s[0] == '-' && s[1] == '-') ||
                          (s[0] == '<' && s[1] == '!'));
}

/* A mark in the head: "@generated" or "DO NOT EDIT" on a comment line and
 * not quoted (a detector's own strings, a comment that quotes a mark). */
static int marked(const char *p, size_t n)
{
    static const char *const mark[] = {"@generated", "DO NOT EDIT"};
    size_t h = n < GEN_HEAD ? n : GEN_HEAD, k;
    for (k = 0; k < sizeof mark / sizeof *mark; k++) {
        size_t ml = strlen(mark[k]);
        const char *m = p, *e = p + h;
        while ((m = memmem(m, (size_t)(e - m), mark[k], ml))) {
            if (comment_line(p, m) && (m == p || !memchr("\"'`", m[-1], 3))) return 1;
            m += ml;
        }
    }
    return 0;
}

/* A line of the tail that starts (after blanks) with a source-map comment. */
static int mapped(const char *p, size_t n)
{
    static const char *const opener[] = {"//# ", "/*# ", "//@ "};
    size_t t = n < GEN_TAIL ? n : GEN_TAIL, at = n - t;
    while (at < n) {
        const char *nl = memchr(p + at, '\n', n - at);
        size_t e = nl ? (size_t)(nl - p) : n, s = at, k;
        while (s < e && (p[s] == ' ' || p[s] == '\t')) s++;
        for (k = 0; k < sizeof opener / sizeof *opener; k++)
            if (e - s >= 21 && memcmp(p + s, opener[k], 4) == 0 && memcmp(p + s + 4, "sourceMappingURL=", 17) == 0)
                return 1;
        at = e + 1;
    }
    return 0;
}

tc_gen_kind tc_generated_kind(const char *text, size_t len, size_t max_line)
{
    if (!text || !len) return TC_GEN_NONE;
    if (minified(text, len, max_line ? max_line : 1000)) return TC_GEN_MINIFIED;
    if (marked(text, len)) return TC_GEN_MARKED;
    if (mapped(text, len)) return TC_GEN_MAPPED;
    return TC_GEN_NONE;
}
