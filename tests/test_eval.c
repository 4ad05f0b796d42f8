/* test_eval.c - FORMAT.md metrics against hand-computed cases, case files,
 * and the masking sampler. */
#include "test.h"
#include "eval/eval.h"
#include "util/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int near(double a, double b) { return fabs(a - b) < 1e-9; }

TC_TEST(eval_edit_similarity_hand_computed)
{
    /* lev("kitten","sitting") = 3, max len 7 */
    TC_CHECK(near(tc_edit_similarity("kitten", "sitting"), 1.0 - 3.0 / 7.0));
    TC_CHECK(near(tc_edit_similarity("", ""), 1.0));
    TC_CHECK(near(tc_edit_similarity("", "abc"), 0.0));
    TC_CHECK(near(tc_edit_similarity("abc", "abc"), 1.0));
    /* trailing white space on every line is ignored */
    TC_CHECK(near(tc_edit_similarity("x = 1   ", "x = 1"), 1.0));
    TC_CHECK(near(tc_edit_similarity("a  \nb\t", "a\nb"), 1.0));
    /* characters, not bytes: "é" is one character */
    TC_CHECK(near(tc_edit_similarity("caf\xc3\xa9", "cafe"), 1.0 - 1.0 / 4.0));
    TC_CHECK(tc_exact_match("return x  ", "return x"));
    TC_CHECK(!tc_exact_match("return x", "return y"));
    TC_CHECK(!tc_exact_match("", "x"));
}

static void add_case(tc_caseset *cs, const char *id, const char *kind, const char *expected)
{
    tc_case *c;
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 8;
        cs->v = realloc(cs->v, cs->cap * sizeof *cs->v);
    }
    c = &cs->v[cs->n++];
    memset(c, 0, sizeof *c);
    c->id = strdup(id);
    c->path = strdup("a.py");
    c->prefix = strdup("");
    c->suffix = strdup("");
    c->expected = strdup(expected);
    c->kind = kind ? strdup(kind) : NULL;
}

TC_TEST(eval_metrics_hand_computed)
{
    tc_caseset cs = {0};
    tc_answer *a = calloc(4, sizeof *a);
    tc_metrics m[4];
    size_t nm;
    add_case(&cs, "1", "line-start", "return x");
    add_case(&cs, "2", "line-start", "abcd");
    add_case(&cs, "3", "mid-line", "(a, b)");
    add_case(&cs, "4", "mid-line", "zz");
    a[0] = (tc_answer){strdup("return x"), 0.9, 1.0};  /* exact */
    a[1] = (tc_answer){strdup("abce"), 0.5, 2.0};      /* ES 0.75 */
    a[2] = (tc_answer){strdup(""), 0.1, 3.0};          /* nothing shown: ES 0 */
    a[3] = (tc_answer){strdup("zz"), 0.8, 4.0};        /* exact */
    nm = tc_eval_metrics(&cs, a, m, 4);
    TC_CHECK_EQ_INT(nm, 3);
    TC_CHECK_STR(m[0].kind, "all");
    TC_CHECK_EQ_INT(m[0].n, 4);
    TC_CHECK(near(m[0].em, 0.5));
    TC_CHECK(near(m[0].es, (1.0 + 0.75 + 0.0 + 1.0) / 4));
    TC_CHECK(near(m[0].coverage, 0.75));
    TC_CHECK(near(m[0].precision, 2.0 / 3.0));
    TC_CHECK(near(m[0].p50, 2.0) && near(m[0].max, 4.0) && near(m[0].p99, 4.0));
    TC_CHECK_STR(m[1].kind, "line-start");
    TC_CHECK(near(m[1].em, 0.5) && near(m[1].coverage, 1.0));
    TC_CHECK_STR(m[2].kind, "mid-line");
    TC_CHECK(near(m[2].em, 0.5) && near(m[2].coverage, 0.5) && near(m[2].precision, 1.0));
    tc_answers_free(a, 4);
    tc_caseset_free(&cs);
}

