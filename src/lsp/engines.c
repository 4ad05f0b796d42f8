/* engines.c - which engine answers. At initialize, an engine over no files
 * (the open buffers are its only context) answers from the first request;
 * a background job (job.c) indexes the workspace and builds a full engine;
 * when it is ready the open buffers are laid over its index and it
 * replaces the first one in the session. Afterwards the workspace is
 * re-walked on the index's fast path after file events or periodically. */
#include "lsp/lsp_int.h"
#include "util/log.h"
#include "util/status.h"

#include <stdio.h>
#include <string.h>

tc_engine *lsp_engine(lsp_server *s) { return s->sess ? tc_session_engine(s->sess) : NULL; }

void lsp_engine_opts(const lsp_server *s, tc_engine_opts *eo, int empty)
{
    memset(eo, 0, sizeof *eo);
    eo->index.root = s->root ? s->root : "/";
    eo->index.cache_dir = empty ? LSP_EMPTY_CACHE_DIR : s->opts.cache_dir;
    eo->mode = s->set.mode;
    eo->index.secret_files = s->sess ? tc_session_config(s->sess)->secret_files : NULL;
    eo->threshold = 0; /* the session gates (the threshold can change live) */
}

void lsp_overlay_flush(lsp_server *s, lsp_doc *d)
{
    tc_engine *e = lsp_engine(s);
    int rc;
    if (!e || d->too_big) {
        d->overlay_dirty = 0;
        return;
    }
    rc = tc_index_set_buffer(tc_engine_index(e), d->relpath, d->text.data, d->text.len, NULL);
    if (rc && rc != TC_ETOOBIG) tc_warn("cannot update the index for %s: %s", d->uri, tc_strerror(rc));
    d->overlay_dirty = 0;
}

void lsp_engine_follow(lsp_server *s)
{
    tc_engine *e = lsp_engine(s);
    int rc = e ? tc_engine_refresh(e) : TC_OK;
    if (rc) tc_warn("cannot bring the line index up to date: %s", tc_strerror(rc));
}

void lsp_start_job(lsp_server *s)
{
    tc_engine_opts eo;
    int rc;
    if (!s->root || s->opts.no_index || s->job) return;
    lsp_engine_opts(s, &eo, 0);
    rc = lsp_job_start(&eo, s->wake[1], &s->job);
    if (rc) {
        tc_warn("cannot start indexing %s: %s; suggestions use the open files only", s->root, tc_strerror(rc));
        return;
    }
    s->job_mode = eo.mode;
    if (s->cap_progress && s->initialized && s->progress == LSP_PROGRESS_NONE) {
        cJSON *p = cJSON_CreateObject();
        if (p) cJSON_AddStringToObject(p, "token", LSP_PROGRESS_TOKEN);
        s->progress = LSP_PROGRESS_CREATING;
        lsp_send_request(s, &s->progress_id, "window/workDoneProgress/create", p);
    }
}

double lsp_progress_report(lsp_server *s, int force)
{
    double now = lsp_now_ms();
    uint32_t done, total;
    int pct, stage;
    char msg[64];
    if (!s->job || s->progress != LSP_PROGRESS_BEGUN) return -1;
    if (!force && now < s->progress_next_ms) return s->progress_next_ms;
    stage = lsp_job_stage(s->job);
    pct = lsp_job_percent(s->job, &done, &total);
    if (stage == LSP_JOB_DONE) return -1; /* the wake-up brings the end */
    if (pct > s->progress_pct || stage != s->progress_stage) {
        if (pct < s->progress_pct) pct = s->progress_pct;
        if (stage == LSP_JOB_MODEL) snprintf(msg, sizeof msg, "building the model");
        else snprintf(msg, sizeof msg, "%u/%u files", done, total);
        lsp_send_progress(s, "report", msg, pct);
        s->progress_pct = pct;
        s->progress_stage = stage;
        s->progress_next_ms = now + LSP_PROGRESS_REPORT_MS;
    }
    return now < s->progress_next_ms ? s->progress_next_ms : now + LSP_PROGRESS_REPORT_MS;
}

void lsp_job_event(lsp_server *s)
{
    tc_engine *e = NULL;
    tc_index_stats st;
    int rc;
    size_t i;
    if (!s->job) return;
    if (lsp_job_stage(s->job) != LSP_JOB_DONE) {
        lsp_progress_report(s, 1);
        return;
    }
    memset(&st, 0, sizeof st);
    rc = lsp_job_finish(s->job, &e, &st);
    s->job = NULL;
    if (rc || !e || !s->sess) {
        if (rc != TC_ECANCEL) tc_warn("indexing %s failed: %s; suggestions use the open files only", s->root,
                                      tc_strerror(rc));
        tc_engine_free(e);
        snprintf(s->progress_end, sizeof s->progress_end, "indexing failed");
        if (s->progress == LSP_PROGRESS_BEGUN) lsp_send_progress(s, "end", s->progress_end, -1);
        if (s->progress != LSP_PROGRESS_CREATING) s->progress = LSP_PROGRESS_ENDED;
        return;
    }
    /* swap (the session lays its accepted lines over the new index), then
     * lay the open buffers over it */
    lsp_inflight_drop(s, NULL, NULL);
    tc_session_set_engine(s->sess, e);
    s->engine_full = 1;
    s->engine_mode = s->job_mode;
    for (i = 0; i < s->docs.n; i++) lsp_overlay_flush(s, s->docs.v[i]);
    lsp_engine_follow(s);
    s->st.swaps++;
    s->last_reindex_ms = lsp_now_ms();
    snprintf(s->progress_end, sizeof s->progress_end, "indexed %u files in %.1f s", st.files_indexed,
             st.seconds);
    if (s->progress == LSP_PROGRESS_BEGUN) lsp_send_progress(s, "end", s->progress_end, -1);
    tc_info("%s (%s)", s->progress_end, s->root);
    /* a token still being created reports begin and end when it is */
    if (s->progress != LSP_PROGRESS_CREATING) s->progress = LSP_PROGRESS_ENDED;
    if (s->engine_mode != s->set.mode) lsp_start_job(s);
}

/* The mode changed: the workspace engine is rebuilt in the background; an
 * engine over the open files only switches at once (it is small). */
void lsp_apply_mode(lsp_server *s)
{
    tc_engine *e = lsp_engine(s);
    if (!e || s->engine_mode == s->set.mode) return;
    if (s->engine_full) {
        if (!s->job) lsp_start_job(s);
        return;
    }
    if (tc_engine_set_mode(e, s->set.mode) == TC_OK) s->engine_mode = s->set.mode;
    tc_session_cache_clear(s->sess);
}

void lsp_reindex(lsp_server *s)
{
    tc_index_stats st;
    tc_engine *e = lsp_engine(s);
    if (!s->engine_full || s->job || !e) return;
    memset(&st, 0, sizeof st);
    if (tc_index_update(tc_engine_index(e), &st) == TC_OK && (st.files_relexed || st.files_removed)) {
        tc_info("re-indexed %s: %u files changed, %u removed", s->root, st.files_relexed, st.files_removed);
        lsp_engine_follow(s);
        tc_session_cache_clear(s->sess);
    }
    s->st.reindexes++;
    s->last_reindex_ms = lsp_now_ms();
    s->reindex_due_ms = 0;
}

int lsp_watch_polling(const lsp_server *s)
{
    if (s->opts.no_watch || s->set.watch == LSP_WATCH_OFF) return 0;
    return s->set.watch == LSP_WATCH_POLL || !s->client_watching;
}
