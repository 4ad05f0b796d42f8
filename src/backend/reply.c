/* reply.c - see reply.h. */
#include "backend/reply.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

void tc_reply_init(tc_reply *r, tc_proto proto)
{
    memset(r, 0, sizeof *r);
    r->proto = proto;
    r->tokens_evaluated = r->tokens_cached = r->prompt_n = r->predicted_n = -1;
}

void tc_reply_free(tc_reply *r)
{
    tc_buf_free(&r->text);
    tc_buf_free(&r->line);
    tc_buf_free(&r->all);
    free(r->error);
    free(r->prompt);
    memset(r, 0, sizeof *r);
}

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

static long num(const cJSON *o, const char *k, long dflt)
{
    const cJSON *v = get(o, k);
    return cJSON_IsNumber(v) ? (long)v->valuedouble : dflt;
}

static int add_text(tc_reply *r, const cJSON *v)
{
    if (cJSON_IsString(v) && v->valuestring) return tc_buf_puts(&r->text, v->valuestring);
    return TC_OK;
}

static void set_owned(char **dst, const char *s)
{
    free(*dst);
    *dst = s ? strdup(s) : NULL;
}

static int handle(tc_reply *r, const cJSON *o)
{
    const cJSON *e, *ch, *u, *t;
    int rc = TC_OK;
    if (!cJSON_IsObject(o)) return TC_OK;
    r->nobj++;
    if ((e = get(o, "error"))) {
        if (cJSON_IsString(e)) set_owned(&r->error, e->valuestring);
        else if (cJSON_IsObject(e) && cJSON_IsString(get(e, "message"))) set_owned(&r->error, get(e, "message")->valuestring);
        else set_owned(&r->error, "unspecified server error");
        r->done = 1;
        return TC_OK;
    }
    switch (r->proto) {
    case TC_PROTO_LLAMA:
        rc = add_text(r, get(o, "content"));
        if (cJSON_IsTrue(get(o, "stop"))) r->done = 1;
        r->tokens_evaluated = num(o, "tokens_evaluated", r->tokens_evaluated);
        r->tokens_cached = num(o, "tokens_cached", r->tokens_cached);
        r->predicted_n = num(o, "tokens_predicted", r->predicted_n);
        if (cJSON_IsString(get(o, "prompt"))) set_owned(&r->prompt, get(o, "prompt")->valuestring);
        break;
    case TC_PROTO_OPENAI:
    case TC_PROTO_MISTRAL:
        ch = get(o, "choices");
        if (cJSON_IsArray(ch) && cJSON_GetArraySize(ch) > 0) {
            const cJSON *c0 = cJSON_GetArrayItem(ch, 0), *m;
            rc = add_text(r, get(c0, "text"));
            if (!rc && (m = get(c0, "delta")) && cJSON_IsObject(m)) rc = add_text(r, get(m, "content"));
            if (!rc && (m = get(c0, "message")) && cJSON_IsObject(m)) rc = add_text(r, get(m, "content"));
            if (cJSON_IsString(get(c0, "finish_reason"))) r->done = 1;
        }
        if ((u = get(o, "usage")) && cJSON_IsObject(u)) {
            r->tokens_evaluated = num(u, "prompt_tokens", r->tokens_evaluated);
            r->predicted_n = num(u, "completion_tokens", r->predicted_n);
        }
        break;
    case TC_PROTO_OLLAMA:
        rc = add_text(r, get(o, "response"));
        if (cJSON_IsTrue(get(o, "done"))) r->done = 1;
        r->tokens_evaluated = num(o, "prompt_eval_count", r->tokens_evaluated);
        r->predicted_n = num(o, "eval_count", r->predicted_n);
        if (cJSON_IsNumber(get(o, "prompt_eval_duration"))) r->prompt_ms = get(o, "prompt_eval_duration")->valuedouble / 1e6;
        if (cJSON_IsNumber(get(o, "eval_duration"))) r->predicted_ms = get(o, "eval_duration")->valuedouble / 1e6;
        break;
    default:
        break;
    }
    if ((t = get(o, "timings")) && cJSON_IsObject(t)) {
        r->prompt_n = num(t, "prompt_n", r->prompt_n);
        r->predicted_n = num(t, "predicted_n", r->predicted_n);
        if (cJSON_IsNumber(get(t, "prompt_ms"))) r->prompt_ms = get(t, "prompt_ms")->valuedouble;
        if (cJSON_IsNumber(get(t, "predicted_ms"))) r->predicted_ms = get(t, "predicted_ms")->valuedouble;
    }
    return rc;
}

/* One line of the body: SSE "data: X", an NDJSON object, or noise. */
static int handle_line(tc_reply *r, const char *p, size_t n)
{
    cJSON *o;
    int rc;
    while (n && (p[n - 1] == '\r' || p[n - 1] == ' ')) n--;
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    if (n >= 6 && memcmp(p, "error:", 6) == 0) { /* an SSE error event */
        p += 6;
        n -= 6;
        while (n && *p == ' ') p++, n--;
        if (n && *p == '{') {
            cJSON *e = cJSON_ParseWithLength(p, n), *w = cJSON_CreateObject();
            if (e && w) {
                cJSON_AddItemToObject(w, "error", e);
                e = NULL;
                rc = handle(r, w);
            } else rc = TC_OK;
            cJSON_Delete(e);
            cJSON_Delete(w);
            return rc;
        }
        return TC_OK;
    }
    if (n >= 5 && memcmp(p, "data:", 5) == 0) {
        p += 5;
        n -= 5;
        while (n && *p == ' ') p++, n--;
        if (n == 6 && memcmp(p, "[DONE]", 6) == 0) {
            r->done = 1;
            return TC_OK;
        }
    }
    if (!n || *p != '{') return TC_OK;
    o = cJSON_ParseWithLength(p, n);
    if (!o) return TC_OK;
    rc = handle(r, o);
    cJSON_Delete(o);
    return rc;
}

int tc_reply_feed(tc_reply *r, const char *p, size_t n)
{
    size_t i, from = 0;
    if (r->all.len + r->line.len + n > TC_REPLY_MAX) return TC_ETOOBIG;
    /* the whole body is kept until some line parsed on its own */
    if (!r->nobj && tc_buf_append(&r->all, p, n)) return TC_ENOMEM;
    for (i = 0; i < n; i++) {
        if (p[i] != '\n') continue;
        if (r->line.len) {
            int rc;
            if (tc_buf_append(&r->line, p + from, i - from)) return TC_ENOMEM;
            rc = handle_line(r, r->line.data, r->line.len);
            r->line.len = 0;
            if (rc) return rc;
        } else if (handle_line(r, p + from, i - from)) {
            return TC_ENOMEM;
        }
        from = i + 1;
    }
    if (from < n && tc_buf_append(&r->line, p + from, n - from)) return TC_ENOMEM;
    if (r->nobj && r->all.data) tc_buf_free(&r->all);
    return TC_OK;
}

int tc_reply_finish(tc_reply *r)
{
    if (r->line.len) {
        size_t before = r->nobj;
        handle_line(r, r->line.data, r->line.len);
        r->line.len = 0;
        if (r->nobj > before) tc_buf_free(&r->all);
    }
    if (!r->nobj && r->all.len) {
        /* one object over several lines */
        cJSON *o = cJSON_ParseWithLength(r->all.data, r->all.len);
        if (o) handle(r, o);
        cJSON_Delete(o);
    }
    tc_buf_free(&r->all);
    if (!r->text.data) tc_buf_puts(&r->text, "");
    return TC_OK;
}
