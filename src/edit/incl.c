/* incl.c - the evidence TC_EDIT_F_INCLUDES: a place in a C or C++ file
 * that includes the edited file, or that the edited file includes (its
 * header: `foo.c` and `foo.h`; node-addon-api's napi.h, which includes
 * napi-inl.h at its end). A file and its header are one unit of code: a
 * macro renamed or a guard changed in one is changed in the other
 * (node-addon-api 8.3.0's NAPI_CPP_EXCEPTIONS, 6.0.0's NAPI_HAS_THREADS in
 * napi.h after napi-inl.h, offered at 0.63 and 0.65), where another file
 * of the tree is only likelier for sharing the directory (dir). */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

#define INCL_MAX 4096 /* bytes of the edited file's include list */

/* The last component of path[0..n): its start; *len its length. */
static const char *base_of(const char *path, size_t n, size_t *len)
{
    const char *b = path;
    size_t i;
    for (i = 0; i < n; i++)
        if (path[i] == '/') b = path + i + 1;
    *len = (size_t)(path + n - b);
    return b;
}

/* Each `#include "x"` or `<x>` of text: f(the path, its length, arg); stops when f returns 1. 1 if it did. */
static int each_include(const char *text, size_t len, int (*f)(const char *, size_t, void *), void *arg)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *q = p;
        while (q < e && (*q == ' ' || *q == '\t')) q++;
        if (q < e && *q == '#') {
            q++;
            while (q < e && (*q == ' ' || *q == '\t')) q++;
            if ((size_t)(e - q) > 7 && memcmp(q, "include", 7) == 0) {
                const char *a, *b;
                for (q += 7; q < e && (*q == ' ' || *q == '\t'); q++) {
                }
                if (q < e && (*q == '"' || *q == '<')) {
                    char close = *q == '"' ? '"' : '>';
                    a = q + 1;
                    b = memchr(a, close, (size_t)(e - a));
                    if (b && f(a, (size_t)(b - a), arg)) return 1;
                }
            }
        }
        p = e + 1;
    }
    return 0;
}

static int append_base(const char *path, size_t n, void *arg)
{
    tc_buf *out = arg;
    size_t bl;
    const char *b = base_of(path, n, &bl);
    if (out->len + bl + 1 > INCL_MAX) return 1;
    return tc_buf_append(out, b, bl) != TC_OK || tc_buf_append(out, "\n", 1) != TC_OK;
}

char *edit_includes_of(const tc_edit_src *src)
{
    tc_buf out = {0};
    char *s;
    if (src->lang != TC_LANG_C && src->lang != TC_LANG_CPP) return NULL;
    each_include(src->text, src->len, append_base, &out);
    if (!out.data) return NULL;
    s = tc_memdup_str(out.data, out.len);
    tc_buf_free(&out);
    return s;
}

typedef struct {
    const char *base;
    size_t len;
} want_base;

static int is_base(const char *path, size_t n, void *arg)
{
    const want_base *w = arg;
    size_t bl;
    const char *b = base_of(path, n, &bl);
    return bl == w->len && memcmp(b, w->base, bl) == 0;
}

/* 1 if src (C or C++, not the edited file) includes r's edited file or is
 * one of its includes (by base name). */
static int place_includes(const tc_edit_rule *r, const tc_edit_src *src)
{
    want_base w;
    const char *p;
    if (!r->expath || !src->path || (src->lang != TC_LANG_C && src->lang != TC_LANG_CPP)) return 0;
    if (strcmp(r->expath, src->path) == 0) return 0; /* the edited file itself */
    w.base = base_of(r->expath, strlen(r->expath), &w.len);
    if (each_include(src->text, src->len, is_base, &w)) return 1; /* the place's file includes the edited one */
    w.base = base_of(src->path, strlen(src->path), &w.len);
    for (p = r->incs; p && *p;) { /* the edited file includes the place's */
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n == w.len && memcmp(p, w.base, n) == 0) return 1;
        p += n + (nl != NULL);
    }
    return 0;
}

/* The answer is the file's, not the place's: src's text is scanned once,
 * after its places are found, not at each of them (a file that does not
 * include the edited one is read to its end: hundreds of places in a
 * large one made that the places times its length). */
void edit_sites_includes(const tc_edit_rule *r, const tc_edit_src *src, int origin, size_t from, tc_edit_sites *out)
{
    size_t i;
    if (origin || from >= out->n || !place_includes(r, src)) return;
    for (i = from; i < out->n; i++) {
        out->v[i].feat[TC_EDIT_F_INCLUDES] = 1;
        out->v[i].conf = tc_edit_conf(out->v[i].feat);
    }
}
