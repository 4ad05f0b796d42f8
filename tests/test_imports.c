/* test_imports.c - import candidates (suggest/imports.h): at `import `, the
 * import line of another file that brings in a name the buffer uses but
 * does not import; names already imported, or unused, are not offered. */
#include "engine_util.h"
#include "test.h"
#include "trace_sources.h"
#include "suggest/imports.h"
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
    char root[512], src[64];
    tc_engine *e;
    tc_trace *t = tc_trace_new();
    tc_suggestion s;
    /* zipWith is used below the cursor and imported nowhere in the buffer;
     * Observable is used but imported already; noop is not used */
    const char *pre = "import { Observable } from '../Observable';\nimport ";
    const char *suf = "\n\nexport function zipAll(source: Observable<number>) {\n  return zipWith(source);\n}\n";
    char buf[512];
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    js_repo(root);
    e = engine_open_at(root, NULL, TC_MODE_FULL);
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

/* One suggestion at the cursor (where pre ends; buf is pre then suf) in
 * file rel of the repository root, traced into t. */
static void suggest_at(const char *root, const char *rel, const char *pre, const char *suf, tc_trace *t,
                       tc_engine **e)
{
    char buf[1024];
    tc_suggestion s;
    if (!*e) {
        *e = engine_open_at(root, NULL, TC_MODE_FULL);
        if (!*e) return;
        tc_engine_set_trace(*e, t);
    }
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest(*e, rel, buf, strlen(buf), strlen(pre), &s), TC_OK);
    tc_suggestion_free(&s);
}

/* Does the candidate text come from the import source? */
static int from_imports(tc_trace *t, const char *text)
{
    char src[64];
    trace_sources_of(t, text, src, sizeof src);
    return strstr(src, "import") != NULL;
}

/* Five files (path_fmt with their number 0..4) of head_fmt with head then
 * body_fmt with the file's number for each of its (at most three) %d:
 * written under root, or, with e, set as the index's editor buffers over
 * the files. */
static void five_files(const char *root, tc_engine *e, const char *path_fmt, const char *head_fmt, const char *head,
                       const char *body_fmt)
{
    char rel[64], text[512];
    int i, m;
    for (i = 0; i < 5; i++) {
        snprintf(rel, sizeof rel, path_fmt, i);
        m = snprintf(text, sizeof text, head_fmt, head);
        TC_CHECK(m > 0 && (size_t)m < sizeof text);
        if (m <= 0 || (size_t)m >= sizeof text) return;
        snprintf(text + m, sizeof text - (size_t)m, body_fmt, i, i, i);
        if (e) TC_CHECK_EQ_INT(tc_index_set_buffer(tc_engine_index(e), rel, text, strlen(text), NULL), TC_OK);
        else tc_test_put(root, rel, text);
    }
}

/* Five C files lib/use0.c..use4.c under root: the include lines, then
 * body_fmt (its %d: the file's number). */
static void c_users(const char *root, const char *includes, const char *body_fmt)
{
    five_files(root, NULL, "lib/use%d.c", "%s", includes, body_fmt);
}

/* Five Go files pkg/a0.go..a4.go of package pkg importing "fmt" and the
 * specs (each `\t"path"\n`), then the function func_fmt (its two %d: the
 * file's number): written under root, or, with e, set as the index's
 * editor buffers over the files. */
static void go_pkg(const char *root, tc_engine *e, const char *specs, const char *func_fmt)
{
    five_files(root, e, "pkg/a%d.go", "package pkg\n\nimport (\n\t\"fmt\"\n%s)\n\n", specs, func_fmt);
}

