/* explain.c - `tacit explain` for the embedded model; see explain.h. */
#include "cli/explain.h"
#include "suggest/trace.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_BEFORE 3 /* lines shown above the cursor's */
#define WINDOW_AFTER 1  /* ... and below it */
#define LINE_SHOWN 240  /* bytes of a line shown (a minified file's line is longer) */

/* Where line `k` lines before (k > 0) the one holding off starts. */
static size_t line_back(const char *buf, size_t off, int k)
{
    size_t p = off;
    while (p > 0 && buf[p - 1] != '\n') p--;
    while (k-- > 0 && p > 0) {
        p--;
        while (p > 0 && buf[p - 1] != '\n') p--;
    }
    return p;
}

/* Where the line `k` lines after the one holding off ends (its line
 * break, or len). */
static size_t line_fwd(const char *buf, size_t len, size_t off, int k)
{
    size_t p = off;
    while (p < len && buf[p] != '\n') p++;
    while (k-- > 0 && p < len) {
        p++;
        while (p < len && buf[p] != '\n') p++;
    }
    return p;
}

static void print_window(const tc_session_target *t)
{
    size_t from = line_back(t->text, t->off, WINDOW_BEFORE), to = line_fwd(t->text, t->len, t->off, WINDOW_AFTER);
    size_t p = from;
    long ln = t->line, k;
    for (k = 0, p = from; p < t->off; p++) k += t->text[p] == '\n';
    ln -= k;
    printf("cursor      %s:%ld:%ld\n", t->rel, t->line, t->col);
    for (p = from; p <= to && p <= t->len;) {
        const char *nl = memchr(t->text + p, '\n', to - p);
        size_t e = nl ? (size_t)(nl - t->text) : to;
        printf("  %6ld | ", ln);
        if (t->off >= p && t->off <= e) {
            size_t a = t->off - p > LINE_SHOWN / 2 ? t->off - LINE_SHOWN / 2 : p;
            size_t z = e - t->off > LINE_SHOWN / 2 ? t->off + LINE_SHOWN / 2 : e;
            if (a > p) fputs("...", stdout);
            fwrite(t->text + a, 1, t->off - a, stdout);
            fputs("\xe2\x80\xb8", stdout); /* U+2038, the cursor */
            fwrite(t->text + t->off, 1, z - t->off, stdout);
            if (z < e) fputs("...", stdout);
        } else {
            fwrite(t->text + p, 1, e - p > LINE_SHOWN ? LINE_SHOWN : e - p, stdout);
            if (e - p > LINE_SHOWN) fputs("...", stdout);
        }
        fputc('\n', stdout);
        ln++;
        if (!nl) break;
        p = e + 1;
    }
}

static cJSON *window_json(const tc_session_target *t)
{
    size_t from = line_back(t->text, t->off, WINDOW_BEFORE), to = line_fwd(t->text, t->len, t->off, WINDOW_AFTER);
    cJSON *o = cJSON_CreateObject();
    char *a = strndup(t->text + from, t->off - from), *b = strndup(t->text + t->off, to - t->off);
    if (o && a && b) {
        cJSON_AddStringToObject(o, "before", a);
        cJSON_AddStringToObject(o, "after", b);
    }
    free(a);
    free(b);
    return o;
}

int tc_explain_embedded(tc_session *s, const tc_session_target *t, int json)
{
    tc_trace *tr = tc_trace_new();
    tc_session_cursor c;
    tc_suggestion sg = {0};
    int rc, status = 1;
    if (!tr) {
        fprintf(stderr, "tacit: out of memory\n");
        return 1;
    }
    c.key = NULL;
    c.relpath = t->rel;
    c.buf = t->text;
    c.len = t->len;
    c.off = t->off;
    tc_session_set_trace(s, tr);
    rc = tc_session_suggest(s, &c, &sg, NULL);
    tc_session_set_trace(s, NULL);
    if (rc) {
        fprintf(stderr, "tacit: completion failed: %s\n", tc_strerror(rc));
        goto out;
    }
    if (json) {
        cJSON *o = tc_trace_json(tr), *cur;
        char *js = NULL;
        if (o && (cur = cJSON_GetObjectItemCaseSensitive(o, "cursor"))) {
            cJSON_AddStringToObject(cur, "path", t->rel);
            cJSON_AddNumberToObject(cur, "line", (double)t->line);
            cJSON_AddNumberToObject(cur, "col", (double)t->col);
            cJSON_AddItemToObject(cur, "window", window_json(t));
            js = cJSON_Print(o);
        }
        cJSON_Delete(o);
        if (!js) {
            fprintf(stderr, "tacit: out of memory\n");
            goto out;
        }
        printf("%s\n", js);
        free(js);
    } else {
        print_window(t);
        tc_trace_print(tr, stdout, 0);
    }
    status = 0;
out:
    tc_suggestion_free(&sg);
    tc_trace_free(tr);
    return status;
}
