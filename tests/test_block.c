/* test_block.c - multi-line suggestions (suggest/block.h): which places
 * are copied, where a copy ends, and how it is indented; then the engine
 * end to end (a repeated switch arm offered whole through
 * tc_engine_suggest). */
#include "test.h"
#include "eval/eval.h"
#include "eval/eval_int.h"
#include "suggest/block.h"
#include "suggest/suggest.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The block after first at the cursor marked `@` in text (the mark is
 * removed), with one other source (NULL: none). Returns the block's text
 * ("" for none, owned by a static buffer); *b gets the rest. */
static const char *block_at(const char *text, const char *first, const char *other, tc_block *b)
{
    static char out[4096];
    const char *at = strchr(text, '@');
    size_t cur = (size_t)(at - text), n = strlen(text);
    char *buf = malloc(n);
    tc_block_src s = {other, other ? strlen(other) : 0, "other.c"};
    memcpy(buf, text, cur);
    memcpy(buf + cur, at + 1, n - cur); /* the NUL too */
    TC_CHECK_EQ_INT(tc_block_find(buf, n - 1, cur, first, strlen(first), &s, other ? 1 : 0, b), TC_OK);
    snprintf(out, sizeof out, "%s", b->text ? b->text : "");
    tc_block_free(b);
    free(buf);
    return out;
}

/* check the block's text (T keeps the failure message short) */
#define T(got, want)                                                    \
    do {                                                                \
        const char *got_ = (got);                                       \
        TC_CHECK_STR(got_, want);                                       \
    } while (0)

static const char SWITCH[] = "int f(int k)\n"
                             "{\n"
                             "    switch (k) {\n"
                             "    case 1:\n"
                             "        a = get(1);\n"
                             "        put(a, k);\n"
                             "        break;\n"
                             "    case 2:\n"
                             "        a = get(2);\n"
                             "        @\n"
                             "    }\n"
                             "}\n";

TC_TEST(block_repeated_switch_arm_copied_to_its_end)
{
    tc_block b;
    /* the arm above, after the same two lines' shape: `a = get(..)` differs,
     * so the match is the line only... */
    T(block_at(SWITCH, "put(a, k);", NULL, &b), "");
    TC_CHECK_EQ_INT(b.places, 1);
    /* ...but with the arm's previous lines equal, the rest of the arm is
     * copied, and it stops at the next arm (back at the case's level) */
    T(block_at("void g(int k)\n"
                          "{\n"
                          "    switch (k) {\n"
                          "    case 1:\n"
                          "        lock(m);\n"
                          "        a = get(k);\n"
                          "        put(a, k);\n"
                          "        unlock(m);\n"
                          "        break;\n"
                          "    case 2:\n"
                          "        return 0;\n"
                          "    case 3:\n"
                          "        lock(m);\n"
                          "        a = get(k);\n"
                          "        @\n"
                          "    }\n"
                          "}\n",
                          "put(a, k);", NULL, &b),
                 "\n        unlock(m);\n        break;");
    TC_CHECK_EQ_INT(b.nlines, 2);
    TC_CHECK_EQ_INT(b.context, 2);
    TC_CHECK(b.src == NULL); /* from the buffer */
    TC_CHECK_EQ_INT(b.src_line, 7);
}

TC_TEST(block_context_mismatch_stays_one_line)
{
    tc_block b;
    const char *other = "void h(void)\n{\n    x = 1;\n    y = 2;\n    run(x, y);\n    done(x);\n    log(y);\n}\n";
    /* the line stands in the other file, but after other lines */
    T(block_at("void k(void)\n{\n    z = 3;\n    w = 4;\n    @\n}\n", "run(x, y);", other, &b), "");
    TC_CHECK_EQ_INT(b.places, 1);
    TC_CHECK_EQ_INT(b.context, 0);
    TC_CHECK(b.why != NULL);
    /* one previous line alike at a single place is not enough either */
    T(block_at("void k(void)\n{\n    z = 3;\n    y = 2;\n    @\n}\n", "run(x, y);", other, &b), "");
    TC_CHECK_EQ_INT(b.context, 1);
    /* two are: the rest up to the function's end, not its closer */
    T(block_at("void k(void)\n{\n    x = 1;\n    y = 2;\n    @\n}\n", "run(x, y);", other, &b),
                 "\n    done(x);\n    log(y);");
    TC_CHECK_STR(b.src, "other.c");
    /* no block mid-line (text right of the cursor) or for a line without a word */
    T(block_at("void k(void)\n{\n    x = 1;\n    y = 2;\n    @ /* c */\n}\n", "run(x, y);", other, &b), "");
    /* a line without a word (a closer) needs the two-line match */
    T(block_at("{\n    x = 1;\n    y = 2;\n    @\n", "}", "{\n    w = 1;\n    y = 2;\n}\nz();\n", &b), "");
    T(block_at("{\n    x = 1;\n    y = 2;\n    @\n", "}", "{\n    x = 1;\n    y = 2;\n}\nz();\n", &b), "\n    z();");
}