TC_TEST(imports_offers_the_include_of_a_header_declaring_a_used_name)
{
    char root[512];
    tc_engine *e = NULL;
    tc_trace *t = tc_trace_new();
    /* ring_push and RING_MAX come from ring.h, list_add from list.h (already
     * included), other_fn from other.h (not used) */
    const char *suf = "\n#include <stdio.h>\n\nint grow(struct ring *r, struct list *l)\n{\n"
                      "    list_add(l, RING_MAX);\n    return ring_push(r, 1);\n}\n";
    snprintf(root, sizeof root, "%s/crepo", tc_test_tmpdir());
    tc_test_put(root, "lib/ring.h",
                "#define RING_MAX 8\nstruct ring {\n    int n;\n};\nint ring_push(struct ring *r, int x);\n");
    tc_test_put(root, "lib/list.h", "struct list {\n    int n;\n};\nvoid list_add(struct list *l, int x);\n");
    tc_test_put(root, "lib/other.h", "typedef int other_t;\nint other_fn(other_t x);\n");
    c_users(root, "#include \"list.h\"\n#include \"ring.h\"\n#include \"other.h\"\n\n",
            "int use%d(struct ring *r, struct list *l)\n{\n    list_add(l, %d);\n"
            "    return ring_push(r, other_fn(%d));\n}\n");
    TC_CHECK(t != NULL);
    if (!t) goto out;
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#", suf, t, &e);
    if (!e) goto out;
    TC_CHECK(from_imports(t, "include \"ring.h\""));
    TC_CHECK(!from_imports(t, "include \"list.h\"")); /* included already */
    TC_CHECK(!from_imports(t, "include \"other.h\"")); /* declares nothing the buffer uses */
    /* after `#include` too; not after another directive */
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#include", suf, t, &e);
    TC_CHECK(from_imports(t, " \"ring.h\""));
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#def", suf, t, &e);
    TC_CHECK(!from_imports(t, "lude \"ring.h\""));
    TC_CHECK(!from_imports(t, "ine \"ring.h\""));
    /* a partly typed directive gets the rest of the line */
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#inc", suf, t, &e);
    TC_CHECK(from_imports(t, "lude \"ring.h\""));
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#incl", suf, t, &e);
    TC_CHECK(from_imports(t, "ude \"ring.h\""));
    TC_CHECK(!from_imports(t, "ude \"list.h\""));
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n# incl", suf, t, &e);
    TC_CHECK(from_imports(t, "ude \"ring.h\""));
    /* ... and a partly typed header */
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#include \"ri", suf, t, &e);
    TC_CHECK(from_imports(t, "ng.h\""));
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#include \"ot", suf, t, &e);
    TC_CHECK(!from_imports(t, "ng.h\""));
    TC_CHECK(!from_imports(t, "her.h\""));
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#ifn", suf, t, &e);
    TC_CHECK(!from_imports(t, "def \"ring.h\""));
    TC_CHECK(!from_imports(t, "lude \"ring.h\""));
    /* once ring.h is included, nothing is wanted from it */
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#include \"ring.h\"\n#", suf, t, &e);
    TC_CHECK(!from_imports(t, "include \"ring.h\""));
    /* a buffer that defines ring_push and RING_MAX itself wants nothing */
    suggest_at(root, "lib/grow.c", "#include \"list.h\"\n#",
               "\n#define RING_MAX 4\nstruct ring {\n    int n;\n};\nint ring_push(struct ring *r, int x)\n{\n    return x;\n}\n"
               "int grow(struct ring *r, struct list *l)\n{\n    list_add(l, RING_MAX);\n"
               "    return ring_push(r, 1);\n}\n",
               t, &e);
    TC_CHECK(!from_imports(t, "include \"ring.h\""));
out:
    if (e) tc_engine_set_trace(e, NULL);
    tc_trace_free(t);
    tc_engine_free(e);
}

