/* engine_util.h - for the suggestion tests: an engine on a scratch
 * workspace, and one request whose candidates the engine dumps
 * (TACIT_CANDS, a development switch) to be read back; tokens of a
 * vocabulary for the tests of the line sources. */
#ifndef TC_TESTS_ENGINE_UTIL_H
#define TC_TESTS_ENGINE_UTIL_H

#include "lang/lang.h"
#include "suggest/suggest.h"
#include "test.h"
#include "util/status.h"
#include "workspace/vocab.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An engine on the workspace root in mode, no threshold, its index brought
 * up to date, cached in cache (NULL: "<root>-cache"). NULL, and the running
 * test failed, when it does not open. */
static inline tc_engine *engine_open_at(const char *root, const char *cache, tc_mode mode)
{
    tc_engine_opts o;
    tc_engine *e = NULL;
    char dflt[600];
    memset(&o, 0, sizeof o);
    if (!cache) {
        snprintf(dflt, sizeof dflt, "%s-cache", root);
        cache = dflt;
    }
    o.index.root = root;
    o.index.cache_dir = cache;
    o.mode = mode;
    o.threshold = -1;
    o.update = 1;
    TC_CHECK_EQ_INT(tc_engine_open(&o, &e), TC_OK);
    return e;
}

/* engine_open_at(root, cache, TC_MODE_FULL) with the switch off ("0",
 * then unset) while it opens, when off is not NULL: the engine reads its
 * TACIT_* switches when it opens (suggest.c), so a test of a switch's
 * effect opens one engine with it on and one with it off. */
static inline tc_engine *engine_open_off(const char *root, const char *cache, const char *off)
{
    tc_engine *e;
    if (off) setenv(off, "0", 1);
    e = engine_open_at(root, cache, TC_MODE_FULL);
    if (off) unsetenv(off);
    return e;
}

/* The id of the token (kind k, text) in v, interned when new. */
static inline uint32_t test_tok(tc_vocab *v, int k, const char *text)
{
    uint32_t id = 0;
    TC_CHECK_EQ_INT(tc_vocab_intern(v, (tc_tok_kind)k, text, strlen(text), &id), 0);
    return id;
}

/* A workspace at root large enough for the learned ranker (over 20,000
 * tokens): 60 files of 6 small functions each, every one
 * `rc = ctx_check(c, n + J);`, a check of rc, `return ctx_apply(c, I*J);`. */
static inline void engine_put_ranked_repo(const char *root)
{
    char rel[64], text[2048];
    int i, j;
    for (i = 0; i < 60; i++) {
        size_t len = 0;
        snprintf(rel, sizeof rel, "src/op%d.c", i);
        len += (size_t)snprintf(text + len, sizeof text - len, "#include \"ctx.h\"\n\n");
        for (j = 0; j < 6; j++)
            len += (size_t)snprintf(text + len, sizeof text - len,
                                    "static int op%d_%d(struct ctx *c, int n)\n{\n    int rc;\n\n"
                                    "    rc = ctx_check(c, n + %d);\n    if (rc < 0)\n        return rc;\n"
                                    "    return ctx_apply(c, %d);\n}\n\n",
                                    i, j, j, i * j);
        tc_test_put(root, rel, text);
    }
}

/* One request of e in file rel on the buffer pre then suf (the cursor where
 * pre ends), its candidates dumped to the file dump (TACIT_CANDS; with each
 * one's features when features: TACIT_CANDS_F). A failure fails the
 * running test. */
static inline void engine_dump_request(tc_engine *e, const char *dump, const char *rel, const char *pre,
                                       const char *suf, int features)
{
    size_t np = strlen(pre), ns = strlen(suf);
    char *buf = malloc(np + ns + 1);
    tc_suggestion s;
    TC_CHECK(buf != NULL);
    if (!buf) return;
    memcpy(buf, pre, np);
    memcpy(buf + np, suf, ns + 1);
    remove(dump);
    setenv("TACIT_CANDS", dump, 1);
    if (features) setenv("TACIT_CANDS_F", "1", 1);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, rel, buf, np + ns, np, &s), TC_OK);
    unsetenv("TACIT_CANDS");
    unsetenv("TACIT_CANDS_F");
    tc_suggestion_free(&s);
    free(buf);
}

/* The candidates of the first request dumped to path: a cJSON array of
 * objects ("t" the text, "s" the sources' flags, "f" the features); NULL
 * when there is none. The caller cJSON_Deletes it. */
static inline cJSON *engine_dump_read(const char *path)
{
    char line[1 << 16];
    FILE *fp = fopen(path, "r");
    cJSON *a;
    if (!fp) return NULL;
    a = fgets(line, sizeof line, fp) ? cJSON_Parse(line) : NULL;
    fclose(fp);
    return a;
}

#endif