TC_TEST(block_places_must_agree)
{
    tc_block b;
    /* two places with a one-line match: they agree on one line, then
     * differ; only the common line is offered */
    const char *other = "a();\nb();\nc();\nd();\n\nx();\nb();\nc();\nd();\ne();\n";
    T(block_at("q();\nb();\n@\n", "c();", other, &b), "\nd();");
    TC_CHECK_EQ_INT(b.agree, 2);
    TC_CHECK_EQ_INT(b.context, 1);
}

TC_TEST(block_indentation_adapted)
{
    tc_block b;
    /* the source is indented by 8 spaces with a nested level; the cursor's
     * line by a tab */
    const char *other = "        if (ok) {\n"
                        "            n = count(s);\n"
                        "            for (i = 0; i < n; i++) {\n"
                        "                use(s, i);\n"
                        "            }\n"
                        "        }\n";
    T(block_at("void f(void)\n{\n\tif (ok) {\n\t\tn = count(s);\n\t\t@\n\t}\n}\n",
                          "for (i = 0; i < n; i++) {", other, &b),
                 "\n\t\t    use(s, i);\n\t\t}");
    /* Python: after the opening line, its body, not the lines after it */
    T(block_at("def g(xs):\n    total = 0\n    for x in xs:\n        @\n    return total\n",
                          "if x > 0:", "def f(xs):\n    total = 0\n    for x in xs:\n        if x > 0:\n"
                                       "            total += x\n            seen(x)\n        other(x)\n",
                          &b),
                 "\n            total += x\n            seen(x)");
}

TC_TEST(block_brackets_balanced_against_the_suffix)
{
    tc_block b;
    /* the copy stops before the line the buffer already holds next */
    const char *other = "init();\nsetup();\nstart(a,\n      b);\nwait();\nstop();\n";
    T(block_at("init();\nsetup();\n@\nstop();\n", "start(a,", other, &b), "\n      b);\nwait();");
    /* a line that closes a bracket opened before the place only when the
     * buffer lacks that closer */
    other = "y = f(\n    init(),\n    setup(),\n    go(),\n    end())\nz();\n";
    T(block_at("x = f(\n    init(),\n    setup(),\n    @\n    stop());\n", "go(),", other, &b), "");
    T(block_at("x = f(\n    init(),\n    setup(),\n    @\n", "go(),", other, &b), "\n    end())");
    /* a bracket left open when the suffix closes it: the copy ends where
     * the buffer resumes */
    T(block_at("a();\nb();\n@\n    x();\n}\n", "if (c)", "a();\nb();\nif (c)\n{\n    y();\n    x();\n}\n", &b),
      "\n{\n    y();");
    T(block_at("a();\nb();\n@\n", "if (c)", "a();\nb();\nif (c)\n{\n    y();\n    x();\n}\nz();\n", &b),
      "\n{\n    y();\n    x();\n}\nz();");
    /* the same for a dedented closer, which ends the block */
    other = "int f(void)\n{\n    a();\n    b();\n    return c();\n}\nalias(f, g);\n";
    T(block_at("int g(void)\n{\n    a();\n    b();\n    @\n", "return c();", other, &b), "\n}");
    T(block_at("int g(void)\n{\n    a();\n    b();\n    @\n}\n", "return c();", other, &b), "");
    /* a copy cut by the line cap inside brackets it opened goes back to
     * where they were balanced */
    T(block_at("p();\nq();\n@\n", "r();",
                          "p();\nq();\nr();\ns();\nt = {\n1,\n2,\n3,\n4,\n5,\n6,\n7,\n8,\n9,\n};\n", &b),
                 "\ns();");
}

