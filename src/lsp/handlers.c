/* handlers.c - the requests and notifications other than suggestions
 * (complete.c): lifecycle, document sync, settings, acceptance, the
 * tacit/ extras, responses to our own requests; and the dispatch. */
#include "lsp/lsp_int.h"
#include "util/log.h"
#include "util/status.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- acceptance ------------------------------------------------------------------ */

/* What the user took of a suggestion: the session feeds it to the local
 * model (nothing leaves the machine). */
static void note_accept(lsp_server *s, const cJSON *a)
{
    const char *uri = lsp_get_str(a, "uri"), *text = lsp_get_str(a, "text"), *part = lsp_get_str(a, "acceptedText");
    lsp_doc *d;
    if (!uri) uri = lsp_get_str(lsp_get(a, "textDocument"), "uri");
    if (!uri || !text) {
        tc_warn("accept notice without uri and text; ignored");
        return;
    }
    d = lsp_docs_find(&s->docs, uri);
    lsp_outcomes_accept(s, uri, text, part);
    if (s->sess) tc_session_accept(s->sess, uri, d ? d->relpath : NULL, text, part);
}

/* The session: settings file < environment < initializationOptions. Bad
 * settings turn model servers off (the embedded model still answers). No
 * network here: the server is probed, off the main loop, at the first
 * suggestion. */
static void session_open(lsp_server *s, const cJSON *init)
{
    tc_session_opts so;
    char err[512];
    cJSON *server_part = lsp_settings_server_part(init);
    int rc;
    memset(&so, 0, sizeof so);
    so.root = s->root;
    so.config_file = s->opts.config_file;
    so.backend = s->opts.backend;
    so.deadline_ms = s->opts.deadline_set ? s->opts.deadline_ms : -1;
    so.threshold = s->set.threshold;
    so.init_options = server_part;
    so.probe_async = 1;
    rc = tc_session_open(&so, &s->sess, err, sizeof err);
    cJSON_Delete(server_part);
    if (rc == TC_OK) {
        tc_session_start_probe(s->sess); /* done by the first keystroke, off this thread */
        return;
    }
    tc_warn("settings: %s; model servers are off", err);
    so.init_options = NULL;
    so.backend = "none";
    so.settings_off = 1;
    if (tc_session_open(&so, &s->sess, err, sizeof err)) tc_warn("cannot start a session: %s", err);
}

/* ---- lifecycle -------------------------------------------------------------------- */

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


