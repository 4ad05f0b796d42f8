/* test_sibling.c - sibling names (suggest/sibling.h): names that differ in
 * one part, a line's variants with one name replaced by a sibling, and the
 * engine's sibling candidates (TACIT_CANDS's ninth source flag, S). */
#include "engine_util.h"
#include "test.h"
#include "lang/lang.h"
#include "suggest/sibling.h"
#include "suggest/suggest.h"
#include "util/status.h"
#include "workspace/vocab.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int refuse_first(void *arg, size_t pos, uint32_t to)
{
    (void)arg;
    (void)to;
    return pos != 0;
}

static int sib(const char *a, const char *b) { return tc_sibling_is(a, strlen(a), b, strlen(b)); }

TC_TEST(sibling_names_differ_in_exactly_one_part)
{
    TC_CHECK(sib("cma3000_resume", "cma3000_suspend"));
    TC_CHECK(sib("_IO_read_end", "_IO_read_base"));
    TC_CHECK(sib("closeObserver", "openObserver"));
    TC_CHECK(sib("TestIssue5849", "TestIssue6413"));
    TC_CHECK(sib("HID_OR2", "HID_OR1"));
    TC_CHECK(sib("parseHTTPRequest", "parseJSONRequest"));
    TC_CHECK(sib("checked_add_duration", "checked_sub_duration"));
    /* not siblings: the same name, one part only, two parts changed, another number of parts */
    TC_CHECK(!sib("input", "input"));
    TC_CHECK(!sib("input", "idev"));
    TC_CHECK(!sib("error", "errors"));
    TC_CHECK(!sib("max_read_end", "min_read_base"));
    TC_CHECK(!sib("read_end", "read_end_ptr"));
    TC_CHECK(sib("parseType", "parseTypes")); /* a plural is a part changed */
    TC_CHECK(!sib("", "x_y"));
}

TC_TEST(sibling_variants_replace_one_name_with_a_buffer_sibling)
{
    tc_vocab *v = tc_vocab_new();
    uint32_t resume, data, lp, rp, semi, suspend, probe, remove, x_resume, line[5], names[4];
    tc_sibling_variant out[8];
    size_t n;
    TC_CHECK(v != NULL);
    TC_CHECK_EQ_INT(tc_vocab_intern(v, TC_TOK_IDENT, "cma3000_resume", 14, &resume), 0);
    TC_CHECK_EQ_INT(tc_vocab_intern(v, TC_TOK_IDENT, "data", 4, &data), 0);
    TC_CHECK_EQ_INT(tc_vocab_intern(v, TC_TOK_PUNCT, "(", 1, &lp), 0);
    TC_CHECK_EQ_INT(tc_vocab_intern(v, TC_TOK_PUNCT, ")", 1, &rp), 0);
    TC_CHECK_EQ_INT(tc_vocab_intern(v, TC_TOK_PUNCT, ";", 1, &semi), 0);
    TC_CHECK_EQ_INT(tc_vocab_intern(v, TC_TOK_IDENT, "cma3000_suspend", 15, &suspend), 0);
    TC_CHECK_EQ_INT(tc_vocab_intern(v, TC_TOK_IDENT, "cma3000_probe", 13, &probe), 0);
    TC_CHECK_EQ_INT(tc_vocab_intern(v, TC_TOK_IDENT, "cma3000_remove", 14, &remove), 0);
    TC_CHECK_EQ_INT(tc_vocab_intern(v, TC_TOK_IDENT, "x_resume", 8, &x_resume), 0);
    line[0] = resume, line[1] = lp, line[2] = data, line[3] = rp, line[4] = semi;
    /* the buffer's names, most recent first: data has no sibling, the line's own name is skipped */
    names[0] = suspend, names[1] = resume, names[2] = probe, names[3] = remove;
    n = tc_sibling_variants(v, line, 5, names, 4, 2, NULL, NULL, out, 8);
    TC_CHECK_EQ_INT(n, 2);
    TC_CHECK_EQ_INT(out[0].pos, 0);
    TC_CHECK_EQ_INT(out[0].to, suspend);
    TC_CHECK_EQ_INT(out[1].to, probe); /* at most two a name: remove is left out */
    /* the cap holds */
    TC_CHECK_EQ_INT(tc_sibling_variants(v, line, 5, names, 4, 2, NULL, NULL, out, 1), 1);
    /* keep refuses the first name's */
    TC_CHECK_EQ_INT(tc_sibling_variants(v, line, 5, names, 4, 2, refuse_first, NULL, out, 8), 0);
    /* no sibling in the buffer: no variant */
    names[0] = data, names[1] = x_resume;
    TC_CHECK_EQ_INT(tc_sibling_variants(v, line, 5, names, 2, 2, NULL, NULL, out, 8), 0);
    tc_vocab_free(v);
}