/* The engine end to end: a workspace whose files repeat a switch arm. */
TC_TEST(block_engine_offers_the_arm)
{
    const char *dir = tc_test_tmpdir();
    char root[600], cache[700];
    tc_engine_opts o;
    tc_engine *e = NULL;
    tc_suggestion s;
    int i;
    const char *arm = "    case OP_ADD:\n"
                      "        lhs = pop(vm);\n"
                      "        rhs = pop(vm);\n"
                      "        push(vm, lhs + rhs);\n"
                      "        vm->pc++;\n"
                      "        break;\n";
    static char buf[8192];
    snprintf(root, sizeof root, "%s/ws", dir);
    snprintf(cache, sizeof cache, "%s/cache", dir);
    for (i = 0; i < 4; i++) {
        char name[32], text[2048];
        snprintf(name, sizeof name, "vm%d.c", i);
        snprintf(text, sizeof text,
                 "#include \"vm.h\"\n\nint step%d(struct vm *vm, int op)\n{\n    int lhs, rhs;\n    switch (op) {\n%s"
                 "    default:\n        return -1;\n    }\n    return 0;\n}\n",
                 i, arm);
        tc_test_put(root, name, text);
    }
    memset(&o, 0, sizeof o);
    o.index.root = root;
    o.index.cache_dir = cache;
    o.threshold = 0;
    o.update = 1;
    TC_CHECK_EQ_INT(tc_engine_open(&o, &e), TC_OK);
    if (!e) return;
    snprintf(buf, sizeof buf,
             "#include \"vm.h\"\n\nint run(struct vm *vm, int op)\n{\n    int lhs, rhs;\n    switch (op) {\n"
             "    case OP_ADD:\n        lhs = pop(vm);\n        ");
    {
        size_t cur = strlen(buf);
        strcat(buf, "\n    default:\n        return -1;\n    }\n    return 0;\n}\n");
        TC_CHECK_EQ_INT(tc_engine_suggest(e, "run.c", buf, strlen(buf), cur, &s), TC_OK);
        TC_CHECK_STR(s.text, "rhs = pop(vm);\n        push(vm, lhs + rhs);\n        vm->pc++;\n        break;");
        TC_CHECK_STR(s.source, "block");
        tc_suggestion_free(&s);
        /* eval: a line case scores the first line, a block case the block */
        {
            tc_caseset cs = {0};
            tc_answer a[2];
            const char *kinds[2] = {"line-start", "block"};
            int j;
            for (j = 0; j < 2; j++) {
                tc_case *c = tc_caseset_push(&cs);
                if (!c) break;
                c->id = strdup(kinds[j]);
                c->path = strdup("run.c");
                c->prefix = strndup(buf, cur);
                c->suffix = strdup(buf + cur);
                c->expected = strdup("rhs = pop(vm);");
                c->kind = strdup(kinds[j]);
            }
            memset(a, 0, sizeof a);
            TC_CHECK_EQ_INT(cs.n, 2);
            if (cs.n == 2 && tc_eval_answer(e, &cs, 0, a) == TC_OK) {
                TC_CHECK_STR(a[0].suggestion, "rhs = pop(vm);");
                TC_CHECK(a[1].suggestion && strchr(a[1].suggestion, '\n') != NULL);
            }
            free(a[0].suggestion);
            free(a[1].suggestion);
            tc_caseset_free(&cs);
        }
        /* mid-line: one line only */
        TC_CHECK_EQ_INT(tc_engine_suggest(e, "run.c", buf, strlen(buf), cur - 13, &s), TC_OK);
        TC_CHECK(strchr(s.text, '\n') == NULL);
        tc_suggestion_free(&s);
    }
    tc_engine_free(e);
}

