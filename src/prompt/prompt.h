/* prompt.h - fill-in-the-middle prompts and exact token budgets.
 *
 * A FIM prompt is built from a tc_fim_input: the text before the cursor
 * (prefix), after it (suffix) and extra chunks (retrieved windows, recently
 * seen code), each already cut to budget by the context stage. This module
 *   - knows the FIM markers of each model family and picks the family from
 *     what a server says about its model (name, template, vocabulary);
 *   - renders the prompt tacit sends itself (OpenAI-compatible, Ollama raw,
 *     llama.cpp /completion) and the prompt llama.cpp's /infill builds from
 *     its fields (for `tacit explain` and for checking the server);
 *   - counts tokens (tc_tokcount) with the model's own tokenizer where a
 *     backend offers one, cached per line, or with a calibrated estimate.
 *
 * Layout of a rendered prompt (stable pieces first, so that a server's
 * prompt cache survives from one keystroke to the next):
 *   repo-level families (Qwen2.5-Coder, StarCoder2):
 *     <repo>REPO\n <sep>path\nchunk ... <sep>path\n <pre>PREFIX<suf>SUFFIX<mid>
 *   others: each chunk as a comment line naming its file, then the chunk,
 *     all at the start of the prefix: <pre>CHUNKS PREFIX<suf>SUFFIX<mid>
 *   Codestral (suffix first): [SUFFIX]SUFFIX[PREFIX]CHUNKS PREFIX
 */
#ifndef TC_PROMPT_H
#define TC_PROMPT_H

#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

typedef enum tc_fim_family {
    TC_FIM_AUTO = 0,   /* not known yet: detect from the server */
    TC_FIM_STARCODER,  /* StarCoder, StarCoder2 (<fim_prefix>, <file_sep>) */
    TC_FIM_CODELLAMA,  /* Code Llama (<PRE> <SUF> <MID>) */
    TC_FIM_DEEPSEEK,   /* DeepSeek-Coder (<｜fim▁begin｜> ...) */
    TC_FIM_QWEN,       /* Qwen2.5-Coder (<|fim_prefix|>, <|repo_name|>, <|file_sep|>) */
    TC_FIM_CODESTRAL,  /* Codestral ([SUFFIX] ... [PREFIX] ..., suffix first) */
    TC_FIM_CODEGEMMA,  /* CodeGemma (<|fim_prefix|>, <|file_separator|>) */
    TC_FIM_COUNT
} tc_fim_family;

/* The markers of one family (static strings). */
typedef struct tc_fim_markers {
    const char *name;            /* "qwen", "starcoder", ... */
    const char *pre, *suf, *mid; /* FIM markers, text as the tokenizer spells them */
    const char *repo, *file_sep; /* repo-level markers; NULL: chunks as comments */
    int spm;                     /* 1: suffix before prefix (Codestral) */
    const char *stop[6];         /* stop strings for the server, NULL-terminated */
} tc_fim_markers;

const tc_fim_markers *tc_fim_markers_of(tc_fim_family f); /* NULL for AUTO/out of range */
const char *tc_fim_family_name(tc_fim_family f);           /* "auto" for AUTO */
/* "auto", a family name, or a common alias ("qwen2.5-coder", "starcoder2",
 * "deepseek-coder", "codellama", "mistral"). TC_OK or TC_EINVAL. */
int tc_fim_family_parse(const char *s, tc_fim_family *f);
/* Family from a model name or file path ("Qwen2.5-Coder-1.5B-Q8_0.gguf",
 * "codestral-latest", "deepseek-coder:6.7b-base"); AUTO when unknown. */
tc_fim_family tc_fim_family_from_name(const char *name);
/* Family from text that spells a family's markers (an Ollama template, a
 * list of special tokens); AUTO when none is found. */
tc_fim_family tc_fim_family_from_markers(const char *text);
/* 1 if a model name looks like a chat/instruct fine-tune ("-instruct",
 * "-chat", "-it", ":instruct"), which answers FIM prompts poorly. */
int tc_model_name_is_chat(const char *name);

