/* prompt.c - the edit-prediction prompt for a model server, in the layout
 * of Zed's open Zeta model: the recent edit as a unified diff, then the
 * excerpt around the cursor with the editable region marked. */
#include "edit/prompt.h"
#include "edit/edit.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

#define EDIT_PROMPT_CONTEXT 3   /* lines of context around the diff */
#define EDIT_PROMPT_EXCERPT 10  /* lines of the excerpt around the cursor */

static size_t line_start(const char *s, size_t off)
{
    while (off > 0 && s[off - 1] != '\n') off--;
    return off;
}

static size_t line_next(const char *s, size_t len, size_t off)
{
    while (off < len && s[off] != '\n') off++;
    return off < len ? off + 1 : len;
}

static size_t line_no(const char *s, size_t off)
{
    size_t i, n = 1;
    for (i = 0; i < off; i++) n += s[i] == '\n';
    return n;
}

/* Append lines [a, b) of s, each after mark. */
static int put_lines(tc_buf *o, const char *mark, const char *s, size_t a, size_t b)
{
    int rc = TC_OK;
    while (a < b && rc == TC_OK) {
        size_t e = line_next(s, b, a);
        rc = tc_buf_puts(o, mark);
        if (rc == TC_OK) rc = tc_buf_append(o, s + a, e - a);
        if (rc == TC_OK && s[e - 1] != '\n') rc = tc_buf_puts(o, "\n");
        a = e;
    }
    return rc;
}

void tc_edit_prompt_region(const char *after, size_t alen, size_t cursor, size_t *a, size_t *b)
{
    size_t k;
    if (cursor > alen) cursor = alen;
    for (*a = line_start(after, cursor), k = 0; k < EDIT_PROMPT_EXCERPT && *a > 0; k++) *a = line_start(after, *a - 1);
    for (*b = cursor, k = 0; k < EDIT_PROMPT_EXCERPT && *b < alen; k++) *b = line_next(after, alen, *b);
}

int tc_edit_prompt(const char *path, const char *before, size_t blen, const char *after, size_t alen,
                   size_t cursor, char **out)
{
    tc_buf o = {0};
    size_t p = 0, s = 0, ba, bb, aa, ab, ctx_a, ctx_b, k;
    int rc;
    *out = NULL;
    while (p < blen && p < alen && before[p] == after[p]) p++;
    while (s < blen - p && s < alen - p && before[blen - 1 - s] == after[alen - 1 - s]) s++;
    /* whole lines: the changed ones, then the context */
    ba = line_start(before, p);
    aa = line_start(after, p);
    bb = blen - s;
    ab = alen - s;
    if (bb > ba || ab > aa) {
        bb = line_next(before, blen, bb > ba ? bb - 1 : bb);
        ab = line_next(after, alen, ab > aa ? ab - 1 : ab);
    }
    for (ctx_a = ba, k = 0; k < EDIT_PROMPT_CONTEXT && ctx_a > 0; k++) ctx_a = line_start(before, ctx_a - 1);
    for (ctx_b = bb, k = 0; k < EDIT_PROMPT_CONTEXT && ctx_b < blen; k++) ctx_b = line_next(before, blen, ctx_b);
    rc = tc_buf_printf(&o, "### Instruction:\nYou are a code completion assistant and your task is to analyze user "
                            "edits and then rewrite an excerpt that the user provides, suggesting the appropriate "
                            "edits within the excerpt, taking into account the cursor location.\n\n### User "
                            "Edits:\n\nUser edited \"%s\":\n```diff\n@@ -%zu +%zu @@\n",
                       path, line_no(before, ctx_a), line_no(after, ctx_a));
    if (rc == TC_OK) rc = put_lines(&o, " ", before, ctx_a, ba);
    if (rc == TC_OK) rc = put_lines(&o, "-", before, ba, bb);
    if (rc == TC_OK) rc = put_lines(&o, "+", after, aa, ab);
    if (rc == TC_OK) rc = put_lines(&o, " ", before, bb, ctx_b);
    if (rc == TC_OK) rc = tc_buf_printf(&o, "```\n\n### User Excerpt:\n\n```%s\n", path);
    if (cursor > alen) cursor = alen;
    tc_edit_prompt_region(after, alen, cursor, &ctx_a, &ctx_b);
    if (rc == TC_OK) rc = tc_buf_puts(&o, TC_EDIT_REGION_START "\n");
    if (rc == TC_OK) rc = tc_buf_append(&o, after + ctx_a, cursor - ctx_a);
    if (rc == TC_OK) rc = tc_buf_puts(&o, TC_EDIT_CURSOR);
    if (rc == TC_OK) rc = tc_buf_append(&o, after + cursor, ctx_b - cursor);
    if (rc == TC_OK) rc = tc_buf_puts(&o, TC_EDIT_REGION_END "\n```\n\n### Response:\n");
    if (rc == TC_OK) {
        *out = o.data;
        return TC_OK;
    }
    tc_buf_free(&o);
    return rc;
}

