/* backend.h - completion servers behind one interface.
 *
 * Objects
 *   tc_client   one per thread: a libcurl multi handle driving every request
 *               without blocking. Give its file descriptors to poll() (or
 *               select()) next to your own, then call tc_client_perform.
 *   tc_backend  one configured server (config.h): what it says about its
 *               model (tc_backend_probe), its tokenizer (tc_backend_tokcount),
 *               its health (retry with backoff, one warning per outage).
 *   tc_req      one completion request in flight: started, polled, read
 *               while it streams, cancelled, freed.
 *
 * An editor integration (the LSP server) does, per keystroke:
 *   tc_ctx_build(...)                      context for the cursor (context.h)
 *   tc_backend_request_start(b, &in, &r)   returns at once
 *   show the embedded model's suggestion now;
 *   loop: n = tc_client_pollfds(cl, fds, N, &ms); poll(fds + own fds, ms);
 *         tc_client_perform(cl);
 *         if tc_req_has_line(r): a first line may be shown early;
 *         if tc_req_state(r) != TC_REQ_RUNNING: done;
 *   tc_req_suggestion(r, &text)            post-processed, replaces the
 *                                          embedded one if non-empty;
 *   on the next keystroke: tc_req_free(r) (cancels: the connection is
 *   closed and llama.cpp stops generating).
 * tc_backend_complete does all of that, blocking, for the CLI.
 *
 * Deadlines (config.h): connect, first byte of the reply, whole request.
 * A request past one fails with a message saying which. Failures (refused,
 * timed out, HTTP errors, unparsable replies) put the backend in backoff:
 * requests are refused at once (TC_EIO, so the embedded model answers)
 * until 0.5 s, 1 s, 2 s ... up to 30 s have passed, then one request is let
 * through as the retry. The first failure of an outage logs one warning
 * (tc_warn); the recovery logs one info line. Cancelling is not a failure.
 *
 * Privacy: the context stage (context.h) already dropped private files and
 * redacted secrets; the request bodies are built from that context only.
 * API keys are read from the environment at request time.
 *
 * Not thread-safe: one client and its backends per thread.
 */
#ifndef TC_BACKEND_H
#define TC_BACKEND_H

#include "backend/config.h"
#include "backend/reply.h"
#include "context/context.h"
#include "prompt/prompt.h"
#include "suggest/suggest.h"
#include "util/buf.h"

#include <poll.h>
#include <stddef.h>

typedef struct tc_client tc_client;
typedef struct tc_backend tc_backend;
typedef struct tc_req tc_req;

int tc_client_new(tc_client **out); /* TC_OK / TC_ENOMEM / TC_EIO (libcurl) */
/* Cancels the requests still running; tc_req objects the caller holds stay
 * valid to read and must still be freed with tc_req_free. */
void tc_client_free(tc_client *c);

/* The descriptors libcurl waits on (up to max; returns how many) and the
 * longest poll() may wait in *timeout_ms (-1: nothing in flight). */
size_t tc_client_pollfds(tc_client *c, struct pollfd *fds, size_t max, int *timeout_ms);
/* Move every request forward; never blocks. Call after poll() returns. */
void tc_client_perform(tc_client *c);
/* Wait up to timeout_ms for network activity, then perform. */
void tc_client_wait(tc_client *c, int timeout_ms);
/* Requests in flight. */
size_t tc_client_running(const tc_client *c);

/* ---- backends ---------------------------------------------------------------- */

/* cfg is copied. TC_OK / TC_ENOMEM / TC_EINVAL (type none). */
int tc_backend_open(tc_client *cl, const tc_backend_cfg *cfg, tc_backend **out);
void tc_backend_free(tc_backend *b);
const tc_backend_cfg *tc_backend_cfg_of(const tc_backend *b);

/* What the server says about its model (filled by tc_backend_probe). */
typedef struct tc_backend_facts {
    int probed;            /* a probe answered */
    char model[256];       /* model name or file */
    tc_fim_family fim;     /* the family prompts are rendered for */
    const char *fim_from;  /* "settings", "model name", "server template", "tokenizer", "default" */
    int fim_ok;            /* 1: the model has FIM markers / the server does FIM;
                              0: it does not; -1: unknown */
    int chat_model;        /* 1: looks like a chat/instruct model */
    int has_tokenizer;     /* exact counts available (llama /tokenize) */
    int n_ctx;             /* the server's context per slot; 0 unknown */
    int has_repo, has_sep; /* llama: repo-level FIM tokens in the vocabulary */
    int add_bos;           /* llama: the model adds a BOS token */
    char bos[32];          /* its text */
    char note[512];        /* a plain-words warning for the user, "" if none */
} tc_backend_facts;

