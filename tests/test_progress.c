/* test_progress.c - the next line of a progression (suggest/progress.h):
 * the steps between two tokens, the line they give, and the engine's
 * candidate (on unless TACIT_PROGRESS=0; a renamed line, TACIT_CANDS's `r`,
 * with the nearer line's white space). */
#include "engine_util.h"
#include "test.h"
#include "lang/lang.h"
#include "suggest/progress.h"
#include "suggest/suggest.h"
#include "util/status.h"
#include "workspace/vocab.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The next value after a and b as a string ("" when none). */
static const char *step(const char *a, const char *b)
{
    static char out[TC_PROGRESS_TEXT];
    if (!tc_progress_step(a, strlen(a), b, strlen(b), out, sizeof out)) out[0] = 0;
    return out;
}

TC_TEST(progress_steps_count_on_from_the_later_token)
{
    TC_CHECK_STR(step("ABS_X", "ABS_Y"), "ABS_Z");
    TC_CHECK_STR(step("datax", "datay"), "dataz");
    TC_CHECK_STR(step("x", "y"), "z");
    TC_CHECK_STR(step("KEY2_THRESHOLD", "KEY3_THRESHOLD"), "KEY4_THRESHOLD");
    TC_CHECK_STR(step("show_line2", "show_line3"), "show_line4");
    TC_CHECK_STR(step("line09", "line10"), "line11");
    TC_CHECK_STR(step("reg10", "reg09"), "reg08");
    TC_CHECK_STR(step("0x03", "0x04"), "0x05");
    TC_CHECK_STR(step("0x0E", "0x0F"), "0x10");
    TC_CHECK_STR(step("0x0e", "0x0f"), "0x10");
    TC_CHECK_STR(step("0x1A", "0x1B"), "0x1C");
    TC_CHECK_STR(step("4", "8"), "12");
    TC_CHECK_STR(step("2", "1"), "0");
    TC_CHECK_STR(step("10u", "11u"), "12u");
    /* no step: past the letters, 3 apart, other names, two parts changed, the same, below 0, another suffix or base */
    TC_CHECK_STR(step("ABS_Y", "ABS_Z"), "");
    TC_CHECK_STR(step("1", "4"), "");
    TC_CHECK_STR(step("foo", "bar"), "");
    TC_CHECK_STR(step("a1", "b2"), "");
    TC_CHECK_STR(step("ABS_X", "ABS_X"), "");
    TC_CHECK_STR(step("1", "0"), "");
    TC_CHECK_STR(step("1u", "2"), "");
    TC_CHECK_STR(step("0x1", "2"), "");
    TC_CHECK_STR(step("reg_a", "reg_C"), "");
}

TC_TEST(progress_next_line_steps_the_tokens_the_two_lines_above_count)
{
    tc_vocab *v = tc_vocab_new();
    uint32_t rep, op, cl, comma, semi, ax, ay, az, dx, dy, dz, other, eol = TC_VOCAB_EOL, buf[64], out[16];
    size_t at[16], n = 0, got;
    TC_CHECK(v != NULL);
    rep = test_tok(v, TC_TOK_IDENT, "report");
    op = test_tok(v, TC_TOK_PUNCT, "(");
    cl = test_tok(v, TC_TOK_PUNCT, ")");
    comma = test_tok(v, TC_TOK_PUNCT, ",");
    semi = test_tok(v, TC_TOK_PUNCT, ";");
    ax = test_tok(v, TC_TOK_IDENT, "ABS_X");
    ay = test_tok(v, TC_TOK_IDENT, "ABS_Y");
    dx = test_tok(v, TC_TOK_IDENT, "datax");
    dy = test_tok(v, TC_TOK_IDENT, "datay");
    other = test_tok(v, TC_TOK_IDENT, "other");
    /* BOS, report(ABS_X, datax); / report(ABS_Y, datay); / cursor */
    {
        uint32_t l[] = {TC_VOCAB_BOS, rep, op, ax, comma, dx, cl, semi, eol, rep, op, ay, comma, dy, cl, semi, eol};
        memcpy(buf, l, sizeof l);
        n = sizeof l / sizeof *l;
    }
    /* ABS_Z and dataz are names nobody used: no line */
    TC_CHECK_EQ_INT(tc_progress_next(v, buf, n, out, at, 16), 0);
    az = test_tok(v, TC_TOK_IDENT, "ABS_Z");
    TC_CHECK_EQ_INT(tc_progress_next(v, buf, n, out, at, 16), 0);
    dz = test_tok(v, TC_TOK_IDENT, "dataz");
    got = tc_progress_next(v, buf, n, out, at, 16);
    TC_CHECK_EQ_INT(got, 7);
    if (got == 7) {
        uint32_t want[] = {rep, op, az, comma, dz, cl, semi};
        TC_CHECK(memcmp(out, want, sizeof want) == 0);
        TC_CHECK_EQ_INT(at[0], 9); /* the nearer line's tokens, for their spacing */
        TC_CHECK_EQ_INT(at[6], 15);
    }
    /* too few lines for the output */
    TC_CHECK_EQ_INT(tc_progress_next(v, buf, n, out, at, 6), 0);
    /* a blank line after each member: the cursor two lines below the nearer one */
    {
        uint32_t l[] = {TC_VOCAB_BOS, rep, op, ax, comma, dx, cl, semi, eol, eol, rep, op, ay, comma, dy, cl, semi, eol, eol};
        memcpy(buf, l, sizeof l);
        n = sizeof l / sizeof *l;
        TC_CHECK_EQ_INT(tc_progress_next(v, buf, n, out, at, 16), 7);
    }
    /* ... but not when only the cursor's side has one (the members one line apart, the cursor two) */
    {
        uint32_t l[] = {TC_VOCAB_BOS, rep, op, ax, comma, dx, cl, semi, eol, rep, op, ay, comma, dy, cl, semi, eol, eol};
        memcpy(buf, l, sizeof l);
        n = sizeof l / sizeof *l;
        TC_CHECK_EQ_INT(tc_progress_next(v, buf, n, out, at, 16), 0);
    }
    /* a name that is no step (other for datax), or a punctuation changed: no line */
    {
        uint32_t l[] = {TC_VOCAB_BOS, rep, op, ax, comma, other, cl, semi, eol, rep, op, ay, comma, dy, cl, semi, eol};
        memcpy(buf, l, sizeof l);
        n = sizeof l / sizeof *l;
        TC_CHECK_EQ_INT(tc_progress_next(v, buf, n, out, at, 16), 0);
        buf[5] = dx;
        buf[7] = comma;
        TC_CHECK_EQ_INT(tc_progress_next(v, buf, n, out, at, 16), 0);
        buf[7] = semi;
        TC_CHECK_EQ_INT(tc_progress_next(v, buf, n, out, at, 16), 7);
    }
    tc_vocab_free(v);
}

