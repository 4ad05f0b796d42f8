/* test_suggest.c - the engine on small repositories written by the tests:
 * golden suggestions, staying quiet, post-processing, and the honesty rule
 * (a case's own file on disk never leaks into its suggestion). */
#include "engine_util.h"
#include "test.h"
#include "trace_sources.h"
#include "eval/eval.h"
#include "lang/lang.h"
#include "retrieve/lines.h"
#include "suggest/post.h"
#include "suggest/suggest.h"
#include "suggest/trace.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static tc_engine *open_engine(const char *root, tc_mode mode)
{
    char cache[600];
    snprintf(cache, sizeof cache, "%s-cache-%d", root, (int)mode);
    return engine_open_at(root, cache, mode);
}

/* Suggest at the end of prefix (the buffer is prefix + suffix). */
static char *suggest(tc_engine *e, const char *path, const char *prefix, const char *suffix, double *conf)
{
    size_t np = strlen(prefix), ns = strlen(suffix);
    char *buf = malloc(np + ns + 1);
    tc_suggestion s;
    memcpy(buf, prefix, np);
    memcpy(buf + np, suffix, ns + 1);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, path, buf, np + ns, np, &s), TC_OK);
    free(buf);
    if (conf) *conf = s.confidence;
    return s.text;
}

/* A repository where one idiom recurs in many files. */
static void idiom_repo(const char *root)
{
    char rel[64], text[512];
    int i;
    for (i = 0; i < 12; i++) {
        snprintf(rel, sizeof rel, "pkg/mod%d.py", i);
        snprintf(text, sizeof text,
                 "import logging\n\n"
                 "log = logging.getLogger(__name__)\n\n\n"
                 "def handler_%d(request):\n"
                 "    if request is None:\n"
                 "        raise ValueError(\"request is required\")\n"
                 "    log.debug(\"handling %%s\", request.path)\n"
                 "    return request.reply(status=%d)\n",
                 i, 200 + i);
        tc_test_put(root, rel, text);
    }
}

TC_TEST(suggest_golden_idiom_line_start_and_mid_line)
{
    char root[512];
    tc_engine *e;
    char *s;
    double conf;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    idiom_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    /* mid-line after the first word */
    s = suggest(e, "pkg/new.py", "import logging\n\nlog", "\n", &conf);
    TC_CHECK_STR(s, " = logging.getLogger(__name__)");
    TC_CHECK(conf >= tc_engine_threshold(e));
    free(s);
    /* line start after the indentation */
    s = suggest(e, "pkg/new.py",
                "import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef handler_x(request):\n"
                "    if request is None:\n        ",
                "\n", &conf);
    TC_CHECK_STR(s, "raise ValueError(\"request is required\")");
    free(s);
    /* completes a partial word */
    s = suggest(e, "pkg/new.py", "import logging\n\nlog = logging.getLog", "\n", NULL);
    TC_CHECK_STR(s, "ger(__name__)");
    free(s);
    tc_engine_free(e);
}

TC_TEST(suggest_never_repeats_the_suffix)
{
    char root[512];
    tc_engine *e;
    char *s;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    idiom_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    /* the editor auto-closed the parenthesis: it is not inserted again */
    s = suggest(e, "pkg/new.py", "import logging\n\nlog = logging.getLogger(", ")\n", NULL);
    TC_CHECK_STR(s, "__name__");
    free(s);
    tc_engine_free(e);
}

TC_TEST(suggest_quiet_when_unsure)
{
    char root[512];
    tc_engine *e;
    char *s;
    double conf;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    idiom_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    /* nothing in the repository predicts what follows a fresh name */
    s = suggest(e, "other/x.py", "zqxv_unheard_of = ", "\n", &conf);
    TC_CHECK_STR(s, "");
    TC_CHECK(conf < tc_engine_threshold(e));
    free(s);
    tc_engine_free(e);
}

/* Append about n bytes of filler lines to b: top-level assignments named
 * after tag, or (indented) the body of one function. */
static void filler(tc_buf *b, size_t n, char tag, int indented)
{
    size_t start = b->len;
    int i = 0;
    if (indented) TC_CHECK_EQ_INT(tc_buf_printf(b, "def filler_%c():\n", tag), TC_OK);
    for (; b->len - start < n; i++)
        TC_CHECK_EQ_INT(tc_buf_printf(b, "%sval_%c%05d = %d\n", indented ? "    " : "", tag, i, i % 7), TC_OK);
}

/* The suggestion at the end of near in a 300 KB buffer: 150 KB of far
 * filler (named after tag), 60 KB of common filler (indented: one
 * function's body), near, the cursor, a line break, 30 KB of common filler
 * and 60 KB of far filler; with its confidence. */
static char *suggest_far(tc_engine *e, const char *near, char tag, int indented, double *conf)
{
    tc_buf b = {0};
    tc_suggestion s;
    size_t cursor;
    filler(&b, 150000, tag, 0);
    filler(&b, 60000, 'n', indented);
    TC_CHECK_EQ_INT(tc_buf_puts(&b, near), TC_OK);
    cursor = b.len;
    TC_CHECK_EQ_INT(tc_buf_puts(&b, "\n"), TC_OK);
    filler(&b, 30000, 'm', 0);
    filler(&b, 60000, tag, 0);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "pkg/big.py", b.data, b.len, cursor, &s), TC_OK);
    tc_buf_free(&b);
    *conf = s.confidence;
    return s.text;
}

TC_TEST(suggest_large_buffer_reads_a_window)
{
    /* A buffer of 300 KB is lexed only around the cursor: a suggestion
     * deep in it is the golden one (the partial word's offset is the
     * window's), and text far from the cursor (60 KB before it, 30 KB
     * after its line) does not change it or its confidence. */
    static const char *const near[] = {
        "import logging\n\nlog = logging.getLog",
        "import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef handler_x(request):\n"
        "    if request is None:\n        ",
    };
    static const char *const want[] = {"ger(__name__)", "raise ValueError(\"request is required\")"};
    char root[512];
    tc_engine *e;
    size_t i;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    idiom_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    for (i = 0; i < sizeof near / sizeof *near; i++) {
        double c1, c2, c3;
        char *s1 = suggest_far(e, near[i], 'a', 0, &c1);
        char *s2 = suggest_far(e, near[i], 'b', 0, &c2);
        /* a window starting in an indented block (no top-level line near) */
        char *s3 = suggest_far(e, near[i], 'c', 1, &c3);
        TC_CHECK_STR(s1, want[i]);
        TC_CHECK_STR(s2, s1);
        TC_CHECK(c1 == c2);
        TC_CHECK_STR(s3, want[i]);
        free(s1);
        free(s2);
        free(s3);
    }
    tc_engine_free(e);
}

