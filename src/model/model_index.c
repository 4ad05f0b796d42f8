/* model_index.c - the model on a workspace index: files come from the index,
 * counts follow its changes through a listener, and the model file lives in
 * the index's cache folder (model.bin; format in model_io.c).
 */
#include "model/model_int.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t ix_count(void *ud)
{
    return tc_index_nfiles(ud);
}

/* Does f have content to count? An entry left by a cleared buffer that was
 * never on disk has no tokens, no buffer and no mtime. */
static int ix_present(const tc_file_info *f)
{
    return f && !f->removed && f->skip == TC_SKIP_NONE &&
           (f->ntok > 0 || f->buffer || f->mtime_ns != 0);
}

static const char *ix_path(void *ud, size_t i)
{
    const tc_file_info *f = tc_index_file(ud, i);
    return ix_present(f) ? f->path : NULL;
}

static int ix_ids(void *ud, size_t i, uint32_t **ids, size_t *n, size_t *cap)
{
    tc_items it = {*ids, 0, *cap};
    size_t k;
    int rc = tc_index_file_items(ud, i, &it);
    *ids = it.v;
    *cap = it.cap;
    *n = rc == TC_OK ? it.n : 0;
    for (k = 0; k < *n; k++) (*ids)[k] = TC_ITEM_ID((*ids)[k]);
    return rc;
}

static uint32_t ix_vocab_size(void *ud)
{
    const tc_vocab *v = tc_index_vocab_c(ud);
    return v ? tc_vocab_size(v) : TC_VOCAB_FIRST;
}

static size_t ix_ntok(void *ud, size_t i)
{
    const tc_file_info *f = tc_index_file(ud, i);
    return f ? f->ntok : 0;
}

static void on_change(void *ud, size_t fileno, const uint32_t *old_items, size_t old_n,
                      const uint32_t *new_items, size_t new_n)
{
    tc_model *m = ud;
    const tc_file_info *f = tc_index_file(m->ix, fileno);
    /* no new items: gone, unless the file is (now) empty */
    int present = new_items != NULL || (ix_present(f) && f->ntok == 0);
    size_t k;
    (void)old_items;
    (void)old_n;
    if (present && new_n > m->scratch_cap) {
        uint32_t *s = realloc(m->scratch, new_n * sizeof *s);
        if (!s) {
            m->need_rebuild = 1; /* counts are stale: recount before the next query */
            return;
        }
        m->scratch = s;
        m->scratch_cap = new_n;
    }
    for (k = 0; present && k < new_n; k++) m->scratch[k] = TC_ITEM_ID(new_items[k]);
    if (tc_model_file_changed(m, fileno, m->scratch, present ? new_n : 0, present) != TC_OK)
        m->need_rebuild = 1;
}

int tc_model_open(tc_index *ix, const tc_model_opts *opts, tc_model **out)
{
    tc_model_files src = {ix, ix_count, ix_path, ix_ids, ix_vocab_size, ix_ntok};
    char path[4096];
    const char *dir = tc_index_cache_dir(ix);
    tc_model *m;
    int rc;
    *out = NULL;
    if (dir && snprintf(path, sizeof path, "%s/model.bin", dir) >= (int)sizeof path) dir = NULL;
    rc = tc_model_new_files(&src, opts, dir ? path : NULL, &m);
    if (rc != TC_OK) return rc;
    m->ix = ix;
    if ((rc = tc_index_add_listener(ix, on_change, m)) != TC_OK) {
        tc_model_free(m);
        return rc;
    }
    *out = m;
    return TC_OK;
}

void tc_model_detach(tc_model *m)
{
    if (m && m->ix) tc_index_remove_listener(m->ix, on_change, m);
    if (m) m->ix = NULL;
}
