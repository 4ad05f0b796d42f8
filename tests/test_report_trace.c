/* test_report_trace.c - the explain trace (suggest/trace.h): what the
 * hooks record, post-processing steps as post.c takes them, the gate's
 * verdict, and hooks that cost nothing without a trace. */
#include "suggest/post.h"
#include "suggest/trace.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

static const char *json_str(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

TC_TEST(trace_post_steps_as_post_takes_them)
{
    tc_trace *t = tc_trace_new();
    char s[64];
    size_t n;
    cJSON *j, *post;
    TC_CHECK(t != NULL);
    if (!t) return;
    tc_trace_start(t);
    /* the rest of the line ");" is already there, and a trailing space */
    strcpy(s, "x, y); ");
    n = tc_post_line_trace("f(", 2, ");", 2, s, strlen(s), t);
    TC_CHECK_EQ_INT(n, 4);
    /* without a trace: the same result */
    strcpy(s, "x, y); ");
    TC_CHECK_EQ_INT(tc_post_line_trace("f(", 2, ");", 2, s, strlen(s), NULL), 4);
    tc_trace_gate(t, "x, y", 0.6, 0.25);
    j = tc_trace_json(t);
    TC_CHECK(j != NULL);
    post = cJSON_GetObjectItemCaseSensitive(j, "post");
    TC_CHECK_EQ_INT(cJSON_GetArraySize(post), 3);
    TC_CHECK_STR(json_str(cJSON_GetArrayItem(post, 0), "text"), "x, y); ");
    TC_CHECK_STR(json_str(cJSON_GetArrayItem(post, 1), "step"), "trailing white space dropped");
    TC_CHECK_STR(json_str(cJSON_GetArrayItem(post, 1), "text"), "x, y);");
    TC_CHECK_STR(json_str(cJSON_GetArrayItem(post, 2), "step"), "the rest of the line is there already");
    TC_CHECK_STR(json_str(cJSON_GetArrayItem(post, 2), "text"), "x, y");
    TC_CHECK_STR(json_str(cJSON_GetObjectItemCaseSensitive(j, "result"), "why"), "shown");
    cJSON_Delete(j);
    tc_trace_free(t);
}

TC_TEST(trace_gate_and_candidates)
{
    tc_trace *t = tc_trace_new();
    float f[TC_RANK_NF];
    tc_trace_cand c[2];
    tc_rank r;
    cJSON *j, *cands, *w;
    int k;
    if (!t) return;
    memset(f, 0, sizeof f);
    memset(&r, 0, sizeof r);
    f[4] = 1; /* from_copy */
    r.trained = 1;
    for (k = 0; k < TC_RANK_NF; k++) r.sd[k] = 1;
    r.w[4] = 2;
    c[0] = (tc_trace_cand){"return 0;", 9, TC_TRACE_NGRAM | TC_TRACE_COPY, 0, -1, 0, -1.5, f, 1.0, 0.2, 0, 0, 0, 0, 0};
    c[1] = (tc_trace_cand){"return 1;", 9, TC_TRACE_BUFFER, 1, -1, 0, -3.0, f, 0.5, 0.1, 0, 0, 0, 0, 0};
    tc_trace_start(t);
    tc_trace_stage(t, "lex");
    tc_trace_cands(t, NULL, c, 2, &r);
    tc_trace_gate(t, "return 0;", 0.2, 0.25);
    j = tc_trace_json(t);
    TC_CHECK(j != NULL);
    TC_CHECK_STR(json_str(j, "ranker"), "learned");
    cands = cJSON_GetObjectItemCaseSensitive(j, "candidates");
    TC_CHECK_EQ_INT(cJSON_GetArraySize(cands), 2);
    w = cJSON_GetArrayItem(cands, 0);
    TC_CHECK_STR(json_str(w, "sources"), "ngram+copy");
    TC_CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(w, "features")), TC_RANK_NF);
    /* what from_copy added: w 2 times (1 - mu 0) / sd 1 */
    TC_CHECK(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(w, "contributions"), "from_copy")
                 ->valuedouble == 2);
    TC_CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cands, 1), "closed")));
    TC_CHECK_STR(json_str(cJSON_GetObjectItemCaseSensitive(j, "result"), "why"), "below the threshold");
    TC_CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "result"), "shown")));
    TC_CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "stages")), 1);
    cJSON_Delete(j);
    /* a new suggestion starts afresh */
    tc_trace_start(t);
    j = tc_trace_json(t);
    TC_CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "candidates")), 0);
    TC_CHECK_STR(json_str(cJSON_GetObjectItemCaseSensitive(j, "result"), "why"), "no answer");
    cJSON_Delete(j);
    tc_trace_free(t);
}

TC_TEST(trace_hooks_without_a_trace)
{
    float f[TC_RANK_NF] = {0};
    tc_trace_cand c = {"x", 1, TC_TRACE_NGRAM, 0, -1, 0, 0, f, 0, 0, 0, 0, 0, 0, 0};
    /* every hook takes NULL and does nothing */
    tc_trace_start(NULL);
    tc_trace_stage(NULL, "lex");
    tc_trace_cursor(NULL, "c", "ab", 2, 1, 1);
    tc_trace_hits(NULL, NULL, NULL, 3);
    tc_trace_cands(NULL, NULL, &c, 1, NULL);
    tc_trace_post_begin(NULL, "x", 1);
    tc_trace_post_step(NULL, "cut", "x", 1, 0);
    tc_trace_post_end(NULL, "", 0);
    tc_trace_gate(NULL, "x", 1, 0);
    tc_trace_free(NULL);
    TC_CHECK_STR(tc_trace_feature_name(4), "from_copy");
    TC_CHECK_STR(tc_trace_feature_name(TC_RANK_NF), "?");
}