TC_TEST(suggest_honesty_disk_copy_never_leaks)
{
    /* The expected line exists only in the case's own file on disk. The
     * buffer (prefix + suffix) lacks it; no mode may suggest it. */
    char root[512];
    const char *secret = "    return frobnicate_quux_zzyzx(alpha, beta_gamma_delta)\n";
    char disk[1024];
    int mode;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    idiom_repo(root);
    snprintf(disk, sizeof disk, "def compute(alpha, beta_gamma_delta):\n%s\n\n"
                                "def again(alpha, beta_gamma_delta):\n%s",
             secret, secret);
    tc_test_put(root, "pkg/target.py", disk);
    for (mode = 0; mode < TC_MODE_COUNT; mode++) {
        tc_engine *e = open_engine(root, (tc_mode)mode);
        char *s;
        if (!e) continue;
        s = suggest(e, "pkg/target.py", "def compute(alpha, beta_gamma_delta):\n    return ", "\n", NULL);
        TC_CHECK(strstr(s, "frobnicate") == NULL);
        free(s);
        s = suggest(e, "pkg/target.py", "def compute(alpha, beta_gamma_delta):\n    return frob", "\n", NULL);
        TC_CHECK(strstr(s, "nicate_quux") == NULL);
        free(s);
        tc_engine_free(e);
    }
    /* ... while the same line in another file is fair context */
    tc_test_put(root, "pkg/neighbour.py", disk);
    {
        tc_engine *e = open_engine(root, TC_MODE_FULL);
        char *s;
        if (e) {
            s = suggest(e, "pkg/target.py", "def compute(alpha, beta_gamma_delta):\n    return frob", "\n", NULL);
            TC_CHECK_STR(s, "nicate_quux_zzyzx(alpha, beta_gamma_delta)");
            free(s);
            tc_engine_free(e);
        }
    }
}

TC_TEST(suggest_eval_mask_on_fixture)
{
    /* tc_cases_mask + tc_eval_run end to end: every case's text is the
     * file's text, cases alternate kinds, and the idiom is found. */
    char root[512];
    tc_engine *e;
    tc_engine_opts o;
    tc_caseset cs = {0};
    tc_answer *a = NULL;
    tc_metrics m[4];
    size_t i, nm;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    idiom_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    TC_CHECK_EQ_INT(tc_cases_mask(tc_engine_index(e), 40, 1, &cs), TC_OK);
    TC_CHECK_EQ_INT(cs.n, 40);
    for (i = 0; i < cs.n; i++) {
        TC_CHECK(strlen(cs.v[i].expected) > 0);
        TC_CHECK_STR(cs.v[i].kind, i % 2 ? "mid-line" : "line-start");
    }
    memset(&o, 0, sizeof o);
    o.threshold = -1;
    TC_CHECK_EQ_INT(tc_eval_run(&o, e, &cs, &a), TC_OK);
    nm = tc_eval_metrics(&cs, a, m, 4);
    TC_CHECK(nm == 3);
    TC_CHECK(m[0].em > 0.5); /* a repository of one idiom is easy */
    TC_CHECK(m[0].precision >= m[0].em);
    tc_answers_free(a, cs.n);
    tc_caseset_free(&cs);
    tc_engine_free(e);
}

TC_TEST(post_line_rules)
{
    char s[128];
    size_t n;
    /* overlap with the rest of the line */
    strcpy(s, "foo(a, b))");
    n = tc_post_line("x = ", 4, ")", 1, s, strlen(s));
    TC_CHECK_EQ_INT(n, 9);
    strcpy(s, "bar()\nmore");
    n = tc_post_line("", 0, "", 0, s, strlen(s));
    TC_CHECK_EQ_INT(n, 5); /* single line */
    strcpy(s, "a)  ");
    n = tc_post_line("f(", 2, "", 0, s, strlen(s));
    TC_CHECK_EQ_INT(n, 2); /* closes the line's own bracket; trailing space dropped */
    strcpy(s, "a))");
    n = tc_post_line("f(", 2, "", 0, s, strlen(s));
    TC_CHECK_EQ_INT(n, 2); /* an unmatched closer ends the suggestion */
    strcpy(s, "\")\"");
    n = tc_post_line("f(", 2, "", 0, s, strlen(s));
    TC_CHECK_EQ_INT(n, 3); /* brackets inside strings do not count */
    strcpy(s, "if x:");
    n = tc_post_line("", 0, "", 0, s, strlen(s));
    TC_CHECK_EQ_INT(n, 5);
}

TC_TEST(post_replace_suffix_and_closers)
{
    char cl[16];
    /* an editor auto-closed "(": a suggestion that closes it itself
     * replaces the inserted ")" */
    TC_CHECK_EQ_INT(tc_post_replace_suffix("api_incr_top(", 13, "L);", 3, ")", 1), 1);
    TC_CHECK_EQ_INT(tc_post_replace_suffix("api_incr_top(", 13, "L);", 3, ")  \n", 4), 1);
    /* ... one that leaves it open keeps it */
    TC_CHECK_EQ_INT(tc_post_replace_suffix("api_incr_top(", 13, "L", 1, ")", 1), 0);
    /* ";" the suggestion ends with replaces the inserted one */
    TC_CHECK_EQ_INT(tc_post_replace_suffix("f(", 2, "x);", 3, ");", 2), 2);
    /* anything else after the cursor: no replacement */
    TC_CHECK_EQ_INT(tc_post_replace_suffix("f(", 2, "x)", 2, ") + y", 5), 0);
    TC_CHECK_EQ_INT(tc_post_replace_suffix("f(", 2, "x)", 2, "", 0), 0);
    /* the closers a line needs, innermost first; strings ignored */
    TC_CHECK_EQ_INT(tc_post_closers("setobj2s(L, s2v(ra", 18, cl, sizeof cl), 2);
    TC_CHECK_STR(cl, "))");
    TC_CHECK_EQ_INT(tc_post_closers("a[f(\"(\"", 8, cl, sizeof cl), 2);
    TC_CHECK_STR(cl, ")]");
    TC_CHECK_EQ_INT(tc_post_closers("f(x);", 5, cl, sizeof cl), 0);
}

