/* lsp_int.h - what the files of src/lsp/ share; nothing outside uses it.
 *
 *   transport.c  Content-Length framing: an incremental reader with strict
 *                limits and a locked writer
 *   jsonrpc.c    JSON-RPC 2.0 messages: classify, build replies, ids
 *   docs.c       open documents: URIs, positions (UTF-8/UTF-16), edits
 *   job.c        the background engine build
 *   server.c     state, handlers, dispatch, the main loop
 */
#ifndef TC_LSP_INT_H
#define TC_LSP_INT_H

#include "suggest/suggest.h"
#include "util/buf.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* ---- transport.c ------------------------------------------------------------- */

#define LSP_HEADER_MAX 8192 /* bytes of one header block, blank line included */

/* Incremental reader of "Content-Length: N\r\n\r\n<N bytes>" frames.
 * Feed it whatever read() returned; take events out with lsp_rd_next.
 * Memory is bounded by max_body + the largest chunk fed: a body over
 * max_body is consumed without being stored. */
typedef struct lsp_reader {
    tc_buf buf;        /* unconsumed input */
    size_t pos;        /* consumed prefix of buf */
    size_t max_body;   /* bytes; larger bodies are skipped */
    size_t body_len;   /* bytes of the body being read (state BODY/SKIP) */
    size_t skip_left;  /* bytes still to drop (state SKIP) */
    int state;         /* LSP_RS_* */
    int in_body;       /* 1 while part of a frame has been consumed */
} lsp_reader;

enum { LSP_RS_HEADER = 0, LSP_RS_BODY, LSP_RS_SKIP, LSP_RS_RESYNC };

enum {
    LSP_EV_NONE = 0,   /* need more input */
    LSP_EV_MESSAGE,    /* *body (malloc'd, NUL-terminated, caller frees), *len */
    LSP_EV_BAD_HEADER, /* a header block was malformed; *what says how (static) */
    LSP_EV_TOO_BIG,    /* a body of *len bytes is over the limit; being skipped */
};

void lsp_rd_init(lsp_reader *r, size_t max_body);
void lsp_rd_free(lsp_reader *r);
/* Append input. TC_OK / TC_ENOMEM (input dropped). */
int lsp_rd_feed(lsp_reader *r, const char *p, size_t n);
/* Next event (LSP_EV_*). On LSP_EV_MESSAGE *body is owned by the caller.
 * TC_ENOMEM for a body that cannot be allocated is reported as
 * LSP_EV_TOO_BIG (the body is skipped). */
int lsp_rd_next(lsp_reader *r, char **body, size_t *len, const char **what);
/* 1 if input ended in the middle of a frame (a header or a body begun). */
int lsp_rd_partial(const lsp_reader *r);

/* Locked writer: frames and writes whole messages; after a write error
 * (the client went away) it drops everything and reports dead. */
typedef struct lsp_writer {
    int fd;
    int dead;              /* 1 after a write error */
    pthread_mutex_t lock;
    uint64_t messages;     /* messages written */
} lsp_writer;

void lsp_wr_init(lsp_writer *w, int fd);
void lsp_wr_free(lsp_writer *w);
/* Serialise msg (not freed), sanitise it to valid UTF-8 and write it as one
 * frame. TC_OK / TC_ENOMEM / TC_EIO. Thread-safe. */
int lsp_wr_send(lsp_writer *w, const cJSON *msg);

/* Replace each invalid UTF-8 sequence in s[0..n) by U+FFFD, into out
 * (reset first). TC_OK / TC_ENOMEM. */
int lsp_utf8_sanitize(const char *s, size_t n, tc_buf *out);
/* 1 if s[0..n) is valid UTF-8. */
int lsp_utf8_valid(const char *s, size_t n);

/* ---- jsonrpc.c ----------------------------------------------------------------- */

enum {
    LSP_PARSE_ERROR = -32700,
    LSP_INVALID_REQUEST = -32600,
    LSP_METHOD_NOT_FOUND = -32601,
    LSP_INVALID_PARAMS = -32602,
    LSP_INTERNAL_ERROR = -32603,
    LSP_SERVER_NOT_INITIALIZED = -32002,
    LSP_REQUEST_FAILED = -32803,
    LSP_REQUEST_CANCELLED = -32800,
};

typedef enum lsp_kind {
    LSP_MSG_INVALID = 0, /* err_code/err_msg say why; id may be set */
    LSP_MSG_REQUEST,
    LSP_MSG_NOTIFICATION,
    LSP_MSG_RESPONSE,    /* a reply to one of our requests */
} lsp_kind;

/* One incoming message. root owns everything; the other pointers borrow. */
typedef struct lsp_msg {
    lsp_kind kind;
    cJSON *root;
    const cJSON *id;     /* request/response id (number or string), or NULL */
    const char *method;  /* NULL for a response */
    const cJSON *params; /* may be NULL */
    int err_code;        /* LSP_MSG_INVALID: the JSON-RPC error to answer */
    const char *err_msg; /* static */
    /* set by the server while the message waits in its queue */
    int cancelled, stale;
    size_t bytes;        /* size of the frame's body */
} lsp_msg;

/* Parse and classify body[0..len) (body[len] must be NUL). Never fails:
 * a message that is not JSON-RPC comes back as LSP_MSG_INVALID. Returns
 * TC_OK or TC_ENOMEM. Free with lsp_msg_clear. */