/* Ask the server about its model (blocking, up to timeout_ms per request):
 * llama.cpp GET /props and POST /tokenize (which FIM markers are single
 * special tokens), Ollama POST /api/show, OpenAI GET /v1/models. Picks the
 * FIM family (settings > model name > template/markers > tokenizer) and
 * detects chat/instruct models, in which case facts.note says so plainly
 * (and tc_warn is called once). TC_OK, or TC_EIO with err set when the
 * server cannot be reached (facts keep what the settings say). */
int tc_backend_probe(tc_backend *b, int timeout_ms, char *err, size_t errlen);
const tc_backend_facts *tc_backend_facts_of(const tc_backend *b);

/* The counter prompts for this backend are budgeted with: the server's
 * tokenizer (llama.cpp /tokenize, cached), else a calibrated estimate.
 * Owned by the backend. */
tc_tokcount *tc_backend_tokcount(tc_backend *b);

/* Context limits for this backend: c's budget cut to what the server keeps
 * (llama.cpp /infill: prefix <= 3/4 n_batch, suffix <= n_batch/4 - 2,
 * chunks <= n_ctx - n_batch - 2 n_predict; anything: n_ctx - n_predict). */
void tc_backend_ctx_limits(const tc_backend *b, tc_ctx_opts *c);

/* ---- requests ------------------------------------------------------------------- */

/* The HTTP request tacit would send (for `tacit explain` and the tests).
 * Header values naming an API key read "Bearer ${VAR}" (the key itself is
 * never put in a tc_http_msg). */
typedef struct tc_http_msg {
    char method[8];
    tc_buf url;
    char *headers[8]; /* "Name: value" (owned) */
    size_t nheaders;
    tc_buf body;
} tc_http_msg;
void tc_http_msg_free(tc_http_msg *m);

enum { TC_REQ_COMPLETE = 0, TC_REQ_WARMUP = 1 };
/* Build the request for in (kind TC_REQ_COMPLETE), or the cheap warm-up
 * request that makes the server cache the prompt's stable start (the extra
 * chunks) without generating (TC_REQ_WARMUP). TC_OK / TC_ENOMEM. */
int tc_backend_build(tc_backend *b, const tc_fim_input *in, int kind, tc_http_msg *out);
/* The prompt as the model will see it: tacit's own FIM prompt, or for
 * llama.cpp /infill what the server builds from the fields. */
int tc_backend_render(tc_backend *b, const tc_fim_input *in, tc_buf *out);
/* Exact prompt tokens of in as the server will count them (sum of the
 * context's counts, markers and headers): compare with the server's
 * tokens_evaluated. */
uint32_t tc_backend_prompt_tokens(tc_backend *b, const tc_fim_input *in);

typedef enum tc_req_state {
    TC_REQ_RUNNING = 0,
    TC_REQ_DONE,       /* answered (text may be "") */
    TC_REQ_FAILED,     /* tc_req_error says why */
    TC_REQ_CANCELLED,
} tc_req_state;

/* Start a completion for in (copied: in may change after). Returns TC_EIO
 * at once while the backend is in backoff (the caller uses the embedded
 * suggestion). When the extra chunks changed since the last request and
 * warm-up is on, a warm-up request is sent first. TC_OK / TC_ENOMEM /
 * TC_EIO. */
int tc_backend_request_start(tc_backend *b, const tc_fim_input *in, tc_req **out);
tc_req_state tc_req_state_of(const tc_req *r);
/* Raw text generated so far (NUL-terminated; owned by r). */
const char *tc_req_text(const tc_req *r, size_t *n);
/* 1 once a line break has arrived (a first line can be shown). */
int tc_req_has_line(const tc_req *r);
/* The text so far, post-processed for the cursor (post_llm.h) into out. */
int tc_req_suggestion(const tc_req *r, tc_buf *out);
const char *tc_req_error(const tc_req *r); /* "" if none */
const tc_reply *tc_req_reply(const tc_req *r);
double tc_req_first_byte_ms(const tc_req *r); /* -1 if none yet */
double tc_req_elapsed_ms(const tc_req *r);
/* Cancel (the connection is closed). No effect once finished. */
void tc_req_cancel(tc_req *r);
void tc_req_free(tc_req *r); /* cancels if running; NULL is fine */

/* Health. */
int tc_backend_in_backoff(const tc_backend *b);
const char *tc_backend_last_error(const tc_backend *b);

/* Embedded first, server replaces: *io holds the embedded suggestion (text
 * owned, see suggest.h). Starts a request for in and waits up to
 * deadline_ms; if the server answers in time with a non-empty
 * post-processed suggestion, it replaces io->text (io->source becomes
 * "server"). Otherwise io is left as it was. Returns TC_OK; TC_ECANCEL
 * when the deadline passed first (the request is cancelled; not counted as
 * a server failure); TC_EIO when the request failed or the backend is in
 * backoff (io unchanged). */
int tc_backend_complete(tc_backend *b, const tc_fim_input *in, int deadline_ms, tc_suggestion *io);

#endif
