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
