/* job.c - the background engine build.
 *
 * Engines are not thread-safe, so the server never shares one: the thread
 * builds its own (index brought up to date and saved, then the engine
 * opened on it and its model saved for the next start) and hands it over
 * whole. The server keeps answering on its current engine meanwhile.
 * Cancellation is checked between stages (a stage itself runs to its end,
 * which on a large workspace can take minutes): a server that must exit
 * sooner abandons the job, which then finishes on its own and frees
 * itself (or dies with the process).
 */
#include "lsp/lsp_int.h"
#include "util/status.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct lsp_job {
    tc_engine_opts opts;
    char *root, *cache_dir, *secret_files; /* owned copies behind opts.index */
    int wake_fd;            /* the job's own copy (dup), closed by the job */
    pthread_t thread;
    atomic_int stage;  /* LSP_JOB_* */
    atomic_int cancel; /* 1: stop at the next stage boundary */
    atomic_int refs;   /* 2 while both the thread and the server hold it */
    tc_index_progress counts; /* the index update's files read / to read */
    int rc;
    tc_engine *engine;
    tc_index_stats stats;
};

static void job_wake(lsp_job *j)
{
    char c = 1;
    ssize_t k;
    do k = write(j->wake_fd, &c, 1);
    while (k < 0 && errno == EINTR); /* EAGAIN: a wake-up is pending anyway */
}

static void job_free(lsp_job *j)
{
    tc_engine_free(j->engine);
    free(j->root);
    free(j->cache_dir);
    free(j->secret_files);
    free(j);
}

static void *job_main(void *arg)
{
    lsp_job *j = arg;
    tc_index *ix = NULL;
    tc_engine_opts eo = j->opts;
    int saved = 0;
    j->rc = tc_index_open(&j->opts.index, &ix);
    if (!j->rc && !atomic_load(&j->cancel)) {
        j->rc = tc_index_update(ix, &j->stats);
        if (!j->rc) saved = tc_index_save(ix) == TC_OK;
    }
    tc_index_free(ix);
    atomic_store(&j->stage, LSP_JOB_MODEL);
    job_wake(j);
    if (!j->rc && !atomic_load(&j->cancel)) {
        /* the saved index loads in milliseconds; if it could not be saved,
         * index again in the engine (it tolerates an unwritable cache) */
        eo.update = !saved;
        eo.index.counts = NULL; /* the engine's index outlives the job */
        j->rc = tc_engine_open(&eo, &j->engine);
        if (!j->rc && tc_engine_model(j->engine) && !atomic_load(&j->cancel))
            tc_model_save(tc_engine_model(j->engine)); /* best effort: it warns itself */
    }
    if (!j->rc && atomic_load(&j->cancel)) j->rc = TC_ECANCEL;
    if (j->rc) {
        tc_engine_free(j->engine);
        j->engine = NULL;
    }
    atomic_store(&j->stage, LSP_JOB_DONE);
    job_wake(j);
    close(j->wake_fd);
    if (atomic_fetch_sub(&j->refs, 1) == 1) job_free(j); /* abandoned */
    return NULL;
}

int lsp_job_start(const tc_engine_opts *opts, int wake_fd, lsp_job **out)
{
    lsp_job *j = calloc(1, sizeof *j);
    *out = NULL;
    if (!j) return TC_ENOMEM;
    j->opts = *opts;
    j->root = strdup(opts->index.root);
    j->cache_dir = opts->index.cache_dir ? strdup(opts->index.cache_dir) : NULL;
    j->secret_files = opts->index.secret_files ? strdup(opts->index.secret_files) : NULL;
    if (!j->root || (opts->index.cache_dir && !j->cache_dir) || (opts->index.secret_files && !j->secret_files))
        goto nomem;
    j->opts.index.root = j->root;
    j->opts.index.cache_dir = j->cache_dir;
    j->opts.index.secret_files = j->secret_files;
    j->opts.index.progress = 0;
    j->opts.index.counts = &j->counts;
    j->wake_fd = dup(wake_fd);
    if (j->wake_fd < 0) {
        job_free(j);
        return TC_EIO;
    }
    atomic_init(&j->counts.done, 0);
    atomic_init(&j->counts.total, 0);
    atomic_init(&j->stage, LSP_JOB_INDEXING);
    atomic_init(&j->cancel, 0);
    atomic_init(&j->refs, 2);
    if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
        close(j->wake_fd);
        job_free(j);
        return TC_EIO;
    }
    *out = j;
    return TC_OK;
nomem:
    job_free(j);
    return TC_ENOMEM;
}

int lsp_job_stage(lsp_job *j) { return atomic_load(&j->stage); }

int lsp_job_percent(lsp_job *j, uint32_t *done, uint32_t *total)
{
    int stage = atomic_load(&j->stage);
    uint32_t t = atomic_load(&j->counts.total), d = atomic_load(&j->counts.done);
    if (d > t) d = t; /* total is stored after done is zeroed: a reader may see them mid-reset */
    if (done) *done = d;
    if (total) *total = t;
    if (stage == LSP_JOB_DONE) return 100;
    if (stage == LSP_JOB_MODEL) return LSP_JOB_INDEX_SHARE;
    return t ? (int)((uint64_t)d * LSP_JOB_INDEX_SHARE / t) : 0;
}

void lsp_job_cancel(lsp_job *j) { atomic_store(&j->cancel, 1); }

int lsp_job_finish(lsp_job *j, tc_engine **engine, tc_index_stats *stats)
{
    int rc;
    pthread_join(j->thread, NULL);
    rc = j->rc;
    if (engine) {
        *engine = j->engine;
        j->engine = NULL;
    }
    if (stats) *stats = j->stats;
    job_free(j);
    return rc;
}

int lsp_job_wait(lsp_job *j, int ms)
{
    for (; ms > 0 && atomic_load(&j->stage) != LSP_JOB_DONE; ms -= 10) usleep(10 * 1000);
    return atomic_load(&j->stage) == LSP_JOB_DONE;
}

void lsp_job_abandon(lsp_job *j)
{
    atomic_store(&j->cancel, 1);
    pthread_detach(j->thread);
    if (atomic_fetch_sub(&j->refs, 1) == 1) job_free(j); /* it had finished */
}