/* A C repository where calls recur in every function. */
static void c_repo(const char *root)
{
    char rel[64], text[1024];
    int i;
    for (i = 0; i < 14; i++) {
        snprintf(rel, sizeof rel, "src/api%d.c", i);
        snprintf(text, sizeof text,
                 "#include \"api.h\"\n\n"
                 "int api_push_%d(lua_State *L, int n)\n{\n"
                 "    lua_lock(L);\n"
                 "    setnvalue(s2v(L->top.p), n + %d);\n"
                 "    api_incr_top(L);\n"
                 "    lua_unlock(L);\n"
                 "    return %d;\n}\n",
                 i, i, i);
        tc_test_put(root, rel, text);
    }
}

TC_TEST(suggest_replaces_auto_closed_suffix)
{
    char root[512];
    tc_engine *e;
    const char *pre = "int api_push_x(lua_State *L, int n)\n{\n    lua_lock(L);\n    api_incr_top(";
    const char *suf = ")\n    lua_unlock(L);\n}\n";
    char buf[512];
    tc_suggestion s;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    c_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/new.c", buf, strlen(buf), strlen(pre), &s), TC_OK);
    /* whatever the suggestion, accepting it leaves one closer on the line */
    if (s.replace_suffix) {
        TC_CHECK_STR(s.text, "L);");
        TC_CHECK_EQ_INT(s.replace_suffix, 1);
    } else {
        TC_CHECK(strchr(s.text, ')') == NULL);
    }
    tc_suggestion_free(&s);
    tc_engine_free(e);
}

TC_TEST(suggest_buffer_lines_and_alternatives)
{
    char root[512];
    tc_engine *e;
    /* a call the repository never makes, twice in the buffer above */
    const char *pre = "int api_get(lua_State *L, int n)\n{\n    zz_check_stack_slots(L, n, \"api_get\");\n"
                      "    return n;\n}\n\nint api_set(lua_State *L, int n)\n{\n    zz_check_stack_slots(L, n, \"api_get\");\n"
                      "    return n;\n}\n\nint api_put(lua_State *L, int n)\n{\n    zz_check";
    const char *suf = "\n    return n;\n}\n";
    char buf[1024];
    tc_suggestion s[4];
    size_t n, i, j;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    c_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest_n(e, "src/new.c", buf, strlen(buf), strlen(pre), s, 4, &n), TC_OK);
    TC_CHECK(n >= 1);
    TC_CHECK_STR(s[0].text, "_stack_slots(L, n, \"api_get\");");
    /* alternatives are distinct and ordered by confidence */
    for (i = 1; i < n; i++) {
        TC_CHECK(s[i].confidence <= s[i - 1].confidence + 1e-9);
        for (j = 0; j < i; j++) TC_CHECK(strcmp(s[i].text, s[j].text) != 0);
    }
    for (i = 0; i < 4; i++) tc_suggestion_free(&s[i]);
    tc_engine_free(e);
}

TC_TEST(suggest_fresh_line_after_opener_is_a_statement)
{
    char root[512];
    tc_engine *e;
    char *s;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    c_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    s = suggest(e, "src/new.c", "#include \"api.h\"\n\nint api_push_x(lua_State *L, int n)\n{\n    ",
                "\n    setnvalue(s2v(L->top.p), n);\n    api_incr_top(L);\n    lua_unlock(L);\n    return 0;\n}\n", NULL);
    TC_CHECK_STR(s, "lua_lock(L);");
    free(s);
    tc_engine_free(e);
}

/* Renamed copies: the buffer holds the same code about another name
 * (idev in foo_probe, input in bar_probe): the line that followed there is
 * proposed with the cursor's name among the alternatives (this small
 * workspace has no learned ranker to choose between the two), also when
 * the name is the word at the cursor. */
TC_TEST(suggest_renamed_buffer_line)
{
    char root[512];
    tc_engine *e;
    const char *pre = "static int foo_probe(struct dev *pdev)\n{\n    struct input_dev *idev;\n"
                      "    int err;\n\n    idev = input_allocate_device();\n    if (!idev)\n        return -ENOMEM;\n"
                      "    idev->name = \"foo\";\n    return input_register_device(idev);\n}\n\n"
                      "static int bar_probe(struct dev *pdev)\n{\n    struct input_dev *input;\n"
                      "    int err;\n\n    input = input_allocate_device();\n    ";
    const char *suf = "\n";
    char buf[1024];
    tc_suggestion s[8];
    size_t n, i;
    int renamed = 0;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    c_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest_n(e, "src/bar.c", buf, strlen(buf), strlen(pre), s, 8, &n), TC_OK);
    for (i = 0; i < n; i++) renamed |= strcmp(s[i].text, "if (!input)") == 0;
    TC_CHECK(renamed);
    for (i = 0; i < 8; i++) tc_suggestion_free(&s[i]);
    /* further down, the line's first name is the word at the cursor */
    snprintf(buf, sizeof buf, "%sif (!input)\n        return -ENOMEM;\n    input%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest_n(e, "src/bar.c", buf, strlen(buf), strlen(buf) - strlen(suf), s, 8, &n),
                    TC_OK);
    for (i = 0, renamed = 0; i < n; i++) renamed |= strcmp(s[i].text, "->name = \"foo\";") == 0;
    TC_CHECK(renamed);
    for (i = 0; i < 8; i++) tc_suggestion_free(&s[i]);
    tc_engine_free(e);
}

