/* prompt.c - the edit-prediction prompt for a model server, in the layout
 * of Zed's open Zeta model: the recent edit as a unified diff, then the
 * excerpt around the cursor with the editable region marked. */
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
    for (ctx_a = line_start(after, cursor), k = 0; k < EDIT_PROMPT_EXCERPT && ctx_a > 0; k++)
        ctx_a = line_start(after, ctx_a - 1);
    for (ctx_b = cursor, k = 0; k < EDIT_PROMPT_EXCERPT && ctx_b < alen; k++) ctx_b = line_next(after, alen, ctx_b);
    if (rc == TC_OK) rc = tc_buf_puts(&o, "<|editable_region_start|>\n");
    if (rc == TC_OK) rc = tc_buf_append(&o, after + ctx_a, cursor - ctx_a);
    if (rc == TC_OK) rc = tc_buf_puts(&o, "<|user_cursor_is_here|>");
    if (rc == TC_OK) rc = tc_buf_append(&o, after + cursor, ctx_b - cursor);
    if (rc == TC_OK) rc = tc_buf_puts(&o, "<|editable_region_end|>\n```\n\n### Response:\n");
    if (rc == TC_OK) {
        *out = o.data;
        return TC_OK;
    }
    tc_buf_free(&o);
    return rc;
}
