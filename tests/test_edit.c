/* test_edit.c - next edits: one rule per kind from one example, its sites
 * (positive and negative), the tracker's bursts and the prompt. */
#include "edit/edit.h"
#include "test.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

/* Apply every site of the rule from (before -> after) to after itself
 * (and to other, when given) and return the result (malloc'd); *kind gets
 * the rule's kind, -1 when there is no rule. */
static char *apply_all(tc_lang lang, const char *before, const char *after, const char *other, int *kind,
                       size_t *nsites)
{
    tc_edit_src b = {"a.c", before, strlen(before), lang};
    tc_edit_src o = {"b.c", other ? other : after, strlen(other ? other : after), lang};
    tc_edit_rule *r = NULL;
    tc_edit_sites s = {0};
    char *res;
    size_t i, len, tail;
    int rc = tc_edit_synth(&b, after, strlen(after), &r);
    *kind = -1;
    *nsites = 0;
    if (rc != TC_OK) return strdup(other ? other : after);
    *kind = (int)tc_edit_rule_kind(r);
    TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &o, other == NULL, &s), TC_OK);
    *nsites = s.n;
    res = strdup(o.text);
    len = strlen(res);
    for (i = s.n; i-- > 0;) { /* back to front: offsets stay valid */
        size_t tn = strlen(s.v[i].text);
        char *nr = malloc(len - (s.v[i].b - s.v[i].a) + tn + 1);
        tail = len - s.v[i].b;
        memcpy(nr, res, s.v[i].a);
        memcpy(nr + s.v[i].a, s.v[i].text, tn);
        memcpy(nr + s.v[i].a + tn, res + s.v[i].b, tail + 1);
        free(res);
        res = nr;
        len = strlen(res);
    }
    tc_edit_sites_free(&s);
    tc_edit_rule_free(r);
    return res;
}

#define EXPECT(lang, before, after, other, want_kind, want_n, want)                 \
    do {                                                                             \
        int k_;                                                                      \
        size_t n_;                                                                   \
        char *got_ = apply_all((lang), (before), (after), (other), &k_, &n_);        \
        TC_CHECK_EQ_INT(k_, (want_kind));                                            \
        TC_CHECK_EQ_INT(n_, (want_n));                                               \
        TC_CHECK_STR(got_, (want));                                                  \
        free(got_);                                                                  \
    } while (0)

TC_TEST(edit_rename_local)
{
    const char *b = "int f(void)\n{\n    int count = 0;\n    count++;\n    return count;\n}\n"
                    "int g(void)\n{\n    int count = 1;\n    return count;\n}\n";
    const char *a = "int f(void)\n{\n    int total = 0;\n    count++;\n    return count;\n}\n"
                    "int g(void)\n{\n    int count = 1;\n    return count;\n}\n";
    /* the other function's own `count` is left alone */
    EXPECT(TC_LANG_C, b, a, NULL, TC_EDIT_RENAME, 2,
           "int f(void)\n{\n    int total = 0;\n    total++;\n    return total;\n}\n"
           "int g(void)\n{\n    int count = 1;\n    return count;\n}\n");
}

TC_TEST(edit_rename_function_crossfile)
{
    const char *b = "void old_name(int x);\nint main(void) { old_name(1); return 0; }\n";
    const char *a = "void new_name(int x);\nint main(void) { old_name(1); return 0; }\n";
    EXPECT(TC_LANG_C, b, a, "static int old_name_x;\nvoid h(void) { old_name(2); }\n", TC_EDIT_RENAME, 1,
           "static int old_name_x;\nvoid h(void) { new_name(2); }\n");
    /* the new name exists already: not a rename (another kind or nothing) */
    EXPECT(TC_LANG_C, "int a, b;\nint f(void) { return a + a; }\n", "int a, b;\nint f(void) { return b + a; }\n",
           NULL, -1, 0, "int a, b;\nint f(void) { return b + a; }\n");
}

TC_TEST(edit_rename_member)
{
    /* a member renamed: its other uses after '.' or '->', in other files
     * too; a local of the same name is left alone */
    const char *b = "void f(struct s *p)\n{\n    p->count++;\n    int count = p->count;\n    q.count = count;\n}\n";
    const char *a = "void f(struct s *p)\n{\n    p->total++;\n    int count = p->count;\n    q.count = count;\n}\n";
    EXPECT(TC_LANG_C, b, a, NULL, TC_EDIT_RENAME, 2,
           "void f(struct s *p)\n{\n    p->total++;\n    int count = p->total;\n    q.total = count;\n}\n");
    EXPECT(TC_LANG_C, b, a, "x = r->count + count;\n", TC_EDIT_RENAME, 1, "x = r->total + count;\n");
}

