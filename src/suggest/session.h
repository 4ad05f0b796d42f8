/* session.h - one cursor's whole journey, for every front end.
 *
 * The session is the one owner of what happens between "the user is at
 * this cursor" and "this text is shown": the cursor itself, the embedded
 * engine (suggest.h), the gate (threshold), the typeahead cache, context
 * building for a server (context.h), the server request under one
 * deadline, the fallback and pause policy, post-processing of the
 * server's text (post_llm.h) and acceptance feedback. `tacit lsp`,
 * `tacit complete`, `tacit explain` and `tacit doctor` are thin callers.
 *
 * Settings (one precedence everywhere, later wins key by key):
 *   defaults < settings file < environment (TACIT_BACKEND, ...) <
 *   LSP initializationOptions < command-line flags (opts below).
 * opts.backend "none" (or general.backend = none) is the embedded model
 * alone.
 *
 * Per suggestion (tc_session_suggest):
 *   1. the typeahead cache: if the user typed into the suggestion last
 *      shown, the rest of it, at once (source "cache");
 *   2. the embedded engine's suggestion, gated by the threshold (source
 *      "embedded", or "none" with text "");
 *   3. with a server configured, not paused, not in backoff, and the file
 *      not private: the context is built (token counts never wait: see
 *      backend.h) and a request started; it never blocks (with
 *      probe_async the probe runs on the client's multi handle; a
 *      suggestion made while it runs waits for it, within its deadline,
 *      inside tc_session_perform). *pending is set to 1.
 * The caller then drives the request without blocking
 * (tc_session_pollfds + poll + tc_session_perform) or waits for it
 * (tc_session_wait). A server answer that arrives within the deadline and
 * is non-empty after post-processing replaces the embedded one (source
 * "server"); otherwise the embedded one stands. One request is in flight
 * at a time: a new suggestion, tc_session_cancel or tc_session_free aborts
 * the previous one on the wire (the connection is closed, llama.cpp frees
 * its slot).
 *
 * Deadline: measured from the start of tc_session_suggest; it covers the
 * probe (CLI: blocking, given what is left of the deadline), the token
 * counts and the completion. Past it, the request is abandoned and the
 * embedded answer is the answer.
 *
 * Pause: a server that misses the deadline 3 times in a row is not asked
 * for 10 s (doubling up to 5 min), with one warning per episode; a server
 * that fails is in the backend's own backoff (backend.h).
 *
 * Not thread-safe: one session per thread.
 */
#ifndef TC_SESSION_H
#define TC_SESSION_H

#include "backend/backend.h"
#include "suggest/suggest.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the cursor ------------------------------------------------------------------ */

/* A cursor as a caller holds it: a workspace-relative path and the
 * buffer's current text (borrowed for the call). key names the document
 * for the typeahead cache (an LSP URI; NULL: relpath). */
typedef struct tc_session_cursor {
    const char *key;
    const char *relpath;
    const char *buf;
    size_t len;
    size_t off; /* byte offset of the cursor, <= len */
} tc_session_cursor;

/* A cursor loaded from the command line: `PATH:LINE:COL` (1-based; COL in
 * bytes), the buffer from --buffer FILE, "-" (standard input) or PATH. */
typedef struct tc_session_target {
    char *text;             /* the buffer (owned, NUL-terminated) */
    size_t len, off;
    long line, col;
    char root[PATH_MAX];    /* real path of the workspace */
    char rel[PATH_MAX];     /* the file's path relative to root */
} tc_session_target;

/* Parse spec and load the buffer. root: --root DIR or NULL (the nearest
 * folder above PATH holding .git, else the current one); a relative PATH
 * not found from here is tried under root. Never blocks: files are opened
 * with O_NONBLOCK and checked to be regular before reading.
 * Returns TC_OK; TC_EINVAL for a malformed spec (a usage error: exit 2);
 * TC_ENOENT / TC_EIO for a file that cannot be read (a directory, a FIFO,
 * a device); TC_ETOOBIG for a binary file; TC_EINVAL too for LINE or COL
 * past the end (err says which). err always says what and where. On
 * failure t holds nothing to free. */
int tc_session_target_load(const char *spec, const char *buffer, const char *root, tc_session_target *t,
                           char *err, size_t errlen);
void tc_session_target_free(tc_session_target *t);

/* ---- the session ----------------------------------------------------------------- */

typedef struct tc_session_opts {
    const char *root;            /* workspace (real path); NULL: none */
    const char *config_file;     /* settings file; NULL: the default path */
    const char *backend;         /* --backend: NULL: settings; "none": embedded only */
    int deadline_ms;             /* --deadline; <0: general.deadline_ms */
    double threshold;            /* gate; <0: TC_SUGGEST_DEFAULT_THRESHOLD */
    const cJSON *init_options;   /* LSP initializationOptions, or NULL */
    int naive;                   /* context without stable ordering (explain --naive) */
    int probe_async;             /* 1: probe on the multi handle (never blocks; LSP);
                                    0: probe blocking, within the deadline (CLI) */
    int no_backend_ok;           /* 0: a named backend that does not exist is an error */
    int settings_off;            /* 1: built-in defaults only (after bad settings) */
} tc_session_opts;

typedef struct tc_session tc_session;

/* Load the settings and set up the selected backend (no network yet).
 * TC_OK; TC_EINVAL with err set for bad settings or an unknown backend;
 * TC_ENOMEM. On failure *out is NULL. */
