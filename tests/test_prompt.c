/* test_prompt.c - FIM templates, token counting, context budgets, LLM
 * post-processing. No server: the tokenizer is a stand-in (see fake_tok). */
#include "context/context.h"
#include "prompt/prompt.h"
#include "suggest/post_llm.h"
#include "test.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

TC_TEST(fim_family_detection)
{
    tc_fim_family f;
    TC_CHECK_EQ_INT(tc_fim_family_from_name("Qwen2.5-Coder-1.5B-Q8_0.gguf"), TC_FIM_QWEN);
    TC_CHECK_EQ_INT(tc_fim_family_from_name("qwen2.5-coder:1.5b-base"), TC_FIM_QWEN);
    TC_CHECK_EQ_INT(tc_fim_family_from_name("bigcode/starcoder2-3b"), TC_FIM_STARCODER);
    TC_CHECK_EQ_INT(tc_fim_family_from_name("codellama:7b-code"), TC_FIM_CODELLAMA);
    TC_CHECK_EQ_INT(tc_fim_family_from_name("deepseek-coder-1.3b-base"), TC_FIM_DEEPSEEK);
    TC_CHECK_EQ_INT(tc_fim_family_from_name("codestral-latest"), TC_FIM_CODESTRAL);
    TC_CHECK_EQ_INT(tc_fim_family_from_name("codegemma:2b-code"), TC_FIM_CODEGEMMA);
    TC_CHECK_EQ_INT(tc_fim_family_from_name("llama3.1:8b"), TC_FIM_AUTO);
    TC_CHECK_EQ_INT(tc_fim_family_from_markers("{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>"), TC_FIM_QWEN);
    TC_CHECK_EQ_INT(tc_fim_family_from_markers("<fim_prefix>{{ .Prompt }}<fim_suffix>{{ .Suffix }}<fim_middle>"),
                    TC_FIM_STARCODER);
    TC_CHECK_EQ_INT(tc_fim_family_from_markers("<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>"), TC_FIM_CODELLAMA);
    TC_CHECK_EQ_INT(tc_fim_family_from_markers("[SUFFIX]{{ .Suffix }}[PREFIX] {{ .Prompt }}"), TC_FIM_CODESTRAL);
    TC_CHECK_EQ_INT(tc_fim_family_parse("qwen", &f), TC_OK);
    TC_CHECK_EQ_INT(f, TC_FIM_QWEN);
    TC_CHECK_EQ_INT(tc_fim_family_parse("starcoder2", &f), TC_OK);
    TC_CHECK_EQ_INT(f, TC_FIM_STARCODER);
    TC_CHECK_EQ_INT(tc_fim_family_parse("auto", &f), TC_OK);
    TC_CHECK_EQ_INT(f, TC_FIM_AUTO);
    TC_CHECK_EQ_INT(tc_fim_family_parse("gpt-4o", &f), TC_EINVAL);
    TC_CHECK(tc_model_name_is_chat("Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf"));
    TC_CHECK(tc_model_name_is_chat("codegemma:7b-it"));
    TC_CHECK(tc_model_name_is_chat("deepseek-coder:6.7b-chat"));
    TC_CHECK(!tc_model_name_is_chat("qwen2.5-coder:1.5b-base"));
    TC_CHECK(!tc_model_name_is_chat("starcoder2:3b"));
}

static tc_fim_input sample_input(tc_fim_chunk *ch)
{
    tc_fim_input in;
    memset(&in, 0, sizeof in);
    ch[0].path = "lib/util.py";
    ch[0].text = "def helper(x):\n    return x * 2\n";
    ch[0].len = strlen(ch[0].text);
    ch[1].path = "lib/io.py";
    ch[1].text = "import os\n";
    ch[1].len = strlen(ch[1].text);
    in.path = "app/main.py";
    in.repo = "demo";
    in.prefix = "def main():\n    y = ";
    in.nprefix = strlen(in.prefix);
    in.suffix = "\n    print(y)\n";
    in.nsuffix = strlen(in.suffix);
    in.extra = ch;
    in.nextra = 2;
    return in;
}