TC_TEST(eval_cases_read_and_write)
{
    char path[512], out[512];
    FILE *fp;
    tc_caseset cs = {0}, back = {0};
    snprintf(path, sizeof path, "%s/cases.jsonl", tc_test_tmpdir());
    snprintf(out, sizeof out, "%s/again.jsonl", tc_test_tmpdir());
    fp = fopen(path, "w");
    fputs("{\"id\": \"17\", \"path\": \"src/t.c\", \"prefix\": \"int \", \"suffix\": \";\\n\", "
          "\"expected\": \"x = 1\", \"kind\": \"mid-line\", \"root\": \"roots/abc\"}\n",
          fp);
    fputs("not json at all\n", fp);
    fputs("{\"id\": 18, \"path\": \"b.py\", \"prefix\": \"\", \"suffix\": \"\", \"expected\": \"pass\"}\n", fp);
    fputs("{\"id\": \"19\", \"prefix\": \"\"}\n", fp); /* lacks fields: skipped */
    fclose(fp);
    TC_CHECK_EQ_INT(tc_cases_read(path, &cs), TC_OK);
    TC_CHECK_EQ_INT(cs.n, 2);
    if (cs.n == 2) {
        TC_CHECK_STR(cs.v[0].id, "17");
        TC_CHECK_STR(cs.v[0].expected, "x = 1");
        TC_CHECK_STR(cs.v[0].kind, "mid-line");
        TC_CHECK(cs.v[0].root && strstr(cs.v[0].root, "roots/abc") != NULL);
        TC_CHECK(strncmp(cs.v[0].root, tc_test_tmpdir(), strlen(tc_test_tmpdir())) == 0);
        TC_CHECK_STR(cs.v[1].id, "18");
        TC_CHECK(cs.v[1].kind == NULL);
    }
    fp = fopen(out, "w");
    TC_CHECK_EQ_INT(tc_cases_write(fp, &cs), TC_OK);
    fclose(fp);
    TC_CHECK_EQ_INT(tc_cases_read(out, &back), TC_OK);
    TC_CHECK_EQ_INT(back.n, 2);
    if (back.n == 2) {
        TC_CHECK_STR(back.v[0].prefix, "int ");
        TC_CHECK_STR(back.v[0].suffix, ";\n");
    }
    tc_caseset_free(&cs);
    tc_caseset_free(&back);
}

TC_TEST(eval_preds_output_format)
{
    tc_caseset cs = {0};
    tc_answer *a = calloc(1, sizeof *a);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    add_case(&cs, "7", NULL, "y");
    a[0] = (tc_answer){strdup("y \"q\""), 0.4242, 1.25};
    TC_CHECK_EQ_INT(tc_eval_write_preds(fp, &cs, a), TC_OK);
    fclose(fp);
    TC_CHECK_STR(buf, "{\"id\":\"7\",\"suggestion\":\"y \\\"q\\\"\",\"confidence\":0.4242,\"latency_ms\":1.25}\n");
    free(buf);
    tc_answers_free(a, 1);
    tc_caseset_free(&cs);
}

/* ---- the case sampler's rules (tc_cases_mask, tc_cases_mask_blocks) ------- */

static void put_file(const char *root, const char *rel, const char *text)
{
    char path[1024];
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    fp = fopen(path, "wb");
    TC_CHECK(fp != NULL);
    if (!fp) return;
    fputs(text, fp);
    fclose(fp);
}

static char *slurp(const char *root, const char *rel)
{
    char path[1024];
    FILE *fp;
    char *s;
    long n;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    s = calloc((size_t)n + 1, 1);
    if (s && fread(s, 1, (size_t)n, fp) != (size_t)n) s[0] = 0;
    fclose(fp);
    return s;
}

/* A small workspace of code with trailing comments, blank lines between
 * blocks, and a README that is not code. */