/* One extra chunk of context. */
/* RETRIEVED: a window of another file; RECENT: code seen lately; AFTER: the
 * current file beyond the near suffix (see context.h) */
enum { TC_CHUNK_RETRIEVED = 1, TC_CHUNK_RECENT = 2, TC_CHUNK_AFTER = 3 };
typedef struct tc_fim_chunk {
    const char *path;  /* workspace-relative file name */
    const char *text;  /* whole lines, ending with '\n' */
    size_t len;
    uint32_t ntok;     /* tokens of text, as counted by the context stage */
    uint32_t line;     /* first line of the chunk in its file (1-based) */
    uint8_t kind;      /* TC_CHUNK_* */
} tc_fim_chunk;

/* What a FIM request is made of. Pointers are borrowed. */
typedef struct tc_fim_input {
    const char *path;           /* the file being edited (workspace-relative) */
    const char *repo;           /* the workspace's name (repo-level prompts) */
    const char *prefix;         /* text before the cursor (budgeted) */
    size_t nprefix;
    const char *suffix;         /* text after the cursor (budgeted) */
    size_t nsuffix;
    const tc_fim_chunk *extra;  /* in prompt order: stable pieces first */
    size_t nextra;
    int single_line;            /* cursor mid-line: one line is wanted */
    int indent;                 /* columns of indentation of the cursor's line */
    uint32_t ntok_prefix, ntok_suffix, ntok_extra; /* counted tokens */
} tc_fim_input;

/* Render tacit's own FIM prompt for family f (not AUTO) into out (appended).
 * The comment syntax for chunk headers follows in->path's language.
 * TC_OK / TC_ENOMEM / TC_EINVAL. */
int tc_fim_render(tc_fim_family f, const tc_fim_input *in, tc_buf *out);

/* For APIs that take a prompt and a suffix (Mistral FIM, Ollama with
 * "suffix"): the extra chunks as comment-headed sections, then the prefix. */
int tc_fim_render_prompt_part(const tc_fim_input *in, tc_buf *out);

/* What llama.cpp's /infill builds from input_prefix/input_suffix/
 * input_extra (server-context.cpp, format_prompt_infill, release v0.5.0):
 *   [<|repo_name|>myproject\n] {<|file_sep|>NAME\n TEXT | "\n\n--- snippet ---\n\n" TEXT}
 *   [<|file_sep|>filename\n] <|fim_prefix|>PREFIX<|fim_suffix|>SUFFIX<|fim_middle|>
 * with has_repo/has_sep saying whether the model's vocabulary has the
 * repo-level tokens, and bos prepended when the model adds one (NULL: none).
 * Valid when nothing is truncated by the server (the context stage keeps
 * within its limits). */
int tc_fim_render_llama_infill(const tc_fim_markers *m, int has_repo, int has_sep, const char *bos,
                               const tc_fim_input *in, tc_buf *out);

/* ---- token counting ----------------------------------------------------------
 *
 * Text is counted in units: a unit starts at each line that holds a
 * non-blank character (and at the start of the text), so a unit is one line
 * plus the blank lines after it. For tokenizers whose pre-tokenizer never
 * joins a line break with the next line's first character (Qwen2, Llama 3,
 * DeepSeek-V2 and the other GPT-4-style regexes) a text's token count is
 * exactly the sum of its units' counts; for GPT-2-style ones (StarCoder) it
 * may be off by one per indented line, and for SentencePiece ones (Code
 * Llama) by a little more; the context stage keeps a small margin there.
 * Counts are cached by the unit's hash; a text seen before (the lines of
 * the file being edited, a chunk) costs no request.
 *
 * Two ways to reach a tokenizer:
 *   - a callback (tc_tokenizer) called while counting: at most ONE call per
 *     tc_tokcount_spans (the units that can be joined exactly; the others
 *     are estimated);
 *   - deferred (tc_tokcount_set_deferred), for a tokenizer behind a network
 *     (llama.cpp /tokenize): counting never waits. A unit not in the cache
 *     is estimated at once (the count says so: *exact = 0) and queued; the
 *     backend takes the queue as one batch (tc_tokcount_batch_take), asks
 *     the server once for all of it, and hands the counts back
 *     (tc_tokcount_batch_done). The next keystroke finds them cached. */

