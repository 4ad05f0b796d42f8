/* server.c - the language server: state, handlers, dispatch, main loop.
 *
 * One thread serves everything. Input is read ahead into a bounded queue
 * before a message is handled, so that a request already overtaken by a
 * later edit or request for its document (or cancelled) is answered at
 * once, without computing anything. Engines:
 *   - at initialize, an engine over no files (the open buffers are its
 *     only context) answers from the first request;
 *   - a background job indexes the workspace and builds a full engine;
 *     when it is ready the open buffers are laid over its index and it
 *     replaces the first one.
 * Edits change the document at once; the index's overlay (and through its
 * listeners the model) follows when the document has been quiet for
 * OVERLAY_IDLE_MS, or at once for a newly opened one. The suggestion for
 * the current document never waits for that: the engine reads the buffer
 * itself.
 */
#include "lsp/lsp.h"
#include "lsp/lsp_int.h"
#include "backend/backend.h"
#include "context/privacy.h"
#include "util/log.h"
#include "util/status.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SERVER_NAME "tacit"
#define SERVER_VERSION "0.1"
#define DEFAULT_MAX_FILE (16u << 20)   /* bytes per document */
#define MAX_DOCS 4096                  /* open documents */
#define MAX_DOC_BYTES (256u << 20)     /* total bytes of open documents */
#define READ_CHUNK (256u << 10)
#define QUEUE_MAX 512                  /* messages read ahead */
#define QUEUE_BYTES_MAX (32u << 20)    /* bytes of bodies read ahead */
#define OVERLAY_IDLE_MS 300.0
#define WATCH_IDLE_MS 1000.0           /* user idle before a periodic re-index */
#define WATCH_EVENT_DELAY_MS 200.0     /* coalescing of file events */
#define WATCH_EVENT_MAX_MS 2000.0      /* longest wait for a rest after one */
#define DEFAULT_REINDEX_S 10
#define ACCEPTED_MAX (64u << 10)       /* bytes of accepted lines kept per language */
#define ACCEPTED_SLOTS 8
#define EXIT_WAIT_MS 2000              /* for a background build at exit */
#define ACCEPT_COMMAND "tacit.accept"
#define PROGRESS_TOKEN "tacit/indexing"
/* The first engine indexes nothing: it is given a cache folder that cannot
 * exist (and cannot be created), so it starts empty and never saves. */
#define EMPTY_CACHE_DIR "/proc/self/tacit-no-index"

enum { S_UNINIT = 0, S_RUNNING, S_SHUTDOWN };
enum { WATCH_AUTO = 0, WATCH_POLL, WATCH_OFF };
enum { COMPLETION_AUTO = -1 };
enum { PROGRESS_NONE = 0, PROGRESS_CREATING, PROGRESS_BEGUN, PROGRESS_ENDED };

typedef struct lsp_settings {
    double threshold;     /* minimum confidence shown, 0..1 */
    tc_mode mode;
    size_t max_file_size; /* bytes per document */
    int debounce_ms;      /* wait before computing an inline suggestion */
    int completion;       /* 1/0, or COMPLETION_AUTO: only without inline support */
    int watch;            /* WATCH_* */
    int reindex_s;        /* seconds between periodic re-indexes */
} lsp_settings;

/* A request waiting for its debounce delay (owns its message). */
typedef struct deferred {
    lsp_msg m;
    double due_ms;
} deferred;

/* The suggestion last shown, to serve typed-through keystrokes. */
typedef struct sugg_cache {
    int valid;
    char *uri;
    size_t line_start; /* byte offset of the cursor's line */
    tc_buf prefix;     /* the line before the cursor, when computed */
    tc_buf suffix;     /* the line after the cursor */
    tc_buf text;       /* the suggestion */
} sugg_cache;

/* Lines the user accepted, per file extension, fed to the index as an
 * in-memory file so that the model counts them (nothing is written). */
typedef struct accepted {
    char ext[16];
    tc_buf lines;
    int dirty;
} accepted;

typedef struct lsp_stats {
    uint64_t requests, computed, cache_hits, stale, cancelled, accepted, swaps, reindexes, server_answers;
} lsp_stats;

typedef struct lsp_server {
    tc_lsp_opts opts;
    lsp_reader rd;
    lsp_writer wr;
    int in_fd, in_eof;
    char *chunk;               /* READ_CHUNK bytes */
    int wake[2];               /* job -> main loop */
    int state, done, exit_code;
    int initialized;           /* the client sent initialized: we may send requests */
    lsp_settings set;
    double default_threshold;
    lsp_enc enc;
    int cap_progress, cap_watch_dynamic, cap_configuration, cap_inline;
    char *root;                /* real path of the workspace, or NULL */
    tc_engine *engine;         /* may be NULL if it could not be opened */
    int engine_full;           /* 1: the workspace engine */
    tc_mode engine_mode;
    lsp_job *job;
    tc_mode job_mode;
    lsp_docs docs;
    lsp_msg *q;                /* ring of read-ahead messages */
    size_t qhead, qn, qbytes;
    deferred *dfr;
    size_t ndfr, capdfr;
    long next_id;
    long progress_id, register_id, config_id;
    int progress;              /* PROGRESS_* */
    char progress_end[160];    /* the end message, once indexing is over */
    int client_watching;
    double last_input_ms, last_change_ms, last_reindex_ms, reindex_due_ms;
    sugg_cache cache;
    accepted acc[ACCEPTED_SLOTS];
    size_t nacc;
    lsp_stats st;
    /* A model server (settings: general.backend), if one is configured:
     * the embedded suggestion is computed first; the server's replaces it
     * when it answers within general.deadline_ms. */
    tc_config bcfg;
    int bk_state;              /* 0 none configured, 1 set up, 2 probed, -1 unusable */
    tc_client *bcl;
    tc_backend *bk;
    tc_privacy *bpriv;
    tc_ctx *bctx;
    int bk_slow;               /* consecutive answers later than the deadline */
    double bk_slow_until;      /* skip the server until then (ms) */
    double bk_slow_pause;      /* the next pause (ms), doubling */
} lsp_server;

typedef struct reply {
    cJSON *result;  /* adopted */
    int code;       /* non-zero: answer this error */
    char msg[256];
    int deferred;   /* 1: the handler kept the message; no answer now */
} reply;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* ---- output ---------------------------------------------------------------------- */

static void send_msg(lsp_server *s, cJSON *msg)
{
    if (msg) lsp_wr_send(&s->wr, msg);
    cJSON_Delete(msg);
}

static void send_log(lsp_writer *w, int type, const char *text)
{
    cJSON *p = cJSON_CreateObject(), *msg;
    if (!p) return;
    cJSON_AddNumberToObject(p, "type", type);
    cJSON_AddStringToObject(p, "message", text);
    msg = lsp_make_notification("window/logMessage", p);
    if (msg) lsp_wr_send(w, msg);
    cJSON_Delete(msg);
}

/* tc_warn / tc_info from any thread (the writer is locked). */
static void log_sink(int level, const char *msg, void *ud)
{
    lsp_server *s = ud;
    char line[1100];
    snprintf(line, sizeof line, "tacit: %s", msg);
    send_log(&s->wr, level == TC_LOG_WARN ? 2 : 4, line);
}

static void send_request(lsp_server *s, long *id, const char *method, cJSON *params)
{
    *id = ++s->next_id;
    send_msg(s, lsp_make_request(*id, method, params));
}

static void send_progress(lsp_server *s, const char *kind, const char *message)
{
    cJSON *p = cJSON_CreateObject(), *v = cJSON_CreateObject();
    if (!p || !v) {
        cJSON_Delete(p);
        cJSON_Delete(v);
        return;
    }
    cJSON_AddStringToObject(v, "kind", kind);
    if (strcmp(kind, "begin") == 0) {
        cJSON_AddStringToObject(v, "title", "tacit: indexing");
        cJSON_AddBoolToObject(v, "cancellable", 0);
    }
    if (message) cJSON_AddStringToObject(v, "message", message);
    cJSON_AddStringToObject(p, "token", PROGRESS_TOKEN);
    cJSON_AddItemToObject(p, "value", v);
    send_msg(s, lsp_make_notification("$/progress", p));
}

/* ---- settings -------------------------------------------------------------------- */

static void settings_default(lsp_settings *set, double threshold)
{
    set->threshold = threshold;
    set->mode = TC_MODE_FULL;
    set->max_file_size = DEFAULT_MAX_FILE;
    set->debounce_ms = 0;
    set->completion = COMPLETION_AUTO;
    set->watch = WATCH_AUTO;
    set->reindex_s = DEFAULT_REINDEX_S;
}

