/* server.c - the language server's state, read-ahead queue, timers and
 * main loop (the handlers are in handlers.c and complete.c).
 *
 * One thread serves everything and never waits on the network: a model
 * server's request (in the session, suggest/session.h) is driven by
 * libcurl's multi interface from this loop's poll(), next to the client's
 * input and the background job's wake-up pipe. Input is read ahead into a
 * bounded queue before a message is handled, so that a request already
 * overtaken by a later edit or request for its document (or cancelled)
 * is answered at once, without computing anything, and so that a server
 * request that such a message makes useless is aborted as soon as the
 * message is read.
 *
 * Why the multi interface in the loop rather than a worker thread: the
 * engine, the index and the context builder are not thread-safe, and the
 * context for a server is built from the same index the embedded engine
 * reads; a worker would need a lock (or copies) on every keystroke. The
 * loop only hands libcurl its descriptors: the embedded answer is sent
 * before any network byte, and a hung server costs the loop nothing
 * (BENCHMARKS.md: keystroke -> reply while the server hangs).
 *
 * Edits change the document at once; the index's overlay (and through its
 * listeners the model) follows when the document has been quiet for
 * LSP_OVERLAY_IDLE_MS, or at once for a newly opened one. The suggestion
 * for the current document never waits for that: the engine reads the
 * buffer itself.
 */
#include "lsp/lsp.h"
#include "lsp/lsp_int.h"
#include "util/log.h"
#include "util/status.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define READ_CHUNK (256u << 10)
#define EXIT_WAIT_MS 2000 /* for a background build at exit */
#define NET_FDS 16        /* descriptors of a server request polled at most */

double lsp_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* ---- output ---------------------------------------------------------------------- */

void lsp_send(lsp_server *s, cJSON *msg)
{
    if (msg) lsp_wr_send(&s->wr, msg);
    cJSON_Delete(msg);
}

void lsp_reply_send(lsp_server *s, const cJSON *id, lsp_reply *r)
{
    if (r->code) {
        cJSON_Delete(r->result);
        lsp_send(s, lsp_make_error(id, r->code, r->msg));
    } else {
        lsp_send(s, lsp_make_result(id, r->result));
    }
    r->result = NULL;
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

void lsp_send_request(lsp_server *s, long *id, const char *method, cJSON *params)
{
    *id = ++s->next_id;
    lsp_send(s, lsp_make_request(*id, method, params));
}

void lsp_send_progress(lsp_server *s, const char *kind, const char *message, int percentage)
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
    if (percentage >= 0 && strcmp(kind, "end") != 0) cJSON_AddNumberToObject(v, "percentage", percentage);
    cJSON_AddStringToObject(p, "token", LSP_PROGRESS_TOKEN);
    cJSON_AddItemToObject(p, "value", v);
    lsp_send(s, lsp_make_notification("$/progress", p));
}

/* ---- the queue ------------------------------------------------------------------- */

static lsp_msg *q_at(lsp_server *s, size_t i) { return &s->q[(s->qhead + i) % LSP_QUEUE_MAX]; }

const char *lsp_msg_uri(const lsp_msg *m) { return lsp_get_str(lsp_get(m->params, "textDocument"), "uri"); }

static void dfr_remove(lsp_server *s, size_t i)
{
    lsp_msg_clear(&s->dfr[i].m);
    s->dfr[i] = s->dfr[--s->ndfr];
}

