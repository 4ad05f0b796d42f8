/* layout.c - see layout.h. */
#include "suggest/layout.h"

#include <string.h>

#define PP_MIN_AGREE 2 /* indented nested directives that must show the style */
#define PP_STACK 64    /* conditionals whose gap is kept */

static int is_ws(char c) { return c == ' ' || c == '\t'; }

static size_t col_after(size_t col, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) col = s[i] == '\t' ? (col / TC_LAYOUT_TAB + 1) * TC_LAYOUT_TAB : col + 1;
    return col;
}

/* The directives whose indentation follows the depth. Returns the depth
 * change it makes (+1 opens, -1 closes, 0 neither), 2 for a line that is
 * not a known directive; *inner: 1 for elif/else/endif (indented as the
 * conditional they belong to, one level out). */
static int directive(const char *w, size_t n, int *inner)
{
    static const char *const same[] = {"define", "undef", "include", "include_next", "error", "warning",
                                       "pragma", "line", "import", "ident"};
    size_t i;
    *inner = 0;
#define IS(lit) (n == sizeof lit - 1 && memcmp(w, lit, n) == 0)
    if (IS("if") || IS("ifdef") || IS("ifndef")) return 1;
    if (IS("elif") || IS("else") || IS("elifdef") || IS("elifndef")) return *inner = 1, 0;
    if (IS("endif")) return *inner = 1, -1;
#undef IS
    for (i = 0; i < sizeof same / sizeof *same; i++)
        if (strlen(same[i]) == n && memcmp(w, same[i], n) == 0) return 0;
    return 2;
}

/* A directive line s[0..n): the `#` at *hash (from 0), the white space
 * after it (*gap bytes, *tab when it holds a tab) and its word. Returns
 * directive()'s answer, 2 when the line is none. */
static int parse_line(const char *s, size_t n, size_t *hash, size_t *gap, int *tab, int *inner)
{
    size_t i = 0, w;
    while (i < n && is_ws(s[i])) i++;
    if (i == n || s[i] != '#') return 2;
    *hash = i++;
    *tab = 0;
    for (w = i; w < n && is_ws(s[w]); w++) *tab |= s[w] == '\t';
    *gap = w - i;
    for (i = w; i < n && s[i] >= 'a' && s[i] <= 'z'; i++)
        ;
    if (i == w || (i < n && (s[i] == '_' || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z'))))
        return 2;
    return directive(s + w, i - w, inner);
}

static int ends_continued(const char *ls, const char *le)
{
    while (le > ls && (is_ws(le[-1]) || le[-1] == '\r')) le--;
    return le > ls && le[-1] == '\\';
}

/* The conditionals open before buf[stop] and whether the directives seen
 * are indented by them (l->pp_*). */
static void scan_directives(const char *buf, size_t stop, tc_layout *l)
{
    const char *p = buf, *end = buf + stop;
    int depth = 0, cont = 0, off;
    int gaps[PP_STACK]; /* the gap after `#` of each open conditional, -1 a tab */
    size_t agree[2] = {0, 0}, shown[2] = {0, 0}, nested = 0;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p)), *le = e ? e : end;
        size_t hash, gap;
        int tab, inner, d = 2;
        if (!cont && p < le && (p[0] == '#' || is_ws(p[0]))) d = parse_line(p, (size_t)(le - p), &hash, &gap, &tab, &inner);
        if (d != 2) {
            int at = inner ? depth - 1 : depth;
            if (hash == 0 && at >= 1 && !tab) {
                nested++;
                for (off = 0; off < 2; off++) {
                    int want = at - off > 0 ? at - off : 0;
                    if ((int)gap == want) agree[off]++, shown[off] += want > 0;
                }
            }
            if (d > 0 && depth < PP_STACK) gaps[depth] = tab ? -1 : (int)gap;
            depth += d;
            if (depth < 0) depth = 0;
        }
        cont = ends_continued(p, le);
        p = e ? e + 1 : end;
    }
    l->pp_depth = depth;
    l->pp_open_gap = depth > 0 && depth <= PP_STACK ? gaps[depth - 1] : -1;
    for (off = 0; off < 2; off++)
        if (shown[off] >= PP_MIN_AGREE && agree[off] * 5 >= nested * 4 && (!l->pp_on || agree[off] > agree[0])) {
            l->pp_on = 1;
            l->pp_offset = off;
        }
}