static int get_number(const cJSON *o, const char *key, double lo, double hi, double *out)
{
    const cJSON *v = lsp_get(o, key);
    if (!v) return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi)) {
        tc_warn("setting %s must be a number in [%g, %g]; ignored", key, lo, hi);
        return 0;
    }
    *out = v->valuedouble;
    return 1;
}

/* Apply the settings in o (an object; settings.tacit if present). Unknown
 * keys are ignored; a bad value is reported and ignored. */
static void settings_apply(lsp_settings *set, const cJSON *o)
{
    const cJSON *nested = lsp_get(o, "tacit"), *v;
    double d;
    const char *str;
    if (cJSON_IsObject(nested)) o = nested;
    if (!cJSON_IsObject(o)) return;
    if (get_number(o, "threshold", 0, 1, &d)) set->threshold = d;
    if (get_number(o, "maxFileSize", 1, 1e12, &d)) set->max_file_size = (size_t)d;
    if (get_number(o, "debounce", 0, 10000, &d)) set->debounce_ms = (int)d;
    if (get_number(o, "reindexInterval", 1, 86400, &d)) set->reindex_s = (int)d;
    if ((v = lsp_get(o, "mode")) != NULL) {
        tc_mode m;
        if (cJSON_IsString(v) && tc_mode_parse(v->valuestring, &m) == TC_OK) set->mode = m;
        else tc_warn("setting mode must be \"full\", \"ngram\" or \"copy\"; ignored");
    }
    if ((v = lsp_get(o, "completion")) != NULL) {
        if (cJSON_IsBool(v)) set->completion = cJSON_IsTrue(v);
        else if (cJSON_IsString(v) && strcmp(v->valuestring, "auto") == 0) set->completion = COMPLETION_AUTO;
        else tc_warn("setting completion must be true, false or \"auto\"; ignored");
    }
    if ((v = lsp_get(o, "watch")) != NULL) {
        str = cJSON_IsString(v) ? v->valuestring : "";
        if (strcmp(str, "auto") == 0) set->watch = WATCH_AUTO;
        else if (strcmp(str, "poll") == 0) set->watch = WATCH_POLL;
        else if (strcmp(str, "off") == 0) set->watch = WATCH_OFF;
        else tc_warn("setting watch must be \"auto\", \"poll\" or \"off\"; ignored");
    }
}

/* ---- engines --------------------------------------------------------------------- */

static void engine_opts(const lsp_server *s, tc_engine_opts *eo, int empty)
{
    memset(eo, 0, sizeof *eo);
    eo->index.root = s->root ? s->root : "/";
    eo->index.cache_dir = empty ? EMPTY_CACHE_DIR : s->opts.cache_dir;
    eo->mode = s->set.mode;
    eo->threshold = 0; /* the server gates (the threshold can change live) */
}

static const char *doc_ext(const char *relpath)
{
    const char *base = strrchr(relpath, '/'), *dot = strrchr(base ? base : relpath, '.');
    return dot && strlen(dot) < sizeof(((accepted *)0)->ext) ? dot : "";
}

static void accepted_flush(lsp_server *s, accepted *a)
{
    char path[64];
    if (!s->engine || !a->lines.len) return;
    snprintf(path, sizeof path, ".tacit/accepted%s", a->ext);
    tc_index_set_buffer(tc_engine_index(s->engine), path, a->lines.data, a->lines.len, NULL);
    a->dirty = 0;
}

static void overlay_flush(lsp_server *s, lsp_doc *d)
{
    int rc;
    if (!s->engine || d->too_big) {
        d->overlay_dirty = 0;
        return;
    }
    rc = tc_index_set_buffer(tc_engine_index(s->engine), d->relpath, d->text.data, d->text.len, NULL);
    if (rc && rc != TC_ETOOBIG) tc_warn("cannot update the index for %s: %s", d->uri, tc_strerror(rc));
    d->overlay_dirty = 0;
}

static void cache_clear(sugg_cache *c)
{
    free(c->uri);
    c->uri = NULL;
    c->valid = 0;
}

static void start_job(lsp_server *s)
{
    tc_engine_opts eo;
    int rc;
    if (!s->root || s->opts.no_index || s->job) return;
    engine_opts(s, &eo, 0);
    rc = lsp_job_start(&eo, s->wake[1], &s->job);
    if (rc) {
        tc_warn("cannot start indexing %s: %s; suggestions use the open files only", s->root, tc_strerror(rc));
        return;
    }
    s->job_mode = eo.mode;
    if (s->cap_progress && s->initialized && s->progress == PROGRESS_NONE) {
        cJSON *p = cJSON_CreateObject();
        if (p) cJSON_AddStringToObject(p, "token", PROGRESS_TOKEN);
        s->progress = PROGRESS_CREATING;
        send_request(s, &s->progress_id, "window/workDoneProgress/create", p);
    }
}

/* The background job reported: a stage passed, or it is done. */
static void job_event(lsp_server *s)
{
    tc_engine *e = NULL;
    tc_index_stats st;
    int rc;
    size_t i;
    if (!s->job) return;
    if (lsp_job_stage(s->job) != LSP_JOB_DONE) {
        if (s->progress == PROGRESS_BEGUN) send_progress(s, "report", "building the model");
        return;
    }
    memset(&st, 0, sizeof st);
    rc = lsp_job_finish(s->job, &e, &st);
    s->job = NULL;
    if (rc || !e) {
        if (rc != TC_ECANCEL) tc_warn("indexing %s failed: %s; suggestions use the open files only", s->root,
                                      tc_strerror(rc));
        snprintf(s->progress_end, sizeof s->progress_end, "indexing failed");
        if (s->progress == PROGRESS_BEGUN) send_progress(s, "end", s->progress_end);
        if (s->progress != PROGRESS_CREATING) s->progress = PROGRESS_ENDED;
        return;
    }
    /* lay the open buffers over the new index, then swap */
    tc_engine_free(s->engine);
    s->engine = e;
    s->engine_full = 1;
    s->engine_mode = s->job_mode;
    for (i = 0; i < s->docs.n; i++) overlay_flush(s, s->docs.v[i]);
    for (i = 0; i < s->nacc; i++) accepted_flush(s, &s->acc[i]);
    cache_clear(&s->cache);
    s->st.swaps++;
    s->last_reindex_ms = now_ms();
    snprintf(s->progress_end, sizeof s->progress_end, "indexed %u files in %.1f s", st.files_indexed,
             st.seconds);
    if (s->progress == PROGRESS_BEGUN) send_progress(s, "end", s->progress_end);
    tc_info("%s (%s)", s->progress_end, s->root);
    /* a token still being created reports begin and end when it is */
    if (s->progress != PROGRESS_CREATING) s->progress = PROGRESS_ENDED;
    if (s->engine_mode != s->set.mode) start_job(s);
}

/* The mode changed: the workspace engine is rebuilt in the background; an
 * engine over the open files only switches at once (it is small). */
static void apply_mode(lsp_server *s)
{
    if (!s->engine || s->engine_mode == s->set.mode) return;
    if (s->engine_full) {
        if (!s->job) start_job(s);
        return;
    }
    if (tc_engine_set_mode(s->engine, s->set.mode) == TC_OK) s->engine_mode = s->set.mode;
    cache_clear(&s->cache);
}

/* Re-walk the workspace on the index's fast path (stat only, unless a
 * folder changed); the model follows through the index's listeners. */
static void reindex(lsp_server *s)
{
    tc_index_stats st;
    if (!s->engine_full || s->job) return;
    memset(&st, 0, sizeof st);
    if (tc_index_update(tc_engine_index(s->engine), &st) == TC_OK && (st.files_relexed || st.files_removed)) {
        tc_info("re-indexed %s: %u files changed, %u removed", s->root, st.files_relexed, st.files_removed);
        cache_clear(&s->cache);
    }
    s->st.reindexes++;
    s->last_reindex_ms = now_ms();
    s->reindex_due_ms = 0;
}

static int watch_polling(const lsp_server *s)
{
    if (s->opts.no_watch || s->set.watch == WATCH_OFF) return 0;
    return s->set.watch == WATCH_POLL || !s->client_watching;
}

/* ---- positions ------------------------------------------------------------------- */

static int get_u64(const cJSON *o, const char *key, uint64_t *out)
{
    const cJSON *v = lsp_get(o, key);
    if (!cJSON_IsNumber(v) || isnan(v->valuedouble)) return TC_EINVAL;
    if (v->valuedouble <= 0) *out = 0;
    else if (v->valuedouble >= 9e15) *out = (uint64_t)9e15;
    else *out = (uint64_t)v->valuedouble;
    return TC_OK;
}