int tc_session_open(const tc_session_opts *opts, tc_session **out, char *err, size_t errlen);
void tc_session_free(tc_session *s); /* NULL is fine; aborts a request in flight */

/* The engine answering (adopted; the previous one is freed, the typeahead
 * cache cleared, the accepted lines laid over its index). NULL: none. */
void tc_session_set_engine(tc_session *s, tc_engine *e);
/* Open an engine for the session's root (see tc_engine_open). */
int tc_session_open_engine(tc_session *s, const tc_engine_opts *eo);
tc_engine *tc_session_engine(tc_session *s);

void tc_session_set_threshold(tc_session *s, double threshold); /* clears the cache */
double tc_session_threshold(const tc_session *s);
int tc_session_deadline_ms(const tc_session *s);
/* Forget the typeahead cache (the workspace changed). */
void tc_session_cache_clear(tc_session *s);

/* With probe_async: start probing the server now (on the multi handle,
 * moved by tc_session_perform), so that it is done by the first
 * suggestion. */
void tc_session_start_probe(tc_session *s);

/* Settings and the backend (NULL when the embedded model answers alone,
 * or when it could not be set up). The backend is set up at first use
 * (its cost, loading libcurl, counts against that request's deadline). */
const tc_config *tc_session_config(const tc_session *s);
tc_backend *tc_session_backend(tc_session *s);
/* 1 if settings select a server (whether or not it was set up yet). */
int tc_session_has_backend(const tc_session *s);

/* The suggestion at c now (see the top of this file). out->text is owned
 * ("" when nothing is worth showing); free with tc_suggestion_free.
 * *pending (may be NULL) is 1 when a server request was started.
 * TC_OK / TC_ENOMEM / TC_EINVAL (off > len). */
int tc_session_suggest(tc_session *s, const tc_session_cursor *c, tc_suggestion *out, int *pending);
/* The same with up to k alternatives, best first: out[0] is what
 * tc_session_suggest gives; out[1..*nout) are the engine's runners-up
 * (distinct non-empty texts, each with its own replace_suffix), only when
 * out[0] is shown and not from the typeahead cache; out[*nout..k) are
 * zeroed. Free each of out[0..k) with tc_suggestion_free. */
int tc_session_suggest_n(tc_session *s, const tc_session_cursor *c, tc_suggestion *out, size_t k, size_t *nout,
                         int *pending);

/* 1 if the typeahead cache answers c (tc_session_suggest would be instant). */
int tc_session_cached(const tc_session *s, const tc_session_cursor *c);

/* The server's part of a suggestion, once settled. */
typedef struct tc_session_update {
    uint64_t ticket;        /* which tc_session_suggest (tc_session_ticket) */
    int replaced;           /* 1: text is the server's answer, shown instead */
    char *text;             /* owned when replaced, else NULL */
    int why;                /* TC_OK answered; TC_ECANCEL deadline; TC_EIO failed */
    double ms;              /* from the start of the suggestion */
} tc_session_update;

/* The ticket of the last tc_session_suggest (0 before any). */
uint64_t tc_session_ticket(const tc_session *s);
/* 1 while a server request is in flight. */
int tc_session_pending(const tc_session *s);
/* Descriptors to poll (up to max; returns how many) and the longest wait
 * in *timeout_ms (-1: nothing running), the deadline included. Poll them
 * whenever there are any: the probe and warm-ups run on them too. */
size_t tc_session_pollfds(tc_session *s, struct pollfd *fds, size_t max, int *timeout_ms);
/* Move the request forward (never blocks). Returns 1 and fills *u when it
 * settled (answered, failed or past its deadline); free u->text. */
int tc_session_perform(tc_session *s, tc_session_update *u);
/* Block until the pending request settles (at most the deadline) and
 * apply its answer to io (the embedded suggestion from tc_session_suggest).
 * Returns u.why (TC_OK when nothing was pending). */
int tc_session_wait(tc_session *s, tc_suggestion *io);
/* Abort the request in flight, if any. */
void tc_session_cancel(tc_session *s);

/* ---- for explain ------------------------------------------------------------------ */

/* Probe the server (blocking, within the deadline) and build the context
 * for c as a request would. *in and *info stay valid until the next call.
 * TC_OK; TC_EINVAL without a backend; TC_ENOMEM. probe_err: "" or why the
 * server was not reached (its facts are then the settings' alone). */
int tc_session_prepare(tc_session *s, const tc_session_cursor *c, tc_fim_input *in, tc_ctx_info *info,
                       char *probe_err, size_t errlen);

/* ---- acceptance ------------------------------------------------------------------- */

/* What the user took of a suggestion: text as offered (NULL: unknown),
 * part as taken (NULL: all of text), for the document key/relpath. It is
 * fed to the local model as a line (nothing leaves the machine) when
 * tc_session_flush runs. */
void tc_session_accept(tc_session *s, const char *key, const char *relpath, const char *text, const char *part);
/* 1 if accepted lines wait to be laid over the index. */
int tc_session_dirty(const tc_session *s);
void tc_session_flush(tc_session *s);

typedef struct tc_session_stats {
    uint64_t computed, cache_hits, server_requests, server_answers, server_late, server_failed, accepted;
    int server_ready;  /* 1: a server is selected and its probe has ended */
} tc_session_stats;
void tc_session_stats_get(const tc_session *s, tc_session_stats *st);

#endif
