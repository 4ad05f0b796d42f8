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

static int marked(const char *p, size_t n)
{
    size_t h = n < GEN_HEAD ? n : GEN_HEAD;
    return memmem(p, h, "@generated", 10) || memmem(p, h, "DO NOT EDIT", 11);
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