/* The column of line [ls, le)'s final `\` when white space of more than
 * one space (or a tab) pads it there: an aligned continuation. *tabs: 1
 * when the pad holds a tab, 0 when it crossed a tab stop without one, -1
 * when it tells neither (within one tab stop). */
static int aligned_backslash(const char *ls, const char *le, int *tabs)
{
    const char *b, *w;
    while (le > ls && (is_ws(le[-1]) || le[-1] == '\r')) le--;
    if (le == ls || le[-1] != '\\') return -1;
    b = le - 1;
    for (w = b; w > ls && is_ws(w[-1]); w--)
        ;
    if (w == ls || (b - w < 2 && !(b > w && w[0] == '\t'))) return -1;
    if (memchr(w, '\t', (size_t)(b - w))) *tabs = 1;
    else *tabs = col_after(0, ls, (size_t)(w - ls)) / TC_LAYOUT_TAB != col_after(0, ls, (size_t)(b - ls)) / TC_LAYOUT_TAB ? 0 : -1;
    return (int)col_after(0, ls, (size_t)(b - ls));
}

void tc_layout_none(tc_layout *out)
{
    memset(out, 0, sizeof *out);
    out->bs_col = out->pp_open_gap = -1;
}

int tc_layout_active(const tc_layout *l)
{
    return l->pp_on || l->pp_open_gap >= 0 || l->bs_col >= 0;
}

void tc_layout_scan(const char *buf, size_t len, size_t cursor, tc_lang lang, tc_layout *out)
{
    const char *ls = buf + cursor, *le, *p;
    int tabs[2] = {0, 0}, col[2] = {-1, -1};
    tc_layout_none(out);
    if (lang != TC_LANG_C && lang != TC_LANG_CPP) return;
    while (ls > buf && ls[-1] != '\n') ls--;
    out->lead_col = col_after(0, ls, (size_t)(buf + cursor - ls));
    if ((size_t)(ls - buf) > TC_LAYOUT_SCAN) {
        /* a large buffer: its last bytes before the line, from a line start */
        const char *from = ls - TC_LAYOUT_SCAN;
        while (from < ls && from[-1] != '\n') from++;
        scan_directives(from, (size_t)(ls - from), out);
    } else {
        scan_directives(buf, (size_t)(ls - buf), out);
    }
    /* the column of the line above, else of the line below; tabs when
     * either pads with them, or neither tells and the line's indentation
     * holds one */
    if (ls > buf) {
        p = ls - 1;
        while (p > buf && p[-1] != '\n') p--;
        col[0] = aligned_backslash(p, ls - 1, &tabs[0]);
    }
    le = memchr(buf + cursor, '\n', len - cursor);
    if (le) {
        const char *ne = memchr(le + 1, '\n', (size_t)(buf + len - le - 1));
        col[1] = aligned_backslash(le + 1, ne ? ne : buf + len, &tabs[1]);
    }
    out->bs_col = col[0] >= 0 ? col[0] : col[1];
    if (out->bs_col >= 0) {
        if ((col[0] >= 0 && tabs[0] == 1) || (col[1] >= 0 && tabs[1] == 1)) out->bs_tabs = 1;
        else if ((col[0] >= 0 && tabs[0] == 0) || (col[1] >= 0 && tabs[1] == 0)) out->bs_tabs = 0;
        else out->bs_tabs = memchr(ls, '\t', (size_t)(buf + cursor - ls)) != NULL;
    }
}