TC_TEST(lineidx_finds_the_lines_that_follow)
{
    char root[512];
    tc_engine *e;
    tc_lineidx *li = NULL;
    tc_items it = {0};
    tc_toks toks = {0};
    tc_lineref refs[32];
    uint32_t ids[64];
    uint64_t k_lock, k_open;
    size_t i, n, total;
    const char *src = "{\n    lua_lock(L);\n";
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    c_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    TC_CHECK_EQ_INT(tc_lineidx_build(tc_engine_index(e), &li), TC_OK);
    TC_CHECK_EQ_INT(tc_tokens_from_source(tc_index_vocab(tc_engine_index(e)), TC_LANG_C, src, strlen(src), &it, NULL,
                                          &toks),
                    TC_OK);
    for (i = 0; i < it.n && i < 64; i++) ids[i] = TC_ITEM_ID(it.v[i]);
    /* "{" then "lua_lock(L);" (ids[0] is "{", ids[1] the line break) */
    k_open = tc_lineidx_key(tc_index_vocab(tc_engine_index(e)), ids, 1);
    k_lock = tc_lineidx_key(tc_index_vocab(tc_engine_index(e)), ids + 2, it.n - 3);
    TC_CHECK(k_open != 0 && k_lock != 0 && k_open != k_lock);
    /* every file has "lua_lock(L);" followed by a line */
    total = tc_lineidx_find(li, 1, 0, k_lock, -1, refs, 32);
    TC_CHECK_EQ_INT(total, 14);
    /* ... after "{" too (order 2); one file excluded */
    total = tc_lineidx_find(li, 2, k_open, k_lock, (long)refs[0].fileno, refs, 32);
    TC_CHECK_EQ_INT(total, 13);
    n = total < 32 ? total : 32;
    for (i = 0; i < n; i++) {
        tc_items fi = {0};
        TC_CHECK_EQ_INT(tc_index_file_items(tc_engine_index(e), refs[i].fileno, &fi), TC_OK);
        /* the place is the start of the "setnvalue" line */
        if (refs[i].item < fi.n) {
            size_t tl;
            const char *t = tc_vocab_text(tc_index_vocab(tc_engine_index(e)), TC_ITEM_ID(fi.v[refs[i].item]), &tl);
            TC_CHECK(tl == 9 && memcmp(t, "setnvalue", 9) == 0);
        }
        tc_items_free(&fi);
    }
    TC_CHECK_EQ_INT(tc_lineidx_find(li, 1, 0, 12345, -1, refs, 32), 0);
    /* whether any: "{" then "lua_lock(L);" stand in every file, not the other way round */
    TC_CHECK(tc_lineidx_count(li, 2, k_open, k_lock, -1) > 0);
    TC_CHECK(tc_lineidx_count(li, 2, k_open, k_lock, (long)refs[0].fileno) > 0);
    TC_CHECK(tc_lineidx_count(li, 2, k_lock, k_open, -1) == 0);
    TC_CHECK(tc_lineidx_count(li, 1, 0, k_lock, -1) > 0);
    TC_CHECK(tc_lineidx_count(li, 1, 0, 12345, -1) == 0);
    /* counts without walking the places, the excluded file's left out */
    TC_CHECK_EQ_INT(tc_lineidx_count(li, 1, 0, k_lock, -1), 14);
    TC_CHECK_EQ_INT(tc_lineidx_count(li, 2, k_open, k_lock, -1), 14);
    TC_CHECK_EQ_INT(tc_lineidx_count(li, 2, k_open, k_lock, (long)refs[0].fileno), 13);
    TC_CHECK_EQ_INT(tc_lineidx_count(li, 2, k_lock, k_open, -1), 0);
    TC_CHECK_EQ_INT(tc_lineidx_count(li, 1, 0, 12345, -1), 0);
    tc_items_free(&it);
    tc_toks_free(&toks);
    tc_lineidx_free(li);
    tc_engine_free(e);
}

/* The id of the place's first token is text (its whole spelling). */
static int place_is(tc_engine *e, tc_lineref r, const char *text)
{
    tc_items fi = {0};
    size_t tl = 0;
    const char *t = NULL;
    int ok = 0;
    if (tc_index_file_items(tc_engine_index(e), r.fileno, &fi) == TC_OK && r.item < fi.n) {
        t = tc_vocab_text(tc_index_vocab(tc_engine_index(e)), TC_ITEM_ID(fi.v[r.item]), &tl);
        ok = tl == strlen(text) && memcmp(t, text, tl) == 0;
    }
    tc_items_free(&fi);
    return ok;
}

