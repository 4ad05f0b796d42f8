/* reply.h - parsing what a completion server sends back.
 *
 * One parser for the four protocols, fed the body as it arrives:
 *   llama    llama.cpp /infill and /completion: one JSON object, or with
 *            "stream": SSE lines "data: {...}" each with "content", the
 *            last with "stop": true, "tokens_evaluated", "tokens_cached",
 *            "prompt" and "timings" {"prompt_n", "prompt_ms", ...}
 *   openai   /v1/completions: {"choices": [{"text": ...}], "usage": {...}},
 *            streamed as SSE chunks of the same shape ending "data: [DONE]"
 *   mistral  /v1/fim/completions: {"choices": [{"message": {"content"}}]},
 *            streamed with {"choices": [{"delta": {"content"}}]}
 *   ollama   /api/generate: one object {"response", "done", ...}, streamed
 *            as newline-delimited objects of that shape
 * Any protocol: {"error": "..."} or {"error": {"message": "..."}}.
 * Lines that are not JSON (SSE comments, "event:" lines, keep-alives) are
 * skipped; a body that is one JSON object spread over several lines is
 * parsed whole at tc_reply_finish. The parser never fails on bad input; it
 * only stops growing past TC_REPLY_MAX bytes (TC_ETOOBIG).
 */
#ifndef TC_REPLY_H
#define TC_REPLY_H

#include "util/buf.h"

#include <stddef.h>

#define TC_REPLY_MAX (8u << 20) /* bytes of body kept at most */

typedef enum tc_proto { TC_PROTO_LLAMA = 0, TC_PROTO_OPENAI, TC_PROTO_MISTRAL, TC_PROTO_OLLAMA, TC_PROTO_COUNT } tc_proto;

typedef struct tc_reply {
    tc_proto proto;
    tc_buf text;           /* generated text so far */
    int done;              /* a final object (or [DONE]) was seen */
    size_t nobj;           /* JSON objects handled */
    char *error;           /* the server's error message (owned), NULL if none */
    char *prompt;          /* llama: the prompt as the server tokenized it (owned) */
    long tokens_evaluated; /* llama: prompt tokens; others: usage.prompt_tokens / prompt_eval_count; -1 unknown */
    long tokens_cached;    /* llama: prompt tokens taken from the cache; -1 unknown */
    long prompt_n;         /* llama timings.prompt_n: prompt tokens computed this time; -1 unknown */
    long predicted_n;      /* tokens generated; -1 unknown */
    double prompt_ms, predicted_ms; /* server-side timings, 0 unknown */
    tc_buf line;           /* incomplete line */
    tc_buf all;            /* the whole body until it parses line by line */
} tc_reply;

void tc_reply_init(tc_reply *r, tc_proto proto);
void tc_reply_free(tc_reply *r);
/* Feed body bytes. TC_OK, TC_ENOMEM, or TC_ETOOBIG past TC_REPLY_MAX. */
int tc_reply_feed(tc_reply *r, const char *p, size_t n);
/* The body is complete. TC_OK. */
int tc_reply_finish(tc_reply *r);

#endif