TC_TEST(block_lone_closer_not_needed)
{
    /* a fresh line inside a function, at the body's level: no `}` */
    const char *buf = "void f(void)\n{\n    lock(m);\n    \n}\n";
    size_t cur = strlen("void f(void)\n{\n    lock(m);\n    ");
    TC_CHECK(tc_block_closer_unneeded(buf, strlen(buf), cur, "}"));
    TC_CHECK(tc_block_closer_unneeded(buf, strlen(buf), cur, "});"));
    TC_CHECK(!tc_block_closer_unneeded(buf, strlen(buf), cur, "unlock(m);"));
    /* after the opener, one level deeper: no `}` either */
    buf = "void f(void) {\n    \n}\n";
    TC_CHECK(tc_block_closer_unneeded(buf, strlen(buf), strlen("void f(void) {\n    "), "}"));
    /* the function's `}` still to write (the buffer lacks it): fine */
    buf = "void f(void)\n{\n    lock(m);\n    ";
    TC_CHECK(!tc_block_closer_unneeded(buf, strlen(buf), strlen(buf), "}"));
    /* lifetimes and apostrophes are not literals: the `{` after them counts */
    buf = "fn f<'a>(x: &'a str) {\n    g(x);\n    \n}\n";
    TC_CHECK(tc_block_closer_unneeded(buf, strlen(buf), strlen("fn f<'a>(x: &'a str) {\n    g(x);\n    "), "}"));
    /* at the opener's own level (an empty block) or dedented: `}` is fine */
    buf = "void f(void) {\n\n}\n";
    TC_CHECK(!tc_block_closer_unneeded(buf, strlen(buf), strlen("void f(void) {\n"), "}"));
    buf = "    if (x) {\n        y();\n    \n}\n";
    TC_CHECK(!tc_block_closer_unneeded(buf, strlen(buf), strlen("    if (x) {\n        y();\n    "), "}"));
    /* a typed line is left to the line's own rules */
    buf = "void f(void)\n{\n    x\n}\n";
    TC_CHECK(!tc_block_closer_unneeded(buf, strlen(buf), strlen("void f(void)\n{\n    x"), "}"));
}

/* The bracket count skips to the next bracket, quote or slash 16 bytes at
 * a time: brackets, strings and comments anywhere in a long line count as
 * they did one byte at a time (strings and trailing comments ignored). */
TC_TEST(block_bracket_count_long_lines)
{
    static const char *const mid[] = {
        "    g(\"a long string holding ( and { and [ inside it\", x[12]); // a { comment\n",
        "    t = [[aaaaaaaaaaaaaaaaaaaa], [bbbbbbbbbbbbbbbbbbbbbbbbbbbb], {cccccccccccccccccc}];\n",
        "    s = 'q' + `a template with ) and ] and } in it, long enough` + \"\\\" (\";\n",
        "    if (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(b)) h(c);  \n",
    };
    size_t k;
    for (k = 0; k < sizeof mid / sizeof *mid; k++) {
        char head[512], buf[sizeof head + 8];
        snprintf(head, sizeof head, "void f(void) {\n%s    ", mid[k]);
        /* every line balanced: the function's `}` below is the only closer needed */
        snprintf(buf, sizeof buf, "%s\n}\n", head);
        TC_CHECK(tc_block_closer_unneeded(buf, strlen(buf), strlen(head), "}"));
        /* without it, the buffer lacks one */
        snprintf(buf, sizeof buf, "%s\n", head);
        TC_CHECK(!tc_block_closer_unneeded(buf, strlen(buf), strlen(head), "}"));
    }
}

/* The buffer's bracket count goes line by line even in one pass over the
 * text: a string, a character literal or a // comment left open at a
 * line's end ends there (the next line's brackets count), whatever
 * escapes, trailing white space or CRLF the line ends with. */