TC_TEST(imports_complete_an_angle_include_still_open)
{
    char root[512];
    tc_engine *e = NULL;
    tc_trace *t = tc_trace_new();
    int i;
    /* ring_push comes from include/ring/ring.h, which the other files
     * include as <ring/ring.h>. The line before the cursor, a candidate's text, whether the imports
     * offer it: the header's rest wherever the path is still open; not a
     * header nothing in the buffer wants, nor one that does not go on from
     * the typed path; not past a closed or broken path, nor at another
     * directive or an ordinary `<` */
    static const struct {
        const char *pre, *text;
        int want;
    } cases[] = {
        {"#include <ring/r", "ing.h>", 1},         {"#include <ri", "ng/ring.h>", 1},
        {"#include <", "ring/ring.h>", 1},         {"  #  include <ring/", "ring.h>", 1},
        {"#include <ring/o", "ther.h>", 0},        {"#include <x", "ring/ring.h>", 0},
        {"#include <ring/ring.h> ", "ring/ring.h>", 0}, {"#include <ring /r", "ing.h>", 0},
        {"#define R <ring/r", "ing.h>", 0},        {"int x = a <ring/r", "ing.h>", 0},
    };
    const char *suf = "\n\nint grow(struct ring *r)\n{\n    return ring_push(r, 1);\n}\n";
    snprintf(root, sizeof root, "%s/crepo_angle", tc_test_tmpdir());
    tc_test_put(root, "include/ring/ring.h", "struct ring {\n    int n;\n};\nint ring_push(struct ring *r, int x);\n");
    tc_test_put(root, "include/ring/other.h", "int other_fn(int x);\n");
    c_users(root, "#include <ring/ring.h>\n#include <ring/other.h>\n#include <sys/queue.h>\n\n",
            "int use%d(struct ring *r)\n{\n    return ring_push(r, other_fn(%d));\n}\n");
    TC_CHECK(t != NULL);
    for (i = 0; t && i < (int)(sizeof cases / sizeof *cases); i++) {
        suggest_at(root, "lib/grow.c", cases[i].pre, suf, t, &e);
        if (!e) break;
        if (from_imports(t, cases[i].text) != cases[i].want)
            fprintf(stderr, "  after \"%s\": \"%s\" %s from the imports\n", cases[i].pre, cases[i].text,
                    cases[i].want ? "not" : "comes");
        TC_CHECK_EQ_INT(from_imports(t, cases[i].text), cases[i].want);
    }
    /* a header that is no workspace file: the model's string tokens that
     * start with the typed path */
    if (e) {
        char src[64];
        suggest_at(root, "lib/grow.c", "#include <sys/q", suf, t, &e);
        trace_sources_of(t, "ueue.h>", src, sizeof src);
        TC_CHECK(strstr(src, "ngram") != NULL);
    }
    if (e) tc_engine_set_trace(e, NULL);
    tc_trace_free(t);
    tc_engine_free(e);
}

TC_TEST(imports_open_include_finds_the_angle)
{
    TC_CHECK_EQ_INT((int)tc_imports_open_include("#include <a/b", 13), 9);
    TC_CHECK_EQ_INT((int)tc_imports_open_include("# include<", 10), 9);
    TC_CHECK_EQ_INT((int)tc_imports_open_include("\t#include <a/b.h", 16), 10);
    TC_CHECK_EQ_INT((int)tc_imports_open_include("#include <a/b.h>", 16), -1);
    TC_CHECK_EQ_INT((int)tc_imports_open_include("#include <a b", 13), -1);
    TC_CHECK_EQ_INT((int)tc_imports_open_include("#include \"a/b", 13), -1);
    TC_CHECK_EQ_INT((int)tc_imports_open_include("#include", 8), -1);
    TC_CHECK_EQ_INT((int)tc_imports_open_include("#includex <a", 12), -1);
    TC_CHECK_EQ_INT((int)tc_imports_open_include("#import <a", 10), -1);
    TC_CHECK_EQ_INT((int)tc_imports_open_include("x #include <a", 13), -1);
}


