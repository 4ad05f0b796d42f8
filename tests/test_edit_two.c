/* test_edit_two.c - next edits from two examples (tc_edit_synth2): the
 * first's rule confirmed by the second, or the two anti-unified into one
 * rule with holes where they differ; abstaining where they disagree. */
#include "edit/edit.h"
#include "test.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

/* The rule of (b1 -> a1, b2 -> a2) applied at all its places in the
 * edited document a1 followed by other; returns what follows a1 then
 * (malloc'd; a1 itself must stay as it is); *kind: the rule's kind, -1
 * when there is none. */
static char *two(tc_lang lang, const char *b1, const char *a1, const char *b2, const char *a2, const char *other,
                 int *kind, size_t *nsites)
{
    tc_edit_src x = {"a.js", b1, strlen(b1), lang}, y = {"b.js", b2, strlen(b2), lang};
    size_t al = strlen(a1), i;
    char *res = malloc(al + strlen(other) + 1), *tail;
    tc_edit_src o = {"a.js", res, 0, lang};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    int rc = tc_edit_synth2(&x, a1, al, &y, a2, strlen(a2), &r);
    strcpy(res, a1);
    strcat(res, other);
    o.text = res;
    o.len = strlen(res);
    *kind = -1;
    *nsites = 0;
    if (rc != TC_OK) {
        TC_CHECK_EQ_INT(rc, TC_ENOENT);
        TC_CHECK(r == NULL);
    } else {
        *kind = (int)tc_edit_rule_kind(r);
        TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &o, 1, &s), TC_OK);
        *nsites = s.n;
    }
    for (i = s.n; i-- > 0;) { /* back to front: offsets stay valid */
        size_t len = strlen(res), tn = strlen(s.v[i].text);
        char *nr = malloc(len - (s.v[i].b - s.v[i].a) + tn + 1);
        memcpy(nr, res, s.v[i].a);
        memcpy(nr + s.v[i].a, s.v[i].text, tn);
        memcpy(nr + s.v[i].a + tn, res + s.v[i].b, len - s.v[i].b + 1);
        free(res);
        res = nr;
    }
    TC_CHECK(strncmp(res, a1, al) == 0);
    tail = strdup(res + al);
    free(res);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    return tail;
}

#define EXPECT2(lang, b1, a1, b2, a2, other, want_kind, want_n, want)                 \
    do {                                                                             \
        int k_;                                                                      \
        size_t n_;                                                                   \
        char *got_ = two((lang), (b1), (a1), (b2), (a2), (other), &k_, &n_);         \
        TC_CHECK_EQ_INT(k_, (want_kind));                                            \
        TC_CHECK_EQ_INT(n_, (want_n));                                               \
        TC_CHECK_STR(got_, (want));                                                  \
        free(got_);                                                                  \
    } while (0)

/* the second edit is what the first's rule makes there: that rule */
TC_TEST(edit_two_confirms_first)
{
    EXPECT2(TC_LANG_JS, "foo(a);\n", "foo(a, 0);\n", "x();\nfoo(b);\n", "x();\nfoo(b, 0);\n",
            "foo(c);\nbar(d);\nfoo(e, f);\n", TC_EDIT_CALL, 1, "foo(c, 0);\nbar(d);\nfoo(e, f);\n");
    EXPECT2(TC_LANG_JS, "x.get(\"k1\");\n", "x.fetch(\"k1\");\n", "y.get(\"k2\");\n", "y.fetch(\"k2\");\n",
            "z.get(\"k3\");\nz.set(\"k4\");\n", TC_EDIT_CALL, 1, "z.fetch(\"k3\");\nz.set(\"k4\");\n");
}

/* the first alone is tied to its string; the two together leave it a hole
 * (and the receiver), anchored on the call they share */
TC_TEST(edit_two_antiunified)
{
    const char *other = "let v = z.get(\"k3\");\n"    /* yes */
                        "let w = q.get(\"k4\").value;\n" /* already done */
                        "let u = z.get(a, b);\n"      /* two arguments: no */
                        "let t = z.set(\"k5\");\n"    /* another call: no */
                        "let s = z.get(\"k6\") + 1;\n"; /* not at a statement's end: no */
    EXPECT2(TC_LANG_JS, "let a = x.get(\"k1\");\n", "let a = x.get(\"k1\").value;\n", "f();\nlet b = y.get(\"k2\");\n",
            "f();\nlet b = y.get(\"k2\").value;\n", other, TC_EDIT_TOKENS, 1,
            "let v = z.get(\"k3\").value;\n"
            "let w = q.get(\"k4\").value;\n"
            "let u = z.get(a, b);\n"
            "let t = z.set(\"k5\");\n"
            "let s = z.get(\"k6\") + 1;\n");
}