/* Intern text as a token of kind k. */
TC_TEST(sibling_pairs_are_names_two_near_lines_exchange)
{
    tc_vocab *v = tc_vocab_new();
    uint32_t urb, arrow, irq, ctl, dev, eq, udev, semi, other, x, y, eol = TC_VOCAB_EOL, buf[64];
    tc_name_pair pairs[8];
    size_t n = 0, np;
    TC_CHECK(v != NULL);
    urb = test_tok(v, TC_TOK_IDENT, "urb");
    arrow = test_tok(v, TC_TOK_PUNCT, "->");
    irq = test_tok(v, TC_TOK_IDENT, "urb_irq");
    ctl = test_tok(v, TC_TOK_IDENT, "urb_ctl");
    dev = test_tok(v, TC_TOK_IDENT, "dev");
    eq = test_tok(v, TC_TOK_PUNCT, "=");
    udev = test_tok(v, TC_TOK_IDENT, "udev");
    semi = test_tok(v, TC_TOK_PUNCT, ";");
    other = test_tok(v, TC_TOK_IDENT, "other");
    x = test_tok(v, TC_TOK_IDENT, "x");
    y = test_tok(v, TC_TOK_IDENT, "y");
    /* urb->urb_irq->dev = udev; / (blank) / urb->urb_ctl->dev = udev; / x = y; / cursor: x */
    {
        uint32_t l1[] = {urb, arrow, irq, arrow, dev, eq, udev, semi, eol, eol};
        uint32_t l2[] = {urb, arrow, ctl, arrow, dev, eq, udev, semi, eol, x, eq, y, semi, eol, x};
        memcpy(buf + n, l1, sizeof l1), n += sizeof l1 / sizeof *l1;
        memcpy(buf + n, l2, sizeof l2), n += sizeof l2 / sizeof *l2;
    }
    np = tc_sibling_pairs(v, buf, n, n, pairs, 8);
    TC_CHECK_EQ_INT(np, 1);
    TC_CHECK(pairs[0].a == (irq < ctl ? irq : ctl) && pairs[0].b == (irq < ctl ? ctl : irq));
    TC_CHECK_EQ_INT(pairs[0].count, 1);
    TC_CHECK(tc_sibling_pair_find(pairs, np, ctl, irq) == &pairs[0]);
    TC_CHECK(tc_sibling_pair_find(pairs, np, irq, udev) == NULL);
    /* the typed part of the cursor's line (`x` before the cut) is not a line: `x = y;` and `x` make no pair */
    buf[n - 1] = y;
    TC_CHECK_EQ_INT(tc_sibling_pairs(v, buf, n, n - 1, pairs, 8), 1);
    /* two names apart (urb_ctl and udev both changed), or a name for a punctuation: no pair */
    buf[6] = other;
    TC_CHECK_EQ_INT(tc_sibling_pairs(v, buf, n, n, pairs, 8), 0);
    buf[6] = udev;
    buf[2] = semi;
    TC_CHECK_EQ_INT(tc_sibling_pairs(v, buf, n, n, pairs, 8), 0);
    buf[2] = irq;
    /* more than TC_PAIR_LINES lines apart: no pair; TC_PAIR_LINES apart: the pair */
    {
        uint32_t far[64];
        size_t m, i, gap;
        for (gap = TC_PAIR_LINES; gap <= TC_PAIR_LINES + 1; gap++) {
            memcpy(far, buf, 9 * sizeof *far); /* urb->urb_irq->dev = udev; EOL */
            m = 9;
            for (i = 0; i + 1 < gap; i++) far[m++] = x, far[m++] = semi, far[m++] = eol;
            memcpy(far + m, buf + 10, 9 * sizeof *far); /* urb->urb_ctl->dev = udev; EOL */
            m += 9;
            TC_CHECK_EQ_INT(tc_sibling_pairs(v, far, m, m, pairs, 8), gap == TC_PAIR_LINES);
        }
    }
    /* a cap of 0 */
    TC_CHECK_EQ_INT(tc_sibling_pairs(v, buf, n, n, pairs, 0), 0);
    tc_vocab_free(v);
}

