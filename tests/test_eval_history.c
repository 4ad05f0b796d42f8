/* test_eval_history.c - what the history replay relies on: the index sees
 * a file rewritten in place with the same size within the same clock tick
 * as its last reading (the replay rewrites files between commits far
 * faster than a timestamp moves), whether it updates by walking, by paths,
 * or after a reload. Kernels since 6.13 stamp a file that was just looked
 * at with a fresh fine-grained time, so the race shows only on a file
 * system that keeps whole seconds: tests/sh/eval_history.sh runs this test
 * again in one (TACIT_TEST_COARSE_DIR, an ext4 with 128-byte inodes) when
 * it can mount one. (The replay itself: tests/sh/eval_history.sh.) */
#include "test.h"
#include "util/status.h"
#include "workspace/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>

/* Rewrite dir/a.c in place (same inode, same size) with version i. */
static void rewrite(const char *dir, int i, char *text, size_t cap)
{
    char path[600];
    FILE *fp;
    snprintf(text, cap, "int value_%03d = %03d;\n", i, i);
    snprintf(path, sizeof path, "%s/a.c", dir);
    fp = fopen(path, "r+");
    TC_CHECK(fp != NULL);
    if (!fp) return;
    fputs(text, fp);
    fclose(fp);
}

static uint64_t indexed_hash(tc_index *ix)
{
    long f = tc_index_find(ix, "a.c");
    return f < 0 ? 0 : tc_index_file(ix, (size_t)f)->hash;
}

TC_TEST(eval_history_index_sees_same_tick_rewrites)
{
    char ws[512], cache[600], text[64];
    const char *one[1] = {"a.c"};
    tc_index_opts o = {0};
    tc_index *ix = NULL;
    const char *coarse = getenv("TACIT_TEST_COARSE_DIR");
    int i, missed = 0;
    snprintf(ws, sizeof ws, "%s/ws", coarse && *coarse ? coarse : tc_test_tmpdir());
    snprintf(cache, sizeof cache, "%s/cache", tc_test_tmpdir());
    snprintf(text, sizeof text, "int value_%03d = %03d;\n", 0, 0);
    tc_test_put(ws, "a.c", text);
    o.root = ws;
    o.cache_dir = cache;
    o.threads = 1;
    TC_CHECK_EQ_INT(tc_index_open(&o, &ix), TC_OK);
    if (!ix) return;
    TC_CHECK_EQ_INT(tc_index_update(ix, NULL), TC_OK);
    /* walk and paths, alternately: each rewrite follows an update at once */
    for (i = 1; i <= 60; i++) {
        rewrite(ws, i, text, sizeof text);
        TC_CHECK_EQ_INT(i & 1 ? tc_index_update(ix, NULL) : tc_index_update_paths(ix, one, 1, NULL), TC_OK);
        missed += indexed_hash(ix) != XXH3_64bits(text, strlen(text));
    }
    TC_CHECK_EQ_INT(missed, 0);
    /* saved, rewritten at once, reloaded: still seen */
    TC_CHECK_EQ_INT(tc_index_save(ix), TC_OK);
    tc_index_free(ix);
    ix = NULL;
    rewrite(ws, 99, text, sizeof text);
    TC_CHECK_EQ_INT(tc_index_open(&o, &ix), TC_OK);
    if (!ix) return;
    TC_CHECK_EQ_INT(tc_index_update(ix, NULL), TC_OK);
    TC_CHECK(indexed_hash(ix) == XXH3_64bits(text, strlen(text)));
    tc_index_free(ix);
}