int lsp_msg_parse(const char *body, size_t len, lsp_msg *out);
void lsp_msg_clear(lsp_msg *m);

/* 1 if a and b are the same JSON-RPC id (same type and value). */
int lsp_id_equal(const cJSON *a, const cJSON *b);

/* Builders. Each returns a new object (caller deletes) or NULL on ENOMEM;
 * result/params are adopted (deleted on failure); id is copied (NULL: null). */
cJSON *lsp_make_result(const cJSON *id, cJSON *result);
cJSON *lsp_make_error(const cJSON *id, int code, const char *message);
cJSON *lsp_make_notification(const char *method, cJSON *params);
cJSON *lsp_make_request(long id, const char *method, cJSON *params);

/* Typed getters over params; NULL/0 when absent or of another type. */
const cJSON *lsp_get(const cJSON *obj, const char *key);
const char *lsp_get_str(const cJSON *obj, const char *key);
int lsp_get_bool(const cJSON *obj, const char *key, int dflt);

/* ---- docs.c -------------------------------------------------------------------- */

typedef enum lsp_enc { LSP_ENC_UTF16 = 0, LSP_ENC_UTF8 } lsp_enc;

typedef struct lsp_doc {
    char *uri;          /* as the client spelled it */
    char *relpath;      /* workspace-relative path given to the engine */
    tc_buf text;        /* current content (NUL-terminated) */
    int64_t version;
    uint64_t changes;   /* edits applied since open (staleness epoch) */
    int too_big;        /* over the size limit: content dropped */
    int overlay_dirty;  /* the index's overlay lags behind text */
    int warned_utf8;    /* invalid UTF-8 reported once */
    size_t anchor_line; /* a known line start: line number ... */
    size_t anchor_off;  /* ... and its byte offset (speeds up positions) */
} lsp_doc;

typedef struct lsp_docs {
    lsp_doc **v; /* owned, in open order */
    size_t n, cap;
} lsp_docs;

void lsp_docs_free(lsp_docs *d);
lsp_doc *lsp_docs_find(const lsp_docs *d, const char *uri);
/* Add (or replace) uri; relpath is adopted. NULL on ENOMEM. */
lsp_doc *lsp_docs_open(lsp_docs *d, const char *uri, char *relpath);
void lsp_docs_close(lsp_docs *d, const char *uri);

/* Replace the whole text. TC_OK / TC_ENOMEM (text unchanged). */
int lsp_doc_set_text(lsp_doc *doc, const char *text, size_t len);
/* Replace bytes [a, b) by text[0..n) (a <= b <= len). TC_OK / TC_ENOMEM. */
int lsp_doc_replace(lsp_doc *doc, size_t a, size_t b, const char *text, size_t n);
/* Byte offset of (line, character) in enc units, clamped to the end of the
 * line (before its line break) and to the end of the document. A character
 * inside a multi-unit character rounds down to its start. */
size_t lsp_doc_offset(lsp_doc *doc, uint64_t line, uint64_t character, lsp_enc enc);
/* Position of byte offset off (clamped to the length). */
void lsp_doc_position(lsp_doc *doc, size_t off, lsp_enc enc, uint64_t *line, uint64_t *character);
/* Start of the line holding off. */
size_t lsp_doc_line_start(const lsp_doc *doc, size_t off);
/* End of the line holding off (the offset of its line break, or len). */
size_t lsp_doc_line_end(const lsp_doc *doc, size_t off);

/* Workspace-relative path for a document URI: the decoded path under root
 * when it is a file: URI inside root; otherwise a synthetic path under
 * "@outside/" (files elsewhere) or "@<scheme>/" (e.g. untitled:), given the
 * extension of languageId when it has none. malloc'd, or NULL on ENOMEM. */
char *lsp_uri_to_relpath(const char *uri, const char *root, const char *language_id);
/* Decode a file: URI to an absolute path (malloc'd), or NULL if it is not
 * a well-formed file: URI. */
char *lsp_uri_to_path(const char *uri);

/* ---- job.c ---------------------------------------------------------------------- */

/* A background build of an engine: index update (saved), then engine open
 * and model save. Progress and completion are signalled by writing one byte
 * to wake_fd (the job writes to its own duplicate of it). */
typedef struct lsp_job lsp_job;

enum { LSP_JOB_INDEXING = 0, LSP_JOB_MODEL, LSP_JOB_DONE };

/* Start a build with opts (copied, strings too). TC_OK / TC_ENOMEM /
 * TC_EIO (no thread). */
int lsp_job_start(const tc_engine_opts *opts, int wake_fd, lsp_job **out);
int lsp_job_stage(lsp_job *j); /* LSP_JOB_* (atomic read) */
/* Ask the build to stop at its next stage boundary. */
void lsp_job_cancel(lsp_job *j);
/* Join the thread and take the result: *engine (NULL on failure or
 * cancel; owned by the caller) and the index statistics. Returns the
 * build's status. Frees the job. */
int lsp_job_finish(lsp_job *j, tc_engine **engine, tc_index_stats *stats);
/* Wait up to ms for the job to be done: 1 if it is. */
int lsp_job_wait(lsp_job *j, int ms);
/* Let the job run to its end unobserved (it frees itself); for a server
 * that must exit now. The job may still log (tc_warn) until then. */
void lsp_job_abandon(lsp_job *j);

#endif
