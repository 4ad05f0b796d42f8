/* prompt.c - FIM families, detection and rendering; see prompt.h. */
#include "prompt/prompt.h"
#include "lang/lang.h"
#include "util/status.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const tc_fim_markers families[TC_FIM_COUNT] = {
    [TC_FIM_STARCODER] = {"starcoder", "<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<repo_name>", "<file_sep>", 0,
                          {"<|endoftext|>", "<file_sep>", "<fim_prefix>", "<fim_middle>", NULL}},
    [TC_FIM_CODELLAMA] = {"codellama", "<PRE> ", " <SUF>", " <MID>", NULL, NULL, 0,
                          {"<EOT>", "<PRE>", "<SUF>", "<MID>", NULL}},
    [TC_FIM_DEEPSEEK] = {"deepseek", "<\xef\xbd\x9c" "fim\xe2\x96\x81" "begin\xef\xbd\x9c>",
                         "<\xef\xbd\x9c" "fim\xe2\x96\x81" "hole\xef\xbd\x9c>",
                         "<\xef\xbd\x9c" "fim\xe2\x96\x81" "end\xef\xbd\x9c>", NULL, NULL, 0,
                         {"<\xef\xbd\x9c" "end\xe2\x96\x81" "of\xe2\x96\x81" "sentence\xef\xbd\x9c>",
                          "<\xef\xbd\x9c" "fim\xe2\x96\x81" "begin\xef\xbd\x9c>", "<|EOT|>", NULL}},
    [TC_FIM_QWEN] = {"qwen", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|repo_name|>", "<|file_sep|>", 0,
                     {"<|endoftext|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<|im_end|>", NULL}},
    [TC_FIM_CODESTRAL] = {"codestral", "[PREFIX]", "[SUFFIX]", "", NULL, NULL, 1, {"</s>", "[PREFIX]", "[SUFFIX]", NULL}},
    [TC_FIM_CODEGEMMA] = {"codegemma", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", NULL, NULL, 0,
                          {"<|file_separator|>", "<|fim_prefix|>", "<end_of_turn>", "<eos>", NULL}},
};

const tc_fim_markers *tc_fim_markers_of(tc_fim_family f)
{
    if (f <= TC_FIM_AUTO || f >= TC_FIM_COUNT) return NULL;
    return &families[f];
}

const char *tc_fim_family_name(tc_fim_family f)
{
    const tc_fim_markers *m = tc_fim_markers_of(f);
    return m ? m->name : "auto";
}

static int contains_ci(const char *hay, const char *needle) { return hay && strcasestr(hay, needle) != NULL; }

int tc_fim_family_parse(const char *s, tc_fim_family *f)
{
    int i;
    if (!s) return TC_EINVAL;
    if (strcasecmp(s, "auto") == 0 || !*s) {
        *f = TC_FIM_AUTO;
        return TC_OK;
    }
    for (i = 1; i < TC_FIM_COUNT; i++)
        if (strcasecmp(s, families[i].name) == 0) {
            *f = (tc_fim_family)i;
            return TC_OK;
        }
    *f = tc_fim_family_from_name(s);
    if (*f == TC_FIM_AUTO && strcasecmp(s, "mistral") == 0) *f = TC_FIM_CODESTRAL;
    return *f == TC_FIM_AUTO ? TC_EINVAL : TC_OK;
}

tc_fim_family tc_fim_family_from_name(const char *name)
{
    if (!name || !*name) return TC_FIM_AUTO;
    if (contains_ci(name, "codestral")) return TC_FIM_CODESTRAL;
    if (contains_ci(name, "codegemma")) return TC_FIM_CODEGEMMA;
    if (contains_ci(name, "qwen") && contains_ci(name, "coder")) return TC_FIM_QWEN;
    if (contains_ci(name, "deepseek") && contains_ci(name, "coder")) return TC_FIM_DEEPSEEK;
    if (contains_ci(name, "codellama") || contains_ci(name, "code-llama") || contains_ci(name, "code_llama"))
        return TC_FIM_CODELLAMA;
    if (contains_ci(name, "starcoder") || contains_ci(name, "santacoder") || contains_ci(name, "stable-code") ||
        contains_ci(name, "stablecode"))
        return TC_FIM_STARCODER;
    return TC_FIM_AUTO;
}

tc_fim_family tc_fim_family_from_markers(const char *text)
{
    if (!text) return TC_FIM_AUTO;
    if (strstr(text, "<|file_separator|>")) return TC_FIM_CODEGEMMA;
    if (strstr(text, "<|fim_prefix|>") || strstr(text, "<|repo_name|>")) return TC_FIM_QWEN;
    if (strstr(text, "<fim_prefix>")) return TC_FIM_STARCODER;
    if (strstr(text, "fim\xe2\x96\x81" "begin")) return TC_FIM_DEEPSEEK;
    if (strstr(text, "[SUFFIX]")) return TC_FIM_CODESTRAL;
    if (strstr(text, "<PRE>") || strstr(text, "<SUF>")) return TC_FIM_CODELLAMA;
    return TC_FIM_AUTO;
}