static int get_offset(lsp_server *s, lsp_doc *d, const cJSON *pos, size_t *off)
{
    uint64_t line, ch;
    if (get_u64(pos, "line", &line) || get_u64(pos, "character", &ch)) return TC_EINVAL;
    *off = lsp_doc_offset(d, line, ch, s->enc);
    return TC_OK;
}

static cJSON *pos_json(lsp_server *s, lsp_doc *d, size_t off)
{
    uint64_t line, ch;
    cJSON *p = cJSON_CreateObject();
    lsp_doc_position(d, off, s->enc, &line, &ch);
    if (p) {
        cJSON_AddNumberToObject(p, "line", (double)line);
        cJSON_AddNumberToObject(p, "character", (double)ch);
    }
    return p;
}

static cJSON *range_json(lsp_server *s, lsp_doc *d, size_t a, size_t b)
{
    cJSON *r = cJSON_CreateObject();
    if (r) {
        cJSON_AddItemToObject(r, "start", pos_json(s, d, a));
        cJSON_AddItemToObject(r, "end", pos_json(s, d, b));
    }
    return r;
}

/* ---- the queue ------------------------------------------------------------------- */

static lsp_msg *q_at(lsp_server *s, size_t i) { return &s->q[(s->qhead + i) % QUEUE_MAX]; }

static const char *msg_uri(const lsp_msg *m)
{
    return lsp_get_str(lsp_get(m->params, "textDocument"), "uri");
}

static int is_suggest(const char *method)
{
    return strcmp(method, "textDocument/inlineCompletion") == 0 || strcmp(method, "textDocument/completion") == 0;
}

static cJSON *empty_result(const char *method)
{
    cJSON *r = cJSON_CreateObject();
    if (!r) return NULL;
    if (strcmp(method, "textDocument/completion") == 0) cJSON_AddBoolToObject(r, "isIncomplete", 1);
    cJSON_AddItemToObject(r, "items", cJSON_CreateArray());
    return r;
}

static void dfr_remove(lsp_server *s, size_t i)
{
    lsp_msg_clear(&s->dfr[i].m);
    s->dfr[i] = s->dfr[--s->ndfr];
}

/* Bookkeeping as a message joins the queue: cancellation, and requests
 * that it makes stale. */
static void q_note(lsp_server *s, lsp_msg *m)
{
    const char *uri;
    size_t i;
    if (m->kind == LSP_MSG_NOTIFICATION && strcmp(m->method, "$/cancelRequest") == 0) {
        const cJSON *id = lsp_get(m->params, "id");
        for (i = 0; i < s->qn; i++) {
            lsp_msg *o = q_at(s, i);
            if (o->kind == LSP_MSG_REQUEST && lsp_id_equal(o->id, id)) o->cancelled = 1;
        }
        for (i = 0; i < s->ndfr; i++) {
            if (!lsp_id_equal(s->dfr[i].m.id, id)) continue;
            send_msg(s, lsp_make_error(s->dfr[i].m.id, LSP_REQUEST_CANCELLED, "Request cancelled"));
            s->st.cancelled++;
            dfr_remove(s, i);
            break;
        }
        return;
    }
    if (m->kind != LSP_MSG_REQUEST && m->kind != LSP_MSG_NOTIFICATION) return;
    if (!(uri = msg_uri(m))) return;
    if (m->kind == LSP_MSG_NOTIFICATION && strcmp(m->method, "textDocument/didChange") != 0 &&
        strcmp(m->method, "textDocument/didClose") != 0)
        return;
    if (m->kind == LSP_MSG_REQUEST && !is_suggest(m->method)) return;
    /* earlier suggestion requests for this document (of this kind, for a
     * request) are overtaken */
    for (i = 0; i < s->qn; i++) {
        lsp_msg *o = q_at(s, i);
        const char *ou;
        if (o->kind != LSP_MSG_REQUEST || !is_suggest(o->method) || !(ou = msg_uri(o))) continue;
        if (strcmp(ou, uri) != 0) continue;
        if (m->kind == LSP_MSG_REQUEST && strcmp(o->method, m->method) != 0) continue;
        o->stale = 1;
    }
    for (i = 0; i < s->ndfr;) {
        lsp_msg *o = &s->dfr[i].m;
        const char *ou = msg_uri(o);
        if (ou && strcmp(ou, uri) == 0 && (m->kind == LSP_MSG_NOTIFICATION || strcmp(o->method, m->method) == 0)) {
            send_msg(s, lsp_make_result(o->id, empty_result(o->method)));
            s->st.stale++;
            dfr_remove(s, i);
            continue;
        }
        i++;
    }
}

/* Move the frames the reader holds into the queue, while there is room. */
static void drain_reader(lsp_server *s)
{
    char *body;
    size_t len;
    const char *what;
    int ev;
    while (s->qn < QUEUE_MAX && (ev = lsp_rd_next(&s->rd, &body, &len, &what)) != LSP_EV_NONE) {
        lsp_msg m;
        if (ev == LSP_EV_BAD_HEADER) {
            tc_warn("malformed message header (%s); skipped to the next Content-Length", what);
            continue;
        }
        if (ev == LSP_EV_TOO_BIG) {
            tc_warn("message of %zu bytes is over the limit of %zu bytes (2 x maxFileSize + 1 MiB); skipped",
                    len, s->rd.max_body);
            continue;
        }
        if (lsp_msg_parse(body, len, &m)) {
            free(body);
            tc_warn("out of memory parsing a message of %zu bytes; skipped", len);
            continue;
        }
        free(body);
        q_note(s, &m);
        *q_at(s, s->qn) = m;
        s->qn++;
        s->qbytes += m.bytes;
    }
}

/* Read what input is available into the queue. */
static void read_input(lsp_server *s)
{
    ssize_t k;
    do k = read(s->in_fd, s->chunk, READ_CHUNK);
    while (k < 0 && errno == EINTR);
    if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (k <= 0) {
        s->in_eof = 1;
        return;
    }
    s->last_input_ms = now_ms();
    if (lsp_rd_feed(&s->rd, s->chunk, (size_t)k)) {
        tc_warn("out of memory reading a message; input dropped");
        return;
    }
    drain_reader(s); /* what does not fit waits in the reader */
}

/* ---- suggestions ----------------------------------------------------------------- */

static lsp_doc *find_doc(lsp_server *s, const cJSON *params, reply *r)
{
    const char *uri = lsp_get_str(lsp_get(params, "textDocument"), "uri");
    lsp_doc *d;
    if (!uri) {
        r->code = LSP_INVALID_PARAMS;
        snprintf(r->msg, sizeof r->msg, "Invalid params: textDocument.uri missing");
        return NULL;
    }
    d = lsp_docs_find(&s->docs, uri);
    if (!d) tc_warn("request for %.200s, which is not open (send textDocument/didOpen first)", uri);
    return d;
}

/* The rest of the cached suggestion if the user has typed (part of) it
 * since it was computed at off's line, or NULL. Borrowed pointer. */
static const char *cache_lookup(const lsp_server *s, const lsp_doc *d, size_t off)
{
    const sugg_cache *c = &s->cache;
    size_t ls = lsp_doc_line_start(d, off), le = lsp_doc_line_end(d, off), typed;
    const char *t = d->text.data;
    if (!c->valid || strcmp(c->uri, d->uri) != 0 || c->line_start != ls || off - ls < c->prefix.len ||
        memcmp(t + ls, c->prefix.data, c->prefix.len) != 0 || le - off != c->suffix.len ||
        memcmp(t + off, c->suffix.data, c->suffix.len) != 0)
        return NULL;
    typed = off - ls - c->prefix.len;
    if (typed >= c->text.len || memcmp(t + ls + c->prefix.len, c->text.data, typed) != 0) return NULL;
    return c->text.data + typed;
}

/* ---- model servers ------------------------------------------------------------------- */

static void backend_close(lsp_server *s)
{
    tc_ctx_free(s->bctx);
    tc_privacy_free(s->bpriv);
    tc_backend_free(s->bk);
    tc_client_free(s->bcl);
    tc_config_free(&s->bcfg);
    s->bctx = NULL;
    s->bpriv = NULL;
    s->bk = NULL;
    s->bcl = NULL;
    s->bk_state = 0;
}

/* Settings file, environment, then initializationOptions (config.h). No
 * network here: the server is probed at the first suggestion. */