static int rel_first_pair(void *rarg, uint32_t a, uint32_t b)
{
    const tc_name_pair *p = rarg;
    return tc_sibling_pair_find(p, 1, a, b) != NULL;
}

TC_TEST(sibling_variants_by_a_relation_replace_only_related_names)
{
    tc_vocab *v = tc_vocab_new();
    uint32_t irq, ctl, dev, arrow, line[3], names[3];
    tc_name_pair pair;
    tc_sibling_variant out[4];
    TC_CHECK(v != NULL);
    irq = test_tok(v, TC_TOK_IDENT, "urb_irq");
    ctl = test_tok(v, TC_TOK_IDENT, "urb_ctl");
    dev = test_tok(v, TC_TOK_IDENT, "dev");
    arrow = test_tok(v, TC_TOK_PUNCT, "->");
    pair.a = irq < ctl ? irq : ctl;
    pair.b = irq < ctl ? ctl : irq;
    pair.count = 1;
    pair.dist = 0;
    line[0] = ctl, line[1] = arrow, line[2] = dev;
    names[0] = dev, names[1] = irq, names[2] = ctl;
    TC_CHECK_EQ_INT(tc_sibling_variants_by(v, line, 3, names, 3, 2, rel_first_pair, &pair, NULL, NULL, out, 4), 1);
    TC_CHECK_EQ_INT(out[0].pos, 0);
    TC_CHECK_EQ_INT(out[0].to, irq);
    /* the related name already on the line: no variant */
    line[2] = irq;
    TC_CHECK_EQ_INT(tc_sibling_variants_by(v, line, 3, names, 3, 2, rel_first_pair, &pair, NULL, NULL, out, 4), 0);
    tc_vocab_free(v);
}

/* The sources flag string ("s") of the candidate whose text is want in the
 * first request dumped to path (TACIT_CANDS), copied to src; 1 when found.
 * *nsib gets how many candidates of that request are sibling variants. */
static int cand_sources(const char *path, const char *want, char *src, size_t cap, int *nsib)
{
    cJSON *a = engine_dump_read(path), *o;
    int found = 0;
    *nsib = 0;
    cJSON_ArrayForEach(o, a)
    {
        cJSON *t = cJSON_GetObjectItem(o, "t"), *s = cJSON_GetObjectItem(o, "s");
        if (!cJSON_IsString(t) || !cJSON_IsString(s)) continue;
        *nsib += strlen(s->valuestring) > 8 && s->valuestring[8] == 'S';
        if (found || strcmp(t->valuestring, want)) continue;
        snprintf(src, cap, "%s", s->valuestring);
        found = 1;
    }
    cJSON_Delete(a);
    return found;
}

/* An engine (full mode) over a repo of four small drivers' files in the
 * test's folder (NULL when it does not open); dump (cap bytes) gets the
 * path to dump its candidates to (engine_dump_request). */