/* A tokenizer offered by a backend: tokenize text (no BOS, special-token
 * strings taken literally) and append each token's end offset in text (in
 * bytes) to ends. The last end must be len for the offsets to be used.
 * TC_OK, or an error (the counter then estimates). */
typedef struct tc_tokenizer {
    int (*tokenize)(void *ud, const char *text, size_t len, uint32_t **ends, size_t *nends,
                    size_t *cap);
    void *ud;
} tc_tokenizer;

typedef struct tc_tokcount tc_tokcount;

/* tk NULL: estimate only. bytes_per_token: the estimate's starting ratio
 * (<=0: 3.0, a little under code's usual ratio so estimates run high). */
int tc_tokcount_new(const tc_tokenizer *tk, double bytes_per_token, tc_tokcount **out);
void tc_tokcount_free(tc_tokcount *tc);

/* A span of text to count. */
typedef struct tc_span {
    const char *p;
    size_t n;
} tc_span;

/* Split s[0..n) into units (see above): ends[i] is the end offset of unit
 * i. Returns the number of units found, at most max; when it is max, more
 * units may follow ends[max-1] (call again from there). */
size_t tc_tok_units(const char *s, size_t n, size_t *ends, size_t max);

/* Count each span (each is one unit, or any text: it is split into units):
 * cached units cost nothing, the others are tokenized together in one
 * request to the tokenizer (deferred: estimated and queued); when that
 * fails (or there is none), they are estimated. out[i] receives span i's count. *exact (may be NULL) is 1 when
 * no estimate was used. TC_OK / TC_ENOMEM. */
int tc_tokcount_spans(tc_tokcount *tc, const tc_span *spans, size_t n, uint32_t *out, int *exact);
/* One text; estimate on failure. */
uint32_t tc_tokcount_text(tc_tokcount *tc, const char *s, size_t n);
/* Estimate only (no request, no cache). */
uint32_t tc_tokcount_estimate(const tc_tokcount *tc, size_t bytes);
/* Calibrate the estimate with an observed count (bytes of text that the
 * server counted as ntok tokens). */
void tc_tokcount_observe(tc_tokcount *tc, size_t bytes, uint32_t ntok);
double tc_tokcount_ratio(const tc_tokcount *tc);
/* 1 with a tokenizer callback or in deferred mode (counts become exact). */
int tc_tokcount_has_tokenizer(const tc_tokcount *tc);

/* Deferred mode (see above): misses are estimated and queued, never asked
 * while counting. */
void tc_tokcount_set_deferred(tc_tokcount *tc, int on);
size_t tc_tokcount_npending(const tc_tokcount *tc); /* units queued */

/* Units taken from the queue for one tokenizer request: unit i is
 * text[i][0..len[i]) (owned by the batch); each is to be tokenized on its
 * own (no BOS, special-token strings taken literally). */
typedef struct tc_tok_batch {
    size_t n;
    char **text;
    size_t *len;
    uint64_t *key;
} tc_tok_batch;
/* Move queued units (the oldest first, up to max_bytes of text, at least
 * one) into out; out->n == 0 when nothing is queued. Counts one request in
 * tc_tokcount_stats. TC_OK / TC_ENOMEM. */
int tc_tokcount_batch_take(tc_tokcount *tc, size_t max_bytes, tc_tok_batch *out);
/* The answer: counts[i] for unit i (UINT32_MAX: unknown); counts NULL: the
 * request failed or was abandoned. Known counts are cached (and calibrate
 * the estimate); unknown units are asked again when next counted. Frees b. */
void tc_tokcount_batch_done(tc_tokcount *tc, tc_tok_batch *b, const uint32_t *counts);
void tc_tokcount_batch_free(tc_tok_batch *b);
/* Requests made to the tokenizer (callback calls and batches taken), units
 * served from the cache, units estimated (for tests and `tacit doctor`). */
void tc_tokcount_stats(const tc_tokcount *tc, uint64_t *requests, uint64_t *hits, uint64_t *estimated);

#endif
