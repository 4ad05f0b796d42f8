/* test_report.c - the HTML report of `tacit eval --report` (eval/report.h). */
#include "eval/report.h"
#include "test.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Occurrences of needle in s[from..to) where from is the first occurrence
 * of start and to the first of end after it (the whole text when start is
 * NULL). */
static size_t count_in(const char *s, const char *start, const char *end, const char *needle)
{
    const char *p = start ? strstr(s, start) : s, *q;
    size_t n = 0;
    if (!p) return 0;
    q = end ? strstr(p, end) : p + strlen(p);
    if (!q) q = p + strlen(p);
    while ((p = strstr(p, needle)) && p < q) {
        n++;
        p += strlen(needle);
    }
    return n;
}

#define NCASES 10
#define HOSTILE 3 /* the case whose code tries to break out of the page */

/* Ten cases: confidences 0.06, 0.16, ... 0.96; even ones right, odd ones
 * wrong; kinds alternate; five C files, five Python files. */
static void make(tc_caseset *cs, tc_answer **ans)
{
    size_t i;
    tc_answer *a = calloc(NCASES, sizeof *a);
    memset(cs, 0, sizeof *cs);
    cs->v = calloc(NCASES, sizeof *cs->v);
    cs->n = cs->cap = NCASES;
    for (i = 0; i < NCASES; i++) {
        tc_case *c = &cs->v[i];
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%zu", i + 1);
        c->id = strdup(tmp);
        c->path = strdup(i < 5 ? "src/a.c" : "lib/b.py");
        c->kind = strdup(i % 2 ? "mid-line" : "line-start");
        if (i == HOSTILE) {
            c->prefix = strdup("int x;\n/* </code></pre><script>alert(\"pwned\")</script> & '\x01' */\n    y = ");
            c->expected = strdup("a < b && c > d;");
            a[i].suggestion = strdup("<img src=x onerror=alert(1)>;");
        } else {
            c->prefix = strdup("int main(void)\n{\n    ");
            c->expected = strdup("return 0;");
            a[i].suggestion = strdup(i % 2 ? "return 1;" : "return 0;");
        }
        c->suffix = strdup("\n}\n");
        a[i].confidence = 0.06 + 0.1 * (double)i;
        a[i].latency_ms = 1.0 + (double)i;
    }
    *ans = a;
}

static void drop(tc_caseset *cs, tc_answer *a, char **w)
{
    tc_report_winners_free(w, cs->n);
    tc_answers_free(a, cs->n);
    tc_caseset_free(cs);
}

TC_TEST(report_gate_keeps_the_winners)
{
    tc_caseset cs;
    tc_answer *a;
    char **w = NULL;
    make(&cs, &a);
    TC_CHECK_EQ_INT(tc_report_gate(a, cs.n, 0.25, &w), TC_OK);
    TC_CHECK(w != NULL);
    if (w) {
        TC_CHECK_STR(a[0].suggestion, ""); /* 0.06 < 0.25: quiet */
        TC_CHECK_STR(w[0], "return 0;");   /* ... but the winner is kept */
        TC_CHECK_STR(a[2].suggestion, "return 0;");
        TC_CHECK_STR(w[2], "return 0;");
    }
    drop(&cs, a, w);
}

TC_TEST(report_html_elements_and_escaping)
{
    tc_caseset cs;
    tc_answer *a;
    char **w = NULL;
    tc_buf b = {0};
    tc_report_opts o = {0.25, 2, "cases.jsonl", "full", NULL};
    const char *h;
    make(&cs, &a);
    TC_CHECK_EQ_INT(tc_report_gate(a, cs.n, 0.25, &w), TC_OK);
    o.winners = w;
    TC_CHECK_EQ_INT(tc_report_html(&b, &cs, a, &o), TC_OK);
    h = b.data ? b.data : "";
    /* self-contained: no script, no external reference */
    TC_CHECK_EQ_INT(count_in(h, NULL, NULL, "<script"), 0);
    TC_CHECK_EQ_INT(count_in(h, NULL, NULL, "src=\""), 0);
    TC_CHECK_EQ_INT(count_in(h, NULL, NULL, "href=\""), 0);
    TC_CHECK_EQ_INT(count_in(h, NULL, NULL, "<img"), 0);
    /* the summary: all, then the two kinds */
    TC_CHECK_EQ_INT(count_in(h, "<table class=\"summary\"", "</table>", "<tr"), 4);
    /* the curve: thresholds 0, 0.02, ... 0.96 show something (49 of 51),
     * the run's threshold marked once */
    TC_CHECK_EQ_INT(count_in(h, "id=\"curve-chart\"", "</svg>", "class=\"pt\""), 49);
    TC_CHECK_EQ_INT(count_in(h, "id=\"curve-chart\"", "</svg>", "class=\"default\""), 1);
    /* by kind and by language: two bars each */
    TC_CHECK_EQ_INT(count_in(h, "id=\"kinds-chart\"", "</svg>", "class=\"bar\""), 2);
    TC_CHECK_EQ_INT(count_in(h, "id=\"langs-chart\"", "</svg>", "class=\"bar\""), 2);
    TC_CHECK(count_in(h, "id=\"langs-chart\"", "</svg>", ">python<") == 1);
    TC_CHECK_EQ_INT(count_in(h, "id=\"latency-chart\"", "</svg>", "class=\"bin\""), TC_REPORT_LATENCY_BINS);
    /* calibration: one confidence per tenth, so ten points */
    TC_CHECK_EQ_INT(count_in(h, "id=\"calibration-chart\"", "</svg>", "class=\"pt\""), 10);
    /* shown at 0.25: cases 3..10; right: 3, 5, 7, 9; wrong: 4 (hostile), 6, 8, 10 */
    TC_CHECK_EQ_INT(count_in(h, NULL, NULL, "<div class=\"case win\""), 4);
    TC_CHECK_EQ_INT(count_in(h, NULL, NULL, "<div class=\"case miss\""), 4);
    TC_CHECK_EQ_INT(count_in(h, NULL, NULL, "<mark class=\"sug\">"), 8);
    /* the hostile code, escaped */
    TC_CHECK(strstr(h, "/* &lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; "
                       "&#39;\xef\xbf\xbd&#39; */") != NULL);
    TC_CHECK(strstr(h, "<mark class=\"sug\">&lt;img src=x onerror=alert(1)&gt;;</mark>") != NULL);
    TC_CHECK(strstr(h, "a &lt; b &amp;&amp; c &gt; d;") != NULL);
    tc_buf_free(&b);
    drop(&cs, a, w);
}

TC_TEST(report_save_whole_or_nothing)
{
    tc_caseset cs;
    tc_answer *a;
    tc_report_opts o = {-1, 2, NULL, NULL, NULL};
    char path[512], bad[512];
    make(&cs, &a);
    snprintf(path, sizeof path, "%s/r.html", tc_test_tmpdir());
    snprintf(bad, sizeof bad, "%s/no/such/dir/r.html", tc_test_tmpdir());
    TC_CHECK_EQ_INT(tc_report_save(path, &cs, a, &o), TC_OK);
    TC_CHECK(access(path, R_OK) == 0);
    TC_CHECK_EQ_INT(tc_report_save(bad, &cs, a, &o), TC_EIO);
    snprintf(path, sizeof path, "%s/r.html.tmp", tc_test_tmpdir());
    TC_CHECK(access(path, F_OK) != 0);
    drop(&cs, a, NULL);
}