TC_TEST(fim_render_families)
{
    tc_fim_chunk ch[2];
    tc_fim_input in = sample_input(ch);
    tc_buf b = {0};
    const char *want;
    TC_CHECK_EQ_INT(tc_fim_render(TC_FIM_QWEN, &in, &b), TC_OK);
    want = "<|repo_name|>demo\n<|file_sep|>lib/util.py\ndef helper(x):\n    return x * 2\n"
           "<|file_sep|>lib/io.py\nimport os\n<|file_sep|>app/main.py\n"
           "<|fim_prefix|>def main():\n    y = <|fim_suffix|>\n    print(y)\n<|fim_middle|>";
    TC_CHECK_STR(b.data, want);
    b.len = 0;
    TC_CHECK_EQ_INT(tc_fim_render(TC_FIM_CODESTRAL, &in, &b), TC_OK);
    TC_CHECK_STR(b.data, "[SUFFIX]\n    print(y)\n[PREFIX]# lib/util.py\ndef helper(x):\n    return x * 2\n"
                         "# lib/io.py\nimport os\n# app/main.py\ndef main():\n    y = ");
    b.len = 0;
    TC_CHECK_EQ_INT(tc_fim_render(TC_FIM_CODELLAMA, &in, &b), TC_OK);
    TC_CHECK(strncmp(b.data, "<PRE> # lib/util.py\n", 20) == 0);
    TC_CHECK(strstr(b.data, "    y =  <SUF>\n    print(y)\n <MID>") != NULL);
    b.len = 0;
    in.nextra = 0;
    TC_CHECK_EQ_INT(tc_fim_render(TC_FIM_DEEPSEEK, &in, &b), TC_OK);
    TC_CHECK_STR(b.data, "<\xef\xbd\x9c" "fim\xe2\x96\x81" "begin\xef\xbd\x9c>def main():\n    y = "
                         "<\xef\xbd\x9c" "fim\xe2\x96\x81" "hole\xef\xbd\x9c>\n    print(y)\n"
                         "<\xef\xbd\x9c" "fim\xe2\x96\x81" "end\xef\xbd\x9c>");
    b.len = 0;
    TC_CHECK_EQ_INT(tc_fim_render(TC_FIM_STARCODER, &in, &b), TC_OK);
    TC_CHECK_STR(b.data, "<repo_name>demo\n<file_sep>app/main.py\n<fim_prefix>def main():\n    y = <fim_suffix>\n"
                         "    print(y)\n<fim_middle>");
    b.len = 0;
    TC_CHECK_EQ_INT(tc_fim_render(TC_FIM_CODEGEMMA, &in, &b), TC_OK);
    TC_CHECK_STR(b.data, "<|fim_prefix|>def main():\n    y = <|fim_suffix|>\n    print(y)\n<|fim_middle|>");
    TC_CHECK_EQ_INT(tc_fim_render(TC_FIM_AUTO, &in, &b), TC_EINVAL);
    tc_buf_free(&b);
}

TC_TEST(fim_render_llama_infill_layout)
{
    tc_fim_chunk ch[2];
    tc_fim_input in = sample_input(ch);
    tc_buf b = {0};
    const char *want;
    const tc_fim_markers *m = tc_fim_markers_of(TC_FIM_QWEN);
    TC_CHECK_EQ_INT(tc_fim_render_llama_infill(m, 1, 1, NULL, &in, &b), TC_OK);
    /* llama.cpp's fixed names: "myproject" and "filename" */
    want = "<|repo_name|>myproject\n<|file_sep|>lib/util.py\ndef helper(x):\n    return x * 2\n"
           "<|file_sep|>lib/io.py\nimport os\n<|file_sep|>filename\n"
           "<|fim_prefix|>def main():\n    y = <|fim_suffix|>\n    print(y)\n<|fim_middle|>";
    TC_CHECK_STR(b.data, want);
    b.len = 0;
    /* no repo-level tokens: the binary snippet separator; BOS after the chunks */
    TC_CHECK_EQ_INT(tc_fim_render_llama_infill(m, 0, 0, "<s>", &in, &b), TC_OK);
    TC_CHECK(strncmp(b.data, "\n\n--- snippet ---\n\ndef helper", 29) == 0);
    TC_CHECK(strstr(b.data, "import os\n<s><|fim_prefix|>") != NULL);
    tc_buf_free(&b);
}

/* A stand-in tokenizer: a token is a run of letters/digits, a run of spaces
 * that precedes a word joins it, every other byte alone, and a line break
 * run is one token (a GPT-4-like pre-tokenizer in miniature). Counts calls. */