TC_TEST(lineidx_follows_editor_buffers)
{
    /* An unsaved buffer's lines are places once refreshed, before those on
     * disk; an edit that keeps the token count is seen; a disk file under
     * a buffer offers the buffer's lines only; clearing drops them. */
    char root[512];
    tc_engine *e;
    tc_lineidx *li = NULL;
    tc_index *ix;
    tc_items it = {0};
    tc_toks toks = {0};
    tc_lineref refs[32];
    uint32_t ids[64];
    uint64_t k_lock;
    long fn = -1;
    size_t i;
    const char *src = "lua_lock(L);\n";
    const char *t1 = "void f(lua_State *L)\n{\n    lua_lock(L);\n    register_all(L, 7);\n}\n";
    const char *t2 = "void f(lua_State *L)\n{\n    lua_lock(L);\n    unregister_x(L, 7);\n}\n";
    const char *t3 = "int g(void)\n{\n    return 1;\n}\n";
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    c_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    ix = tc_engine_index(e);
    TC_CHECK_EQ_INT(tc_lineidx_build(ix, &li), TC_OK);
    TC_CHECK_EQ_INT(tc_tokens_from_source(tc_index_vocab(ix), TC_LANG_C, src, strlen(src), &it, NULL, &toks),
                    TC_OK);
    for (i = 0; i < it.n && i < 64; i++) ids[i] = TC_ITEM_ID(it.v[i]);
    k_lock = tc_lineidx_key(tc_index_vocab(ix), ids, it.n);
    TC_CHECK_EQ_INT(tc_lineidx_find(li, 1, 0, k_lock, -1, refs, 32), 14);
    /* a new file, typed and never saved */
    TC_CHECK_EQ_INT(tc_index_set_buffer(ix, "src/new.c", t1, strlen(t1), &fn), TC_OK);
    TC_CHECK_EQ_INT(tc_lineidx_find(li, 1, 0, k_lock, -1, refs, 32), 14); /* not refreshed yet */
    TC_CHECK_EQ_INT(tc_lineidx_refresh(li, ix), TC_OK);
    TC_CHECK_EQ_INT(tc_lineidx_find(li, 1, 0, k_lock, -1, refs, 32), 15);
    TC_CHECK_EQ_INT(refs[0].fileno, fn);
    TC_CHECK(place_is(e, refs[0], "register_all"));
    TC_CHECK_EQ_INT(tc_lineidx_find(li, 1, 0, k_lock, fn, refs, 32), 14); /* the edited file excluded */
    TC_CHECK_EQ_INT(tc_lineidx_prefix(li, ids, 1, -1, refs, 32), 15); /* lines starting "lua_lock" */
    /* the same number of tokens, another word */
    TC_CHECK_EQ_INT(tc_index_set_buffer(ix, "src/new.c", t2, strlen(t2), NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_lineidx_refresh(li, ix), TC_OK);
    TC_CHECK_EQ_INT(tc_lineidx_find(li, 1, 0, k_lock, -1, refs, 32), 15);
    TC_CHECK(place_is(e, refs[0], "unregister_x"));
    /* a file on disk under a buffer: its buffer's lines, not its disk's */
    TC_CHECK_EQ_INT(tc_index_set_buffer(ix, "src/api3.c", t3, strlen(t3), NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_lineidx_refresh(li, ix), TC_OK);
    TC_CHECK_EQ_INT(tc_lineidx_find(li, 1, 0, k_lock, -1, refs, 32), 14);
    TC_CHECK_EQ_INT(tc_index_clear_buffer(ix, "src/api3.c"), TC_OK);
    TC_CHECK_EQ_INT(tc_index_clear_buffer(ix, "src/new.c"), TC_OK);
    TC_CHECK_EQ_INT(tc_lineidx_refresh(li, ix), TC_OK);
    TC_CHECK_EQ_INT(tc_lineidx_find(li, 1, 0, k_lock, -1, refs, 32), 14);
    TC_CHECK(!place_is(e, refs[0], "unregister_x"));
    tc_items_free(&it);
    tc_toks_free(&toks);
    tc_lineidx_free(li);
    tc_engine_free(e);
}

TC_TEST(suggest_successor_from_another_open_buffer)
{
    /* A line typed in one open buffer (never saved) follows the same line
     * in another buffer as a successor candidate once the engine is
     * refreshed (the LSP server refreshes when the typing rests). */
    char root[512], src[64];
    tc_engine *e;
    tc_trace *t = tc_trace_new();
    tc_suggestion s;
    const char *a = "int f(lua_State *L)\n{\n    lua_lock(L);\n    ctx_register_table(L, &tbl, CTX_WEAK);\n}\n";
    const char *b = "int g(lua_State *L)\n{\n    lua_lock(L);\n    ";
    const char *want = "ctx_register_table(L, &tbl, CTX_WEAK);";
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    c_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    TC_CHECK(t != NULL);
    if (!e || !t) goto out;
    tc_engine_set_trace(e, t);
    TC_CHECK_EQ_INT(tc_index_set_buffer(tc_engine_index(e), "src/a.c", a, strlen(a), NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/b.c", b, strlen(b), strlen(b), &s), TC_OK);
    tc_suggestion_free(&s);
    trace_sources_of(t, want, src, sizeof src);
    TC_CHECK(!strstr(src, "successor")); /* not refreshed yet */
    TC_CHECK_EQ_INT(tc_engine_refresh(e), TC_OK);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/b.c", b, strlen(b), strlen(b), &s), TC_OK);
    tc_suggestion_free(&s);
    trace_sources_of(t, want, src, sizeof src);
    TC_CHECK(strstr(src, "successor") != NULL);
    /* the edited buffer's own lines are never its candidates */
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/a.c", b, strlen(b), strlen(b), &s), TC_OK);
    tc_suggestion_free(&s);
    trace_sources_of(t, want, src, sizeof src);
    TC_CHECK(!strstr(src, "successor"));
out:
    tc_engine_set_trace(e, NULL);
    tc_trace_free(t);
    tc_engine_free(e);
}

TC_TEST(suggest_ranker_calibrated_and_cached)
{
    /* A workspace large enough for the ranker (over 20,000 tokens): its
     * calibration is fitted at open and saved as rank.txt beside the
     * index; a second engine loads it unchanged. */
    char root[512], path[700];
    tc_engine *e;
    tc_suggestion s;
    struct stat st1, st2;
    const char *pre = "static int op_new(struct ctx *c, int n)\n{\n    int rc;\n\n    rc = ctx_check(c, n);\n";
    char buf[512];
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    engine_put_ranked_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    snprintf(path, sizeof path, "%s-cache-%d/rank.txt", root, (int)TC_MODE_FULL);
    TC_CHECK(stat(path, &st1) == 0);
    snprintf(buf, sizeof buf, "%s    ", pre);
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/new.c", buf, strlen(buf), strlen(buf), &s), TC_OK);
    TC_CHECK(s.confidence > 0 && s.confidence <= 1);
    tc_suggestion_free(&s);
    tc_engine_free(e);
    {
        /* the same cached ranker, nothing held back by a threshold: the
         * repository's idiom is among the first alternatives */
        tc_engine_opts o;
        char cache[600];
        memset(&o, 0, sizeof o);
        snprintf(cache, sizeof cache, "%s-cache-%d", root, (int)TC_MODE_FULL);
        o.index.root = root;
        o.index.cache_dir = cache;
        o.threshold = 0;
        o.update = 1;
        TC_CHECK_EQ_INT(tc_engine_open(&o, &e), TC_OK);
        if (!e) return;
    }
    {
        tc_suggestion alt[3];
        size_t n = 0, k;
        int found = 0;
        TC_CHECK_EQ_INT(tc_engine_suggest_n(e, "src/new.c", buf, strlen(buf), strlen(buf), alt, 3, &n), TC_OK);
        for (k = 0; k < n; k++) {
            found |= strcmp(alt[k].text, "if (rc < 0)") == 0;
            /* never a fragment: a line cut back to where its brackets balanced */
            TC_CHECK(strcmp(alt[k].text, "if") != 0);
            TC_CHECK(alt[k].confidence >= 0 && alt[k].confidence <= 1);
        }
        TC_CHECK(found);
        for (k = 0; k < 3; k++) tc_suggestion_free(&alt[k]);
    }
    tc_engine_free(e);
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    TC_CHECK(stat(path, &st2) == 0);
    TC_CHECK(st1.st_mtime == st2.st_mtime && st1.st_size == st2.st_size);
    tc_engine_free(e);
}

TC_TEST(suggest_masked_secret_elsewhere_keeps_completions)
{
    /* A secret value in another file is counted as a placeholder (UNK);
     * that must not raise the floor partial words are held to: the
     * identifier the buffer uses twice is still completed. */
    char root[512];
    tc_engine *e;
    char *s;
    const char *pre = "def compute_value(alpha, beta):\n    return alpha + beta\n\n"
                      "result = compute_value(alpha, beta)\nother = compute_value(alpha, beta)\nthird = compute_";
    snprintf(root, sizeof root, "%s/repo-unk", tc_test_tmpdir());
    tc_test_put(root, "s.py", pre);
    tc_test_put(root, "pw.py", "password = \"Tr0ub4dorAndThreeX9\"\n");
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    s = suggest(e, "s.py", pre, "\n", NULL);
    TC_CHECK_STR(s, "value(alpha, beta)");
    free(s);
    tc_engine_free(e);
}

/* Candidates left without text (fragments cut by post-processing) skip
 * their model look-ups unless a trace shows them: the suggestions (texts
 * and confidences, to the bit) are the same with a trace as without, at
 * every cursor of a file, and some request had such a candidate. */
TC_TEST(suggest_textless_candidates_change_nothing)
{
    char root[512];
    tc_engine *e;
    tc_trace *t = tc_trace_new();
    const char *buf = "import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef handler_x(request):\n"
                      "    if request is None:\n        raise ValueError(\"request is required\")\n"
                      "    log.debug(\"handling %s\", request.path)\n    return request.reply(status=204)\n";
    size_t len = strlen(buf), cur, k, textless = 0;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    idiom_repo(root);
    e = open_engine(root, TC_MODE_FULL);
    TC_CHECK(e != NULL && t != NULL);
    if (!e || !t) goto out;
    for (cur = 0; cur <= len; cur++) {
        tc_suggestion a[4], b[4];
        size_t na = 0, nb = 0;
        cJSON *j, *c;
        tc_engine_set_trace(e, NULL);
        TC_CHECK_EQ_INT(tc_engine_suggest_n(e, "pkg/new.py", buf, len, cur, a, 4, &na), TC_OK);
        tc_engine_set_trace(e, t);
        TC_CHECK_EQ_INT(tc_engine_suggest_n(e, "pkg/new.py", buf, len, cur, b, 4, &nb), TC_OK);
        TC_CHECK_EQ_INT((int)na, (int)nb);
        for (k = 0; k < na && k < nb; k++) {
            TC_CHECK_STR(a[k].text, b[k].text);
            TC_CHECK(a[k].confidence == b[k].confidence);
        }
        for (k = 0; k < 4; k++) tc_suggestion_free(&a[k]); /* all four are filled */
        for (k = 0; k < 4; k++) tc_suggestion_free(&b[k]);
        j = tc_trace_json(t);
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "candidates"))
        {
            const char *ct = cJSON_GetStringValue(cJSON_GetObjectItem(c, "text"));
            textless += ct && !*ct;
        }
        cJSON_Delete(j);
    }
    TC_CHECK(textless > 0);
out:
    tc_engine_set_trace(e, NULL);
    tc_trace_free(t);
    tc_engine_free(e);
}

/* Feature `name` of the candidate with text `text` at the end of prefix
 * (the buffer prefix + suffix), from the trace; -1: no such candidate. */
static double cand_feature(tc_engine *e, tc_trace *t, const char *prefix, const char *suffix, const char *text,
                           const char *name)
{
    static char buf[1 << 16];
    tc_suggestion s[4];
    size_t n = 0, k;
    double v = -1;
    cJSON *j, *c;
    snprintf(buf, sizeof buf, "%s%s", prefix, suffix);
    tc_engine_set_trace(e, t);
    TC_CHECK_EQ_INT(tc_engine_suggest_n(e, "src/new.c", buf, strlen(buf), strlen(prefix), s, 4, &n), TC_OK);
    tc_engine_set_trace(e, NULL);
    for (k = 0; k < 4; k++) tc_suggestion_free(&s[k]);
    j = tc_trace_json(t);
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "candidates"))
    {
        const char *ct = cJSON_GetStringValue(cJSON_GetObjectItem(c, "text"));
        cJSON *f = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "features"), name);
        if (ct && strcmp(ct, text) == 0 && cJSON_IsNumber(f) && f->valuedouble > v) v = f->valuedouble;
    }
    cJSON_Delete(j);
    return v;
}

