/* backend.h - completion servers behind one interface. Backends only
 * answer: they build a request, send it, and hand back the server's raw
 * text. Post-processing for the cursor, the embedded model, the fallback
 * policy and the waiting belong to the caller (src/suggest/).
 *
 * Objects
 *   tc_client   one per thread: a libcurl multi handle driving every request
 *               without blocking. Give its file descriptors to poll() (or
 *               select()) next to your own, then call tc_client_perform.
 *   tc_backend  one configured server (config.h): what it says about its
 *               model (the probe), its tokenizer (tc_backend_tokcount and one
 *               /tokenize batch per request), its health (retry with backoff,
 *               one warning per outage).
 *   tc_req      one completion request in flight: started, polled, read
 *               while it streams, cancelled, freed.
 *
 * Nothing here waits on the network unless asked to, and then only until an
 * absolute deadline the caller gives (tc_backend_clock_ms() + budget). Every
 * network call is a transfer on the client's multi handle: the probe
 * (tc_backend_probe_start), the tokenizer batch (tc_backend_tokens_start)
 * and the completion (tc_backend_request_start_by) all move forward in
 * tc_client_perform and are abandoned at their deadline.
 *
 * An editor integration (the LSP server) does, per keystroke:
 *   once: tc_backend_probe_start(b, deadline)      returns at once
 *   tc_ctx_build(...)                      context for the cursor (context.h);
 *                                          token counts never wait: units not
 *                                          yet counted are estimated and queued
 *   tc_backend_request_start_by(b, &in, deadline, &r)   returns at once; also
 *                                          sends the queued units in ONE
 *                                          /tokenize (counts for next time)
 *   show the embedded model's suggestion now;
 *   loop: n = tc_client_pollfds(cl, fds, N, &ms); poll(fds + own fds, ms);
 *         tc_client_perform(cl);
 *         if tc_req_has_line(r): a first line may be shown early;
 *         if tc_req_state_of(r) != TC_REQ_RUNNING: done;
 *   tc_req_text(r)                         the raw text; the caller post-
 *                                          processes it for the cursor
 *                                          (tc_req_cursor gives the text
 *                                          around the cursor it was made for)
 *   on the next keystroke: tc_req_free(r) (cancels: the connection is
 *   closed and llama.cpp stops generating).
 * A CLI does the same and waits with tc_client_wait until the deadline.
 *
 * Deadlines: the caller's (absolute, per request: past it the request is
 * TC_REQ_ABANDONED, which is not a server failure) and the settings'
 * (config.h: connect, first byte of the reply, whole request; past one the
 * request fails with a message saying which). Failures of completion
 * requests (refused, timed out, HTTP errors, unparsable replies) and a
 * probe that gets no answer put the backend in backoff (a background
 * warm-up's or a tokenizer batch's failure does not): requests are refused at once (TC_EIO, so the embedded
 * model answers) until 0.5 s, 1 s, 2 s ... up to 30 s have passed, then one
 * request is let through as the retry. The first failure of an outage logs
 * one warning (tc_warn); the recovery logs one info line. Cancelling and
 * abandoning are not failures.
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

/* Monotonic clock in ms: deadlines are absolute values of it. */
double tc_backend_clock_ms(void);

/* The descriptors libcurl waits on (up to max; returns how many) and the
 * longest poll() may wait in *timeout_ms (-1: nothing in flight); the
 * timeout wakes the caller at the next deadline. */
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
tc_client *tc_backend_client(const tc_backend *b); /* the client it was opened on */

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

/* Ask the server about its model, without blocking: llama.cpp GET /props
 * and one POST /tokenize (which FIM markers are single special tokens, and
 * whether a BOS is added), sent together; Ollama POST /api/show; OpenAI GET
 * /v1/models. The transfers move in tc_client_perform and are abandoned at
 * deadline (absolute, tc_backend_clock_ms). When over, the facts hold the
 * FIM family (settings > model name > template/markers > tokenizer) and
 * whether it is a chat/instruct model, in which case facts.note says so
 * plainly (and tc_warn is called once). A probe that fails or gets no
 * answer by the deadline puts the backend in backoff (facts keep what the
 * settings say). TC_OK (started, or already running), TC_EIO (in backoff),
 * TC_EINVAL (settings incomplete: Ollama without a model), TC_ENOMEM. */
typedef enum tc_probe_state {
    TC_PROBE_NONE = 0, /* never started */
    TC_PROBE_RUNNING,
    TC_PROBE_DONE,     /* the server answered: facts are the server's */
    TC_PROBE_FAILED,   /* tc_backend_probe_error says why */
} tc_probe_state;
int tc_backend_probe_start(tc_backend *b, double deadline);
tc_probe_state tc_backend_probe_state(const tc_backend *b);
const char *tc_backend_probe_error(const tc_backend *b); /* "" if none */
/* The same, waiting (tc_client_wait) until it is over: the WHOLE probe
 * takes timeout_ms at most. TC_OK, or TC_EIO / TC_EINVAL with err set. */