static int fake_calls, fake_fail;
static int fake_tok(void *ud, const char *s, size_t n, uint32_t **ends, size_t *nends, size_t *cap)
{
    size_t i = 0;
    (void)ud;
    fake_calls++;
    if (fake_fail) return TC_EIO;
    while (i < n) {
        size_t j = i;
        if (s[j] == '\n') {
            while (j < n && s[j] == '\n') j++;
        } else if (s[j] == ' ') {
            while (j < n && s[j] == ' ') j++;
            if (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9'))) {
                if (j - i > 1) j--; /* spaces then " word" */
                else
                    while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9'))) j++;
            }
        } else if ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9')) {
            while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9'))) j++;
        } else {
            j++;
        }
        if (*nends == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            uint32_t *ne = realloc(*ends, nc * sizeof *ne);
            if (!ne) return TC_ENOMEM;
            *ends = ne;
            *cap = nc;
        }
        (*ends)[(*nends)++] = (uint32_t)j;
        i = j;
    }
    return TC_OK;
}

static uint32_t fake_count(const char *s)
{
    uint32_t *e = NULL;
    size_t n = 0, cap = 0;
    fake_tok(NULL, s, strlen(s), &e, &n, &cap);
    free(e);
    return (uint32_t)n;
}

TC_TEST(tok_units_split_at_content_lines)
{
    const char *s = "a\n\n  b\n   \nc";
    size_t ends[8], n = tc_tok_units(s, strlen(s), ends, 8);
    TC_CHECK_EQ_INT(n, 3);
    TC_CHECK_EQ_INT(ends[0], 3);  /* "a\n\n" */
    TC_CHECK_EQ_INT(ends[1], 11); /* "  b\n   \n" */
    TC_CHECK_EQ_INT(ends[2], 12); /* "c" */
    n = tc_tok_units(s, strlen(s), ends, 2);
    TC_CHECK_EQ_INT(n, 2);
    TC_CHECK_EQ_INT(ends[1], 11);
}

TC_TEST(tokcount_sums_units_exactly_and_caches)
{
    tc_tokenizer tk = {fake_tok, NULL};
    tc_tokcount *tc = NULL;
    const char *text = "int main(void)\n{\n    return add(1, 2);\n}\n\n\nstatic int x;\n  foo bar";
    tc_span sp[2];
    uint32_t out[2];
    int exact = 0;
    uint64_t req, hits, est;
    uint32_t want = fake_count(text), w0 = fake_count("    return add(1, 2);\n"), w1 = fake_count("    ret");
    TC_CHECK_EQ_INT(tc_tokcount_new(&tk, 0, &tc), TC_OK);
    fake_calls = 0;
    fake_fail = 0;
    TC_CHECK_EQ_INT(tc_tokcount_text(tc, text, strlen(text)), want);
    TC_CHECK_EQ_INT(fake_calls, 1); /* all units in one request */
    /* again: every unit from the cache */
    TC_CHECK_EQ_INT(tc_tokcount_text(tc, text, strlen(text)), want);
    TC_CHECK_EQ_INT(fake_calls, 1);
    /* a new line typed: one request, for that unit alone */
    sp[0].p = "    return add(1, 2);\n";
    sp[0].n = strlen(sp[0].p);
    sp[1].p = "    ret";
    sp[1].n = strlen(sp[1].p);
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, sp, 2, out, &exact), TC_OK);
    TC_CHECK(exact);
    TC_CHECK_EQ_INT(out[0], w0);
    TC_CHECK_EQ_INT(out[1], w1);
    TC_CHECK_EQ_INT(fake_calls, 2);
    /* the tokenizer down: estimates, marked inexact */
    fake_fail = 1;
    sp[0].p = "something new entirely\n";
    sp[0].n = strlen(sp[0].p);
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, sp, 1, out, &exact), TC_OK);
    TC_CHECK(!exact);
    TC_CHECK(out[0] >= 5 && out[0] <= 12);
    tc_tokcount_stats(tc, &req, &hits, &est);
    TC_CHECK(hits > 0 && est > 0);
    fake_fail = 0;
    tc_tokcount_free(tc);
}

/* Deferred counting (a tokenizer behind a network): counting never calls
 * it; misses are estimated, queued once, taken as one batch, and their
 * counts serve the next keystroke from the cache. */