static void backend_setup(lsp_server *s, const cJSON *init)
{
    const tc_backend_cfg *bc;
    char err[512] = "";
    tc_config_init(&s->bcfg);
    if (tc_config_load(&s->bcfg, NULL, err, sizeof err) ||
        (init && tc_config_load_json(&s->bcfg, init, err, sizeof err))) {
        tc_warn("settings: %s; model servers are off", err);
        s->bk_state = -1;
        return;
    }
    bc = tc_config_backend(&s->bcfg, NULL);
    if (!bc || bc->type == TC_BACKEND_NONE) return; /* embedded only */
    {
        /* While typing, nothing from the server is worth waiting for past
         * the deadline: its synchronous calls (tokenize) are bounded by it. */
        tc_backend_cfg *mbc = (tc_backend_cfg *)bc; /* our own copy of the settings */
        if (s->bcfg.deadline_ms > 0 && mbc->first_byte_ms > s->bcfg.deadline_ms) mbc->first_byte_ms = s->bcfg.deadline_ms;
    }
    if (tc_client_new(&s->bcl) || tc_backend_open(s->bcl, bc, &s->bk) || tc_privacy_new(&s->bpriv) ||
        (s->bcfg.secret_files && tc_privacy_add(s->bpriv, s->bcfg.secret_files))) {
        tc_warn("cannot set up model server '%s'; using the embedded model", bc->name);
        s->bk_state = -1;
        return;
    }
    s->bk_state = 1;
}

/* Let the configured server replace sg (the embedded suggestion) if it
 * answers within the deadline. Never sends a secret file; a dead or slow
 * server costs at most the deadline once, then backoff refuses at once
 * (one warning per outage, through window/logMessage). */
static void backend_replace(lsp_server *s, lsp_doc *d, size_t off, tc_suggestion *sg)
{
    tc_ctx_sources src;
    tc_fim_input in;
    tc_ctx_info info;
    const char *repo;
    int rc;
    if (s->bk_state <= 0 || !s->engine) return;
    if (s->bk_state == 1) {
        tc_ctx_opts co = s->bcfg.ctx;
        char perr[256];
        /* a failed probe has already warned (once) and put the server in
         * backoff; its facts are then the settings' alone */
        (void)tc_backend_probe(s->bk, tc_backend_cfg_of(s->bk)->first_byte_ms, perr, sizeof perr);
        tc_backend_ctx_limits(s->bk, &co);
        if (tc_ctx_new(&co, s->bpriv, &s->bctx)) {
            s->bk_state = -1;
            return;
        }
        s->bk_state = 2;
    }
    if (tc_backend_in_backoff(s->bk) || now_ms() < s->bk_slow_until) return;
    memset(&in, 0, sizeof in);
    memset(&info, 0, sizeof info);
    src.ix = tc_engine_index(s->engine);
    src.ret = tc_engine_retriever(s->engine);
    repo = s->root ? strrchr(s->root, '/') : NULL;
    if (tc_ctx_build(s->bctx, &src, tc_backend_tokcount(s->bk), repo && repo[1] ? repo + 1 : "project", d->relpath,
                     d->text.data, d->text.len, off, &in, &info) != TC_OK ||
        info.secret_file)
        return;
    rc = tc_backend_complete(s->bk, &in, s->bcfg.deadline_ms, sg);
    if (rc == TC_OK && strcmp(sg->source, "server") == 0) {
        s->st.server_answers++;
        sg->confidence = 1; /* the user chose this model: its answer is shown */
    }
    /* A server that keeps missing the deadline is as good as absent for
     * typing: after 3 misses in a row, pause it (10 s, doubling up to 5
     * min), with one warning for the whole episode. */
    if (rc == TC_ECANCEL) {
        if (++s->bk_slow >= 3) {
            if (s->bk_slow_pause == 0) {
                s->bk_slow_pause = 10000;
                tc_warn("server '%s' answers later than the deadline (%d ms); the embedded model answers, "
                        "and the server is tried again from time to time",
                        tc_backend_cfg_of(s->bk)->name, s->bcfg.deadline_ms);
            }
            s->bk_slow_until = now_ms() + s->bk_slow_pause;
            if (s->bk_slow_pause < 300000) s->bk_slow_pause *= 2;
            s->bk_slow = 0;
        }
    } else if (rc == TC_OK) {
        s->bk_slow = 0;
        s->bk_slow_pause = 0;
    }
}

/* The suggestion at off in d: from the typed-through cache or the engine.
 * Returns a malloc'd string ("" for none), or NULL on ENOMEM. */
static char *suggest_at(lsp_server *s, lsp_doc *d, size_t off)
{
    sugg_cache *c = &s->cache;
    size_t ls = lsp_doc_line_start(d, off), le = lsp_doc_line_end(d, off);
    const char *t = d->text.data, *hit = cache_lookup(s, d, off);
    tc_suggestion sg;
    char *out;
    if (hit) {
        s->st.cache_hits++;
        return strdup(hit);
    }
    if (!s->engine || tc_engine_suggest(s->engine, d->relpath, t, d->text.len, off, &sg) != TC_OK) return strdup("");
    s->st.computed++;
    if (s->bk_state != 0) {
        /* the embedded suggestion counts only above the threshold */
        if (sg.confidence < s->set.threshold) sg.text[0] = 0;
        backend_replace(s, d, off, &sg);
        t = d->text.data;
    }
    if (sg.confidence < s->set.threshold || !*sg.text) {
        tc_suggestion_free(&sg);
        return strdup("");
    }
    cache_clear(c);
    c->prefix.len = c->suffix.len = c->text.len = 0;
    if ((c->uri = strdup(d->uri)) && !tc_buf_append(&c->prefix, t + ls, off - ls) &&
        !tc_buf_append(&c->suffix, t + off, le - off) && !tc_buf_puts(&c->prefix, "") && !tc_buf_puts(&c->suffix, "") &&
        !tc_buf_puts(&c->text, sg.text)) {
        c->valid = 1;
        c->line_start = ls;
    }
    out = sg.text;
    sg.text = NULL;
    return out;
}

static cJSON *accept_command(const char *uri, const char *text)
{
    cJSON *cmd = cJSON_CreateObject(), *args = cJSON_CreateArray(), *a = cJSON_CreateObject();
    if (!cmd || !args || !a) {
        cJSON_Delete(cmd);
        cJSON_Delete(args);
        cJSON_Delete(a);
        return NULL;
    }
    cJSON_AddStringToObject(a, "uri", uri);
    cJSON_AddStringToObject(a, "text", text);
    cJSON_AddItemToArray(args, a);
    cJSON_AddStringToObject(cmd, "title", "Accept suggestion");
    cJSON_AddStringToObject(cmd, "command", ACCEPT_COMMAND);
    cJSON_AddItemToObject(cmd, "arguments", args);
    return cmd;
}

