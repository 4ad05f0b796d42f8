/* test_spacing.c - the buffer's spacing habits: learned over runs of
 * tokens whose kinds are looked up a run at a time, the bracket depth
 * carried from run to run. */
#include "test.h"

#include "lang/lang.h"
#include "suggest/spacing.h"
#include "util/buf.h"
#include "util/status.h"
#include "workspace/tokens.h"
#include "workspace/vocab.h"

#include <stdlib.h>
#include <string.h>

/* 60 spaced assignments, then one call whose 90 unspaced keyword
 * arguments cross the 256-token runs (4 tokens a line), then 60 more
 * spaced ones: inside the call `a=1`, outside `a = 1`. */
TC_TEST(spacing_learn_depth_across_runs)
{
    tc_vocab *v = tc_vocab_new();
    tc_spacing *s = tc_spacing_new();
    tc_buf src = {0};
    tc_items it = {0};
    uint32_t a, eq, eol = TC_VOCAB_EOL, open;
    uint32_t *ids = NULL;
    uint8_t *kinds = NULL;
    size_t i;
    int d1, d2;
    TC_CHECK(v && s);
    if (!v || !s) goto out;
    for (i = 0; i < 60; i++) tc_buf_puts(&src, "a = 1\n");
    tc_buf_puts(&src, "f(\n");
    for (i = 0; i < 90; i++) tc_buf_puts(&src, "a=1,\n");
    tc_buf_puts(&src, ")\n");
    for (i = 0; i < 60; i++) tc_buf_puts(&src, "a = 1\n");
    TC_CHECK_EQ_INT(tc_tokens_from_source(v, TC_LANG_PYTHON, src.data, src.len, &it, NULL, NULL), TC_OK);
    TC_CHECK(it.n > 600);
    TC_CHECK_EQ_INT(tc_spacing_learn(s, v, it.v, it.n), TC_OK);
    a = (uint32_t)tc_vocab_lookup(v, TC_TOK_IDENT, "a", 1);
    eq = (uint32_t)tc_vocab_lookup(v, TC_TOK_PUNCT, "=", 1);
    open = (uint32_t)tc_vocab_lookup(v, TC_TOK_PUNCT, "(", 1);
    TC_CHECK_EQ_INT(tc_spacing_get(s, v, 0, eol, a, eq), 1);
    TC_CHECK_EQ_INT(tc_spacing_get(s, v, 1, TC_ITEM_ID(it.v[0]), a, eq), 0);
    TC_CHECK_EQ_INT(tc_spacing_get(s, v, 0, eol, TC_ITEM_ID(it.v[0]), open), -1); /* never seen */
    /* the batch look-ups answer as one look-up per id */
    ids = malloc(it.n * sizeof *ids);
    kinds = malloc(it.n);
    TC_CHECK(ids && kinds);
    if (!ids || !kinds) goto out;
    for (i = 0; i < it.n; i++) ids[i] = TC_ITEM_ID(it.v[i]);
    ids[3] = 1u << 30; /* past the vocabulary: UNK's kind */
    tc_vocab_kinds(v, ids, it.n, 0, kinds);
    for (i = 0; i < it.n; i++) TC_CHECK_EQ_INT(kinds[i], tc_vocab_kind(v, ids[i]));
    tc_vocab_kinds(v, it.v, it.n, 1, kinds);
    for (i = 0; i < it.n; i++) TC_CHECK_EQ_INT(kinds[i], tc_vocab_kind(v, TC_ITEM_ID(it.v[i])));
    /* the depth after a run, from any depth, is the depth token by token */
    ids[3] = TC_ITEM_ID(it.v[3]);
    for (d1 = 0; d1 < 3; d1++) {
        int d = d1;
        for (i = 0; i < it.n; i++) d = tc_spacing_depth(v, ids[i], d);
        d2 = tc_spacing_depth_run(v, ids, it.n, d1);
        TC_CHECK_EQ_INT(d2, d);
        TC_CHECK_EQ_INT(tc_spacing_depth_run(v, ids + 240, 20, d1), d1 + 1); /* inside the call */
    }
out:
    free(ids);
    free(kinds);
    tc_items_free(&it);
    tc_buf_free(&src);
    tc_spacing_free(s);
    tc_vocab_free(v);
}

/* A table cleared after it grew (thousands of pairs) answers as a fresh
 * one that learned only what came after the clear: no pair of before
 * left anywhere in it (the clear zeroes only the slots in use). */