int tc_backend_probe(tc_backend *b, int timeout_ms, char *err, size_t errlen);
const tc_backend_facts *tc_backend_facts_of(const tc_backend *b);

/* The counter prompts for this backend are budgeted with (owned by the
 * backend). For llama.cpp it is deferred (prompt.h): counting never calls
 * the server; units not in its cache are estimated (the context then says
 * "estimated": tc_ctx_info.exact = 0) and queued. Others: an estimate
 * calibrated with the servers' reported prompt sizes. */
tc_tokcount *tc_backend_tokcount(tc_backend *b);
/* Send the queued units in ONE POST /tokenize (each unit tokenized on its
 * own: strings separated by -1 in "content"), abandoned at deadline; the
 * counts land in the cache when it answers (tc_client_perform). At most
 * one batch is in flight; tc_backend_request_start_by calls this, so each
 * completion request makes at most one tokenizer request. TC_OK (sent, or
 * nothing to send, or one in flight), TC_EINVAL (no tokenizer: not
 * llama.cpp, probe not done, or /tokenize refused), TC_EIO (backoff). */
int tc_backend_tokens_start(tc_backend *b, double deadline);
/* The same, waiting until the batch is answered or deadline: TC_OK when
 * the counts came (or nothing was queued), TC_ECANCEL at the deadline (the
 * estimates stand; the units are queued again when next counted), TC_EIO
 * when the request failed, else as tc_backend_tokens_start. For one-shot
 * callers (explain) that build the context again for exact counts. */
int tc_backend_tokens_wait(tc_backend *b, double deadline);
int tc_backend_tokens_busy(const tc_backend *b); /* 1 while a batch is in flight */

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
    TC_REQ_CANCELLED,  /* by the caller */
    TC_REQ_ABANDONED,  /* the caller's deadline passed first (not a server failure) */
} tc_req_state;

/* Start a completion for in (copied: in may change after), to be answered
 * by deadline (absolute, tc_backend_clock_ms; 0: only the settings'
 * timeouts). Returns TC_EIO at once while the backend is in backoff (the
 * caller uses the embedded suggestion), TC_ECANCEL when the deadline has
 * already passed. Sends the tokenizer batch (tc_backend_tokens_start,
 * same deadline). When the extra chunks changed since the last request and
 * warm-up is on, a warm-up request is sent first (in the background: not
 * bound to the deadline, nobody waits for it). TC_OK / TC_ENOMEM / TC_EIO /
 * TC_ECANCEL. */
int tc_backend_request_start_by(tc_backend *b, const tc_fim_input *in, double deadline, tc_req **out);
/* The same without a deadline of the caller's. */
int tc_backend_request_start(tc_backend *b, const tc_fim_input *in, tc_req **out);
/* A plain completion of prompt (edit prediction: src/edit/prompt.h), up to
 * n_predict tokens, not streamed, answered by deadline (as above): the
 * server's raw text in tc_req_text when TC_REQ_DONE. A failure counts
 * toward the backend's backoff like a completion's. TC_OK / TC_ENOMEM /
 * TC_EIO (backoff) / TC_ECANCEL (deadline passed) / TC_EINVAL (type). */
int tc_backend_text_start(tc_backend *b, const char *prompt, int n_predict, double deadline, tc_req **out);
tc_req_state tc_req_state_of(const tc_req *r);
/* Raw text generated so far (NUL-terminated; owned by r). */
const char *tc_req_text(const tc_req *r, size_t *n);
/* 1 once a line break has arrived (a first line can be shown). */
int tc_req_has_line(const tc_req *r);
/* What the request was made for, for the caller's post-processing: the end
 * of the prefix and the start of the suffix (up to 4000 bytes each, owned
 * by r) and whether one line was asked for. Any pointer may be NULL. */
void tc_req_cursor(const tc_req *r, const char **before, size_t *nb, const char **after, size_t *na,
                   int *single_line);
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

/* ---- transitional (issue 8) ----------------------------------------------------
 * Defined in src/suggest/post_llm.c (the post-processing stage), declared
 * here only so that the callers not yet moved to the session keep
 * building; they go when src/suggest/session.c replaces those callers.
 *   tc_req_suggestion: the text so far, post-processed for the cursor.
 *   tc_backend_complete: *io holds the embedded suggestion; starts a
 *     request with deadline now + deadline_ms, waits, and replaces io->text
 *     (io->source "server") with a non-empty post-processed answer.
 *     TC_OK; TC_ECANCEL when the deadline passed first; TC_EIO when the
 *     request failed or the backend is in backoff (io unchanged). */
struct tc_suggestion;
int tc_req_suggestion(const tc_req *r, tc_buf *out);
int tc_backend_complete(tc_backend *b, const tc_fim_input *in, int deadline_ms, struct tc_suggestion *io);

#endif