/* Copy context (features 66-67): a candidate whose copy stands before a
 * line equal to the cursor's next one, in another file or in the buffer;
 * not before a next line of closers only, nor when the next line differs;
 * 66 is the share of the line's copies that stand there once they are
 * more than SG_CTX_RARE, times the same share of the next line's copies;
 * 67 how many of the worded lines right above the
 * copy (up to 4, `{` and `}` skipped) are those above the cursor. */
TC_TEST(suggest_copy_context_features)
{
    char root[512];
    tc_engine *e;
    tc_trace *t = tc_trace_new();
    const char *head = "int api_push_x(lua_State *L, int n)\n{\n    lua_lock(L);\n", *below = "copy_before_next_line",
               *both = "copy_lines_above";
    const char *helper = "static void helper(lua_State *L)\n{\n    lua_lock(L);\n    my_special_call(L);\n"
                         "    lua_unlock(L);\n}\n\n";
    char pre[1024];
    double v;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    c_repo(root);
    tc_test_put(root, "src/sib.c",
                "void sib_read_a(void)\n{\n    sib_common();\n}\n\nvoid sib_read_b(void)\n{\n    sib_common();\n}\n\n"
                "void sib_write_a(void)\n{\n    sib_common();\n}\n\nvoid sib_write_b(void)\n{\n    sib_common();\n}\n");
    /* off (TACIT_COPY_CONTEXT=0): 0 for every candidate */
    setenv("TACIT_COPY_CONTEXT", "0", 1);
    e = open_engine(root, TC_MODE_FULL);
    unsetenv("TACIT_COPY_CONTEXT");
    TC_CHECK(e != NULL && t != NULL);
    if (!e || !t) goto out;
    snprintf(pre, sizeof pre, "%s    setnvalue(s2v(L->top.p), n + 1);\n    ", head);
    TC_CHECK(cand_feature(e, t, pre, "\n    lua_unlock(L);\n}\n", "api_incr_top(L);", below) == 0);
    tc_engine_free(e);
    e = open_engine(root, TC_MODE_FULL); /* on by default */
    TC_CHECK(e != NULL);
    if (!e) goto out;
    /* the workspace: "setnvalue(..., n + 1);" (api1.c), "api_incr_top(L);", "lua_unlock(L);" */
    snprintf(pre, sizeof pre, "%s    setnvalue(s2v(L->top.p), n + 1);\n    ", head);
    TC_CHECK(cand_feature(e, t, pre, "\n    lua_unlock(L);\n}\n", "api_incr_top(L);", below) == 1);
    /* api1.c's copy: setnvalue(..., n + 1) and lua_lock(L) above it, as above the cursor; not the header */
    TC_CHECK(cand_feature(e, t, pre, "\n    lua_unlock(L);\n}\n", "api_incr_top(L);", both) == 0.5);
    /* another next line: no copy stands before it */
    TC_CHECK(cand_feature(e, t, pre, "\n    return 0;\n}\n", "api_incr_top(L);", below) == 0);
    TC_CHECK(cand_feature(e, t, pre, "\n    return 0;\n}\n", "api_incr_top(L);", both) == 0);
    /* a next line without a word counts for neither alone */
    TC_CHECK(cand_feature(e, t, pre, "\n}\n", "api_incr_top(L);", below) == 0);
    /* a previous line found nowhere: below only */
    snprintf(pre, sizeof pre, "%s    int k = 2;\n    setnvalue(s2v(L->top.p), n + 99);\n    ", head);
    TC_CHECK(cand_feature(e, t, pre, "\n    lua_unlock(L);\n}\n", "api_incr_top(L);", below) == 1);
    TC_CHECK(cand_feature(e, t, pre, "\n    lua_unlock(L);\n}\n", "api_incr_top(L);", both) == 0);
    /* the buffer's own copy, between the same two lines; of the 15 copies of the next line that a line
     * precedes (14 in api*.c, after api_incr_top), one is after it */
    snprintf(pre, sizeof pre, "%s%s    ", helper, head);
    v = cand_feature(e, t, pre, "\n    lua_unlock(L);\n}\n", "my_special_call(L);", below);
    TC_CHECK(v > 1 / 15.5 && v < 1 / 14.5);
    TC_CHECK(cand_feature(e, t, pre, "\n    lua_unlock(L);\n}\n", "my_special_call(L);", both) == 0.25);
    TC_CHECK(cand_feature(e, t, pre, "\n    lua_close(L);\n}\n", "my_special_call(L);", below) == 0);
    /* 66 weighed by rarity: of the line's ten copies one stands before the next line ... */
    {
        static char many[8192];
        size_t w = 0, k;
        for (k = 0; k < 9; k++)
            w += (size_t)snprintf(many + w, sizeof many - w,
                                  "static void helper%zu(lua_State *L)\n{\n    lua_lock(L);\n    my_special_call(L);\n"
                                  "    lua_close(L);\n}\n\n",
                                  k + 2);
        snprintf(many + w, sizeof many - w, "%s%s    ", helper, head);
        v = cand_feature(e, t, many, "\n    lua_unlock(L);\n}\n", "my_special_call(L);", below);
        /* ... times, of the next line's 15 copies a line precedes (14 in api*.c), the one after it */
        TC_CHECK(v > 0.1 / 15.5 && v < 0.1 / 14.5);
    }
    /* the buffer's lines are those of the nearest SG_CTX_LINES / 2 (1,024) lines above the cursor's, blank
     * ones counted: the copy in the helper counts 1,000 lines up, not 1,100 */
    {
        static char far[1 << 16];
        size_t gap, w, k;
        for (gap = 1000; gap <= 1100; gap += 100) {
            w = (size_t)snprintf(far, sizeof far, "%s", helper);
            for (k = 0; k + 8 < gap; k++) w += (size_t)snprintf(far + w, sizeof far - w, k % 2 ? "\n" : "int f%zu;\n", k);
            snprintf(far + w, sizeof far - w, "%s    ", head);
            v = cand_feature(e, t, far, "\n    lua_unlock(L);\n}\n", "my_special_call(L);", below);
            if (gap == 1000) TC_CHECK(v > 1 / 15.5 && v < 1 / 14.5);
            else TC_CHECK(v <= 0);
        }
    }
    /* sibling functions with one body: the sibling whose copy follows the same function as the cursor's */
    snprintf(pre, sizeof pre,
             "void sib_read_a(void)\n{\n    sib_common();\n}\n\nvoid sib_read_b(void)\n{\n    sib_common();\n}\n\n"
             "void sib_write_a(void)\n{\n    sib_common();\n}\n\n");
    v = cand_feature(e, t, pre, "\n{\n    sib_common();\n}\n", "void sib_write_b(void)", both);
    TC_CHECK(v == 1);
    v = cand_feature(e, t, pre, "\n{\n    sib_common();\n}\n", "void sib_read_b(void)", both);
    TC_CHECK(v == -1 || v == 0.25);
out:
    tc_trace_free(t);
    tc_engine_free(e);
}