int tc_layout_apply(const tc_layout *l, const char *s, size_t ns, tc_buf *out)
{
    size_t n = ns, hash, gap, k;
    int tab, inner, d, changed = 0;
    out->len = 0;
    if (tc_buf_append(out, s, ns) || tc_buf_puts(out, "")) return -1;
    while (n && (is_ws(s[n - 1]) || s[n - 1] == '\r')) n--;
    /* a directive at the start of a line */
    if (l->lead_col == 0 && n && s[0] == '#' && (d = parse_line(s, n, &hash, &gap, &tab, &inner)) != 2 && !tab &&
        (inner ? l->pp_open_gap >= 0 : l->pp_on)) {
        /* elif, else, endif: as their conditional; the others by depth */
        int at = inner ? l->pp_open_gap : l->pp_depth - l->pp_offset;
        size_t want = at > 0 ? (size_t)at : 0;
        if (want != gap) {
            out->len = 0;
            if (tc_buf_puts(out, "#")) return -1;
            for (k = 0; k < want; k++)
                if (tc_buf_puts(out, " ")) return -1;
            if (tc_buf_append(out, s + 1 + gap, ns - 1 - gap) || tc_buf_puts(out, "")) return -1;
            changed = 1;
        }
    }
    /* a continuation's `\` at the neighbours' column */
    if (l->bs_col >= 0 && out->len) {
        char *t = out->data;
        size_t m = out->len, c, want = (size_t)l->bs_col;
        while (m && (is_ws(t[m - 1]) || t[m - 1] == '\r')) m--;
        if (m >= 2 && t[m - 1] == '\\') {
            size_t body = m - 1, tail;
            tc_buf nb = {0};
            while (body && is_ws(t[body - 1])) body--;
            if (body) {
                c = col_after(l->lead_col, t, body);
                if (tc_buf_append(&nb, t, body)) return -1;
                if (c >= want) {
                    if (tc_buf_puts(&nb, " ")) goto oom;
                } else {
                    while (l->bs_tabs && (c / TC_LAYOUT_TAB + 1) * TC_LAYOUT_TAB <= want) {
                        if (tc_buf_puts(&nb, "\t")) goto oom;
                        c = (c / TC_LAYOUT_TAB + 1) * TC_LAYOUT_TAB;
                    }
                    for (; c < want; c++)
                        if (tc_buf_puts(&nb, " ")) goto oom;
                }
                tail = out->len - (m - 1);
                if (tc_buf_append(&nb, t + m - 1, tail) || tc_buf_puts(&nb, "")) goto oom;
                if (nb.len != out->len || memcmp(nb.data, out->data, nb.len)) changed = 1;
                tc_buf_free(out);
                *out = nb;
                return changed;
            oom:
                tc_buf_free(&nb);
                return -1;
            }
        }
    }
    return changed;
}

int tc_layout_merge(const char *raw, size_t nraw, const char *laid, size_t nlaid, tc_buf *out)
{
    size_t i = 0, j = 0;
    out->len = 0;
    if (tc_buf_puts(out, "")) return -1;
    while (i < nraw && j < nlaid) {
        size_t ri = i, rj = j;
        while (ri < nraw && is_ws(raw[ri])) ri++;
        while (rj < nlaid && is_ws(laid[rj])) rj++;
        if (ri > i || rj > j) {
            /* a gap in either: the rendering's, unless the copy aligns
             * (more than one space) and the rendering does not end in a
             * continuation there */
            int aligned = ri - i > 1 || (ri > i && raw[i] == '\t');
            int cont = rj + 1 == nlaid && laid[rj] == '\\';
            if (aligned && !cont ? tc_buf_append(out, raw + i, ri - i) : tc_buf_append(out, laid + j, rj - j)) return -1;
            i = ri, j = rj;
            continue;
        }
        if (raw[i] != laid[j]) break; /* the copy goes on otherwise (a comment): as it is */
        if (tc_buf_append(out, raw + i, 1)) return -1;
        i++, j++;
    }
    if (tc_buf_append(out, raw + i, nraw - i)) return -1;
    return 0;
}
