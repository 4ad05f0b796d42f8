/* test_edit_firstuse.c - a rename made at a use that is the name's first
 * in its scope (src/edit/firstuse.c, TC_EDIT_F_FIRST_USE). */
#include "edit/edit_int.h"
#include "test.h"
#include "util/status.h"

#include <string.h>

/* The rule of before -> after (a C++ file a/x.h) and its places there. */
static int sites_of(const char *before, const char *after, tc_edit_rule **r, tc_edit_sites *s)
{
    tc_edit_src b = {"a/x.h", before, strlen(before), TC_LANG_CPP};
    tc_edit_src o = {"a/x.h", after, strlen(after), TC_LANG_CPP};
    int rc = tc_edit_synth(&b, after, strlen(after), r);
    memset(s, 0, sizeof *s);
    if (rc != TC_OK) return rc;
    return tc_edit_rule_sites(*r, &o, 1, s);
}

/* A type the file does not declare, used four times in a namespace. */
static const char *const uses = "namespace N {\nvoid fin(ext_env e, void* d);\n"
                                "struct W {\n  static void Wrap(ext_env env, void* data);\n};\n"
                                "inline Env::Env(ext_env env) : _env(env) {}\n"
                                "inline Env::operator ext_env() const { return _env; }\n}\n";

static const char *replace_nth(char *out, size_t cap, const char *s, const char *old, const char *nw, int nth)
{
    const char *p = s;
    size_t ol = strlen(old);
    int k;
    for (k = 0; p && k < nth; k++) p = strstr(p + (k ? ol : 0), old);
    if (!p) return NULL;
    snprintf(out, cap, "%.*s%s%s", (int)(p - s), s, nw, p + ol);
    return out;
}

TC_TEST(edit_first_use_marks)
{
    char a[512];
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    float f[TC_EDIT_NFEAT];
    size_t i;
    /* at the name's first use: every place carries the evidence, and it
     * counts for them (its weight, fitted, is above 0) */
    TC_CHECK(replace_nth(a, sizeof a, uses, "ext_env", "basic_env", 1) != NULL);
    TC_CHECK_EQ_INT(sites_of(uses, a, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && r->first_use == 1);
    TC_CHECK_EQ_INT(s.n, 3);
    for (i = 0; i < s.n; i++) {
        TC_CHECK(s.v[i].feat[TC_EDIT_F_FIRST_USE] == 1 && strcmp(s.v[i].text, "basic_env") == 0);
        memcpy(f, s.v[i].feat, sizeof f);
        f[TC_EDIT_F_FIRST_USE] = 0;
        TC_CHECK(tc_edit_conf(s.v[i].feat) > tc_edit_conf(f));
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    r = NULL;
    /* at the third use, the first two left as they were: one use switched */
    TC_CHECK(replace_nth(a, sizeof a, uses, "ext_env", "basic_env", 3) != NULL);
    TC_CHECK_EQ_INT(sites_of(uses, a, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && r->first_use == 0);
    TC_CHECK(s.n == 3);
    for (i = 0; i < s.n; i++) TC_CHECK(s.v[i].feat[TC_EDIT_F_FIRST_USE] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    TC_CHECK(strcmp(tc_edit_feat_name(TC_EDIT_F_FIRST_USE), "first_use") == 0);
}

TC_TEST(edit_first_use_declared)
{
    /* renamed where it is declared (the rule is sure already, 0.95): not
     * this evidence, though the declaration is the first use */
    const char *b = "int f(int count) {\n  return count + count;\n}\n";
    const char *a = "int f(int total) {\n  return count + count;\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    size_t i;
    TC_CHECK_EQ_INT(sites_of(b, a, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && r->first_use == 0);
    TC_CHECK(s.n == 2);
    for (i = 0; i < s.n; i++) TC_CHECK(s.v[i].feat[TC_EDIT_F_FIRST_USE] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_first_use_member)
{
    /* a member renamed at its first use: maybe a switch to another field
     * of a struct declared elsewhere, not this evidence */
    const char *b = "int f(struct s *a, struct s *b)\n{\n    x = a->len;\n    y = b->len;\n}\n";
    const char *a = "int f(struct s *a, struct s *b)\n{\n    x = a->size;\n    y = b->len;\n}\n";
    tc_edit_rule *r = NULL;
    tc_edit_sites s;
    TC_CHECK_EQ_INT(sites_of(b, a, &r, &s), TC_OK);
    TC_CHECK(r && tc_edit_rule_kind(r) == TC_EDIT_RENAME && r->first_use == 0);
    TC_CHECK(s.n == 1 && s.v[0].feat[TC_EDIT_F_FIRST_USE] == 0);
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
}

TC_TEST(edit_first_use_scope)
{
    /* the first use of the name in its scope: uses before the scope (another
     * function's local of the same name) do not count against it */
    const char *o = "int g(void) {\n  int n = 1;\n  return n;\n}\n";
    ev v;
    size_t i, first = 0, second = 0;
    TC_CHECK_EQ_INT(ev_init(&v, TC_LANG_C, o, strlen(o)), TC_OK);
    for (i = 0; i < v.n; i++)
        if (ev_is(&v, i, "n")) {
            if (!first) first = i;
            else second = i;
        }
    TC_CHECK(first && second > first);
    TC_CHECK(edit_first_use(&v, first, 0));
    TC_CHECK(!edit_first_use(&v, second, 0));
    TC_CHECK(edit_first_use(&v, second, v.t[first].off + 1)); /* the scope starts after the first */
    TC_CHECK(!edit_first_use(&v, 0, 0));                     /* `int`: a keyword, no name */
    ev_free(&v);
}