/* The sources flag string of the candidate whose text is want in the first
 * request dumped to path (TACIT_CANDS); 1 when found. */
static int cand_found(const char *path, const char *want, char *src, size_t cap)
{
    cJSON *a = engine_dump_read(path), *o;
    int found = 0;
    cJSON_ArrayForEach(o, a)
    {
        cJSON *t = cJSON_GetObjectItem(o, "t"), *s = cJSON_GetObjectItem(o, "s");
        if (found || !cJSON_IsString(t) || !cJSON_IsString(s) || strcmp(t->valuestring, want)) continue;
        snprintf(src, cap, "%s", s->valuestring);
        found = 1;
    }
    cJSON_Delete(a);
    return found;
}

TC_TEST(progress_candidate_is_the_next_line_with_the_buffer_white_space)
{
    char root[512], dump[600], src[32];
    tc_engine *e;
    const char *pre = "enum { ABS_X, ABS_Y, ABS_Z };\n\nvoid f(struct dev *dev, int datax, int datay, int dataz)\n{\n"
                      "    report(dev, ABS_X,\tdatax);\n    report(dev, ABS_Y,\tdatay);\n    ";
    const char *suf = "\n}\n";
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    tc_test_put(root, "src/a.c", "int a(struct dev *dev)\n{\n    return report(dev, 0, 0);\n}\n");
    snprintf(dump, sizeof dump, "%s/cands.jsonl", tc_test_tmpdir());
    /* off: no such candidate */
    e = engine_open_off(root, NULL, "TACIT_PROGRESS");
    if (!e) return;
    engine_dump_request(e, dump, "src/new.c", pre, suf, 0);
    TC_CHECK(!cand_found(dump, "report(dev, ABS_Z,\tdataz);", src, sizeof src));
    tc_engine_free(e);
    e = engine_open_at(root, NULL, TC_MODE_FULL); /* on by default */
    if (!e) return;
    engine_dump_request(e, dump, "src/new.c", pre, suf, 0);
    TC_CHECK(cand_found(dump, "report(dev, ABS_Z,\tdataz);", src, sizeof src));
    TC_CHECK_EQ_INT(src[5], 'r');
    /* typed: the rest of the line after the partial word */
    {
        char pre2[512];
        snprintf(pre2, sizeof pre2, "%srep", pre);
        engine_dump_request(e, dump, "src/new.c", pre2, suf, 0);
        TC_CHECK(cand_found(dump, "ort(dev, ABS_Z,\tdataz);", src, sizeof src));
    }
    tc_engine_free(e);
}

TC_TEST(progress_line_wins_over_the_learned_ranker_choice)
{
    /* a workspace with a learned ranker; the buffer counts n + 10, n + 11:
     * on (the default) the suggestion is n + 12, which no other source has */
    char root[512], cache[600];
    const char *buf = "static int op_new(struct ctx *c, int n)\n{\n    int rc;\n\n"
                      "    rc = ctx_check(c, n + 10);\n    rc = ctx_check(c, n + 11);\n    ";
    const char *want = "rc = ctx_check(c, n + 12);";
    tc_engine *e;
    tc_suggestion s;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    snprintf(cache, sizeof cache, "%s/cache", tc_test_tmpdir());
    engine_put_ranked_repo(root);
    e = engine_open_off(root, cache, "TACIT_PROGRESS");
    if (!e) return;
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/new.c", buf, strlen(buf), strlen(buf), &s), TC_OK);
    TC_CHECK(!s.text || strcmp(s.text, want) != 0);
    tc_suggestion_free(&s);
    tc_engine_free(e);
    e = engine_open_at(root, cache, TC_MODE_FULL); /* on by default; the same saved ranker: its rows are the same */
    if (!e) return;
    TC_CHECK_EQ_INT(tc_engine_suggest(e, "src/new.c", buf, strlen(buf), strlen(buf), &s), TC_OK);
    TC_CHECK(s.text && strcmp(s.text, want) == 0);
    TC_CHECK(s.confidence > 0 && s.confidence <= 1);
    tc_suggestion_free(&s);
    tc_engine_free(e);
}