static void h_initialize(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    const cJSON *caps = lsp_get(m->params, "capabilities");
    cJSON *res, *c, *sync, *save, *cmds, *exe, *info;
    tc_engine_opts eo;
    int rc, completion;
    if (s->state != LSP_S_UNINIT) {
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
    s->cap_update = lsp_get_bool(lsp_get(lsp_get(caps, "experimental"), "tacit"), "suggestionUpdated", 0);
    s->cap_next_ready = lsp_get_bool(lsp_get(lsp_get(caps, "experimental"), "tacit"), "nextEditReady", 0);
    s->cap_inlay_refresh = lsp_get_bool(lsp_get(lsp_get(caps, "workspace"), "inlayHint"), "refreshSupport", 0);
    lsp_settings_default(&s->set, TC_SUGGEST_DEFAULT_THRESHOLD);
    lsp_settings_apply(&s->set, lsp_get(m->params, "initializationOptions"));
    session_open(s, lsp_get(m->params, "initializationOptions"));
    lsp_outcomes_open(s, lsp_get(m->params, "initializationOptions"));
    s->rd.max_body = 2 * s->set.max_file_size + (1u << 20);
    lsp_engine_opts(s, &eo, 1);
    rc = s->sess ? tc_session_open_engine(s->sess, &eo) : TC_ENOMEM;
    if (rc) tc_warn("cannot open an engine: %s; no suggestions", tc_strerror(rc));
    s->engine_mode = eo.mode;
    s->state = LSP_S_RUNNING;
    lsp_start_job(s);

    completion = s->set.completion == LSP_COMPLETION_AUTO ? !s->cap_inline : s->set.completion;
    if (!(res = cJSON_CreateObject())) return;
    c = cJSON_AddObjectToObject(res, "capabilities");
    cJSON_AddStringToObject(c, "positionEncoding", s->enc == LSP_ENC_UTF8 ? "utf-8" : "utf-16");
    sync = cJSON_AddObjectToObject(c, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", 1);
    cJSON_AddNumberToObject(sync, "change", 2); /* incremental */
    save = cJSON_AddObjectToObject(sync, "save");
    cJSON_AddBoolToObject(save, "includeText", 0);
    cJSON_AddBoolToObject(c, "inlineCompletionProvider", 1);
    cJSON_AddBoolToObject(c, "codeActionProvider", 1);
    cJSON_AddBoolToObject(c, "inlayHintProvider", 1);
    if (completion) {
        cJSON *cp = cJSON_AddObjectToObject(c, "completionProvider");
        cJSON_AddBoolToObject(cp, "resolveProvider", 0);
    }
    exe = cJSON_AddObjectToObject(c, "executeCommandProvider");
    cmds = cJSON_AddArrayToObject(exe, "commands");
    cJSON_AddItemToArray(cmds, cJSON_CreateString(LSP_ACCEPT_COMMAND));
    info = cJSON_AddObjectToObject(res, "serverInfo");
    cJSON_AddStringToObject(info, "name", LSP_SERVER_NAME);
    cJSON_AddStringToObject(info, "version", LSP_SERVER_VERSION);
    r->result = res;
}

static void h_initialized(lsp_server *s, lsp_msg *m)
{
    (void)m;
    s->initialized = 1;
    if (s->job && s->cap_progress && s->progress == LSP_PROGRESS_NONE) {
        cJSON *p = cJSON_CreateObject();
        if (p) cJSON_AddStringToObject(p, "token", LSP_PROGRESS_TOKEN);
        s->progress = LSP_PROGRESS_CREATING;
        lsp_send_request(s, &s->progress_id, "window/workDoneProgress/create", p);
    }
    if (s->cap_watch_dynamic && s->set.watch == LSP_WATCH_AUTO && s->root && !s->opts.no_watch) {
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
        lsp_send_request(s, &s->register_id, "client/registerCapability", p);
        s->client_watching = 1; /* until the client says no */
    }
}

/* A reply held for a model server (serverAnswers "wait") is answered
 * first: shutdown's own reply, and the messages after it, wait for it
 * (at most its deadline). A notify-mode request is dropped. */
static void h_shutdown(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    s->state = LSP_S_SHUTDOWN;
    if (s->engine_full && lsp_engine(s)) tc_index_save(tc_engine_index(lsp_engine(s))); /* best effort */
    if (s->fl.active && s->fl.m.root && (s->shutdown_id = cJSON_Duplicate(m->id, 1)) != NULL) {
        r->deferred = 1;
        return;
    }
    lsp_inflight_drop(s, NULL, NULL);
}

/* 1 if d may hold len bytes: within maxFileSize and the total for all
 * open documents. */
static int doc_fits(const lsp_server *s, const lsp_doc *d, size_t len)
{
    size_t i, total = 0;
    if (len > s->set.max_file_size) return 0;
    for (i = 0; i < s->docs.n; i++)
        if (s->docs.v[i] != d) total += s->docs.v[i]->text.len;
    return total + len <= LSP_MAX_DOC_BYTES;
}

/* A document's new content is over the limit: drop it, say so once. */
static void doc_too_big(lsp_server *s, lsp_doc *d, size_t len)
{
    if (!d->too_big)
        tc_warn("%.200s is %zu bytes, over maxFileSize (%zu) or the %u MiB for all open documents: "
                "no suggestions for it",
                d->uri, len, s->set.max_file_size, LSP_MAX_DOC_BYTES >> 20);
    d->too_big = 1;
    lsp_doc_set_text(d, "", 0);
    if (lsp_engine(s)) tc_index_clear_buffer(tc_engine_index(lsp_engine(s)), d->relpath);
    lsp_engine_follow(s);
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
    if (s->docs.n >= LSP_MAX_DOCS && !lsp_docs_find(&s->docs, uri)) {
        tc_warn("more than %d open documents; %.200s ignored", LSP_MAX_DOCS, uri);
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
    lsp_overlay_flush(s, d); /* context for the other files at once */
    lsp_engine_follow(s);
}

/* The bytes [*a, *b) of d's text that text[0..len) replaces, with the
 * common prefix and suffix left out (len - (d->text.len - *b) - *a new
 * bytes at *a). */
static void changed_range(const lsp_doc *d, const char *text, size_t len, size_t *a, size_t *b)
{
    size_t pre = 0, suf = 0, old = d->text.data ? d->text.len : 0;
    while (pre < old && pre < len && d->text.data[pre] == text[pre]) pre++;
    while (suf < old - pre && suf < len - pre && d->text.data[old - 1 - suf] == text[len - 1 - suf]) suf++;
    *a = pre;
    *b = d->text.len - suf;
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
            /* the whole text, seen as the one range that changed (the
             * common prefix and suffix kept): a whole-text client's edit
             * is one place, for outcomes and next edits alike */
            changed_range(d, text, len, &a, &b);
            lsp_outcomes_edit(s, d, a, b, text + a, len - (d->text.len - b) - a);
            lsp_edits_change(s, d, a, b, len - (d->text.len - b) - a);
            if (lsp_doc_set_text(d, text, len)) tc_warn("out of memory applying a change to %.200s", uri);
            continue;
        }
        if (d->too_big) continue; /* its content is unknown: wait for a full text */
        if (lsp_get_offset(s, d, lsp_get(range, "start"), &a) || lsp_get_offset(s, d, lsp_get(range, "end"), &b)) {
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
        lsp_outcomes_edit(s, d, a, b, text, len);
        lsp_edits_change(s, d, a, b, len);
        if (lsp_doc_replace(d, a, b, text, len)) tc_warn("out of memory applying a change to %.200s", uri);
    }
    d->overlay_dirty = !d->too_big;
    s->last_change_ms = lsp_now_ms();
    lsp_edits_changed(s, d);
}

static void h_did_close(lsp_server *s, lsp_msg *m)
{
    const char *uri = lsp_msg_uri(m);
    lsp_doc *d;
    if (!uri || !(d = lsp_docs_find(&s->docs, uri))) return;
    if (lsp_engine(s)) tc_index_clear_buffer(tc_engine_index(lsp_engine(s)), d->relpath);
    lsp_engine_follow(s);
    if (s->sess) tc_session_cache_clear(s->sess);
    lsp_outcomes_close(s, d);
    lsp_edits_close(s, d);
    lsp_docs_close(&s->docs, uri);
}

static void want_reindex(lsp_server *s)
{
    if (!s->opts.no_watch && s->set.watch != LSP_WATCH_OFF) s->reindex_due_ms = lsp_now_ms() + LSP_WATCH_EVENT_DELAY_MS;
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

static void h_configuration(lsp_server *s, lsp_msg *m)
{
    const cJSON *set = lsp_get(m->params, "settings");
    lsp_settings old = s->set;
    if (cJSON_IsObject(set) && cJSON_GetArraySize(set) > 0) {
        lsp_settings_apply(&s->set, set);
        lsp_settings_changed(s, &old);
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
        lsp_send_request(s, &s->config_id, "workspace/configuration", p);
    }
}

static void h_execute(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    const char *cmd = lsp_get_str(m->params, "command");
    const cJSON *args = lsp_get(m->params, "arguments");
    if (!cmd || strcmp(cmd, LSP_ACCEPT_COMMAND) != 0) {
        r->code = LSP_INVALID_PARAMS;
        snprintf(r->msg, sizeof r->msg, "unknown command %.100s (this server has %s)", cmd ? cmd : "(none)",
                 LSP_ACCEPT_COMMAND);
        return;
    }
    note_accept(s, cJSON_IsArray(args) ? cJSON_GetArrayItem(args, 0) : NULL);
}

static void h_did_accept(lsp_server *s, lsp_msg *m) { note_accept(s, m->params); }

static void h_stats(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    cJSON *o = cJSON_CreateObject();
    (void)m;
    if (!o) return;
    tc_session_stats ss;
    memset(&ss, 0, sizeof ss);
    if (s->sess) tc_session_stats_get(s->sess, &ss);
    cJSON_AddNumberToObject(o, "requests", (double)s->st.requests);
    cJSON_AddNumberToObject(o, "computed", (double)ss.computed);
    cJSON_AddNumberToObject(o, "cacheHits", (double)ss.cache_hits);
    cJSON_AddNumberToObject(o, "stale", (double)s->st.stale);
    cJSON_AddNumberToObject(o, "cancelled", (double)s->st.cancelled);
    cJSON_AddNumberToObject(o, "accepted", (double)ss.accepted);
    cJSON_AddNumberToObject(o, "reindexes", (double)s->st.reindexes);
    cJSON_AddNumberToObject(o, "serverRequests", (double)ss.server_requests);
    cJSON_AddNumberToObject(o, "serverAnswers", (double)ss.server_answers);
    cJSON_AddNumberToObject(o, "serverLate", (double)ss.server_late);
    cJSON_AddNumberToObject(o, "serverFailed", (double)ss.server_failed);
    cJSON_AddNumberToObject(o, "serverPending", s->fl.active);
    cJSON_AddNumberToObject(o, "serverReady", ss.server_ready);
    {
        const tc_backend_cfg *bc = s->sess ? tc_config_backend(tc_session_config(s->sess), NULL) : NULL;
        cJSON_AddStringToObject(o, "backend", bc ? bc->name : "none");
        cJSON_AddNumberToObject(o, "deadline", s->sess ? tc_session_deadline_ms(s->sess) : 0);
    }
    cJSON_AddNumberToObject(o, "updates", (double)s->st.updates);
    cJSON_AddStringToObject(o, "engine", s->engine_full ? "workspace" : "buffers");
    lsp_edits_stats(s, o);
    cJSON_AddBoolToObject(o, "indexing", s->job != NULL);
    cJSON_AddNumberToObject(o, "documents", (double)s->docs.n);
    cJSON_AddNumberToObject(o, "indexedFiles", lsp_engine(s) ? (double)tc_index_nfiles(tc_engine_index(lsp_engine(s))) : 0);
    cJSON_AddNumberToObject(o, "threshold", s->set.threshold);
    cJSON_AddStringToObject(o, "mode", tc_mode_name(s->engine_mode));
    cJSON_AddStringToObject(o, "positionEncoding", s->enc == LSP_ENC_UTF8 ? "utf-8" : "utf-16");
    lsp_outcomes_stats(s, o);
    r->result = o;
}

/* tacit/document: the server's copy of a document (for tests and for
 * debugging a client's synchronisation). */
static void h_document(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    lsp_doc *d = lsp_find_doc(s, m->params, r);
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
    if (id == (double)s->progress_id && s->progress == LSP_PROGRESS_CREATING) {
        if (err) {
            s->progress = LSP_PROGRESS_ENDED;
        } else {
            s->progress = LSP_PROGRESS_BEGUN;
            lsp_send_progress(s, "begin", s->root, 0);
            s->progress_pct = 0;
            s->progress_stage = LSP_JOB_INDEXING;
            if (!s->job) {
                lsp_send_progress(s, "end", s->progress_end, -1);
                s->progress = LSP_PROGRESS_ENDED;
            } else {
                lsp_progress_report(s, 1);
            }
        }
    } else if (id == (double)s->register_id && err) {
        s->client_watching = 0;
    } else if (id == (double)s->config_id && !err) {
        const cJSON *res = lsp_get(m->root, "result");
        lsp_settings old = s->set;
        lsp_settings_apply(&s->set, cJSON_IsArray(res) ? cJSON_GetArrayItem(res, 0) : NULL);
        lsp_settings_changed(s, &old);
    }
}

/* ---- dispatch -------------------------------------------------------------------- */

typedef void (*req_fn)(lsp_server *, lsp_msg *, lsp_reply *);
typedef void (*note_fn)(lsp_server *, lsp_msg *);

static const struct {
    const char *method;
    req_fn fn;
} requests[] = {
    {"initialize", h_initialize},
    {"shutdown", h_shutdown},
    {"textDocument/inlineCompletion", lsp_h_suggest},
    {"textDocument/completion", lsp_h_suggest},
    {"workspace/executeCommand", h_execute},
    {"tacit/stats", h_stats},
    {"tacit/document", h_document},
    {"textDocument/codeAction", lsp_h_code_action},
    {"tacit/nextEdit", lsp_h_next_edit},
    {"textDocument/inlayHint", lsp_h_inlay_hint},
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
    {"tacit/testClock", lsp_outcomes_advance},
};

static void handle_request(lsp_server *s, lsp_msg *m)
{
    lsp_reply r;
    size_t i;
    memset(&r, 0, sizeof r);
    if (s->state == LSP_S_UNINIT && strcmp(m->method, "initialize") != 0) {
        lsp_send(s, lsp_make_error(m->id, LSP_SERVER_NOT_INITIALIZED, "Server not initialized"));
        return;
    }
    if (s->state == LSP_S_SHUTDOWN) {
        lsp_send(s, lsp_make_error(m->id, LSP_INVALID_REQUEST, "Invalid request: the server is shutting down"));
        return;
    }
    if (m->cancelled) {
        s->st.cancelled++;
        lsp_send(s, lsp_make_error(m->id, LSP_REQUEST_CANCELLED, "Request cancelled"));
        return;
    }
    for (i = 0; i < sizeof requests / sizeof *requests; i++)
        if (strcmp(m->method, requests[i].method) == 0) break;
    if (i == sizeof requests / sizeof *requests) {
        snprintf(r.msg, sizeof r.msg, "Method not found: %.200s", m->method);
        lsp_send(s, lsp_make_error(m->id, LSP_METHOD_NOT_FOUND, r.msg));
        return;
    }
    requests[i].fn(s, m, &r);
    if (r.deferred) return; /* the handler kept the message */
    lsp_reply_send(s, m->id, &r);
}

void lsp_handle(lsp_server *s, lsp_msg *m)
{
    size_t i;
    switch (m->kind) {
    case LSP_MSG_INVALID:
        lsp_send(s, lsp_make_error(m->err_code == LSP_PARSE_ERROR ? NULL : m->id, m->err_code, m->err_msg));
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
            s->exit_code = s->state == LSP_S_SHUTDOWN ? 0 : 1;
            return;
        }
        if (s->state != LSP_S_RUNNING) return;
        for (i = 0; i < sizeof notifications / sizeof *notifications; i++)
            if (strcmp(m->method, notifications[i].method) == 0) {
                notifications[i].fn(s, m);
                return;
            }
        return; /* unknown notifications ($/setTrace, ...) are ignored */
    }
}