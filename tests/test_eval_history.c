/* test_eval_history.c - what the history replay relies on: the index sees
 * a file rewritten in place with the same size within the same clock tick
 * as its last reading (the replay rewrites files between commits far
 * faster than a timestamp moves), whether it updates by walking, by paths,
 * or after a reload. Kernels since 6.13 stamp a file that was just looked
 * at with a fresh fine-grained time, so the race shows only on a file
 * system that keeps whole seconds: tests/sh/eval_history.sh runs this test
 * again in one (TACIT_TEST_COARSE_DIR, an ext4 with 128-byte inodes) when
 * it can mount one. And the line index, refreshed after an update, is the
 * one a rebuild gives. (The replay itself: tests/sh/eval_history.sh.) */
#include "test.h"
#include "retrieve/lines.h"
#include "util/buf.h"
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

/* The index of ws (cached in cache), opened with o and brought up to date;
 * NULL after a failed check. */
static tc_index *open_updated(tc_index_opts *o, const char *ws, const char *cache)
{
    tc_index *ix = NULL;
    o->root = ws;
    o->cache_dir = cache;
    o->threads = 1;
    TC_CHECK_EQ_INT(tc_index_open(o, &ix), TC_OK);
    if (ix) TC_CHECK_EQ_INT(tc_index_update(ix, NULL), TC_OK);
    return ix;
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
    if (!(ix = open_updated(&o, ws, cache))) return;
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

/* Every place of every line's successors, order 1 and 2, and of every
 * line's first tokens, as one text: two line indexes give the same text
 * exactly when they answer every query alike. */
static void lineidx_dump(tc_lineidx *li, tc_index *ix, tc_buf *out)
{
    const tc_vocab *v = tc_index_vocab(ix);
    tc_items it = {0};
    tc_lineref refs[64];
    size_t f, i, k, n, start;
    out->len = 0;
    for (f = 0; f < tc_index_nfiles(ix); f++) {
        uint32_t ids[256];
        uint64_t k1 = 0, k2 = 0;
        if (tc_index_file(ix, f)->removed || tc_index_file_items(ix, f, &it)) continue;
        for (i = 0, start = 0; i <= it.n; i++) {
            size_t m;
            if (i < it.n && TC_ITEM_ID(it.v[i]) != TC_VOCAB_EOL) continue;
            for (m = 0; m < i - start && m < 256; m++) ids[m] = TC_ITEM_ID(it.v[start + m]);
            k2 = k1;
            k1 = tc_lineidx_key(v, ids, m);
            for (k = 1; k <= 2 && k1; k++) {
                n = tc_lineidx_find(li, (int)k, k2, k1, -1, refs, 64);
                tc_buf_printf(out, "%zu:%zu", k, n);
                for (m = 0; m < n && m < 64; m++) tc_buf_printf(out, " %u.%u", refs[m].fileno, refs[m].item);
                tc_buf_puts(out, "\n");
            }
            n = tc_lineidx_prefix(li, ids, i - start < 3 ? i - start : 3, -1, refs, 64);
            tc_buf_printf(out, "p%zu\n", n);
            start = i + 1;
        }
    }
    tc_items_free(&it);
}

TC_TEST(eval_history_lineidx_refresh_equals_rebuild)
{
    char ws[512], cache[600];
    tc_index_opts o = {0};
    tc_index *ix = NULL;
    tc_lineidx *li = NULL, *fresh = NULL;
    tc_buf a = {0}, b = {0};
    snprintf(ws, sizeof ws, "%s/ws", tc_test_tmpdir());
    snprintf(cache, sizeof cache, "%s/cache", tc_test_tmpdir());
    tc_test_put(ws, "a.c", "int a(void)\n{\n    int x = 1;\n    return x;\n}\n");
    tc_test_put(ws, "b.c", "int b(void)\n{\n    int x = 1;\n    return x + 1;\n}\n");
    tc_test_put(ws, "c.c", "int c(void)\n{\n    int y = 2;\n    return y;\n}\n");
    if (!(ix = open_updated(&o, ws, cache))) return;
    TC_CHECK_EQ_INT(tc_lineidx_build(ix, &li), TC_OK);
    /* a changed, c gone, d new */
    tc_test_put(ws, "a.c", "int a(void)\n{\n    int x = 1;\n    int y = 2;\n    return x + y;\n}\n");
    {
        char path[600];
        snprintf(path, sizeof path, "%s/c.c", ws);
        TC_CHECK(remove(path) == 0);
    }
    tc_test_put(ws, "d.c", "int d(void)\n{\n    int x = 1;\n    return x;\n}\n");
    TC_CHECK_EQ_INT(tc_index_update(ix, NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_lineidx_build(ix, &fresh), TC_OK);
    lineidx_dump(li, ix, &a);
    lineidx_dump(fresh, ix, &b);
    TC_CHECK(a.len && strcmp(a.data, b.data) != 0); /* stale before the refresh: the test can fail */
    TC_CHECK_EQ_INT(tc_lineidx_refresh(li, ix), TC_OK);
    lineidx_dump(li, ix, &a);
    TC_CHECK_STR(a.data, b.data);
    TC_CHECK_EQ_INT(tc_lineidx_nlines(li), tc_lineidx_nlines(fresh));
    tc_buf_free(&a);
    tc_buf_free(&b);
    tc_lineidx_free(li);
    tc_lineidx_free(fresh);
    tc_index_free(ix);
}