/* A repository whose jump tables write `JUMP_INIT (name, fn),`. */
static void table_repo(const char *root)
{
    char rel[64], text[1024];
    int i;
    for (i = 0; i < 12; i++) {
        snprintf(rel, sizeof rel, "tab%d.c", i);
        snprintf(text, sizeof text,
                 "#include \"io.h\"\n\n"
                 "const struct jumps jumps_%d =\n{\n"
                 "  JUMP_INIT (finish, io_finish_%d),\n"
                 "  JUMP_INIT (overflow, io_overflow_%d),\n"
                 "  JUMP_INIT (underflow, io_underflow),\n"
                 "  JUMP_INIT (uflow, io_uflow),\n"
                 "  JUMP_INIT (pbackfail, io_pbackfail),\n"
                 "  JUMP_INIT (xsputn, io_xsputn_%d)\n};\n",
                 i, i, i, i);
        tc_test_put(root, rel, text);
    }
}

/* Whether one of e's first 8 suggestions at the end of pre (the buffer
 * pre + suf) is want, and whether one starts with start. */
static void suggest_among(tc_engine *e, const char *path, const char *pre, const char *suf, const char *want,
                          int *has, const char *start, int *starts)
{
    char buf[2048];
    tc_suggestion s[8];
    size_t n = 0, i;
    *has = *starts = 0;
    snprintf(buf, sizeof buf, "%s%s", pre, suf);
    TC_CHECK_EQ_INT(tc_engine_suggest_n(e, path, buf, strlen(buf), strlen(pre), s, 8, &n), TC_OK);
    for (i = 0; i < n; i++) {
        *has |= strcmp(s[i].text, want) == 0;
        *starts |= strncmp(s[i].text, start, strlen(start)) == 0;
    }
    for (i = 0; i < 8; i++) tc_suggestion_free(&s[i]);
}

