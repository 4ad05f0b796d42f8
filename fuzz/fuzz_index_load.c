/* fuzz_index_load.c - bytes as a persisted index image (index.tcx or
 * delta.tcx format) through the real loader, with its checksums skipped so
 * that the parser itself is exercised; then every file's tokens and every
 * vocabulary text are read back. Must never crash, hang or read outside the
 * image, whatever the bytes. */
#include "workspace/index_int.h"
#include "util/log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tc_index_opts o;
    tc_index *ix = NULL;
    tc_items it = {0};
    uint8_t *copy;
    size_t i;
    memset(&o, 0, sizeof o);
    o.root = "/";
    o.cache_dir = "/nonexistent/tacit-fuzz-cache";
    tc_log_set_quiet(2);
    if (tc_index_open(&o, &ix) != 0) return 0;
    /* an aligned private copy, as a mapping would be */
    copy = malloc(size ? size : 1);
    if (!copy) {
        tc_index_free(ix);
        return 0;
    }
    memcpy(copy, data, size);
    ix_reset(ix);
    if (ix_load_image(ix, copy, size, 0) == 0) {
        const tc_vocab *v = tc_index_vocab(ix);
        for (i = 0; i < tc_index_nfiles(ix); i++) (void)tc_index_file_items(ix, i, &it);
        if (v) {
            uint32_t id, n = tc_vocab_size(v);
            for (id = 0; id < n && id < 4096; id++) {
                size_t len;
                const char *t = tc_vocab_text(v, id, &len);
                if (len && (t[0] == 0x7f || t[len - 1] == 0x7f)) it.n++; /* touch both ends */
                (void)tc_vocab_kind(v, id);
            }
            (void)tc_vocab_lookup(v, 0, "main", 4);
        }
    }
    tc_items_free(&it);
    tc_index_free(ix);
    free(copy);
    return 0;
}