/* a new token that differs between the two and comes from no old one: no rule */
TC_TEST(edit_two_new_token_varies)
{
    EXPECT2(TC_LANG_JS, "let a = x.get(\"k1\");\n", "let a = x.get(\"k1\").v1;\n", "let b = y.get(\"k2\");\n",
            "let b = y.get(\"k2\").v2;\n", "let c = z.get(\"k3\");\n", -1, 0, "let c = z.get(\"k3\");\n");
}

/* two edits of different shapes: no rule */
TC_TEST(edit_two_shapes_differ)
{
    EXPECT2(TC_LANG_JS, "let a = x.get(\"k1\");\n", "let a = x.get(\"k1\").value;\n", "let b = y.get(\"k2\");\n",
            "let b = y.get(\"k2\").value.trim();\n", "let c = z.get(\"k3\");\n", -1, 0, "let c = z.get(\"k3\");\n");
}

/* nothing shared but punctuation and the literal: too loose, no rule */
TC_TEST(edit_two_no_anchor)
{
    EXPECT2(TC_LANG_C, "int f(void)\n{\n    x = 5;\n}\n", "int f(void)\n{\n    x = 6;\n}\n",
            "int g(void)\n{\n    y = 5;\n}\n", "int g(void)\n{\n    y = 6;\n}\n", "void h(void)\n{\n    z = 5;\n}\n", -1,
            0, "void h(void)\n{\n    z = 5;\n}\n");
}

/* a hole in the new text takes the site's own token */
TC_TEST(edit_two_hole_in_new_text)
{
    EXPECT2(TC_LANG_JS, "let a = x.get(\"k1\");\n", "let a = x.get(\"k1\") || \"k1\";\n", "let b = y.get(\"k2\");\n",
            "let b = y.get(\"k2\") || \"k2\";\n", "let v = z.get(\"k3\");\nlet w = z.get(k4);\n", TC_EDIT_TOKENS, 1,
            "let v = z.get(\"k3\") || \"k3\";\nlet w = z.get(k4);\n");
}

/* x is the receiver and the argument in the first, y and z in the
 * second: the examples disagree on x's role, no rule */
TC_TEST(edit_two_roles_disagree)
{
    EXPECT2(TC_LANG_JS, "let a = x.get(x);\n", "let a = x.get(x).value;\n", "let b = y.get(z);\n",
            "let b = y.get(z).value;\n", "let c = q.get(q);\n", -1, 0, "let c = q.get(q);\n");
}

/* a rule of two examples stays in the edited document */
TC_TEST(edit_two_not_crossfile)
{
    tc_edit_src x = {"a.js", "let a = x.get(\"k1\");\n", 21, TC_LANG_JS}, y = {"b.js", "let b = y.get(\"k2\");\n", 21, TC_LANG_JS};
    const char *a1 = "let a = x.get(\"k1\").value;\n", *a2 = "let b = y.get(\"k2\").value;\n";
    tc_edit_rule *r = NULL;
    TC_CHECK_EQ_INT(tc_edit_synth2(&x, a1, strlen(a1), &y, a2, strlen(a2), &r), TC_OK);
    TC_CHECK(r && !tc_edit_rule_crossfile(r));
    TC_CHECK(r && strstr(tc_edit_rule_title(r), "two edits"));
    tc_edit_rule_free(r);
}

/* the tracker keeps the previous burst of the same document as the second
 * example; another document's burst or a reset forgets it */
TC_TEST(edit_two_tracker_prev)
{
    tc_edit_tracker *t = tc_edit_tracker_new();
    const char *v0 = "a;\nb;\n", *v1 = "ax;\nb;\n", *pb = NULL;
    size_t pl = 0;
    TC_CHECK(t != NULL);
    TC_CHECK_EQ_INT(tc_edit_tracker_change(t, "d", v0, strlen(v0), 1, 1, 1), TC_OK);
    TC_CHECK_EQ_INT(tc_edit_tracker_prev(t, &pb, &pl), 0);
    TC_CHECK_EQ_INT(tc_edit_tracker_change(t, "d", v1, strlen(v1), 5, 5, 1), TC_OK); /* line 2: a new burst */
    TC_CHECK_EQ_INT(tc_edit_tracker_prev(t, &pb, &pl), 1);
    TC_CHECK(pl == strlen(v0) && memcmp(pb, v0, pl) == 0);
    TC_CHECK_EQ_INT(tc_edit_tracker_change(t, "e", v0, strlen(v0), 0, 0, 1), TC_OK);
    TC_CHECK_EQ_INT(tc_edit_tracker_prev(t, &pb, &pl), 0);
    TC_CHECK_EQ_INT(tc_edit_tracker_change(t, "e", v1, strlen(v1), 5, 5, 1), TC_OK);
    TC_CHECK_EQ_INT(tc_edit_tracker_prev(t, &pb, &pl), 1);
    tc_edit_tracker_reset(t, "e");
    TC_CHECK_EQ_INT(tc_edit_tracker_prev(t, &pb, &pl), 0);
    tc_edit_tracker_free(t);
}
