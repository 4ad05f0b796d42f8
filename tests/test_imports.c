/* test_imports.c - import candidates (suggest/imports.h): at `import `, the
 * import line of another file that brings in a name the buffer uses but
 * does not import; names already imported, or unused, are not offered. */
#include "test.h"
#include "trace_sources.h"
#include "suggest/suggest.h"
#include "suggest/trace.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void js_repo(const char *root)
{
    char rel[64], text[512];
    int i;
    for (i = 0; i < 6; i++) {
        snprintf(rel, sizeof rel, "src/op%d.ts", i);
        snprintf(text, sizeof text,
                 "import { Observable } from '../Observable';\n"
                 "import { EMPTY } from './empty';\n"
                 "import { noop } from '../util/noop';\n\n"
                 "export function op%d(source: Observable<number>) {\n"
                 "  return source.length > %d ? EMPTY : noop();\n"
                 "}\n",
                 i, i);
        tc_test_put(root, rel, text);
    }
    tc_test_put(root, "src/zip.ts",
                "import { zipWith } from './zipWith';\n\nexport function zip(a: number) {\n  return zipWith(a);\n}\n");
}

TC_TEST(imports_offers_the_import_of_a_used_name)
{
    char root[512], cache[600], src[64];
    tc_engine_opts o;
    tc_engine *e = NULL;
    tc_trace *t = tc_trace_new();
    tc_suggestion s;
    /* zipWith is used below the cursor and imported nowhere in the buffer;
     * Observable is used but imported already; noop is not used */
    const char *pre = "import { Observable } from '../Observable';\nimport ";
    const char *suf = "\n\nexport function zipAll(source: Observable<number>) {\n  return zipWith(source);\n}\n";
    char buf[512];
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    snprintf(cache, sizeof cache, "%s-cache", root);
    js_repo(root);
    memset(&o, 0, sizeof o);
    o.index.root = root;
    o.index.cache_dir = cache;
    o.mode = TC_MODE_FULL;
    o.threshold = -1;
    o.update = 1;
    TC_CHECK_EQ_INT(tc_engine_open(&o, &e), TC_OK);
    TC_CHECK(t != NULL);
    if (!e || !t) goto out;
    tc_engine_set_trace(e, t);
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/zipAll.ts", buf, strlen(buf), strlen(pre), &s), TC_OK);
    tc_suggestion_free(&s);
    trace_sources_of(t, "{ zipWith } from './zipWith';", src, sizeof src);
    TC_CHECK(strstr(src, "import") != NULL);
    trace_sources_of(t, "{ Observable } from '../Observable';", src, sizeof src);
    TC_CHECK(!strstr(src, "import"));
    trace_sources_of(t, "{ noop } from '../util/noop';", src, sizeof src);
    TC_CHECK(!strstr(src, "import"));
    /* the typed prefix is respected: `import { z` offers it, `import { q` not */
    pre = "import { Observable } from '../Observable';\nimport { z";
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/zipAll.ts", buf, strlen(buf), strlen(pre), &s), TC_OK);
    tc_suggestion_free(&s);
    trace_sources_of(t, "ipWith } from './zipWith';", src, sizeof src);
    TC_CHECK(strstr(src, "import") != NULL);
    pre = "import { Observable } from '../Observable';\nimport { q";
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/zipAll.ts", buf, strlen(buf), strlen(pre), &s), TC_OK);
    tc_suggestion_free(&s);
    trace_sources_of(t, "ipWith } from './zipWith';", src, sizeof src);
    TC_CHECK(!strstr(src, "import"));
    /* not at an import line: no import candidates */
    pre = "import { Observable } from '../Observable';\nconst ";
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/zipAll.ts", buf, strlen(buf), strlen(pre), &s), TC_OK);
    tc_suggestion_free(&s);
    trace_sources_of(t, "{ zipWith } from './zipWith';", src, sizeof src);
    TC_CHECK(!strstr(src, "import"));
out:
    if (e) tc_engine_set_trace(e, NULL);
    tc_trace_free(t);
    tc_engine_free(e);
}