TC_TEST(block_bracket_count_lines_end_what_they_open)
{
    static const char *const mid[] = {
        "    s = \"abc \\\n(g(x));\n",        /* a backslash at a string's line end */
        "    c = '\\\n(g(x));\n",             /* a quote and backslash at the end */
        "    c = '\\  \n    g(x);\n",           /* ... with trailing white space */
        "    u = \"x( { [\n    g(x);\n",        /* an unterminated string */
        "    v = 1; // ( { [\r\n    g(x);\r\n", /* a comment, CRLF */
        "    w = ')' + '(' + \"\\\"(\" + \"\\\\\" + `]`;\n",
        "    q = '\n    a[(1)] = x'\n",          /* a quote alone at a line's end */
    };
    size_t k;
    for (k = 0; k < sizeof mid / sizeof *mid; k++) {
        char head[512], buf[sizeof head + 64];
        snprintf(head, sizeof head, "void f(void) {\n%s    ", mid[k]);
        snprintf(buf, sizeof buf, "%s\n}\n", head);
        TC_CHECK(tc_block_closer_unneeded(buf, strlen(buf), strlen(head), "}"));
        snprintf(buf, sizeof buf, "%s\n", head);
        TC_CHECK(!tc_block_closer_unneeded(buf, strlen(buf), strlen(head), "}"));
        /* text after the cursor's line counts too */
        snprintf(buf, sizeof buf, "%s\n%s}\n", head, mid[k]);
        TC_CHECK(tc_block_closer_unneeded(buf, strlen(buf), strlen(head), "}"));
    }
}

TC_TEST(block_edge_inputs)
{
    tc_block b;
    const char *crlf = "a();\r\nb();\r\nc();\r\nd();\r\n\r\na();\r\nb();\r\n";
    /* nothing before the cursor, an empty buffer, an empty suggestion */
    TC_CHECK_EQ_INT(tc_block_find("", 0, 0, "x();", 4, NULL, 0, &b), TC_OK);
    TC_CHECK(b.text == NULL);
    tc_block_free(&b);
    TC_CHECK_EQ_INT(tc_block_find("a();\nb();\n", 10, 10, "", 0, NULL, 0, &b), TC_OK);
    TC_CHECK(b.text == NULL);
    tc_block_free(&b);
    /* a cursor past the end, a suggestion that spans lines */
    TC_CHECK_EQ_INT(tc_block_find("a();\n", 5, 6, "x();", 4, NULL, 0, &b), TC_OK);
    TC_CHECK(b.text == NULL);
    tc_block_free(&b);
    TC_CHECK_EQ_INT(tc_block_find("a();\nb();\n", 10, 10, "c();\nd();", 9, NULL, 0, &b), TC_OK);
    TC_CHECK(b.text == NULL);
    tc_block_free(&b);
    /* CRLF lines: carriage returns are not part of the copy */
    TC_CHECK_EQ_INT(tc_block_find(crlf, strlen(crlf), strlen(crlf), "c();", 4, NULL, 0, &b), TC_OK);
    TC_CHECK_STR(b.text ? b.text : "", "\nd();");
    tc_block_free(&b);
    /* the closer check on an empty buffer and a cursor on the first line */
    TC_CHECK(!tc_block_closer_unneeded("", 0, 0, "}"));
    TC_CHECK(!tc_block_closer_unneeded("    \n}\n", 7, 4, "}"));
}

/* A block copied from a renamed place: the buffer's foo_probe is the same
 * code about idev as bar_probe, being typed, is about input; the lines
 * after the cursor's come with the cursor's name. */