/* ---- the model's answer -------------------------------------------------------------- */

static int word_byte(unsigned char c)
{
    return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int tc_edit_prompt_parse(const char *region, size_t n, const char *reply, size_t rn, size_t *a, size_t *b,
                         char **text)
{
    const char *s = memmem(reply, rn, TC_EDIT_REGION_START, strlen(TC_EDIT_REGION_START)), *e, *c;
    tc_buf nw = {0};
    size_t p = 0, q = 0, m;
    int rc = TC_ENOENT;
    *text = NULL;
    if (!s) return TC_ENOENT;
    s += strlen(TC_EDIT_REGION_START);
    if (s < reply + rn && *s == '\n') s++;
    if (!(e = memmem(s, (size_t)(reply + rn - s), TC_EDIT_REGION_END, strlen(TC_EDIT_REGION_END)))) return TC_ENOENT;
    /* the new excerpt, without the cursor marker */
    while (s < e) {
        c = memmem(s, (size_t)(e - s), TC_EDIT_CURSOR, strlen(TC_EDIT_CURSOR));
        if (tc_buf_append(&nw, s, (size_t)((c ? c : e) - s))) goto nomem;
        s = c ? c + strlen(TC_EDIT_CURSOR) : e;
    }
    if (tc_buf_puts(&nw, "")) goto nomem;
    m = nw.len;
    while (p < n && p < m && region[p] == nw.data[p]) p++;
    while (q < n - p && q < m - p && region[n - 1 - q] == nw.data[m - 1 - q]) q++;
    if (p == n && p == m) goto out; /* unchanged */
    /* whole words: a change that splits a word takes all of it */
    while (p > 0 && word_byte((unsigned char)region[p - 1]) &&
           ((p < n - q && word_byte((unsigned char)region[p])) || (p < m - q && word_byte((unsigned char)nw.data[p]))))
        p--;
    while (q > 0 && word_byte((unsigned char)region[n - q]) &&
           ((n - q > p && word_byte((unsigned char)region[n - q - 1])) ||
            (m - q > p && word_byte((unsigned char)nw.data[m - q - 1]))))
        q--;
    if (memmem(nw.data + p, m - q - p, "<|", 2) || memmem(nw.data + p, m - q - p, "```", 3) ||
        memchr(nw.data + p, 0, m - q - p))
        goto out; /* markup: not code */
    if (n >= 16 && n - q - p > n / 2) goto out; /* most of the excerpt gone */
    if (!(*text = malloc(m - q - p + 1))) goto nomem;
    memcpy(*text, nw.data + p, m - q - p);
    (*text)[m - q - p] = 0;
    *a = p;
    *b = n - q;
    rc = TC_OK;
    goto out;
nomem:
    rc = TC_ENOMEM;
out:
    tc_buf_free(&nw);
    return rc;
}