TC_TEST(spacing_clear_after_growth_forgets_all)
{
    tc_vocab *v = tc_vocab_new();
    tc_spacing *s = tc_spacing_new(), *fresh = tc_spacing_new();
    tc_buf a = {0}, b = {0};
    tc_items ia = {0}, ib = {0};
    uint32_t eol = TC_VOCAB_EOL, eq;
    size_t i;
    int round;
    TC_CHECK(v && s && fresh);
    if (!v || !s || !fresh) goto out;
    for (i = 0; i < 3000; i++) tc_buf_printf(&a, "name%zu = %zu\n", i, i);
    for (i = 0; i < 50; i++) tc_buf_printf(&b, "name%zu=%zu\n", i * 7, i);
    TC_CHECK_EQ_INT(tc_tokens_from_source(v, TC_LANG_PYTHON, a.data, a.len, &ia, NULL, NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_tokens_from_source(v, TC_LANG_PYTHON, b.data, b.len, &ib, NULL, NULL), TC_OK);
    eq = (uint32_t)tc_vocab_lookup(v, TC_TOK_PUNCT, "=", 1);
    TC_CHECK_EQ_INT(tc_spacing_learn(fresh, v, ib.v, ib.n), TC_OK);
    for (round = 0; round < 2; round++) {
        TC_CHECK_EQ_INT(tc_spacing_learn(s, v, ia.v, ia.n), TC_OK);
        TC_CHECK_EQ_INT(tc_spacing_get(s, v, 0, eol, TC_ITEM_ID(ia.v[ia.n - 4]), eq), 1); /* learned: spaced */
        tc_spacing_clear(s);
        TC_CHECK_EQ_INT(tc_spacing_learn(s, v, ib.v, ib.n), TC_OK);
        for (i = 0; i + 1 < ia.n; i++)
            TC_CHECK_EQ_INT(tc_spacing_get(s, v, 0, i ? TC_ITEM_ID(ia.v[i - 1]) : eol, TC_ITEM_ID(ia.v[i]),
                                           TC_ITEM_ID(ia.v[i + 1])),
                            tc_spacing_get(fresh, v, 0, i ? TC_ITEM_ID(ia.v[i - 1]) : eol, TC_ITEM_ID(ia.v[i]),
                                           TC_ITEM_ID(ia.v[i + 1])));
        tc_spacing_clear(s);
    }
out:
    tc_items_free(&ia);
    tc_items_free(&ib);
    tc_buf_free(&a);
    tc_buf_free(&b);
    tc_spacing_free(s);
    tc_spacing_free(fresh);
    tc_vocab_free(v);
}

/* A firm habit is the pair after a class of token, seen 3 times and
 * always spaced alike: `x === -1` (unary) says nothing of `n - 1`. */
TC_TEST(spacing_firm_pair_after_its_class)
{
    tc_vocab *v = tc_vocab_new();
    tc_spacing *s = tc_spacing_new();
    tc_items it = {0};
    const char *src = "if (a === -1) f(x);\nif (b === -1) f(x);\nif (c === -1) f(x);\nn = 0;\n";
    uint32_t eq3, minus, one, n, f, open;
    TC_CHECK(v && s);
    if (!v || !s) goto out;
    TC_CHECK_EQ_INT(tc_tokens_from_source(v, TC_LANG_JS, src, strlen(src), &it, NULL, NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_spacing_learn(s, v, it.v, it.n), TC_OK);
    eq3 = (uint32_t)tc_vocab_lookup(v, TC_TOK_PUNCT, "===", 3);
    minus = (uint32_t)tc_vocab_lookup(v, TC_TOK_PUNCT, "-", 1);
    one = (uint32_t)tc_vocab_lookup(v, TC_TOK_NUMBER, "1", 1);
    n = (uint32_t)tc_vocab_lookup(v, TC_TOK_IDENT, "n", 1);
    f = (uint32_t)tc_vocab_lookup(v, TC_TOK_IDENT, "f", 1);
    open = (uint32_t)tc_vocab_lookup(v, TC_TOK_PUNCT, "(", 1);
    TC_CHECK_EQ_INT(tc_spacing_firm(s, v, 1, eq3, minus, one), 0);
    TC_CHECK_EQ_INT(tc_spacing_firm(s, v, 0, n, minus, one), -1); /* never after a name */
    TC_CHECK_EQ_INT(tc_spacing_firm(s, v, 0, (uint32_t)tc_vocab_lookup(v, TC_TOK_PUNCT, ")", 1), f, open), 0);
    TC_CHECK_EQ_INT(tc_spacing_firm(s, v, 0, TC_VOCAB_EOL, f, open), -1); /* never after a line's start */
out:
    tc_items_free(&it);
    tc_spacing_free(s);
    tc_vocab_free(v);
}