static tc_engine *drv_engine_open(char *dump, size_t cap)
{
    char root[512], rel[64], text[512];
    int i;
    snprintf(root, sizeof root, "%s/repo", tc_test_tmpdir());
    for (i = 0; i < 4; i++) {
        snprintf(rel, sizeof rel, "src/drv%d.c", i);
        snprintf(text, sizeof text, "int drv%d_probe(struct dev *dev)\n{\n    dev_enable(dev);\n    return %d;\n}\n", i, i);
        tc_test_put(root, rel, text);
    }
    snprintf(dump, cap, "%s/cands.jsonl", tc_test_tmpdir());
    return engine_open_at(root, NULL, TC_MODE_FULL);
}

TC_TEST(sibling_candidates_replace_a_buffer_line_name_by_its_sibling)
{
    char dump[600], src[32];
    tc_engine *e;
    int nsib;
    /* the buffer declares foo_hw_suspend; the resume function above calls foo_hw_resume */
    const char *pre = "void foo_hw_suspend(struct foo *data);\n\nvoid foo_resume(struct foo *data)\n{\n"
                      "    foo_hw_resume(data);\n    foo_unlock(data);\n}\n\nvoid foo_suspend(struct foo *data)\n{\n    ";
    const char *suf = "\n}\n";
    /* the same without the sibling name anywhere in the buffer */
    const char *pre2 = "void foo_resume(struct foo *data)\n{\n    foo_hw_resume(data);\n    foo_unlock(data);\n}\n\n"
                       "void foo_suspend(struct foo *data)\n{\n    ";
    e = drv_engine_open(dump, sizeof dump);
    if (!e) return;
    engine_dump_request(e, dump, "src/new.c", pre, suf, 0);
    TC_CHECK(cand_sources(dump, "foo_hw_suspend(data);", src, sizeof src, &nsib));
    TC_CHECK_EQ_INT(src[8], 'S');
    TC_CHECK(nsib >= 1 && nsib <= 8);
    /* no sibling of the line's names in the buffer: no such candidate */
    engine_dump_request(e, dump, "src/new.c", pre2, suf, 0);
    TC_CHECK(!cand_sources(dump, "foo_hw_suspend(data);", src, sizeof src, &nsib));
    /* the buffer line itself is still a candidate, not a sibling variant */
    TC_CHECK(cand_sources(dump, "foo_hw_resume(data);", src, sizeof src, &nsib));
    TC_CHECK(src[8] != 'S');
    tc_engine_free(e);
}

TC_TEST(pair_candidates_replace_a_name_by_the_one_two_buffer_lines_exchange)
{
    char dump[600], src[32];
    tc_engine *e;
    int nsib;
    /* two lines of a exchange rx for tx; b starts with foo_start(f->rx) */
    const char *pre = "void a(struct foo *f)\n{\n    f->rx->dev = f->udev;\n    f->tx->dev = f->udev;\n}\n\n"
                      "void b(struct foo *f)\n{\n    foo_start(f->rx);\n    foo_stop(f);\n}\n\nvoid c(struct foo *f)\n{\n    ";
    /* the same but a's second line differs in two names: no pair */
    const char *pre2 = "void a(struct foo *f)\n{\n    f->rx->dev = f->udev;\n    f->tx->len = f->udev;\n}\n\n"
                       "void b(struct foo *f)\n{\n    foo_start(f->rx);\n    foo_stop(f);\n}\n\nvoid c(struct foo *f)\n{\n    ";
    const char *suf = "\n}\n";
    e = drv_engine_open(dump, sizeof dump);
    if (!e) return;
    engine_dump_request(e, dump, "src/new.c", pre, suf, 0);
    TC_CHECK(cand_sources(dump, "foo_start(f->tx);", src, sizeof src, &nsib));
    TC_CHECK_EQ_INT(src[8], 'S');
    TC_CHECK_EQ_INT(src[9], 'P');
    engine_dump_request(e, dump, "src/new.c", pre2, suf, 0);
    TC_CHECK(!cand_sources(dump, "foo_start(f->tx);", src, sizeof src, &nsib));
    /* the buffer line itself is still a candidate, not a variant */
    TC_CHECK(cand_sources(dump, "foo_start(f->rx);", src, sizeof src, &nsib));
    TC_CHECK(src[8] != 'S' && src[9] != 'P');
    tc_engine_free(e);
}