TC_TEST(edit_call_add_argument)
{
    const char *b = "void f(void)\n{\n    log_msg(\"a\", 1);\n    log_msg(x, y);\n    log_msg(z);\n}\n";
    const char *a = "void f(void)\n{\n    log_msg(\"a\", 1, ctx);\n    log_msg(x, y);\n    log_msg(z);\n}\n";
    /* the one-argument call is another overload: left alone */
    EXPECT(TC_LANG_C, b, a, NULL, TC_EDIT_CALL, 1,
           "void f(void)\n{\n    log_msg(\"a\", 1, ctx);\n    log_msg(x, y, ctx);\n    log_msg(z);\n}\n");
}

TC_TEST(edit_call_remove_argument)
{
    const char *b = "x = open_file(p, 0, NULL);\ny = open_file(q, 1, NULL);\nint open_file(a, b, c) {}\n";
    const char *a = "x = open_file(p, 0);\ny = open_file(q, 1, NULL);\nint open_file(a, b, c) {}\n";
    /* the definition is not a call */
    EXPECT(TC_LANG_C, b, a, NULL, TC_EDIT_CALL, 1,
           "x = open_file(p, 0);\ny = open_file(q, 1);\nint open_file(a, b, c) {}\n");
}

TC_TEST(edit_call_replace_api)
{
    /* another function: the arguments that look like the example's (a
     * name, a name); the call on a member and an index is left alone */
    const char *b = "strcpy(dst, src);\nstrcpy(name, arg);\nstrcpy(buf->name, argv[1]);\nmemcpy(a, b, 3);\n";
    const char *a = "strlcpy(dst, src, sizeof dst);\nstrcpy(name, arg);\nstrcpy(buf->name, argv[1]);\nmemcpy(a, b, 3);\n";
    EXPECT(TC_LANG_C, b, a, NULL, TC_EDIT_CALL, 1,
           "strlcpy(dst, src, sizeof dst);\nstrlcpy(name, arg, sizeof name);\nstrcpy(buf->name, argv[1]);\nmemcpy(a, b, 3);\n");
    /* swapped arguments, in another file */
    EXPECT(TC_LANG_PYTHON, "r = put(k, v)\n", "r = store(v, k)\n", "put(x, y)\nput(a)\nx.put(1, 2)\n",
           TC_EDIT_CALL, 1, "store(y, x)\nput(a)\nx.put(1, 2)\n");
}

TC_TEST(edit_call_constant_guard)
{
    /* same arity, one constant changed: only calls that had the same constant */
    const char *b = "set_mode(fd, 0644);\nset_mode(gd, 0644);\nset_mode(hd, 0600);\n";
    const char *a = "set_mode(fd, 0600);\nset_mode(gd, 0644);\nset_mode(hd, 0600);\n";
    EXPECT(TC_LANG_C, b, a, NULL, TC_EDIT_CALL, 1, "set_mode(fd, 0600);\nset_mode(gd, 0600);\nset_mode(hd, 0600);\n");
}

TC_TEST(edit_insert_after_similar_lines)
{
    const char *b = "void f(void)\n{\n    p = malloc(n);\n    use(p);\n    q = malloc(m * 2);\n    r = calloc(1, 2);\n}\n";
    const char *a = "void f(void)\n{\n    p = malloc(n);\n    if (!p) return;\n    use(p);\n    q = malloc(m * 2);\n"
                    "    r = calloc(1, 2);\n}\n";
    EXPECT(TC_LANG_C, b, a, NULL, TC_EDIT_INSERT, 1,
           "void f(void)\n{\n    p = malloc(n);\n    if (!p) return;\n    use(p);\n    q = malloc(m * 2);\n"
           "    if (!q) return;\n    r = calloc(1, 2);\n}\n");
    /* a line of punctuation and holes only is too loose to anchor on */
    EXPECT(TC_LANG_C, "a = 1;\nc = 1;\n", "a = 1;\nx(a);\nc = 1;\n", NULL, -1, 0, "a = 1;\nx(a);\nc = 1;\n");
}

