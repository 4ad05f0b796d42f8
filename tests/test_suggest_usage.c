/* test_suggest_usage.c - the ranker's features on how the buffer uses a
 * candidate's names (58-60) and how many candidates agree on them (61),
 * read back through the engine's TACIT_CANDS_F development dump. */
#include "engine_util.h"
#include "test.h"
#include "rank/rank.h"
#include "suggest/suggest.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The features of the candidate whose text is want in the first request
 * dumped to path (f gets TC_RANK_NF values); 1 when found. */
static int cand_features(const char *path, const char *want, double *f)
{
    cJSON *a = engine_dump_read(path), *o;
    int found = 0;
    cJSON_ArrayForEach(o, a)
    {
        cJSON *t = cJSON_GetObjectItem(o, "t"), *fa = cJSON_GetObjectItem(o, "f");
        int k;
        if (found || !cJSON_IsString(t) || strcmp(t->valuestring, want) || cJSON_GetArraySize(fa) != TC_RANK_NF)
            continue;
        for (k = 0; k < TC_RANK_NF; k++) f[k] = cJSON_GetArrayItem(fa, k)->valuedouble;
        found = 1;
    }
    cJSON_Delete(a);
    return found;
}

TC_TEST(suggest_usage_and_agreement_features)
{
    char root[512], dump[600], rel[64], text[512];
    tc_engine *e;
    double fa[TC_RANK_NF], fb[TC_RANK_NF];
    int i;
    /* the repository returns -ENOMEM and -ENODEV alike after a check */
    const char *pre = "int probe_x(struct dev *dev)\n{\n    int rc = dev_enable(dev);\n    if (rc)\n"
                      "        return -ENODEV;\n    rc = dev_map(dev);\n    if (rc)\n        return -";
    const char *suf = "\n    dev_start(dev);\n    return 0;\n}\n\nint probe_y(struct dev *dev)\n{\n"
                      "    if (dev_enable(dev))\n        return -ENODEV;\n    return 0;\n}\n";
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    for (i = 0; i < 16; i++) {
        snprintf(rel, sizeof rel, "src/drv%d.c", i);
        snprintf(text, sizeof text,
                 "int drv%d_probe(struct dev *dev)\n{\n    int rc = dev_enable(dev);\n    if (rc)\n"
                 "        return -%s;\n    rc = dev_map(dev);\n    if (rc)\n        return -%s;\n"
                 "    dev_start(dev);\n    return %d;\n}\n",
                 i, i % 2 ? "ENODEV" : "EIO", i % 3 ? "ENOMEM" : "ENODEV", i);
        tc_test_put(root, rel, text);
    }
    snprintf(dump, sizeof dump, "%s/cands.jsonl", tc_test_tmpdir());
    e = engine_open_at(root, NULL, TC_MODE_FULL);
    if (!e) return;
    engine_dump_request(e, dump, "src/new.c", pre, suf, 1);
    TC_CHECK(cand_features(dump, "ENODEV;", fa));
    TC_CHECK(cand_features(dump, "ENOMEM;", fb));
    /* ENODEV: used twice around the cursor (once above, once below), 18
     * tokens back (line ends and indentation count); ENOMEM: nowhere in
     * the buffer */
    TC_CHECK(fabs(fa[58] - log1p(2)) < 1e-4);
    TC_CHECK(fabs(fa[59] - log1p(18)) < 1e-4);
    TC_CHECK(fabs(fa[60] - 1) < 1e-6);
    TC_CHECK(fabs(fb[58]) < 1e-6);
    TC_CHECK(fabs(fb[59] - log1p(100000)) < 1e-3);
    TC_CHECK(fabs(fb[60]) < 1e-6);
    /* agreement: each name is one candidate's share at least, at most all */
    TC_CHECK(fa[61] > 0 && fa[61] <= 1);
    TC_CHECK(fb[61] > 0 && fb[61] <= 1);
    remove(dump);
    tc_engine_free(e);
}