static int is_word_byte(unsigned char c)
{
    return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* textDocument/inlineCompletion and textDocument/completion. */
static void answer_suggest(lsp_server *s, lsp_msg *m, reply *r)
{
    int inline_req = strcmp(m->method, "textDocument/inlineCompletion") == 0;
    lsp_doc *d = find_doc(s, m->params, r);
    size_t off;
    char *text;
    cJSON *items, *item;
    if (r->code) return;
    if (!(r->result = empty_result(m->method))) return;
    if (!d) return;
    if (get_offset(s, d, lsp_get(m->params, "position"), &off)) {
        cJSON_Delete(r->result);
        r->result = NULL;
        r->code = LSP_INVALID_PARAMS;
        snprintf(r->msg, sizeof r->msg, "Invalid params: position must be {line, character}");
        return;
    }
    if (d->too_big || (!inline_req && s->set.completion == 0)) return;
    if (!(text = suggest_at(s, d, off)) || !*text) {
        free(text);
        return;
    }
    items = cJSON_GetObjectItemCaseSensitive(r->result, "items");
    item = cJSON_CreateObject();
    if (!item) {
        free(text);
        return;
    }
    cJSON_AddItemToArray(items, item);
    if (inline_req) {
        cJSON_AddStringToObject(item, "insertText", text);
        cJSON_AddItemToObject(item, "range", range_json(s, d, off, off));
    } else {
        /* the item replaces the word before the cursor, so that clients
         * filtering by that word keep it */
        size_t ws = off, ls = lsp_doc_line_start(d, off);
        tc_buf nt = {0};
        cJSON *edit = cJSON_CreateObject();
        while (ws > ls && is_word_byte((unsigned char)d->text.data[ws - 1])) ws--;
        tc_buf_append(&nt, d->text.data + ws, off - ws);
        tc_buf_puts(&nt, text);
        cJSON_AddStringToObject(item, "label", nt.data ? nt.data : text);
        cJSON_AddNumberToObject(item, "kind", 1); /* Text */
        cJSON_AddStringToObject(item, "detail", "tacit");
        cJSON_AddStringToObject(item, "sortText", "0");
        cJSON_AddStringToObject(item, "filterText", nt.data ? nt.data : text);
        cJSON_AddBoolToObject(item, "preselect", 1);
        cJSON_AddNumberToObject(item, "insertTextFormat", 1); /* PlainText */
        if (edit) {
            cJSON_AddItemToObject(edit, "range", range_json(s, d, ws, off));
            cJSON_AddStringToObject(edit, "newText", nt.data ? nt.data : text);
            cJSON_AddItemToObject(item, "textEdit", edit);
        }
        tc_buf_free(&nt);
    }
    cJSON_AddItemToObject(item, "command", accept_command(d->uri, text));
    free(text);
}

static void h_suggest(lsp_server *s, lsp_msg *m, reply *r)
{
    lsp_doc *d;
    if (m->stale) {
        s->st.stale++;
        r->result = empty_result(m->method);
        return;
    }
    /* debounce: wait unless the answer is already in the cache */
    d = lsp_docs_find(&s->docs, msg_uri(m) ? msg_uri(m) : "");
    if (s->set.debounce_ms > 0 && d && !d->too_big) {
        size_t off;
        if (get_offset(s, d, lsp_get(m->params, "position"), &off) == TC_OK) {
            if (!cache_lookup(s, d, off)) {
                if (s->ndfr == s->capdfr) {
                    size_t cap = s->capdfr ? s->capdfr * 2 : 8;
                    deferred *nd = realloc(s->dfr, cap * sizeof *nd);
                    if (!nd) goto now;
                    s->dfr = nd;
                    s->capdfr = cap;
                }
                s->dfr[s->ndfr].m = *m;
                s->dfr[s->ndfr].due_ms = now_ms() + s->set.debounce_ms;
                s->ndfr++;
                memset(m, 0, sizeof *m);
                r->deferred = 1;
                return;
            }
        }
    }
now:
    s->st.requests++;
    answer_suggest(s, m, r);
}

/* ---- acceptance ------------------------------------------------------------------ */

/* What the user took of a suggestion; fed to the model as a line. */
static void note_accept(lsp_server *s, const cJSON *a)
{
    const char *uri = lsp_get_str(a, "uri"), *text = lsp_get_str(a, "text"), *part = lsp_get_str(a, "acceptedText");
    lsp_doc *d;
    accepted *slot = NULL;
    const char *ext;
    size_t i;
    if (!uri) uri = lsp_get_str(lsp_get(a, "textDocument"), "uri");
    if (!uri || !text) {
        tc_warn("accept notice without uri and text; ignored");
        return;
    }
    if (!part) part = text;
    s->st.accepted++;
    if (!(d = lsp_docs_find(&s->docs, uri)) || !*part) return;
    ext = doc_ext(d->relpath);
    for (i = 0; i < s->nacc && !slot; i++)
        if (strcmp(s->acc[i].ext, ext) == 0) slot = &s->acc[i];
    if (!slot) {
        if (s->nacc == ACCEPTED_SLOTS) return;
        slot = &s->acc[s->nacc++];
        snprintf(slot->ext, sizeof slot->ext, "%s", ext);
    }
    /* the line as it reads with the suggestion: the cursor's line prefix
     * when the suggestion is the one the cache holds */
    if (s->cache.valid && strcmp(s->cache.uri, uri) == 0 && s->cache.text.len >= strlen(text) &&
        strcmp(s->cache.text.data + s->cache.text.len - strlen(text), text) == 0) {
        tc_buf_append(&slot->lines, s->cache.prefix.data, s->cache.prefix.len);
        tc_buf_append(&slot->lines, s->cache.text.data, s->cache.text.len - strlen(text));
    }
    tc_buf_puts(&slot->lines, part);
    tc_buf_puts(&slot->lines, "\n");
    if (slot->lines.len > ACCEPTED_MAX) {
        /* drop the oldest lines */
        const char *cut = memchr(slot->lines.data + slot->lines.len - ACCEPTED_MAX / 2, '\n', ACCEPTED_MAX / 2);
        size_t keep = cut ? slot->lines.len - (size_t)(cut + 1 - slot->lines.data) : 0;
        memmove(slot->lines.data, slot->lines.data + slot->lines.len - keep, keep);
        slot->lines.len = keep;
        slot->lines.data[keep] = 0;
    }
    slot->dirty = 1;
}

/* ---- handlers -------------------------------------------------------------------- */

static int offers_utf8(const cJSON *caps)
{
    const cJSON *encs = lsp_get(lsp_get(caps, "general"), "positionEncodings"), *e;
    if (!cJSON_IsArray(encs)) return 0;
    cJSON_ArrayForEach(e, encs)
        if (cJSON_IsString(e) && strcmp(e->valuestring, "utf-8") == 0) return 1;
    return 0;
}

static char *root_from(const cJSON *p)
{
    const cJSON *folders = lsp_get(p, "workspaceFolders");
    const char *uri = NULL, *path = NULL;
    char *dec = NULL, real[PATH_MAX];
    if (cJSON_IsArray(folders) && cJSON_GetArraySize(folders) > 0)
        uri = lsp_get_str(cJSON_GetArrayItem(folders, 0), "uri");
    if (!uri) uri = lsp_get_str(p, "rootUri");
    if (uri) path = dec = lsp_uri_to_path(uri);
    if (!path) path = lsp_get_str(p, "rootPath");
    if (!path || !*path) {
        free(dec);
        return NULL;
    }
    if (!realpath(path, real)) {
        tc_warn("workspace root %.200s is not a readable folder (%s); suggestions use the open files only", path,
                strerror(errno));
        free(dec);
        return NULL;
    }
    free(dec);
    return strdup(real);
}


static void h_initialize(lsp_server *s, lsp_msg *m, reply *r)
{
    const cJSON *caps = lsp_get(m->params, "capabilities");
    cJSON *res, *c, *sync, *save, *cmds, *exe, *info;
    tc_engine_opts eo;
    int rc, completion;
    if (s->state != S_UNINIT) {
        r->code = LSP_INVALID_REQUEST;
        snprintf(r->msg, sizeof r->msg, "initialize may only be sent once");
        return;
    }
    s->enc = offers_utf8(caps) ? LSP_ENC_UTF8 : LSP_ENC_UTF16;
    s->cap_progress = lsp_get_bool(lsp_get(caps, "window"), "workDoneProgress", 0);
    s->cap_watch_dynamic =
        lsp_get_bool(lsp_get(lsp_get(caps, "workspace"), "didChangeWatchedFiles"), "dynamicRegistration", 0);
    s->cap_configuration = lsp_get_bool(lsp_get(caps, "workspace"), "configuration", 0);
    s->cap_inline = lsp_get(lsp_get(caps, "textDocument"), "inlineCompletion") != NULL;
    s->root = root_from(m->params);
    /* the engine's default threshold, then the client's settings */
    s->default_threshold = TC_SUGGEST_DEFAULT_THRESHOLD;
    settings_default(&s->set, s->default_threshold);
    settings_apply(&s->set, lsp_get(m->params, "initializationOptions"));
    backend_setup(s, lsp_get(m->params, "initializationOptions"));
    s->rd.max_body = 2 * s->set.max_file_size + (1u << 20);
    engine_opts(s, &eo, 1);
    rc = tc_engine_open(&eo, &s->engine);
    if (rc) tc_warn("cannot open an engine: %s; no suggestions", tc_strerror(rc));
    s->engine_mode = eo.mode;
    s->state = S_RUNNING;
    start_job(s);

    completion = s->set.completion == COMPLETION_AUTO ? !s->cap_inline : s->set.completion;
    if (!(res = cJSON_CreateObject())) return;
    c = cJSON_AddObjectToObject(res, "capabilities");
    cJSON_AddStringToObject(c, "positionEncoding", s->enc == LSP_ENC_UTF8 ? "utf-8" : "utf-16");
    sync = cJSON_AddObjectToObject(c, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", 1);
    cJSON_AddNumberToObject(sync, "change", 2); /* incremental */
    save = cJSON_AddObjectToObject(sync, "save");
    cJSON_AddBoolToObject(save, "includeText", 0);
    cJSON_AddBoolToObject(c, "inlineCompletionProvider", 1);
    if (completion) {
        cJSON *cp = cJSON_AddObjectToObject(c, "completionProvider");
        cJSON_AddBoolToObject(cp, "resolveProvider", 0);
    }
    exe = cJSON_AddObjectToObject(c, "executeCommandProvider");
    cmds = cJSON_AddArrayToObject(exe, "commands");
    cJSON_AddItemToArray(cmds, cJSON_CreateString(ACCEPT_COMMAND));
    info = cJSON_AddObjectToObject(res, "serverInfo");
    cJSON_AddStringToObject(info, "name", SERVER_NAME);
    cJSON_AddStringToObject(info, "version", SERVER_VERSION);
    r->result = res;
}

static void h_initialized(lsp_server *s, lsp_msg *m)
{
    (void)m;
    s->initialized = 1;
    if (s->job && s->cap_progress && s->progress == PROGRESS_NONE) {
        cJSON *p = cJSON_CreateObject();
        if (p) cJSON_AddStringToObject(p, "token", PROGRESS_TOKEN);
        s->progress = PROGRESS_CREATING;
        send_request(s, &s->progress_id, "window/workDoneProgress/create", p);
    }
    if (s->cap_watch_dynamic && s->set.watch == WATCH_AUTO && s->root && !s->opts.no_watch) {
        cJSON *p = cJSON_CreateObject(), *regs = cJSON_CreateArray(), *reg = cJSON_CreateObject(), *ro, *ws, *w;
        if (!p || !regs || !reg) {
            cJSON_Delete(p);
            cJSON_Delete(regs);
            cJSON_Delete(reg);
            return;
        }
        cJSON_AddStringToObject(reg, "id", "tacit/watch");
        cJSON_AddStringToObject(reg, "method", "workspace/didChangeWatchedFiles");
        ro = cJSON_AddObjectToObject(reg, "registerOptions");
        ws = cJSON_AddArrayToObject(ro, "watchers");
        w = cJSON_CreateObject();
        if (w) {
            cJSON_AddStringToObject(w, "globPattern", "**/*");
            cJSON_AddItemToArray(ws, w);
        }
        cJSON_AddItemToArray(regs, reg);
        cJSON_AddItemToObject(p, "registrations", regs);
        send_request(s, &s->register_id, "client/registerCapability", p);
        s->client_watching = 1; /* until the client says no */
    }
}

static void h_shutdown(lsp_server *s, lsp_msg *m, reply *r)
{
    (void)m;
    (void)r;
    s->state = S_SHUTDOWN;
    if (s->engine_full) tc_index_save(tc_engine_index(s->engine)); /* best effort */
}

/* 1 if d may hold len bytes: within maxFileSize and the total for all
 * open documents. */
static int doc_fits(const lsp_server *s, const lsp_doc *d, size_t len)
{
    size_t i, total = 0;
    if (len > s->set.max_file_size) return 0;
    for (i = 0; i < s->docs.n; i++)
        if (s->docs.v[i] != d) total += s->docs.v[i]->text.len;
    return total + len <= MAX_DOC_BYTES;
}

/* A document's new content is over the limit: drop it, say so once. */
static void doc_too_big(lsp_server *s, lsp_doc *d, size_t len)
{
    if (!d->too_big)
        tc_warn("%.200s is %zu bytes, over maxFileSize (%zu) or the %u MiB for all open documents: "
                "no suggestions for it",
                d->uri, len, s->set.max_file_size, MAX_DOC_BYTES >> 20);
    d->too_big = 1;
    lsp_doc_set_text(d, "", 0);
    if (s->engine) tc_index_clear_buffer(tc_engine_index(s->engine), d->relpath);
}

static void check_utf8(lsp_doc *d, const char *text, size_t len)
{
    if (d->warned_utf8 || lsp_utf8_valid(text, len)) return;
    d->warned_utf8 = 1;
    tc_warn("%.200s holds invalid UTF-8; each bad byte counts as one character", d->uri);
}

static void h_did_open(lsp_server *s, lsp_msg *m)
{
    const cJSON *td = lsp_get(m->params, "textDocument"), *ver = lsp_get(td, "version");
    const char *uri = lsp_get_str(td, "uri"), *text = lsp_get_str(td, "text");
    char *rel;
    lsp_doc *d;
    size_t len;
    if (!uri || !text) {
        tc_warn("didOpen without textDocument.uri and text; ignored");
        return;
    }
    if (s->docs.n >= MAX_DOCS && !lsp_docs_find(&s->docs, uri)) {
        tc_warn("more than %d open documents; %.200s ignored", MAX_DOCS, uri);
        return;
    }
    if (!(rel = lsp_uri_to_relpath(uri, s->root, lsp_get_str(td, "languageId"))) ||
        !(d = lsp_docs_open(&s->docs, uri, rel))) {
        tc_warn("out of memory opening %.200s", uri);
        return;
    }
    d->version = cJSON_IsNumber(ver) ? (int64_t)ver->valuedouble : 0;
    len = strlen(text);
    if (!doc_fits(s, d, len)) {
        doc_too_big(s, d, len);
        return;
    }
    check_utf8(d, text, len);
    if (lsp_doc_set_text(d, text, len)) {
        tc_warn("out of memory opening %.200s", uri);
        lsp_docs_close(&s->docs, uri);
        return;
    }
    overlay_flush(s, d); /* context for the other files at once */
}

static void h_did_change(lsp_server *s, lsp_msg *m)
{
    const cJSON *td = lsp_get(m->params, "textDocument"), *changes = lsp_get(m->params, "contentChanges"), *c;
    const cJSON *ver = lsp_get(td, "version");
    const char *uri = lsp_get_str(td, "uri");
    lsp_doc *d;
    if (!uri || !cJSON_IsArray(changes)) {
        tc_warn("didChange without textDocument.uri and contentChanges; ignored");
        return;
    }
    if (!(d = lsp_docs_find(&s->docs, uri))) {
        tc_warn("didChange for %.200s, which is not open; ignored", uri);
        return;
    }
    if (cJSON_IsNumber(ver)) d->version = (int64_t)ver->valuedouble;
    cJSON_ArrayForEach(c, changes) {
        const cJSON *range = lsp_get(c, "range");
        const char *text = lsp_get_str(c, "text");
        size_t len, a, b;
        if (!text) {
            tc_warn("didChange for %.200s: a change without text; ignored", uri);
            continue;
        }
        len = strlen(text);
        if (!range) {
            if (!doc_fits(s, d, len)) {
                doc_too_big(s, d, len);
                continue;
            }
            d->too_big = 0;
            check_utf8(d, text, len);
            if (lsp_doc_set_text(d, text, len)) tc_warn("out of memory applying a change to %.200s", uri);
            continue;
        }
        if (d->too_big) continue; /* its content is unknown: wait for a full text */
        if (get_offset(s, d, lsp_get(range, "start"), &a) || get_offset(s, d, lsp_get(range, "end"), &b)) {
            tc_warn("didChange for %.200s: malformed range; change ignored", uri);
            continue;
        }
        if (a > b) {
            size_t t = a;
            a = b;
            b = t;
        }
        if (!doc_fits(s, d, d->text.len - (b - a) + len)) {
            doc_too_big(s, d, d->text.len - (b - a) + len);
            continue;
        }
        check_utf8(d, text, len);
        if (lsp_doc_replace(d, a, b, text, len)) tc_warn("out of memory applying a change to %.200s", uri);
    }
    d->overlay_dirty = !d->too_big;
    s->last_change_ms = now_ms();
}

static void h_did_close(lsp_server *s, lsp_msg *m)
{
    const char *uri = msg_uri(m);
    lsp_doc *d;
    if (!uri || !(d = lsp_docs_find(&s->docs, uri))) return;
    if (s->engine) tc_index_clear_buffer(tc_engine_index(s->engine), d->relpath);
    if (s->cache.valid && strcmp(s->cache.uri, uri) == 0) cache_clear(&s->cache);
    lsp_docs_close(&s->docs, uri);
}

static void want_reindex(lsp_server *s)
{
    if (!s->opts.no_watch && s->set.watch != WATCH_OFF) s->reindex_due_ms = now_ms() + WATCH_EVENT_DELAY_MS;
}

static void h_did_save(lsp_server *s, lsp_msg *m)
{
    (void)m;
    want_reindex(s);
}

static void h_watched(lsp_server *s, lsp_msg *m)
{
    (void)m;
    want_reindex(s);
}

static void settings_changed(lsp_server *s, const lsp_settings *old)
{
    if (s->set.threshold != old->threshold) cache_clear(&s->cache);
    if (s->set.mode != old->mode) apply_mode(s);
    s->rd.max_body = 2 * s->set.max_file_size + (1u << 20);
}

static void h_configuration(lsp_server *s, lsp_msg *m)
{
    const cJSON *set = lsp_get(m->params, "settings");
    lsp_settings old = s->set;
    if (cJSON_IsObject(set) && cJSON_GetArraySize(set) > 0) {
        settings_apply(&s->set, set);
        settings_changed(s, &old);
    } else if (s->cap_configuration) {
        /* pull: the client keeps them */
        cJSON *p = cJSON_CreateObject(), *items = cJSON_CreateArray(), *it = cJSON_CreateObject();
        if (!p || !items || !it) {
            cJSON_Delete(p);
            cJSON_Delete(items);
            cJSON_Delete(it);
            return;
        }
        cJSON_AddStringToObject(it, "section", "tacit");
        cJSON_AddItemToArray(items, it);
        cJSON_AddItemToObject(p, "items", items);
        send_request(s, &s->config_id, "workspace/configuration", p);
    }
}

static void h_execute(lsp_server *s, lsp_msg *m, reply *r)
{
    const char *cmd = lsp_get_str(m->params, "command");
    const cJSON *args = lsp_get(m->params, "arguments");
    if (!cmd || strcmp(cmd, ACCEPT_COMMAND) != 0) {
        r->code = LSP_INVALID_PARAMS;
        snprintf(r->msg, sizeof r->msg, "unknown command %.100s (this server has %s)", cmd ? cmd : "(none)",
                 ACCEPT_COMMAND);
        return;
    }
    note_accept(s, cJSON_IsArray(args) ? cJSON_GetArrayItem(args, 0) : NULL);
}

static void h_did_accept(lsp_server *s, lsp_msg *m) { note_accept(s, m->params); }

static void h_stats(lsp_server *s, lsp_msg *m, reply *r)
{
    cJSON *o = cJSON_CreateObject();
    (void)m;
    if (!o) return;
    cJSON_AddNumberToObject(o, "requests", (double)s->st.requests);
    cJSON_AddNumberToObject(o, "computed", (double)s->st.computed);
    cJSON_AddNumberToObject(o, "cacheHits", (double)s->st.cache_hits);
    cJSON_AddNumberToObject(o, "stale", (double)s->st.stale);
    cJSON_AddNumberToObject(o, "cancelled", (double)s->st.cancelled);
    cJSON_AddNumberToObject(o, "accepted", (double)s->st.accepted);
    cJSON_AddNumberToObject(o, "reindexes", (double)s->st.reindexes);
    cJSON_AddNumberToObject(o, "serverAnswers", (double)s->st.server_answers);
    cJSON_AddStringToObject(o, "engine", s->engine_full ? "workspace" : "buffers");
    cJSON_AddBoolToObject(o, "indexing", s->job != NULL);
    cJSON_AddNumberToObject(o, "documents", (double)s->docs.n);
    cJSON_AddNumberToObject(o, "indexedFiles", s->engine ? (double)tc_index_nfiles(tc_engine_index(s->engine)) : 0);
    cJSON_AddNumberToObject(o, "threshold", s->set.threshold);
    cJSON_AddStringToObject(o, "mode", tc_mode_name(s->engine_mode));
    cJSON_AddStringToObject(o, "positionEncoding", s->enc == LSP_ENC_UTF8 ? "utf-8" : "utf-16");
    r->result = o;
}

/* tacit/document: the server's copy of a document (for tests and for
 * debugging a client's synchronisation). */
static void h_document(lsp_server *s, lsp_msg *m, reply *r)
{
    lsp_doc *d = find_doc(s, m->params, r);
    cJSON *o;
    if (r->code) return;
    if (!d) {
        r->code = LSP_INVALID_PARAMS;
        snprintf(r->msg, sizeof r->msg, "Invalid params: the document is not open");
        return;
    }
    if (!(o = cJSON_CreateObject())) return;
    cJSON_AddStringToObject(o, "uri", d->uri);
    cJSON_AddStringToObject(o, "path", d->relpath);
    cJSON_AddNumberToObject(o, "version", (double)d->version);
    cJSON_AddNumberToObject(o, "length", (double)d->text.len);
    cJSON_AddBoolToObject(o, "tooBig", d->too_big);
    cJSON_AddStringToObject(o, "text", d->text.data);
    r->result = o;
}

static void h_response(lsp_server *s, lsp_msg *m)
{
    const cJSON *err = lsp_get(m->root, "error");
    double id = cJSON_IsNumber(m->id) ? m->id->valuedouble : -1;
    if (id == (double)s->progress_id && s->progress == PROGRESS_CREATING) {
        if (err) {
            s->progress = PROGRESS_ENDED;
        } else {
            s->progress = PROGRESS_BEGUN;
            send_progress(s, "begin", s->root);
            if (!s->job) {
                send_progress(s, "end", s->progress_end);
                s->progress = PROGRESS_ENDED;
            } else if (lsp_job_stage(s->job) != LSP_JOB_INDEXING) {
                send_progress(s, "report", "building the model");
            }
        }
    } else if (id == (double)s->register_id && err) {
        s->client_watching = 0;
    } else if (id == (double)s->config_id && !err) {
        const cJSON *res = lsp_get(m->root, "result");
        lsp_settings old = s->set;
        settings_apply(&s->set, cJSON_IsArray(res) ? cJSON_GetArrayItem(res, 0) : NULL);
        settings_changed(s, &old);
    }
}

/* ---- dispatch -------------------------------------------------------------------- */

typedef void (*req_fn)(lsp_server *, lsp_msg *, reply *);
typedef void (*note_fn)(lsp_server *, lsp_msg *);

static const struct {
    const char *method;
    req_fn fn;
} requests[] = {
    {"initialize", h_initialize},
    {"shutdown", h_shutdown},
    {"textDocument/inlineCompletion", h_suggest},
    {"textDocument/completion", h_suggest},
    {"workspace/executeCommand", h_execute},
    {"tacit/stats", h_stats},
    {"tacit/document", h_document},
};

static const struct {
    const char *method;
    note_fn fn;
} notifications[] = {
    {"initialized", h_initialized},
    {"textDocument/didOpen", h_did_open},
    {"textDocument/didChange", h_did_change},
    {"textDocument/didClose", h_did_close},
    {"textDocument/didSave", h_did_save},
    {"workspace/didChangeConfiguration", h_configuration},
    {"workspace/didChangeWatchedFiles", h_watched},
    {"tacit/didAccept", h_did_accept},
};

static void handle_request(lsp_server *s, lsp_msg *m)
{
    reply r;
    size_t i;
    memset(&r, 0, sizeof r);
    if (s->state == S_UNINIT && strcmp(m->method, "initialize") != 0) {
        send_msg(s, lsp_make_error(m->id, LSP_SERVER_NOT_INITIALIZED, "Server not initialized"));
        return;
    }
    if (s->state == S_SHUTDOWN) {
        send_msg(s, lsp_make_error(m->id, LSP_INVALID_REQUEST, "Invalid request: the server is shutting down"));
        return;
    }
    if (m->cancelled) {
        s->st.cancelled++;
        send_msg(s, lsp_make_error(m->id, LSP_REQUEST_CANCELLED, "Request cancelled"));
        return;
    }
    for (i = 0; i < sizeof requests / sizeof *requests; i++)
        if (strcmp(m->method, requests[i].method) == 0) break;
    if (i == sizeof requests / sizeof *requests) {
        snprintf(r.msg, sizeof r.msg, "Method not found: %.200s", m->method);
        send_msg(s, lsp_make_error(m->id, LSP_METHOD_NOT_FOUND, r.msg));
        return;
    }
    requests[i].fn(s, m, &r);
    if (r.deferred) return;
    if (r.code) {
        cJSON_Delete(r.result);
        send_msg(s, lsp_make_error(m->id, r.code, r.msg));
    } else {
        send_msg(s, lsp_make_result(m->id, r.result));
    }
}

static void handle(lsp_server *s, lsp_msg *m)
{
    size_t i;
    switch (m->kind) {
    case LSP_MSG_INVALID:
        send_msg(s, lsp_make_error(m->err_code == LSP_PARSE_ERROR ? NULL : m->id, m->err_code, m->err_msg));
        return;
    case LSP_MSG_RESPONSE:
        h_response(s, m);
        return;
    case LSP_MSG_REQUEST:
        handle_request(s, m);
        return;
    case LSP_MSG_NOTIFICATION:
        if (strcmp(m->method, "exit") == 0) {
            s->done = 1;
            s->exit_code = s->state == S_SHUTDOWN ? 0 : 1;
            return;
        }
        if (s->state != S_RUNNING) return;
        for (i = 0; i < sizeof notifications / sizeof *notifications; i++)
            if (strcmp(m->method, notifications[i].method) == 0) {
                notifications[i].fn(s, m);
                return;
            }
        return; /* unknown notifications ($/setTrace, ...) are ignored */
    }
}

/* ---- timers ---------------------------------------------------------------------- */

/* Run what is due; return ms until the next timer, or -1. */
static int run_timers(lsp_server *s)
{
    double now = now_ms(), next = -1;
    size_t i;
#define NEXT(t)                                            \
    do {                                                   \
        double t_ = (t);                                   \
        if (next < 0 || t_ < next) next = t_;              \
    } while (0)
    for (i = 0; i < s->ndfr;) {
        if (s->dfr[i].due_ms <= now) {
            lsp_msg m = s->dfr[i].m;
            reply r;
            memset(&r, 0, sizeof r);
            s->dfr[i] = s->dfr[--s->ndfr];
            s->st.requests++;
            answer_suggest(s, &m, &r);
            if (r.code) {
                cJSON_Delete(r.result);
                send_msg(s, lsp_make_error(m.id, r.code, r.msg));
            } else {
                send_msg(s, lsp_make_result(m.id, r.result));
            }
            lsp_msg_clear(&m);
            now = now_ms();
            continue;
        }
        NEXT(s->dfr[i].due_ms);
        i++;
    }
    /* overlays follow quiet documents */
    {
        int dirty = 0;
        for (i = 0; i < s->docs.n; i++) dirty |= s->docs.v[i]->overlay_dirty;
        for (i = 0; i < s->nacc; i++) dirty |= s->acc[i].dirty;
        if (dirty && now - s->last_change_ms < OVERLAY_IDLE_MS) {
            NEXT(s->last_change_ms + OVERLAY_IDLE_MS);
        } else if (dirty) {
            for (i = 0; i < s->docs.n; i++)
                if (s->docs.v[i]->overlay_dirty) overlay_flush(s, s->docs.v[i]);
            for (i = 0; i < s->nacc; i++)
                if (s->acc[i].dirty) accepted_flush(s, &s->acc[i]);
        }
    }
    /* the workspace: soon after file events, or periodically; either waits
     * for the user to rest */
    if (s->engine_full && !s->job && s->state == S_RUNNING) {
        double due = -1, rest;
        if (s->reindex_due_ms > 0) {
            due = s->reindex_due_ms;
            rest = s->last_input_ms + WATCH_EVENT_DELAY_MS;
            if (rest > due + WATCH_EVENT_MAX_MS) rest = due + WATCH_EVENT_MAX_MS;
        } else {
            if (watch_polling(s)) due = s->last_reindex_ms + s->set.reindex_s * 1000.0;
            rest = s->last_input_ms + WATCH_IDLE_MS;
        }
        if (due >= 0) {
            if (due < rest) due = rest;
            if (due <= now) reindex(s);
            else NEXT(due);
        }
    }
#undef NEXT
    if (next < 0) return -1;
    now = now_ms();
    return next <= now ? 0 : (int)(next - now) + 1;
}

/* ---- main loop ------------------------------------------------------------------- */

static int serve(lsp_server *s)
{
    while (!s->done && !s->wr.dead) {
        struct pollfd fds[2];
        int nfds = 0, timeout, in_idx = -1, n, readable = 0;
        timeout = run_timers(s);
        if (s->qn) timeout = 0;
        if (!s->in_eof && s->qn < QUEUE_MAX && s->qbytes < QUEUE_BYTES_MAX) {
            in_idx = nfds;
            fds[nfds].fd = s->in_fd;
            fds[nfds++].events = POLLIN;
        }
        fds[nfds].fd = s->wake[0];
        fds[nfds++].events = POLLIN;
        if (in_idx < 0 && !s->qn && s->in_eof) break;
        n = poll(fds, (nfds_t)nfds, timeout);
        if (n < 0 && errno != EINTR) break;
        if (n > 0 && (fds[nfds - 1].revents & POLLIN)) {
            char tmp[64];
            while (read(s->wake[0], tmp, sizeof tmp) > 0)
                ;
            job_event(s);
        }
        if (n > 0 && in_idx >= 0 && fds[in_idx].revents) {
            read_input(s);
            readable = 1;
        }
        if (readable && !s->in_eof && s->qn < QUEUE_MAX && s->qbytes < QUEUE_BYTES_MAX) continue;
        if (s->qn) {
            lsp_msg m = *q_at(s, 0);
            s->qhead = (s->qhead + 1) % QUEUE_MAX;
            s->qn--;
            s->qbytes -= m.bytes;
            handle(s, &m);
            lsp_msg_clear(&m);
            drain_reader(s); /* frames that did not fit before */
        }
        if (s->in_eof && !s->qn) {
            if (lsp_rd_partial(&s->rd)) tc_warn("input ended in the middle of a message");
            break;
        }
    }
    if (!s->done) s->exit_code = s->state == S_SHUTDOWN ? 0 : 1;
    return s->exit_code;
}

/* A server left allocated because its job outlived it (see tc_lsp_run). */
static lsp_server *volatile abandoned;

int tc_lsp_run(const tc_lsp_opts *opts, int in_fd, int out_fd)
{
    lsp_server *s = calloc(1, sizeof *s);
    tc_lsp_opts none = {0};
    int rc = 1, keep = 0;
    size_t i;
    if (!s) return 1;
    signal(SIGPIPE, SIG_IGN);
    s->opts = opts ? *opts : none;
    s->in_fd = in_fd;
    s->exit_code = 1;
    s->wake[0] = s->wake[1] = -1;
    lsp_wr_init(&s->wr, out_fd);
    settings_default(&s->set, 0.3);
    lsp_rd_init(&s->rd, 2 * s->set.max_file_size + (1u << 20));
    s->chunk = malloc(READ_CHUNK);
    s->q = calloc(QUEUE_MAX, sizeof *s->q);
    if (!s->chunk || !s->q || pipe2(s->wake, O_NONBLOCK | O_CLOEXEC) != 0) goto out;
    s->last_change_ms = s->last_input_ms = now_ms();
    tc_log_set_sink(log_sink, s);
    rc = serve(s);
    keep = 0;
    if (s->job) {
        lsp_job_cancel(s->job);
        if (lsp_job_wait(s->job, EXIT_WAIT_MS)) {
            lsp_job_finish(s->job, NULL, NULL);
        } else {
            /* a stage of a large workspace can take minutes: exit now and
             * leave the job to the process's end. It may be logging through
             * the sink right now, so the server struct and its writer stay
             * allocated (and reachable, for leak checkers). */
            lsp_job_abandon(s->job);
            keep = 1;
        }
        s->job = NULL;
    }
    tc_log_set_sink(NULL, NULL);
out:
    for (i = 0; i < s->qn; i++) lsp_msg_clear(q_at(s, i));
    for (i = 0; i < s->ndfr; i++) lsp_msg_clear(&s->dfr[i].m);
    for (i = 0; i < s->nacc; i++) tc_buf_free(&s->acc[i].lines);
    free(s->dfr);
    free(s->q);
    free(s->chunk);
    cache_clear(&s->cache);
    tc_buf_free(&s->cache.prefix);
    tc_buf_free(&s->cache.suffix);
    tc_buf_free(&s->cache.text);
    lsp_docs_free(&s->docs);
    backend_close(s);
    tc_engine_free(s->engine);
    free(s->root);
    if (s->wake[0] >= 0) close(s->wake[0]);
    if (s->wake[1] >= 0) close(s->wake[1]);
    lsp_rd_free(&s->rd);
    if (keep) {
        abandoned = s;
        return rc;
    }
    lsp_wr_free(&s->wr);
    free(s);
    return rc;
}

int tc_lsp_main(int argc, char **argv)
{
    tc_lsp_opts o = {0};
    int i;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stdio") == 0) continue;
        if (strcmp(argv[i], "--cache-dir") == 0 && i + 1 < argc) {
            o.cache_dir = argv[++i];
        } else if (strcmp(argv[i], "--no-index") == 0) {
            o.no_index = 1;
        } else {
            fprintf(stderr, "usage: tacit lsp [--stdio] [--cache-dir DIR] [--no-index]\n");
            return 2;
        }
    }
    return tc_lsp_run(&o, STDIN_FILENO, STDOUT_FILENO);
}
