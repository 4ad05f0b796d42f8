/* post.c - see post.h. */
#include "suggest/post.h"
#include "suggest/trace.h"

#include <string.h>

static int is_closer(char c) { return c == ')' || c == ']' || c == '}'; }
static int is_opener(char c) { return c == '(' || c == '[' || c == '{'; }
static char opener_of(char c) { return c == ')' ? '(' : c == ']' ? '[' : '{'; }

static size_t rtrim(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    return n;
}

/* Bracket state after scanning text: the stack of open brackets, and the
 * quote we are inside (0 if none). */
typedef struct br_state {
    char stack[256];
    int depth;
    char quote;
} br_state;

static void scan(br_state *b, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (b->quote) {
            if (c == '\\') i++;
            else if (c == b->quote) b->quote = 0;
            continue;
        }
        if (c == '"' || c == '\'' || c == '`') b->quote = c;
        else if (is_opener(c) && b->depth < (int)sizeof b->stack) b->stack[b->depth++] = c;
        else if (is_closer(c) && b->depth && b->stack[b->depth - 1] == opener_of(c)) b->depth--;
    }
}

/* A step of tc_post_line: ns from before to after, told to the trace. */
static size_t step(struct tc_trace *t, const char *name, const char *s, size_t before, size_t after)
{
    tc_trace_post_step(t, name, s, before, after);
    return after;
}

size_t tc_post_line(const char *before, size_t nb, const char *after, size_t na, char *s, size_t ns)
{
    return tc_post_line_trace(before, nb, after, na, s, ns, NULL);
}

size_t tc_post_line_trace(const char *before, size_t nb, const char *after, size_t na, char *s, size_t ns,
                          struct tc_trace *t)
{
    br_state b;
    size_t i, balanced = 0, n;
    int base_depth;
    const char *nl = memchr(s, '\n', ns);
    tc_trace_post_begin(t, s, ns);
    if (nl) ns = step(t, "cut at the line break", s, ns, (size_t)(nl - s));
    ns = step(t, "trailing white space dropped", s, ns, rtrim(s, ns));
    /* Drop what the rest of the line already holds. */
    while (na && (after[na - 1] == ' ' || after[na - 1] == '\t' || after[na - 1] == '\r' || after[na - 1] == '\n'))
        na--;
    if (na && ns >= na && memcmp(s + ns - na, after, na) == 0) {
        ns = step(t, "the rest of the line is there already", s, ns, rtrim(s, ns - na));
    } else if (na) {
        /* auto-closed brackets/quotes: the longest run of closers/quotes at
         * the start of after that the suggestion ends with */
        size_t k = 0, best = 0;
        while (k < na && (is_closer(after[k]) || after[k] == '"' || after[k] == '\'' || after[k] == '`' ||
                          after[k] == ';' || after[k] == ','))
            k++;
        for (; k > 0; k--)
            if (ns >= k && memcmp(s + ns - k, after, k) == 0) {
                best = k;
                break;
            }
        ns = step(t, "closers the editor inserted dropped", s, ns, rtrim(s, ns - best));
    }
    /* Brackets. */
    memset(&b, 0, sizeof b);
    scan(&b, before, nb);
    if (b.quote) {
        tc_trace_post_end(t, s, ns);
        return ns; /* inside a string: leave brackets alone */
    }
    base_depth = b.depth;
    for (i = 0; i < ns; i++) {
        char c = s[i];
        if (b.quote) {
            if (c == '\\') i++;
            else if (c == b.quote) b.quote = 0;
            if (!b.quote && b.depth <= base_depth) balanced = i + 1;
            continue;
        }
        if (c == '"' || c == '\'' || c == '`') {
            b.quote = c;
        } else if (is_opener(c)) {
            if (b.depth < (int)sizeof b.stack) b.stack[b.depth++] = c;
        } else if (is_closer(c)) {
            if (!b.depth || b.stack[b.depth - 1] != opener_of(c)) break; /* unmatched: stop here */
            b.depth--;
            if (b.depth < base_depth) base_depth = b.depth;
        }
        if (!b.quote && b.depth <= base_depth) balanced = i + 1;
    }
    n = i;
    if (n < ns) ns = step(t, "cut at a closer that matches nothing", s, ns, rtrim(s, n));
    if (b.depth > base_depth && ns) {
        char last = s[ns - 1];
        /* Opening a block or a multi-line call at the end is fine. */
        if (!is_opener(last) && last != ',' && balanced)
            ns = step(t, "cut back to balanced brackets", s, ns, rtrim(s, balanced));
    }
    tc_trace_post_end(t, s, ns);
    return ns;
}

static int is_autoclosed(char c) { return is_closer(c) || c == '"' || c == '\'' || c == '`' || c == ';' || c == ','; }

size_t tc_post_replace_suffix(const char *before, size_t nb, const char *s, size_t ns, const char *after, size_t na)
{
    br_state b;
    size_t k = 0, i, rest;
    int superfluous = 0;
    while (k < na && is_autoclosed(after[k])) k++;
    if (!k || !ns) return 0;
    for (rest = k; rest < na; rest++)
        if (after[rest] != ' ' && after[rest] != '\t' && after[rest] != '\r' && after[rest] != '\n') return 0;
    memset(&b, 0, sizeof b);
    scan(&b, before, nb);
    scan(&b, s, ns);
    if (b.quote) return 0;
    for (i = 0; i < k && !superfluous; i++) {
        char c = after[i];
        if (is_closer(c)) {
            if (!b.depth || b.stack[b.depth - 1] != opener_of(c)) superfluous = 1;
            else b.depth--;
        } else if ((c == ';' || c == ',') && i == k - 1 && s[ns - 1] == c) {
            superfluous = 1;
        }
    }
    return superfluous ? k : 0;
}

size_t tc_post_closers(const char *line, size_t n, char *out, size_t cap)
{
    br_state b;
    size_t w = 0;
    memset(&b, 0, sizeof b);
    scan(&b, line, n);
    if (b.quote) b.depth = 0;
    while (b.depth > 0 && w + 1 < cap) {
        char o = b.stack[--b.depth];
        out[w++] = o == '(' ? ')' : o == '[' ? ']' : '}';
    }
    if (cap) out[w] = 0;
    return w;
}