TC_TEST(edit_block_lines)
{
    const char *b = "void f(void)\n{\n    s.port = 80;\n    s.alt = 8080;\n    s.last = 443;\n\n    t.port = 1;\n}\n";
    const char *a = "void f(void)\n{\n    s.port = htons(80);\n    s.alt = 8080;\n    s.last = 443;\n\n    t.port = 1;\n}\n";
    /* the lines after the blank line are another block */
    EXPECT(TC_LANG_C, b, a, NULL, TC_EDIT_BLOCK, 2,
           "void f(void)\n{\n    s.port = htons(80);\n    s.alt = htons(8080);\n    s.last = htons(443);\n\n"
           "    t.port = 1;\n}\n");
    /* a varying token replaced by a constant: ambiguous, nothing */
    EXPECT(TC_LANG_C, "a = 1;\nb = 2;\n", "a = 3;\nb = 2;\n", NULL, TC_EDIT_LITERAL, 0, "a = 3;\nb = 2;\n");
}

TC_TEST(edit_literal)
{
    const char *b = "t = timeout(30);\nu = timeout(30);\nv = retry(30);\n";
    const char *a = "t = timeout(60);\nu = timeout(30);\nv = retry(30);\n";
    /* guarded call rule wins here; the literal rule covers non-call contexts */
    EXPECT(TC_LANG_C, b, a, NULL, TC_EDIT_CALL, 1, "t = timeout(60);\nu = timeout(60);\nv = retry(30);\n");
    EXPECT(TC_LANG_PYTHON, "x = {\n  'port': 80,\n}\ny = 2\n", "x = {\n  'port': 8080,\n}\ny = 2\n",
           "a = {'port': 80, 'other': 80}\n", TC_EDIT_LITERAL, 1, "a = {'port': 8080, 'other': 80}\n");
}

TC_TEST(edit_no_rule_for_unrelated_edit)
{
    /* a new statement after a brace: no anchor, no rule */
    EXPECT(TC_LANG_C, "int main(void)\n{\n    return run();\n}\n", "int main(void)\n{\n    setup();\n    return run();\n}\n",
           NULL, -1, 0, "int main(void)\n{\n    setup();\n    return run();\n}\n");
    EXPECT(TC_LANG_C, "int x;\n", "int x;\n", NULL, -1, 0, "int x;\n");
}

TC_TEST(edit_tracker_bursts)
{
    tc_edit_tracker *t = tc_edit_tracker_new();
    const char *text = "aaa\nbbb\nccc\nddd\neee\nfff\nggg\n", *before, *key;
    size_t blen;
    TC_CHECK(t != NULL);
    TC_CHECK(tc_edit_tracker_burst(t, &before, &blen) == NULL);
    TC_CHECK_EQ_INT(tc_edit_tracker_change(t, "u1", text, strlen(text), 4, 7, 1), TC_OK);
    key = tc_edit_tracker_burst(t, &before, &blen);
    TC_CHECK(key && strcmp(key, "u1") == 0 && blen == strlen(text));
    /* typing next to it: the same burst keeps the first text */
    TC_CHECK_EQ_INT(tc_edit_tracker_change(t, "u1", "aaa\nX\nccc\nddd\neee\nfff\nggg\n", 27, 5, 5, 1), TC_OK);
    tc_edit_tracker_burst(t, &before, &blen);
    TC_CHECK(strcmp(before, text) == 0);
    /* far away: a new burst from the current text */
    TC_CHECK_EQ_INT(tc_edit_tracker_change(t, "u1", "aaa\nXY\nccc\nddd\neee\nfff\nggg\n", 28, 26, 27, 0), TC_OK);
    tc_edit_tracker_burst(t, &before, &blen);
    TC_CHECK(strncmp(before, "aaa\nXY\n", 7) == 0);
    /* another document */
    TC_CHECK_EQ_INT(tc_edit_tracker_change(t, "u2", "z\n", 2, 0, 0, 1), TC_OK);
    TC_CHECK_STR(tc_edit_tracker_burst(t, &before, &blen), "u2");
    tc_edit_tracker_reset(t, "u1"); /* not its burst: kept */
    TC_CHECK(tc_edit_tracker_burst(t, &before, &blen) != NULL);
    tc_edit_tracker_reset(t, "u2");
    TC_CHECK(tc_edit_tracker_burst(t, &before, &blen) == NULL);
    tc_edit_tracker_free(t);
    tc_edit_tracker_free(NULL);
}

TC_TEST(edit_prompt_zeta_layout)
{
    const char *b = "int a;\nint f(void) { return g(1); }\nint h(void) { return g(2); }\n";
    const char *a = "int a;\nint f(void) { return g(1, 0); }\nint h(void) { return g(2); }\n";
    char *p = NULL;
    TC_CHECK_EQ_INT(tc_edit_prompt("x.c", b, strlen(b), a, strlen(a), (size_t)(strstr(a, "g(2") - a) + 3, &p), TC_OK);
    TC_CHECK(p && strstr(p, "User edited \"x.c\":\n```diff\n"));
    TC_CHECK(p && strstr(p, "\n-int f(void) { return g(1); }\n+int f(void) { return g(1, 0); }\n"));
    TC_CHECK(p && strstr(p, "<|editable_region_start|>\n"));
    TC_CHECK(p && strstr(p, "return g(2<|user_cursor_is_here|>); }\n<|editable_region_end|>"));
    free(p);
}

