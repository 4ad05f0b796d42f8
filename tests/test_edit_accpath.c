/* test_edit_accpath.c - TC_EDIT_F_SAME_PATH (src/edit/accpath.c): 1 at the
 * places of a rewrite made inside an access path of three names or more
 * that lie in the same path, name for name; 0 for a place in another
 * path, a path of two names, and a rename. */
#include "edit/edit_int.h"
#include "edit_feat.h"

#include <stdlib.h>
#include <string.h>

/* The rule's places in after (the example's file, t.c) carrying
 * TC_EDIT_F_SAME_PATH (edit_feat.h). */
static void count_path(const char *before, const char *after, size_t *on, size_t *off)
{
    edit_count_feat(TC_LANG_C, before, after, "t.c", after, 1, TC_EDIT_F_SAME_PATH, on, off, NULL);
}

TC_TEST(edit_access_path_text)
{
    const char *t = "x = q->b->cfg.first_byte_ms + a.n;\n";
    ev v;
    char *p;
    TC_CHECK_EQ_INT(ev_init(&v, TC_LANG_C, t, strlen(t)), TC_OK);
    p = edit_access_path(&v, 7, 14); /* "b->cfg." */
    TC_CHECK(p && strcmp(p, "q->b->cfg.first_byte_ms") == 0);
    free(p);
    TC_CHECK(edit_access_path(&v, 30, 33) == NULL); /* "a.n": two names */
    TC_CHECK(edit_access_path(&v, 0, 1) == NULL);   /* "x": in no path */
    TC_CHECK(edit_access_path(&v, 7, 7) == NULL);   /* empty */
    TC_CHECK(edit_access_path(&v, 2, 7) == NULL);   /* "= q->": not only a path's tokens */
    ev_free(&v);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_SAME_PATH), "same_path") == 0);
}

/* tacit's 160d0bdef1: `b->cfg.` deleted from q->b->cfg.first_byte_ms */
#define FB_BEFORE "void f(struct q *q)\n{\n    g(q->b->cfg.first_byte_ms);\n    if (q->b->cfg.first_byte_ms > 0)\n        h(1,\n          q->b->cfg.first_byte_ms);\n"
#define FB_REST "    k(p->b->cfg.first_byte_ms);\n}\n"

TC_TEST(edit_same_path_places)
{
    const char *b = FB_BEFORE FB_REST;
    const char *a = "void f(struct q *q)\n{\n    g(q->first_byte_ms);\n    if (q->b->cfg.first_byte_ms > 0)\n        h(1,\n"
                    "          q->b->cfg.first_byte_ms);\n" FB_REST;
    size_t on, off;
    count_path(b, a, &on, &off);
    /* the two of q's path; p's is another datum */
    TC_CHECK(on == 2);
}

TC_TEST(edit_same_path_negative)
{
    size_t on, off;
    /* a path of two names: a local's member, any use */
    count_path("void f(void)\n{\n    g(cs.n);\n    h(cs.n);\n}\n", "void f(void)\n{\n    g(ncases);\n    h(cs.n);\n}\n", &on,
               &off);
    TC_CHECK(on == 0);
    /* a rename of a member in a path: its own evidence */
    count_path("void f(struct q *q)\n{\n    g(q->b->len);\n    h(q->b->len);\n}\n",
               "void f(struct q *q)\n{\n    g(q->b->size);\n    h(q->b->len);\n}\n", &on, &off);
    TC_CHECK(on == 0);
}