TC_TEST(tokcount_deferred_batches_and_caches)
{
    tc_tokcount *tc = NULL;
    const char *text = "int main(void)\n{\n    return add(1, 2);\n}\n";
    tc_span sp = {text, strlen(text)};
    tc_tok_batch bt;
    uint32_t n = 0, cnt[8];
    int exact = 1;
    size_t i;
    uint64_t req, hits, est;
    TC_CHECK_EQ_INT(tc_tokcount_new(NULL, 0, &tc), TC_OK);
    tc_tokcount_set_deferred(tc, 1);
    TC_CHECK(tc_tokcount_has_tokenizer(tc));
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n, &exact), TC_OK);
    TC_CHECK(!exact);
    /* units "int main(void)\n", "{\n", "    return add(1, 2);\n", "}\n": estimated */
    TC_CHECK_EQ_INT(n, tc_tokcount_estimate(tc, 15) + 2 * tc_tokcount_estimate(tc, 2) + tc_tokcount_estimate(tc, 22));
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 4);
    /* counted again before the answer: queued once */
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n, &exact), TC_OK);
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 4);
    TC_CHECK_EQ_INT(tc_tokcount_batch_take(tc, 1 << 20, &bt), TC_OK);
    TC_CHECK_EQ_INT(bt.n, 4);
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 0);
    for (i = 0; i < bt.n; i++) {
        char *u = strndup(bt.text[i], bt.len[i]);
        cnt[i] = fake_count(u);
        free(u);
    }
    tc_tokcount_batch_done(tc, &bt, cnt);
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n, &exact), TC_OK);
    TC_CHECK(exact);
    TC_CHECK_EQ_INT(n, fake_count(text));
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 0);
    /* a batch that got no answer: the units are asked again when next counted */
    sp.p = "    x = y;\n";
    sp.n = strlen(sp.p);
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n, &exact), TC_OK);
    TC_CHECK_EQ_INT(tc_tokcount_batch_take(tc, 1 << 20, &bt), TC_OK);
    TC_CHECK_EQ_INT(bt.n, 1);
    tc_tokcount_batch_done(tc, &bt, NULL);
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 0);
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n, &exact), TC_OK);
    TC_CHECK(!exact);
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 1);
    tc_tokcount_stats(tc, &req, &hits, &est);
    TC_CHECK_EQ_INT(req, 2);
    TC_CHECK_EQ_INT(hits, 4);
    tc_tokcount_free(tc);
}

/* With a callback: one call per count, even when several units cannot be
 * joined (they are estimated instead of asked one by one). */
TC_TEST(tokcount_callback_once_per_count)
{
    tc_tokenizer tk = {fake_tok, NULL};
    tc_tokcount *tc = NULL;
    tc_span sp[4] = {{"\n}\n", 3}, {"\n\n  x\n", 6}, {"abc", 3}, {"def", 3}};
    uint32_t out[4];
    int exact = 1;
    TC_CHECK_EQ_INT(tc_tokcount_new(&tk, 0, &tc), TC_OK);
    fake_calls = 0;
    fake_fail = 0;
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, sp, 4, out, &exact), TC_OK);
    TC_CHECK_EQ_INT(fake_calls, 1);
    TC_CHECK(!exact); /* two blank-first units and two open ends: not all joinable */
    TC_CHECK_EQ_INT(out[0], fake_count("\n}\n"));
    tc_tokcount_free(tc);
}