static tc_index *sampler_repo(char *root, size_t cap, char *cache, size_t ccap)
{
    tc_index_opts o = {0};
    tc_index *ix = NULL;
    tc_index_stats st;
    char cmd[2600];
    snprintf(root, cap, "%s/sampler", tc_test_tmpdir());
    snprintf(cache, ccap, "%s/sampler-cache", tc_test_tmpdir());
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' && mkdir -p '%s'", root, cache, root);
    TC_CHECK(system(cmd) == 0);
    put_file(root, "calc.py",
             "import math  # the math module\n"
             "\n"
             "def area(radius):\n"
             "    \"\"\"Area of a circle.\n"
             "    spans lines\n"
             "    \"\"\"\n"
             "    value = math.pi * radius ** 2  # square it\n"
             "    return value\n"
             "\n"
             "def total(items):\n"
             "    acc = 0\n"
             "    for x in items:  # every item\n"
             "        acc += x\n"
             "    return acc\n"
             "\n"
             "class Box:\n"
             "    def __init__(self, w, h):\n"
             "        self.w = w  # width\n"
             "        self.h = h  # height\n"
             "\n"
             "    def size(self):\n"
             "        return self.w * self.h\n");
    put_file(root, "list.c",
             "#include <stdlib.h>\n"
             "\n"
             "struct node {\n"
             "    int value; /* payload */\n"
             "    struct node *next;\n"
             "};\n"
             "\n"
             "int list_sum(const struct node *n)\n"
             "{\n"
             "    int s = 0;\n"
             "    while (n) {\n"
             "        s += n->value; // add\n"
             "        n = n->next;\n"
             "    }\n"
             "    return s;\n"
             "}\n");
    put_file(root, "README",
             "This is prose and not code at all, many words here\n"
             "so many words that a sampler weighting files by size would pick it\n"
             "more often than any other file if it were allowed to do so.\n"
             "More prose, more prose, more prose, more prose, more prose.\n");
    o.root = root;
    o.cache_dir = cache;
    TC_CHECK_EQ_INT(tc_index_open(&o, &ix), TC_OK);
    if (ix) TC_CHECK_EQ_INT(tc_index_update(ix, &st), TC_OK);
    return ix;
}

static int only_ws(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t') return 0;
    return 1;
}

TC_TEST(eval_sampler_rules)
{
    char root[600], cache[600];
    tc_index *ix = sampler_repo(root, sizeof root, cache, sizeof cache);
    tc_caseset cs = {0}, lines_only = {0};
    size_t i, nstart = 0, nmid = 0, nblock = 0, with_comment = 0;
    if (!ix) return;
    TC_CHECK_EQ_INT(tc_cases_mask(ix, 40, 3, &cs), TC_OK);
    TC_CHECK_EQ_INT(tc_cases_mask_blocks(ix, 12, 3, &cs), TC_OK);
    TC_CHECK_EQ_INT(cs.n, 52);
    for (i = 0; i < cs.n; i++) {
        const tc_case *c = &cs.v[i];
        char *file = slurp(root, c->path);
        const char *ls = strrchr(c->prefix, '\n');
        const char *cmt = NULL;
        size_t np = strlen(c->prefix), ne = strlen(c->expected), nl = 0, k;
        ls = ls ? ls + 1 : c->prefix;
        /* the buffer is the file: prefix + expected + suffix */
        TC_CHECK(file != NULL);
        if (!file) continue;
        TC_CHECK(strncmp(file, c->prefix, np) == 0 && strncmp(file + np, c->expected, ne) == 0 &&
                 strcmp(file + np + ne, c->suffix) == 0);
        TC_CHECK(strcmp(c->path, "README") != 0); /* code files only */
        TC_CHECK(ne > 0 && c->expected[ne - 1] != ' ');
        /* the rest of the line is expected, trailing comment included */
        TC_CHECK(c->suffix[0] == 0 || c->suffix[0] == '\n');
        for (k = 0; k < ne; k++) nl += c->expected[k] == '\n';
        cmt = strstr(file + np, "  #");
        if (!cmt) cmt = strstr(file + np, " /*");
        if (!cmt) cmt = strstr(file + np, " //");
        if (cmt && !memchr(file + np, '\n', (size_t)(cmt - (file + np))) && nl == 0) {
            TC_CHECK(cmt < file + np + ne); /* the comment is inside expected */
            with_comment++;
        }
        /* never a line inside the docstring */
        TC_CHECK(strstr(c->expected, "spans lines") == NULL || strcmp(c->kind, "block") == 0);
        if (strcmp(c->kind, "line-start") == 0) {
            nstart++;
            TC_CHECK(nl == 0 && only_ws(ls, strlen(ls)) && c->expected[0] != ' ');
        } else if (strcmp(c->kind, "mid-line") == 0) {
            /* the cursor after the line's first word */
            size_t ind = strspn(ls, " \t"), w = strspn(ls + ind, "abcdefghijklmnopqrstuvwxyz_#");
            nmid++;
            TC_CHECK(nl == 0 && w > 0 && ind + w == strlen(ls));
        } else {
            TC_CHECK_STR(c->kind, "block");
            TC_CHECK(c->id[0] == 'b');
            nblock++;
            /* 2 to 10 lines from the start of a line, no blank line inside */
            TC_CHECK(nl >= 1 && nl <= 9 && only_ws(ls, strlen(ls)) && c->expected[0] != ' ');
            TC_CHECK(strstr(c->expected, "\n\n") == NULL);
        }
        free(file);
    }
    TC_CHECK_EQ_INT(nstart, 20);
    TC_CHECK_EQ_INT(nmid, 20);
    TC_CHECK_EQ_INT(nblock, 12);
    TC_CHECK(with_comment > 0);
    /* blocks leave the line cases as they were */
    TC_CHECK_EQ_INT(tc_cases_mask(ix, 40, 3, &lines_only), TC_OK);
    TC_CHECK_EQ_INT(lines_only.n, 40);
    for (i = 0; i < lines_only.n && i < cs.n; i++) {
        TC_CHECK_STR(lines_only.v[i].path, cs.v[i].path);
        TC_CHECK_STR(lines_only.v[i].expected, cs.v[i].expected);
    }
    tc_caseset_free(&cs);
    tc_caseset_free(&lines_only);
    tc_index_free(ix);
}