/* Bookkeeping as a message joins the queue: cancellation, and requests
 * (waiting, debounced or with a server request in flight) that it makes
 * stale. */
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
            lsp_send(s, lsp_make_error(s->dfr[i].m.id, LSP_REQUEST_CANCELLED, "Request cancelled"));
            s->st.cancelled++;
            dfr_remove(s, i);
            break;
        }
        if (id) lsp_inflight_drop(s, NULL, id);
        return;
    }
    if (m->kind != LSP_MSG_REQUEST && m->kind != LSP_MSG_NOTIFICATION) return;
    if (!(uri = lsp_msg_uri(m))) return;
    if (m->kind == LSP_MSG_NOTIFICATION && strcmp(m->method, "textDocument/didChange") != 0 &&
        strcmp(m->method, "textDocument/didClose") != 0)
        return;
    if (m->kind == LSP_MSG_REQUEST && !lsp_is_suggest(m->method)) return;
    /* the server's answer for this document is no longer wanted */
    lsp_inflight_drop(s, uri, NULL);
    /* earlier suggestion requests for this document (of this kind, for a
     * request) are overtaken */
    for (i = 0; i < s->qn; i++) {
        lsp_msg *o = q_at(s, i);
        const char *ou;
        if (o->kind != LSP_MSG_REQUEST || !lsp_is_suggest(o->method) || !(ou = lsp_msg_uri(o))) continue;
        if (strcmp(ou, uri) != 0) continue;
        if (m->kind == LSP_MSG_REQUEST && strcmp(o->method, m->method) != 0) continue;
        o->stale = 1;
    }
    for (i = 0; i < s->ndfr;) {
        lsp_msg *o = &s->dfr[i].m;
        const char *ou = lsp_msg_uri(o);
        if (ou && strcmp(ou, uri) == 0 && (m->kind == LSP_MSG_NOTIFICATION || strcmp(o->method, m->method) == 0)) {
            lsp_send(s, lsp_make_result(o->id, lsp_empty_result(o->method)));
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
    while (s->qn < LSP_QUEUE_MAX && (ev = lsp_rd_next(&s->rd, &body, &len, &what)) != LSP_EV_NONE) {
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
    s->last_input_ms = lsp_now_ms();
    if (lsp_rd_feed(&s->rd, s->chunk, (size_t)k)) {
        tc_warn("out of memory reading a message; input dropped");
        return;
    }
    drain_reader(s); /* what does not fit waits in the reader */
}

/* ---- timers ---------------------------------------------------------------------- */

/* Run what is due; return ms until the next timer, or -1. */
static int run_timers(lsp_server *s)
{
    double now = lsp_now_ms(), next = -1;
    size_t i;
#define NEXT(t)                                            \
    do {                                                   \
        double t_ = (t);                                   \
        if (next < 0 || t_ < next) next = t_;              \
    } while (0)
    for (i = 0; i < s->ndfr;) {
        if (s->dfr[i].due_ms <= now) {
            lsp_msg m = s->dfr[i].m;
            s->dfr[i] = s->dfr[--s->ndfr];
            lsp_answer_due(s, &m);
            lsp_msg_clear(&m);
            now = lsp_now_ms();
            continue;
        }
        NEXT(s->dfr[i].due_ms);
        i++;
    }
    /* overlays (and accepted lines) follow quiet documents */
    {
        int dirty = s->sess && tc_session_dirty(s->sess);
        for (i = 0; i < s->docs.n; i++) dirty |= s->docs.v[i]->overlay_dirty;
        if (dirty && now - s->last_change_ms < LSP_OVERLAY_IDLE_MS) {
            NEXT(s->last_change_ms + LSP_OVERLAY_IDLE_MS);
        } else if (dirty) {
            for (i = 0; i < s->docs.n; i++)
                if (s->docs.v[i]->overlay_dirty) lsp_overlay_flush(s, s->docs.v[i]);
            if (s->sess) tc_session_flush(s->sess);
            lsp_engine_follow(s);
        }
    }
    /* the workspace: soon after file events, or periodically; either waits
     * for the user to rest */
    if (s->engine_full && !s->job && s->state == LSP_S_RUNNING) {
        double due = -1, rest;
        if (s->reindex_due_ms > 0) {
            due = s->reindex_due_ms;
            rest = s->last_input_ms + LSP_WATCH_EVENT_DELAY_MS;
            if (rest > due + LSP_WATCH_EVENT_MAX_MS) rest = due + LSP_WATCH_EVENT_MAX_MS;
        } else {
            if (lsp_watch_polling(s)) due = s->last_reindex_ms + s->set.reindex_s * 1000.0;
            rest = s->last_input_ms + LSP_WATCH_IDLE_MS;
        }
        if (due >= 0) {
            if (due < rest) due = rest;
            if (due <= now) lsp_reindex(s);
            else NEXT(due);
        }
    }
    if (s->job) {
        double due = lsp_progress_report(s, 0);
        if (due >= 0) NEXT(due);
    }
    if (s->oc) {
        double due = lsp_outcomes_tick(s);
        if (due >= 0) NEXT(due);
    }
    {
        double due = lsp_edits_warm(s); /* next edits: the workspace read ahead */
        if (due >= 0) NEXT(due);
    }
#undef NEXT
    if (next < 0) return -1;
    now = lsp_now_ms();
    return next <= now ? 0 : (int)(next - now) + 1;
}

/* ---- main loop ------------------------------------------------------------------- */

static int serve(lsp_server *s)
{
    while (!s->done && !s->wr.dead) {
        struct pollfd fds[2 + NET_FDS];
        int nfds = 0, timeout, in_idx = -1, wake_idx, n, readable = 0, net_t = -1;
        size_t nnet = 0;
        timeout = run_timers(s);
        if (s->qn && !s->shutdown_id) timeout = 0;
        if (!s->in_eof && s->qn < LSP_QUEUE_MAX && s->qbytes < LSP_QUEUE_BYTES_MAX) {
            in_idx = nfds;
            fds[nfds].fd = s->in_fd;
            fds[nfds++].events = POLLIN;
        }
        wake_idx = nfds;
        fds[nfds].fd = s->wake[0];
        fds[nfds++].events = POLLIN;
        /* a model server's transfers (probe, warm-up, the request in
         * flight): its sockets, and the request's deadline */
        if (s->sess) {
            nnet = tc_session_pollfds(s->sess, fds + nfds, NET_FDS, &net_t);
            nfds += (int)nnet;
            if (net_t >= 0 && (timeout < 0 || net_t < timeout)) timeout = net_t;
        }
        if (in_idx < 0 && !s->qn && s->in_eof && !s->fl.active) break;
        n = poll(fds, (nfds_t)nfds, timeout);
        if (n < 0 && errno != EINTR) break;
        if (n > 0 && (fds[wake_idx].revents & POLLIN)) {
            char tmp[64];
            while (read(s->wake[0], tmp, sizeof tmp) > 0)
                ;
            lsp_job_event(s);
        }
        if (n > 0 && in_idx >= 0 && fds[in_idx].revents) {
            read_input(s);
            readable = 1;
        }
        if (s->sess) lsp_inflight_perform(s);
        lsp_edits_perform(s);
        if (readable && !s->in_eof && s->qn < LSP_QUEUE_MAX && s->qbytes < LSP_QUEUE_BYTES_MAX) continue;
        if (s->qn && !s->shutdown_id) { /* after a shutdown, wait for its reply */
            lsp_msg m = *q_at(s, 0);
            s->qhead = (s->qhead + 1) % LSP_QUEUE_MAX;
            s->qn--;
            s->qbytes -= m.bytes;
            lsp_handle(s, &m);
            lsp_msg_clear(&m);
            drain_reader(s); /* frames that did not fit before */
        }
        if (s->in_eof && !s->qn && !s->fl.active) {
            if (lsp_rd_partial(&s->rd)) tc_warn("input ended in the middle of a message");
            break;
        }
    }
    if (!s->done) s->exit_code = s->state == LSP_S_SHUTDOWN ? 0 : 1;
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
    lsp_settings_default(&s->set, 0.3);
    lsp_rd_init(&s->rd, 2 * s->set.max_file_size + (1u << 20));
    s->chunk = malloc(READ_CHUNK);
    s->q = calloc(LSP_QUEUE_MAX, sizeof *s->q);
    if (!s->chunk || !s->q || pipe2(s->wake, O_NONBLOCK | O_CLOEXEC) != 0) goto out;
    s->last_change_ms = s->last_input_ms = lsp_now_ms();
    tc_log_set_sink(log_sink, s);
    rc = serve(s);
    lsp_outcomes_free(s); /* records what it can and writes the queue */
    keep = 0;
    lsp_inflight_drop(s, NULL, NULL);
    cJSON_Delete(s->shutdown_id);
    s->shutdown_id = NULL;
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
    lsp_edits_free(s); /* its request is on the session's client */
    tc_session_free(s->sess); /* waits for a probe still running (bounded by its timeout) */
    s->sess = NULL;
    tc_log_set_sink(NULL, NULL);
out:
    for (i = 0; i < s->qn; i++) lsp_msg_clear(q_at(s, i));
    for (i = 0; i < s->ndfr; i++) lsp_msg_clear(&s->dfr[i].m);
    lsp_inflight_free(s);
    free(s->dfr);
    free(s->q);
    free(s->chunk);
    lsp_edits_free(s);
    lsp_docs_free(&s->docs);
    tc_session_free(s->sess);
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
    static const char usage[] =
        "usage: tacit lsp [--stdio] [--cache-dir DIR] [--no-index] [--backend NAME|none] [--deadline MS] "
        "[--config FILE]\n";
    tc_lsp_opts o = {0};
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--stdio") == 0) continue;
        if (strcmp(a, "--no-index") == 0) {
            o.no_index = 1;
        } else if ((strcmp(a, "--cache-dir") == 0 || strcmp(a, "--backend") == 0 || strcmp(a, "--config") == 0 ||
                    strcmp(a, "--deadline") == 0) &&
                   !more) {
            fprintf(stderr, "tacit: %s needs a value\n%s", a, usage);
            return 2;
        } else if (strcmp(a, "--cache-dir") == 0) {
            o.cache_dir = argv[++i];
        } else if (strcmp(a, "--backend") == 0) {
            o.backend = argv[++i];
        } else if (strcmp(a, "--config") == 0) {
            o.config_file = argv[++i];
        } else if (strcmp(a, "--deadline") == 0) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (!*argv[i] || *end || v < 0 || v > 600000) {
                fprintf(stderr, "tacit: --deadline takes milliseconds, a whole number from 0 to 600000, got '%s'\n",
                        argv[i]);
                return 2;
            }
            o.deadline_ms = (int)v;
            o.deadline_set = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "tacit: unknown option '%s' for lsp\n%s", a, usage);
            return 2;
        }
    }
    return tc_lsp_run(&o, STDIN_FILENO, STDOUT_FILENO);
}