TC_TEST(imports_offers_the_go_import_spec_of_a_used_package)
{
    char root[512];
    tc_engine *e = NULL;
    tc_trace *t = tc_trace_new();
    const char *pre = "package pkg\n\nimport (\n\t\"fmt\"\n\t";
    const char *suf = "\n)\n\nfunc B(s string) {\n\tfmt.Println(strings.ToLower(s), rand.Int())\n}\n";
    snprintf(root, sizeof root, "%s/gorepo", tc_test_tmpdir());
    go_pkg(root, NULL, "\t\"strings\"\n\t\"unicode/utf8\"\n\t\"math/rand/v2\"\n",
           "func A%d(s string) int {\n\tfmt.Println(strings.ToUpper(s), rand.Int())\n"
           "\treturn utf8.RuneCountInString(s) + %d\n}\n");
    TC_CHECK(t != NULL);
    if (!t) goto out;
    suggest_at(root, "pkg/b.go", pre, suf, t, &e);
    if (!e) goto out;
    TC_CHECK(from_imports(t, "\"strings\""));
    TC_CHECK(from_imports(t, "\"math/rand/v2\"")); /* the package name before a major version */
    TC_CHECK(!from_imports(t, "\"fmt\""));          /* imported already */
    TC_CHECK(!from_imports(t, "\"unicode/utf8\"")); /* not used */
    /* a partly typed path gets the rest of the spec */
    suggest_at(root, "pkg/b.go", "package pkg\n\nimport (\n\t\"fmt\"\n\t\"str", suf, t, &e);
    TC_CHECK(from_imports(t, "ings\""));
    suggest_at(root, "pkg/b.go", "package pkg\n\nimport (\n\t\"fmt\"\n\t\"math/r", suf, t, &e);
    TC_CHECK(from_imports(t, "and/v2\""));
    suggest_at(root, "pkg/b.go", "package pkg\n\nimport (\n\t\"fmt\"\n\t\"x", suf, t, &e);
    TC_CHECK(!from_imports(t, "ings\""));
    TC_CHECK(!from_imports(t, "\"strings\""));
    /* not in an import block: a fresh line in the function's body */
    suggest_at(root, "pkg/b.go", "package pkg\n\nimport (\n\t\"fmt\"\n)\n\nfunc B(s string) {\n\t",
               "\n\tfmt.Println(strings.ToLower(s))\n}\n", t, &e);
    TC_CHECK(!from_imports(t, "\"strings\""));
out:
    if (e) tc_engine_set_trace(e, NULL);
    tc_trace_free(t);
    tc_engine_free(e);
}

/* Decoded files are kept across suggestions: after the index changes a
 * file (here an editor buffer over each of them), the next suggestion
 * reads the new content, never the kept copy. */
TC_TEST(imports_follow_a_changed_file_across_suggestions)
{
    char root[512];
    tc_engine *e = NULL;
    tc_trace *t = tc_trace_new();
    const char *pre = "package pkg\n\nimport (\n\t\"fmt\"\n\t";
    const char *suf = "\n)\n\nfunc B(s string) {\n\tfmt.Println(strings.ToLower(s))\n}\n";
    const char *fn = "func A%d(s string) {\n\tfmt.Println(strings.ToUpper(s), %d)\n}\n";
    snprintf(root, sizeof root, "%s/gochanged", tc_test_tmpdir());
    go_pkg(root, NULL, "\t\"strings\"\n", fn);
    TC_CHECK(t != NULL);
    if (!t) goto out;
    suggest_at(root, "pkg/b.go", pre, suf, t, &e);
    if (!e) goto out;
    TC_CHECK(from_imports(t, "\"strings\""));
    TC_CHECK(!from_imports(t, "\"example.com/strings\""));
    /* every file now imports another package named strings */
    go_pkg(root, e, "\t\"example.com/strings\"\n", fn);
    suggest_at(root, "pkg/b.go", pre, suf, t, &e);
    TC_CHECK(from_imports(t, "\"example.com/strings\""));
    TC_CHECK(!from_imports(t, "\"strings\""));
out:
    if (e) tc_engine_set_trace(e, NULL);
    tc_trace_free(t);
    tc_engine_free(e);
}