/* The sample is the tree's, not the index's history: an index that had
 * files added after it was built (they come last in its numbering) gives
 * the same cases as a fresh index of the same tree. The ranker trains on
 * these cases, so otherwise a cache built before files were added
 * calibrated its confidence differently from a fresh one (and a
 * suggestion near the threshold showed with one and not the other). */
TC_TEST(eval_sampler_follows_the_tree_not_the_history)
{
    char root[600], cache[600], fresh_cache[700];
    tc_index *ix = sampler_repo(root, sizeof root, cache, sizeof cache), *fresh = NULL;
    tc_index_opts o = {0};
    tc_index_stats st;
    tc_caseset a = {0}, b = {0};
    size_t i;
    if (!ix) return;
    /* new files sort before, between and inside the ones indexed */
    {
        char cmd[1300];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s/calc' '%s/zz'", root, root);
        TC_CHECK(system(cmd) == 0);
    }
    put_file(root, "aa.py", "def first(a, b):\n    total = a + b\n    return total * 2\n\nvalue = first(1, 2)\n");
    put_file(root, "calc/more.py", "def more(x):\n    y = x * 3\n    return y - 1\n\nprint(more(4))\n");
    put_file(root, "zz/last.c", "int last(int v)\n{\n    int w = v + 1;\n    return w * w;\n}\n");
    TC_CHECK_EQ_INT(tc_index_update(ix, &st), TC_OK);
    snprintf(fresh_cache, sizeof fresh_cache, "%s-fresh", cache);
    o.root = root;
    o.cache_dir = fresh_cache;
    TC_CHECK_EQ_INT(tc_index_open(&o, &fresh), TC_OK);
    if (fresh) TC_CHECK_EQ_INT(tc_index_update(fresh, &st), TC_OK);
    TC_CHECK(tc_index_find(ix, "aa.py") > tc_index_find(ix, "list.c")); /* numbered last */
    TC_CHECK(fresh && tc_index_find(fresh, "aa.py") < tc_index_find(fresh, "list.c"));
    TC_CHECK_EQ_INT(tc_cases_mask(ix, 60, 11, &a), TC_OK);
    if (fresh) TC_CHECK_EQ_INT(tc_cases_mask(fresh, 60, 11, &b), TC_OK);
    TC_CHECK(a.n > 20);
    TC_CHECK_EQ_INT(a.n, b.n);
    for (i = 0; i < a.n && i < b.n; i++) {
        TC_CHECK_STR(a.v[i].path, b.v[i].path);
        TC_CHECK_STR(a.v[i].expected, b.v[i].expected);
        TC_CHECK_STR(a.v[i].prefix, b.v[i].prefix);
    }
    tc_caseset_free(&a);
    tc_caseset_free(&b);
    tc_index_free(fresh);
    tc_index_free(ix);
}