/* A copied line's spacing gives way where the buffer's habit for the
 * pair is firm (TACIT_LAYOUT=0: the copy's own, as before). */
TC_TEST(suggest_copy_spacing_follows_the_buffer)
{
    char root[512], cache[600];
    const char *pre = "#include \"io.h\"\n\nconst struct jumps mine =\n{\n  JUMP_INIT(finish, my_finish),\n"
                      "  JUMP_INIT(overflow, my_overflow),\n  JUMP_INIT(underflow, io_underflow),\n"
                      "  JUMP_INIT(uflow, io_uflow),\n  JUMP_INIT";
    const char *suf = "\n  JUMP_INIT(xsputn, my_xsputn)\n};\n";
    int pass, has, spaced;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    table_repo(root);
    for (pass = 0; pass < 2; pass++) {
        tc_engine *e;
        snprintf(cache, sizeof cache, "%s-cache-layout%d", root, pass);
        e = engine_open_off(root, cache, pass ? "TACIT_LAYOUT" : NULL);
        if (!e) return;
        suggest_among(e, "mine.c", pre, suf, pass ? " (pbackfail, io_pbackfail)," : "(pbackfail, io_pbackfail),", &has,
                      " (", &spaced);
        TC_CHECK(has);
        TC_CHECK_EQ_INT(spaced, pass);
        tc_engine_free(e);
    }
}

/* A directive at line start takes the buffer's `#` indentation: an
 * `#endif` as its conditional's. */
TC_TEST(suggest_directive_indented_as_the_buffer)
{
    char root[512], rel[64], text[512];
    tc_engine *e;
    int i, has, bare;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    for (i = 0; i < 12; i++) {
        snprintf(rel, sizeof rel, "f%d.c", i);
        snprintf(text, sizeof text,
                 "#include \"io.h\"\n\n#ifndef NO_LOCK\nweak_alias (io_f%d, f%d)\n#endif\n\nint g%d (void)\n{\n"
                 "  return %d;\n}\n",
                 i, i, i, i);
        tc_test_put(root, rel, text);
    }
    e = open_engine(root, TC_MODE_FULL);
    if (!e) return;
    suggest_among(e, "mine.c", "#include \"io.h\"\n\n# ifndef NO_LOCK\nweak_alias (io_fx, fx)\n", "\n", "# endif", &has,
                  "#endif", &bare);
    TC_CHECK(has);
    TC_CHECK(!bare);
    tc_engine_free(e);
}

/* A sibling variant that puts after `struct` a name the buffer never uses
 * as a tag (`struct input_sync` from `struct input_dev`, input_sync being
 * a function) is not proposed; TACIT_SIB_TAGS=0: it is, as before. */
TC_TEST(suggest_sibling_tag_is_a_tag)
{
    char root[512], cache[600], dump[600], rel[64], text[512];
    const char *pre = "#include \"input.h\"\n\nstatic void report(struct input_dev *dev)\n{\n"
                      "    input_report_key(dev, 1, 1);\n    input_sync(dev);\n}\n\n"
                      "static int probe(struct device *d)\n{\n    struct";
    const char *suf = "\n\n    input_sync(input);\n    return 0;\n}\n";
    int pass, i;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    for (i = 0; i < 12; i++) {
        snprintf(rel, sizeof rel, "drv%d.c", i);
        snprintf(text, sizeof text,
                 "#include \"input.h\"\n\nstatic int probe%d(struct device *d)\n{\n    struct input_dev *input;\n"
                 "\n    input = alloc_%d(d);\n    return 0;\n}\n",
                 i, i);
        tc_test_put(root, rel, text);
    }
    snprintf(dump, sizeof dump, "%s/cands.json", tc_test_tmpdir());
    for (pass = 0; pass < 2; pass++) {
        tc_engine *e;
        tc_buf b = {0};
        snprintf(cache, sizeof cache, "%s-cache-tags%d", root, pass);
        e = engine_open_off(root, cache, pass ? "TACIT_SIB_TAGS" : NULL);
        if (!e) return;
        engine_dump_request(e, dump, "mine.c", pre, suf, 0);
        TC_CHECK_EQ_INT(tc_fs_read_path(dump, 1 << 20, &b), TC_OK);
        TC_CHECK(b.data && strstr(b.data, "\" input_dev *input;\""));
        TC_CHECK_EQ_INT(b.data && strstr(b.data, "\" input_sync *input;\"") != NULL, pass);
        tc_buf_free(&b);
        tc_engine_free(e);
    }
}