TC_TEST(context_budget_priority_and_stability)
{
    tc_tokenizer tk = {fake_tok, NULL};
    tc_tokcount *tc = NULL;
    tc_ctx *c = NULL;
    tc_ctx_opts o;
    tc_ctx_info info;
    tc_fim_input in;
    tc_buf file = {0};
    int i;
    size_t cursor;
    const char *p1;
    size_t n1;
    for (i = 0; i < 200; i++) tc_buf_printf(&file, "    value_%d = compute(value_%d, %d)\n", i, i > 0 ? i - 1 : 0, i);
    cursor = (size_t)(strstr(file.data, "    value_150 =") - file.data) + 10;
    memset(&o, 0, sizeof o);
    o.max_tokens = 300;
    o.max_prefix_tokens = 200;
    o.max_suffix_tokens = 60;
    o.snap_lines = 16;
    TC_CHECK_EQ_INT(tc_tokcount_new(&tk, 0, &tc), TC_OK);
    TC_CHECK_EQ_INT(tc_ctx_new(&o, NULL, &c), TC_OK);
    TC_CHECK_EQ_INT(tc_ctx_build(c, NULL, tc, "r", "a.py", file.data, file.len, cursor, &in, &info), TC_OK);
    TC_CHECK(in.ntok_prefix <= 200 && in.ntok_prefix > 100);
    TC_CHECK(in.ntok_suffix <= 60 && in.ntok_suffix > 20);
    {
        char *pre = strndup(in.prefix, in.nprefix);
        TC_CHECK_EQ_INT(in.ntok_prefix, fake_count(pre));
        free(pre);
    }
    TC_CHECK(in.single_line);
    TC_CHECK((info.prefix_line - 1) % 3 == 0); /* snapped: a quarter of a 13-line window */
    TC_CHECK(info.exact);
    /* the prefix ends at the cursor, the suffix starts there */
    TC_CHECK(memcmp(in.prefix + in.nprefix - 10, "    value_", 10) == 0);
    TC_CHECK(strncmp(in.suffix, "150 =", 5) == 0);
    /* typing a character keeps the prefix's start (the server cache holds) */
    p1 = in.prefix;
    n1 = in.nprefix;
    {
        char *start1 = strndup(p1, 40);
        TC_CHECK_EQ_INT(tc_ctx_build(c, NULL, tc, "r", "a.py", file.data, file.len, cursor + 1, &in, &info), TC_OK);
        TC_CHECK(strncmp(in.prefix, start1, 40) == 0);
        TC_CHECK_EQ_INT(in.nprefix, n1 + 1);
        {
            /* counts reused for the lines above are still exact */
            char *pre = strndup(in.prefix, in.nprefix);
            TC_CHECK_EQ_INT(in.ntok_prefix, fake_count(pre));
            free(pre);
        }
        free(start1);
    }
    tc_ctx_free(c);
    /* the far suffix as a sticky chunk of this file, after the near suffix */
    o.max_tokens = 500;
    o.max_suffix_tokens = 200;
    o.near_suffix_tokens = 40;
    TC_CHECK_EQ_INT(tc_ctx_new(&o, NULL, &c), TC_OK);
    TC_CHECK_EQ_INT(tc_ctx_build(c, NULL, tc, "r", "a.py", file.data, file.len, cursor, &in, &info), TC_OK);
    TC_CHECK(in.ntok_suffix <= 40);
    TC_CHECK_EQ_INT(in.nextra, 1);
    if (in.nextra == 1) {
        const char *after_near = in.suffix + in.nsuffix;
        TC_CHECK_EQ_INT(in.extra[0].kind, TC_CHUNK_AFTER);
        TC_CHECK_STR(in.extra[0].path, "a.py");
        TC_CHECK(in.extra[0].ntok > 100 && in.extra[0].ntok + in.ntok_suffix <= 200); /* the suffix budget */
        TC_CHECK(strncmp(in.extra[0].text, after_near, in.extra[0].len) == 0); /* continues where the suffix ends */
    }
    if (in.nextra == 1) {
        /* typing on: the chunk stays byte for byte */
        char *t1 = strndup(in.extra[0].text, in.extra[0].len);
        TC_CHECK_EQ_INT(tc_ctx_build(c, NULL, tc, "r", "a.py", file.data, file.len, cursor + 3, &in, &info), TC_OK);
        TC_CHECK(!info.extra_changed);
        TC_CHECK_STR(in.extra[0].text, t1);
        free(t1);
    }
    tc_ctx_free(c);
    o.max_tokens = 300;
    o.max_suffix_tokens = 60;
    o.near_suffix_tokens = 0;
    /* naive: the start slides with the budget */
    o.naive = 1;
    TC_CHECK_EQ_INT(tc_ctx_new(&o, NULL, &c), TC_OK);
    TC_CHECK_EQ_INT(tc_ctx_build(c, NULL, tc, "r", "a.py", file.data, file.len, cursor, &in, &info), TC_OK);
    TC_CHECK(in.ntok_prefix <= 200 && in.ntok_prefix > 180);
    tc_ctx_free(c);
    tc_tokcount_free(tc);
    tc_buf_free(&file);
}