TC_TEST(block_renamed_copy_takes_the_cursors_names)
{
    tc_block b;
    const char *foo = "static int foo_probe(struct dev *pdev)\n{\n    struct input_dev *idev;\n    int err;\n\n"
                      "    idev = input_allocate_device();\n    if (!idev)\n        return -ENOMEM;\n"
                      "    idev->name = \"foo\";\n    err = input_register_device(idev);\n    return err;\n}\n\n";
    char text[2048];
    snprintf(text, sizeof text,
             "%sstatic int bar_probe(struct dev *pdev)\n{\n    struct input_dev *input;\n    int err;\n\n"
             "    input = input_allocate_device();\n    @\n}\n",
             foo);
    T(block_at(text, "if (!input)", NULL, &b),
      "\n        return -ENOMEM;\n    input->name = \"foo\";\n    err = input_register_device(input);\n    return err;");
    TC_CHECK_EQ_INT(b.renamed, 1);
    TC_CHECK(b.context >= TC_BLOCK_MIN_CONTEXT);
    /* from another file just as well */
    snprintf(text, sizeof text,
             "static int bar_probe(struct dev *pdev)\n{\n    struct input_dev *input;\n    int err;\n\n"
             "    input = input_allocate_device();\n    @\n}\n");
    T(block_at(text, "if (!input)", foo, &b),
      "\n        return -ENOMEM;\n    input->name = \"foo\";\n    err = input_register_device(input);\n    return err;");
    /* one name taken for two (idev and err both as input): no block */
    snprintf(text, sizeof text,
             "static int bar_probe(struct dev *pdev)\n{\n    struct input_dev *input;\n    int input;\n\n"
             "    input = input_allocate_device();\n    @\n}\n");
    T(block_at(text, "if (!input)", foo, &b), "");
    /* only the cursor's line alike, its context not: no block */
    snprintf(text, sizeof text, "static void baz(void)\n{\n    q = make_queue();\n    flush(q);\n    @\n}\n");
    T(block_at(text, "if (!input)", foo, &b), "");
}

/* The buffer's line split finds line breaks 16 bytes a step: the same
 * block from the same lines whatever ends them (LF, CRLF, trailing blanks
 * before LF) and whether the last line has its line break, with lines of
 * 1 to 64 bytes (ends on both sides of a 16-byte step). */
TC_TEST(block_line_split_same_for_any_line_ends)
{
    static const char text[] = "void g(int k)\n"
                               "{\n"
                               "    /* a comment line long enough for several 16-byte steps */\n"
                               "    switch (k) {\n"
                               "    case 1:\n"
                               "        lock(m);\n"
                               "        a = get(k);\n"
                               "        put(a, k);\n"
                               "        unlock(m);\n"
                               "        break;\n"
                               "    case 2:\n"
                               "        return 0;\n"
                               "    case 3:\n"
                               "        lock(m);\n"
                               "        a = get(k);\n"
                               "        @\n"
                               "    }\n"
                               "}\n";
    static const char *const ends[] = {"\n", "\r\n", " \t \n", "\n"};
    char want[512], buf[1024];
    size_t e, i, o;
    tc_block b;
    snprintf(want, sizeof want, "%s", block_at(text, "put(a, k);", NULL, &b));
    TC_CHECK_STR(want, "\n        unlock(m);\n        break;");
    for (e = 0; e < sizeof ends / sizeof *ends; e++) {
        for (i = o = 0; text[i]; i++) {
            if (text[i] != '\n') buf[o++] = text[i];
            else if (e < 3 || text[i + 1]) o += (size_t)snprintf(buf + o, sizeof buf - o, "%s", ends[e]);
        }
        buf[o] = 0; /* e 3: no line break after the last line */
        T(block_at(buf, "put(a, k);", NULL, &b), want);
        TC_CHECK_EQ_INT(b.nlines, 2);
        TC_CHECK_EQ_INT(b.src_line, 8);
    }
}

/* A source of thousands of blank and one-byte lines (more lines than
 * bytes / 2: lines_split's array grows several times), the place at its
 * end, in its last bytes: an array sized or grown short writes past its
 * end (ASan) or loses the place. */
TC_TEST(block_line_count_many_short_lines)
{
    static const char tail[] = "    lock(m);\n    a = get(k);\n    put(a, k);\n    unlock(m);\n    done(a);";
    static const char buf[] = "void h(int k)\n{\n    lock(m);\n    a = get(k);\n    @\n}\n";
    size_t n, i, o = 0, nl = 0;
    char *other = malloc(20000);
    tc_block b;
    TC_CHECK(other != NULL);
    if (!other) return;
    for (i = 0; i < 6000; i++) {
        if (i % 3 == 2) other[o++] = 'x';
        other[o++] = '\n';
        nl++;
    }
    n = strlen(tail);
    memcpy(other + o, tail, n + 1);
    T(block_at(buf, "put(a, k);", other, &b), "\n    unlock(m);\n    done(a);");
    TC_CHECK_EQ_INT(b.nlines, 2);
    TC_CHECK_EQ_INT(b.src_line, nl + 3);
    TC_CHECK(b.src != NULL);
    free(other);
}
