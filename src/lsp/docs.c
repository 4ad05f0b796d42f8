/* docs.c - open documents: their text, positions and edits, and the
 * workspace-relative path each one is known by.
 *
 * Positions: LSP lines end at LF, CRLF or a lone CR; characters count
 * UTF-16 code units (or bytes with the "utf-8" encoding). Invalid UTF-8
 * counts one unit per byte, as its U+FFFD replacement would. A document
 * remembers one line start (its anchor) so that positions near the last
 * one cost a walk of a few lines, not of the whole text; an edit keeps
 * the anchor if it lies before the edit.
 */
#include "lsp/lsp_int.h"
#include "util/status.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- the set --------------------------------------------------------------------- */

static void doc_free(lsp_doc *doc)
{
    if (!doc) return;
    free(doc->uri);
    free(doc->relpath);
    tc_buf_free(&doc->text);
    free(doc);
}

void lsp_docs_free(lsp_docs *d)
{
    size_t i;
    for (i = 0; i < d->n; i++) doc_free(d->v[i]);
    free(d->v);
    memset(d, 0, sizeof *d);
}

lsp_doc *lsp_docs_find(const lsp_docs *d, const char *uri)
{
    size_t i;
    for (i = d->n; i > 0; i--)
        if (strcmp(d->v[i - 1]->uri, uri) == 0) return d->v[i - 1];
    return NULL;
}

lsp_doc *lsp_docs_open(lsp_docs *d, const char *uri, char *relpath)
{
    lsp_doc *doc;
    lsp_docs_close(d, uri);
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        lsp_doc **v = realloc(d->v, cap * sizeof *v);
        if (!v) goto fail;
        d->v = v;
        d->cap = cap;
    }
    doc = calloc(1, sizeof *doc);
    if (!doc || !(doc->uri = strdup(uri)) || tc_buf_puts(&doc->text, "")) {
        doc_free(doc);
        goto fail;
    }
    doc->relpath = relpath;
    d->v[d->n++] = doc;
    return doc;
fail:
    free(relpath);
    return NULL;
}

void lsp_docs_close(lsp_docs *d, const char *uri)
{
    size_t i;
    for (i = 0; i < d->n; i++) {
        if (strcmp(d->v[i]->uri, uri) != 0) continue;
        doc_free(d->v[i]);
        memmove(d->v + i, d->v + i + 1, (d->n - i - 1) * sizeof *d->v);
        d->n--;
        return;
    }
}

/* ---- text ------------------------------------------------------------------------ */

int lsp_doc_set_text(lsp_doc *doc, const char *text, size_t len)
{
    tc_buf nb = {0};
    if (doc->text.cap > (1u << 20) && doc->text.cap / 4 > len) {
        /* shrink a buffer that held a much larger text */
        if (tc_buf_append(&nb, text, len) || tc_buf_puts(&nb, "")) {
            tc_buf_free(&nb);
            return TC_ENOMEM;
        }
        tc_buf_free(&doc->text);
        doc->text = nb;
    } else {
        if (tc_buf_reserve(&doc->text, len > doc->text.len ? len - doc->text.len : 0)) return TC_ENOMEM;
        memmove(doc->text.data, text, len);
        doc->text.len = len;
        doc->text.data[len] = 0;
    }
    doc->anchor_line = doc->anchor_off = 0;
    doc->changes++;
    return TC_OK;
}

int lsp_doc_replace(lsp_doc *doc, size_t a, size_t b, const char *text, size_t n)
{
    tc_buf *t = &doc->text;
    size_t del = b - a;
    if (a > b || b > t->len) return TC_EINVAL;
    if (n > del && tc_buf_reserve(t, n - del)) return TC_ENOMEM;
    memmove(t->data + a + n, t->data + b, t->len - b);
    memcpy(t->data + a, text, n);
    t->len = t->len - del + n;
    t->data[t->len] = 0;
    /* a line start at or after the edit may have moved or vanished (an edit
     * right after a CR can join it with an LF) */
    if (doc->anchor_off >= a) doc->anchor_line = doc->anchor_off = 0;
    doc->changes++;
    return TC_OK;
}

/* ---- lines ----------------------------------------------------------------------- */

/* Start of the line after the one starting at s, or SIZE_MAX if that line
 * is the last. */
static size_t line_after(const lsp_doc *doc, size_t s)
{
    const char *p = doc->text.data;
    size_t n = doc->text.len, i;
    for (i = s; i < n; i++) {
        if (p[i] == '\n') return i + 1;
        if (p[i] == '\r') return i + 1 < n && p[i + 1] == '\n' ? i + 2 : i + 1;
    }
    return SIZE_MAX;
}