/* Random edits of real code in four languages: every rule's sites lie in
 * the text, in order, and never overlap (the server must survive any
 * edit). Deterministic. */
TC_TEST(edit_random_edits_stay_in_bounds)
{
    static const struct {
        tc_lang lang;
        const char *text;
    } samples[] = {
        {TC_LANG_C, "static int f(int a, char *b)\n{\n    if (!b) return -1;\n    g(a, b, \"x\");\n    g(a, b, \"y\");\n"
                    "    s.x = 1;\n    s.y = 2;\n    return h(a) + h(b[0]);\n}\n/* c */\nint k = 3;\n"},
        {TC_LANG_PYTHON, "def f(a, b):\n    x = g(a, b)\n    if x:\n        return g(b, a)\n    y = {'k': 1, 'j': 2}\n"
                         "    return y['k']\n\nclass C:\n    def m(self):\n        self.v = f(1, 2)\n"},
        {TC_LANG_JS, "const a = require('a');\nfunction f(x, y) {\n  let z = a.g(x, y);\n  z = a.g(y, x);\n"
                     "  return `${z}` + [1, 2].map((v) => v * 2);\n}\nmodule.exports = { f };\n"},
        {TC_LANG_GO, "package m\n\nfunc F(a int, b string) (int, error) {\n\tx := g(a, b)\n\ty := g(a, \"q\")\n"
                     "\treturn x + y, nil\n}\n"},
    };
    static const char *bits[] = {"x", ", ctx", "(", ")", "\n", "foo(", "\"s\"", "{", "}", "  y = 1;\n", "", "renamed"};
    uint64_t seed = 42;
    size_t k, iter;
    for (k = 0; k < sizeof samples / sizeof *samples; k++) {
        const char *t = samples[k].text;
        size_t len = strlen(t);
        for (iter = 0; iter < 200; iter++) {
            tc_edit_src b = {"f", t, len, samples[k].lang};
            tc_edit_rule *r = NULL;
            tc_edit_sites s = {0};
            char after[1024];
            size_t a0, a1, n, i;
            const char *ins;
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            a0 = (size_t)(seed >> 33) % (len + 1);
            a1 = a0 + (size_t)(seed >> 20) % 6;
            if (a1 > len) a1 = len;
            ins = bits[(seed >> 45) % (sizeof bits / sizeof *bits)];
            n = strlen(ins);
            memcpy(after, t, a0);
            memcpy(after + a0, ins, n);
            memcpy(after + a0 + n, t + a1, len - a1);
            after[a0 + n + len - a1] = 0;
            if (tc_edit_synth(&b, after, strlen(after), &r) != TC_OK) continue;
            {
                tc_edit_src o = {"f", after, strlen(after), samples[k].lang};
                tc_edit_src other = {"g", t, len, samples[k].lang};
                TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &o, 1, &s), TC_OK);
                for (i = 0; i < s.n; i++) {
                    TC_CHECK(s.v[i].a <= s.v[i].b && s.v[i].b <= o.len);
                    if (i) TC_CHECK(s.v[i - 1].b <= s.v[i].a);
                }
                tc_edit_sites_free(&s);
                TC_CHECK_EQ_INT(tc_edit_rule_sites(r, &other, 0, &s), TC_OK);
                for (i = 0; i < s.n; i++) TC_CHECK(s.v[i].a <= s.v[i].b && s.v[i].b <= len);
                tc_edit_sites_free(&s);
            }
            tc_edit_rule_free(r);
        }
    }
}

TC_TEST(edit_too_broad)
{
    /* a call rule reaching other files: 40 places are offered, 41 are not */
    tc_edit_src b = {"a.c", "f(x, y);\n", 9, TC_LANG_C};
    tc_edit_rule *r = NULL;
    TC_CHECK_EQ_INT(tc_edit_synth(&b, "f(x, y, 0);\n", 12, &r), TC_OK);
    TC_CHECK(r && tc_edit_rule_crossfile(r));
    TC_CHECK(!tc_edit_rule_too_broad(r, TC_EDIT_MAX_OFFERS));
    TC_CHECK(tc_edit_rule_too_broad(r, TC_EDIT_MAX_OFFERS + 1));
    tc_edit_rule_free(r);
}