TC_TEST(context_recent_chunks_and_secret_files)
{
    tc_tokcount *tc = NULL;
    tc_ctx *c = NULL;
    tc_ctx_opts o;
    tc_ctx_info info;
    tc_fim_input in;
    const char *other = "def far_away():\n    return 42\n", *secret = "TOKEN=abc\n";
    const char *buf = "import os\nx = os.getenv('HOME')\n";
    memset(&o, 0, sizeof o);
    TC_CHECK_EQ_INT(tc_tokcount_new(NULL, 0, &tc), TC_OK);
    TC_CHECK_EQ_INT(tc_ctx_new(&o, NULL, &c), TC_OK);
    TC_CHECK_EQ_INT(tc_ctx_note(c, "lib/far.py", other, strlen(other), 3), TC_OK);
    TC_CHECK_EQ_INT(tc_ctx_note(c, ".env", secret, strlen(secret), 0), TC_OK); /* ignored */
    TC_CHECK_EQ_INT(tc_ctx_build(c, NULL, tc, "r", "main.py", buf, strlen(buf), strlen(buf), &in, &info), TC_OK);
    TC_CHECK_EQ_INT(in.nextra, 1);
    TC_CHECK_STR(in.extra[0].path, "lib/far.py");
    TC_CHECK_EQ_INT(in.extra[0].kind, TC_CHUNK_RECENT);
    TC_CHECK(info.extra_changed);
    TC_CHECK(!info.exact); /* no tokenizer: estimates */
    TC_CHECK_EQ_INT(tc_ctx_build(c, NULL, tc, "r", "main.py", buf, strlen(buf), strlen(buf) - 1, &in, &info), TC_OK);
    TC_CHECK(!info.extra_changed);
    /* the file being edited is private: nothing at all */
    TC_CHECK_EQ_INT(tc_ctx_build(c, NULL, tc, "r", "config/id_rsa", buf, strlen(buf), 0, &in, &info), TC_OK);
    TC_CHECK(info.secret_file);
    TC_CHECK_EQ_INT(in.nprefix + in.nsuffix + in.nextra, 0);
    tc_ctx_free(c);
    tc_tokcount_free(tc);
}

static char *post(const char *before, const char *after, int single, const char *raw)
{
    tc_post_opts o = {single, 0};
    char *s = strdup(raw);
    size_t n = tc_post_completion(before, strlen(before), after, strlen(after), &o, s, strlen(s));
    s[n] = 0;
    return s;
}

#define CHECK_POST(before, after, single, raw, want)                                                                   \
    do {                                                                                                               \
        char *got_ = post(before, after, single, raw);                                                                 \
        TC_CHECK_STR(got_, want);                                                                                      \
        free(got_);                                                                                                    \
    } while (0)

TC_TEST(post_completion_rules)
{
    /* scope: stop at a line indented less than the cursor's */
    CHECK_POST("def f(x):\n    y = ", "\n", 0, "x + 1\n    return y\ndef g():\n    pass\n", "x + 1\n    return y");
    /* a block opened on the first line may be closed at the cursor's indentation */
    CHECK_POST("int f(int x) {\n    if (x) ", "\n    return 0;\n}\n", 0,
               "{\n        x++;\n    }\n    return x;\n", "{\n        x++;\n    }");
    /* repetition */
    CHECK_POST("x = [\n    ", "\n", 0, "1,\n    2,\n    2,\n    2,\n", "1,\n    2,");
    CHECK_POST("    ", "\n", 0, "a()\n    b()\n    a()\n    b()\n    a()\n", "a()\n    b()");
    /* the completion runs into the code after the cursor */
    CHECK_POST("def f():\n    ", "\n    return total\n", 0, "total = 0\n    return total\n", "total = 0");
    /* single line (mid-line): overlap with the rest of the line, auto-closed brackets */
    CHECK_POST("print(", ")\n", 1, "len(items))\nmore", "len(items)");
    CHECK_POST("x = foo(", ")", 1, "a, b)", "a, b");
    /* an auto-closed block: the editor's '}' stays where the model put it */
    CHECK_POST("void f() {", "}\n", 0, "\n    g();\n}", "\n    g();\n");
    /* leaked special tokens */
    CHECK_POST("a = ", "\n", 0, "1<|endoftext|>junk", "1");
    CHECK_POST("a = ", "\n", 0, "2<|file_sep|>other.py\n", "2");
}