/* Start of the line before the one starting at s (s > 0, a line start). */
static size_t line_before(const lsp_doc *doc, size_t s)
{
    const char *p = doc->text.data;
    size_t t = s - 1; /* last byte of the previous line's break */
    if (p[t] == '\n' && t > 0 && p[t - 1] == '\r') t--;
    while (t > 0 && p[t - 1] != '\n' && p[t - 1] != '\r') t--;
    return t;
}

size_t lsp_doc_line_start(const lsp_doc *doc, size_t off)
{
    const char *p = doc->text.data;
    if (off > doc->text.len) off = doc->text.len;
    /* inside a CRLF: the line is the one the CR ends */
    if (off > 0 && off < doc->text.len && p[off] == '\n' && p[off - 1] == '\r') off--;
    while (off > 0 && p[off - 1] != '\n' && p[off - 1] != '\r') off--;
    return off;
}

size_t lsp_doc_line_end(const lsp_doc *doc, size_t off)
{
    const char *p = doc->text.data;
    size_t n = doc->text.len;
    if (off > n) off = n;
    while (off < n && p[off] != '\n' && p[off] != '\r') off++;
    return off;
}

/* Start of line `line`, from the anchor; *past = 1 when the document has
 * fewer lines (the start of the last line is returned). */
static size_t seek_line(lsp_doc *doc, uint64_t line, int *past)
{
    size_t s = doc->anchor_off;
    uint64_t l = doc->anchor_line;
    *past = 0;
    if (line < l) {
        if (line < l - line) {
            s = 0;
            l = 0;
        } else {
            while (l > line) {
                s = line_before(doc, s);
                l--;
            }
        }
    }
    while (l < line) {
        size_t nx = line_after(doc, s);
        if (nx == SIZE_MAX) {
            *past = 1;
            break;
        }
        s = nx;
        l++;
    }
    doc->anchor_line = l;
    doc->anchor_off = s;
    return s;
}

/* Bytes and units of the character at p[0..n): a valid UTF-8 sequence, or
 * one invalid byte. */
static size_t char_len(const unsigned char *p, size_t n, unsigned *units16)
{
    unsigned c = p[0];
    size_t k = 0, i;
    *units16 = 1;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) k = 2;
    else if (c >= 0xE0 && c <= 0xEF) k = 3;
    else if (c >= 0xF0 && c <= 0xF4) k = 4;
    if (!k || k > n) return 1;
    for (i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80) return 1;
    if (k == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))) return 1;
    if (k == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))) return 1;
    if (k == 4) *units16 = 2;
    return k;
}

size_t lsp_doc_offset(lsp_doc *doc, uint64_t line, uint64_t character, lsp_enc enc)
{
    int past;
    size_t s = seek_line(doc, line, &past), e, off;
    const unsigned char *p = (const unsigned char *)doc->text.data;
    uint64_t u = 0;
    if (past) return doc->text.len;
    e = lsp_doc_line_end(doc, s);
    if (enc == LSP_ENC_UTF8) return character < e - s ? s + (size_t)character : e;
    for (off = s; off < e && u < character;) {
        unsigned w;
        size_t k = char_len(p + off, e - off, &w);
        if (u + w > character) break; /* inside a surrogate pair: round down */
        u += w;
        off += k;
    }
    return off;
}

void lsp_doc_position(lsp_doc *doc, size_t off, lsp_enc enc, uint64_t *line, uint64_t *character)
{
    const unsigned char *p = (const unsigned char *)doc->text.data;
    size_t s, i, e;
    uint64_t l, u = 0;
    if (off > doc->text.len) off = doc->text.len;
    if (off < doc->anchor_off) {
        int past;
        /* walk back from the anchor one line at a time, or restart at 0 */
        if (doc->anchor_off - off < off) {
            while (doc->anchor_off > off) seek_line(doc, doc->anchor_line - 1, &past);
        } else {
            doc->anchor_off = 0;
            doc->anchor_line = 0;
        }
    }
    s = doc->anchor_off;
    l = doc->anchor_line;
    for (;;) {
        size_t nx = line_after(doc, s);
        if (nx == SIZE_MAX || nx > off) break;
        s = nx;
        l++;
    }
    doc->anchor_off = s;
    doc->anchor_line = l;
    e = lsp_doc_line_end(doc, s);
    if (off > e) off = e; /* inside a line break: its line's end */
    if (enc == LSP_ENC_UTF8) {
        u = off - s;
    } else {
        for (i = s; i < off;) {
            unsigned w;
            size_t k = char_len(p + i, e - i, &w);
            if (i + k > off) break; /* inside a character: its start */
            i += k;
            u += w;
        }
    }
    *line = l;
    *character = u;
}