int tc_model_name_is_chat(const char *name)
{
    static const char *marks[] = {"instruct", "-chat", "_chat", ":chat", ".chat", "-it-", "-it:", "-it.", "_it_"};
    size_t i, n;
    if (!name) return 0;
    for (i = 0; i < sizeof marks / sizeof *marks; i++)
        if (contains_ci(name, marks[i])) return 1;
    n = strlen(name);
    return n > 3 && (strcasecmp(name + n - 3, "-it") == 0 || strcasecmp(name + n - 3, ":it") == 0);
}

/* ---- rendering ---------------------------------------------------------------- */

/* The line-comment opener for a file, by its language. */
static const char *comment_of(const char *path)
{
    switch (tc_lang_detect(path ? path : "", NULL, 0)) {
    case TC_LANG_PYTHON:
    case TC_LANG_SHELL:
    case TC_LANG_TEXT: return "#";
    default: return "//";
    }
}

static int put(tc_buf *b, const char *s, size_t n) { return n ? tc_buf_append(b, s, n) : TC_OK; }
static int puts_(tc_buf *b, const char *s) { return s ? tc_buf_puts(b, s) : TC_OK; }

/* Chunks as comment-headed sections, then (if there were any) a header for
 * the current file: the form for families without repo-level markers. */
static int put_chunks_as_comments(const tc_fim_input *in, tc_buf *out)
{
    size_t i;
    int rc = TC_OK;
    const char *cm = comment_of(in->path);
    for (i = 0; i < in->nextra && !rc; i++) {
        const tc_fim_chunk *c = &in->extra[i];
        rc = tc_buf_printf(out, "%s %s\n", comment_of(c->path), c->path ? c->path : "snippet");
        if (!rc) rc = put(out, c->text, c->len);
    }
    if (!rc && in->nextra) rc = tc_buf_printf(out, "%s %s\n", cm, in->path ? in->path : "current");
    return rc;
}

int tc_fim_render(tc_fim_family f, const tc_fim_input *in, tc_buf *out)
{
    const tc_fim_markers *m = tc_fim_markers_of(f);
    size_t i;
    int rc = TC_OK;
    if (!m || !in) return TC_EINVAL;
    if (tc_buf_reserve(out, in->nprefix + in->nsuffix + 256)) return TC_ENOMEM;
    if (m->spm) {
        rc = puts_(out, m->suf);
        if (!rc) rc = put(out, in->suffix, in->nsuffix);
        if (!rc) rc = puts_(out, m->pre);
        if (!rc) rc = put_chunks_as_comments(in, out);
        if (!rc) rc = put(out, in->prefix, in->nprefix);
        if (!rc) rc = puts_(out, m->mid);
        return rc;
    }
    if (m->repo && m->file_sep) {
        rc = tc_buf_printf(out, "%s%s\n", m->repo, in->repo && *in->repo ? in->repo : "project");
        for (i = 0; i < in->nextra && !rc; i++) {
            const tc_fim_chunk *c = &in->extra[i];
            rc = tc_buf_printf(out, "%s%s\n", m->file_sep, c->path ? c->path : "snippet");
            if (!rc) rc = put(out, c->text, c->len);
        }
        if (!rc) rc = tc_buf_printf(out, "%s%s\n", m->file_sep, in->path ? in->path : "current");
        if (!rc) rc = puts_(out, m->pre);
    } else {
        rc = puts_(out, m->pre);
        if (!rc) rc = put_chunks_as_comments(in, out);
    }
    if (!rc) rc = put(out, in->prefix, in->nprefix);
    if (!rc) rc = puts_(out, m->suf);
    if (!rc) rc = put(out, in->suffix, in->nsuffix);
    if (!rc) rc = puts_(out, m->mid);
    return rc;
}

int tc_fim_render_llama_infill(const tc_fim_markers *m, int has_repo, int has_sep, const char *bos,
                               const tc_fim_input *in, tc_buf *out)
{
    size_t i;
    int rc = TC_OK;
    if (!m || !in) return TC_EINVAL;
    if (has_repo && m->repo) rc = tc_buf_printf(out, "%smyproject\n", m->repo);
    for (i = 0; i < in->nextra && !rc; i++) {
        const tc_fim_chunk *c = &in->extra[i];
        if (has_sep && m->file_sep) rc = tc_buf_printf(out, "%s%s\n", m->file_sep, c->path ? c->path : "tmp");
        else rc = tc_buf_puts(out, "\n\n--- snippet ---\n\n");
        if (!rc) rc = put(out, c->text, c->len);
    }
    if (!rc && has_sep && m->file_sep) rc = tc_buf_printf(out, "%sfilename\n", m->file_sep);
    if (!rc && bos) rc = tc_buf_puts(out, bos);
    if (!rc) rc = puts_(out, m->pre);
    if (!rc) rc = put(out, in->prefix, in->nprefix);
    if (!rc) rc = puts_(out, m->suf);
    if (!rc) rc = put(out, in->suffix, in->nsuffix);
    if (!rc) rc = puts_(out, m->mid);
    return rc;
}

int tc_fim_render_prompt_part(const tc_fim_input *in, tc_buf *out)
{
    int rc = put_chunks_as_comments(in, out);
    if (!rc) rc = put(out, in->prefix, in->nprefix);
    if (!rc) rc = tc_buf_puts(out, ""); /* NUL-terminated even when empty */
    return rc;
}