/* ---- URIs ------------------------------------------------------------------------ */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) into out; NULL if malformed or holding NUL. */
static char *pct_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    size_t i;
    if (!out) return NULL;
    for (i = 0; i < n; i++) {
        if (s[i] == '%') {
            int h, l;
            if (i + 2 >= n) goto bad;
            h = hexval(s[i + 1]);
            l = hexval(s[i + 2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0)) goto bad;
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = 0;
    return out;
bad:
    free(out);
    return NULL;
}

/* Normalise an absolute path in place: drop "." and empty segments, apply
 * "..". 0, or -1 if it climbs above "/". */
static int normalize_path(char *p)
{
    char *r = p, *w = p;
    if (*p != '/') return -1;
    while (*r) {
        char *seg;
        size_t n;
        while (*r == '/') r++;
        seg = r;
        while (*r && *r != '/') r++;
        n = (size_t)(r - seg);
        if (n == 0 || (n == 1 && seg[0] == '.')) continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            if (w == p) return -1;
            while (w > p && *--w != '/')
                ;
            continue;
        }
        *w++ = '/';
        memmove(w, seg, n);
        w += n;
    }
    if (w == p) *w++ = '/';
    *w = 0;
    return 0;
}

char *lsp_uri_to_path(const char *uri)
{
    const char *p;
    char *path;
    if (strncmp(uri, "file://", 7) != 0) return NULL;
    p = uri + 7;
    if (strncmp(p, "localhost/", 10) == 0) p += 9;
    if (*p != '/') return NULL; /* another host */
    path = pct_decode(p, strcspn(p, "?#"));
    if (path && normalize_path(path)) {
        free(path);
        return NULL;
    }
    return path;
}

static const char *ext_for_language(const char *id)
{
    static const char *map[][2] = {
        {"python", ".py"}, {"c", ".c"}, {"cpp", ".cpp"}, {"javascript", ".js"},
        {"javascriptreact", ".jsx"}, {"typescript", ".ts"}, {"typescriptreact", ".tsx"},
        {"go", ".go"}, {"rust", ".rs"}, {"java", ".java"}, {"shellscript", ".sh"},
        {"sh", ".sh"}, {"bash", ".sh"}, {"zsh", ".sh"},
    };
    size_t i;
    if (!id) return "";
    for (i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(id, map[i][0]) == 0) return map[i][1];
    return "";
}

/* Copy s, turning bytes that would make odd path segments into '_'. */
static void append_clean(tc_buf *b, const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if ((unsigned char)c < 32 || c == '\\' || c == ':') c = '_';
        tc_buf_append(b, &c, 1);
    }
}

char *lsp_uri_to_relpath(const char *uri, const char *root, const char *language_id)
{
    char *path = lsp_uri_to_path(uri);
    tc_buf b = {0};
    const char *base, *dot;
    if (path) {
        size_t rl = root ? strlen(root) : 0;
        char *rel = NULL;
        if (rl > 1 && strncmp(path, root, rl) == 0 && path[rl] == '/' && path[rl + 1]) {
            rel = strdup(path + rl + 1);
        } else if (rl == 1 && root[0] == '/' && path[1]) {
            rel = strdup(path + 1);
        } else if (rl) {
            /* the client may name the file through a symbolic link */
            char real[PATH_MAX];
            if (realpath(path, real) && strncmp(real, root, rl) == 0 && real[rl] == '/' && real[rl + 1])
                rel = strdup(real + rl + 1);
        }
        if (rel) {
            free(path);
            return rel;
        }
        tc_buf_puts(&b, "@outside");
        append_clean(&b, path);
        free(path);
    } else {
        const char *colon = strchr(uri, ':');
        size_t sl = colon ? (size_t)(colon - uri) : 0;
        char *dec;
        tc_buf_puts(&b, "@");
        if (sl && sl < 32) tc_buf_append(&b, uri, sl);
        else tc_buf_puts(&b, "unknown");
        tc_buf_puts(&b, "/");
        dec = pct_decode(colon ? colon + 1 : uri, strlen(colon ? colon + 1 : uri));
        while (dec && (strncmp(dec, "//", 2) == 0)) memmove(dec, dec + 1, strlen(dec));
        {
            /* keep the last segment only: a flat, harmless name */
            const char *src = dec ? dec : "document", *slash = strrchr(src, '/');
            append_clean(&b, slash && slash[1] ? slash + 1 : (*src ? src : "document"));
        }
        free(dec);
    }
    if (!b.data) return NULL;
    base = strrchr(b.data, '/');
    dot = strrchr(base ? base : b.data, '.');
    if (!dot) tc_buf_puts(&b, ext_for_language(language_id));
    return b.data;
}
