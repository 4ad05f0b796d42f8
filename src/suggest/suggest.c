/* suggest.c - see suggest.h. */
#include "suggest/suggest.h"
#include "lang/lang.h"
#include "retrieve/retrieve.h"
#include "suggest/post.h"
#include "suggest/spacing.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <xxhash.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SG_MAX_CANDS 32
#define SG_MAX_LINE_TOKENS 48
#define SG_QUERY_LINES 12     /* lines before the cursor that form the retrieval query */
#define SG_COPY_HITS 8
#define SG_SPACING_SAMPLE 120000 /* items of the workspace learned for spacing */
#define SG_SPACING_BUFFER 2000 /* buffer items before the cursor learned for spacing */
#define SG_PARTIAL_FIRST 4 /* completions of a partial word explored by the beam */
#define SG_RAW_MIN_MATCH 8 /* context tokens matched before a copied line keeps its comment */
#define SG_CACHE_BEFORE 3500 /* buffer tokens before the cursor in the cache model */
#define SG_CACHE_AFTER 1500  /* ... and after the cursor's line */

struct tc_engine {
    tc_engine_opts opts;
    tc_index *ix;
    tc_model *model;
    tc_retriever *ret;
    tc_spacing *space_repo;  /* the workspace's habits (sampled) */
    tc_spacing *space_buf;   /* the current buffer's own, per query */
    tc_items items, offs, scratch, cache;
    tc_toks toks;
};

typedef struct cand {
    uint32_t ids[SG_MAX_LINE_TOKENS];
    uint32_t n;
    double logp;     /* model log-probability (natural), EOL included */
    int8_t sp[SG_MAX_LINE_TOKENS]; /* space before each token: 1/0 from a copied
                                      source, -1 decided by the spacing model */
    double copy;     /* retrieval support: 0 none, else similarity-weighted match */
    long src_file;   /* copy: the file and item the line was copied from */
    uint32_t src_item, src_match; /* ... and how many tokens of context matched */
    int from_copy, from_ngram, ended;
} cand;

const char *tc_mode_name(tc_mode m)
{
    static const char *names[] = {"full", "ngram", "copy"};
    return (unsigned)m < TC_MODE_COUNT ? names[m] : "?";
}

int tc_mode_parse(const char *s, tc_mode *m)
{
    int i;
    for (i = 0; i < TC_MODE_COUNT; i++)
        if (strcmp(s, tc_mode_name((tc_mode)i)) == 0) {
            *m = (tc_mode)i;
            return TC_OK;
        }
    return TC_EINVAL;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

/* Learn spacing from a spread sample of the workspace. */
static int learn_repo_spacing(tc_engine *e)
{
    size_t nf = tc_index_nfiles(e->ix), f, total = 0, step;
    tc_vocab *v = tc_index_vocab(e->ix);
    int rc = TC_OK;
    for (f = 0; f < nf; f++) total += tc_index_file(e->ix, f)->ntok;
    step = total > SG_SPACING_SAMPLE ? total / SG_SPACING_SAMPLE + 1 : 1;
    for (f = 0; f < nf && !rc; f += step) {
        const tc_file_info *fi = tc_index_file(e->ix, f);
        if (fi->removed || fi->skip || !fi->ntok) continue;
        if (tc_index_file_items(e->ix, f, &e->scratch)) continue;
        rc = tc_spacing_learn(e->space_repo, v, e->scratch.v, e->scratch.n);
    }
    return rc;
}

static int open_model(tc_engine *e)
{
    tc_model_opts mo = e->opts.model;
    if (e->opts.mode == TC_MODE_NGRAM) {
        mo.no_nested = 1;
        mo.no_cache = 1;
    }
    int rc;
    tc_model_free(e->model);
    e->model = NULL;
    if (e->opts.mode == TC_MODE_COPY) return TC_OK;
    rc = tc_model_open(e->ix, &mo, &e->model);
    /* Built rather than loaded (first start, or the workspace changed):
     * keep the counts for the next process. */
    if (!rc && !tc_model_loaded(e->model) && e->opts.update) tc_model_save(e->model);
    return rc;
}

typedef struct ret_job {
    tc_index *ix;
    tc_retriever *ret;
    int rc;
} ret_job;

static void *build_retriever(void *arg)
{
    ret_job *j = arg;
    j->rc = tc_retriever_build(j->ix, 0, &j->ret);
    return NULL;
}

int tc_engine_open(const tc_engine_opts *opts, tc_engine **out)
{
    tc_engine *e = calloc(1, sizeof *e);
    int rc;
    *out = NULL;
    if (!e) return TC_ENOMEM;
    e->opts = *opts;
    if (e->opts.threshold < 0) e->opts.threshold = TC_SUGGEST_DEFAULT_THRESHOLD;
    if (!e->opts.beam) e->opts.beam = 6;
    rc = tc_index_open(&e->opts.index, &e->ix);
    if (rc) goto fail;
    if (opts->update) {
        rc = tc_index_update(e->ix, NULL);
        if (!rc) rc = tc_index_save(e->ix);
        if (rc == TC_EIO) rc = TC_OK; /* an unwritable cache is not fatal */
        if (rc) goto fail;
    }
    if (!tc_index_vocab(e->ix)) {
        rc = TC_ENOMEM;
        goto fail;
    }
    e->space_repo = tc_spacing_new();
    e->space_buf = tc_spacing_new();
    if (!e->space_repo || !e->space_buf) {
        rc = TC_ENOMEM;
        goto fail;
    }
    /* The retrieval windows are cut on a second thread while this one opens
     * the model and learns the spacing: both only read the index (made safe
     * to share by tc_index_prepare_readers); the retriever registers for
     * changes once joined. */
    if ((rc = tc_index_prepare_readers(e->ix))) goto fail;
    /* a damaged entry it re-read is saved now, not found again next run */
    if (opts->update && tc_index_save(e->ix) == TC_ENOMEM) {
        rc = TC_ENOMEM;
        goto fail;
    }
    {
        ret_job job = {e->ix, NULL, TC_OK};
        pthread_t tid;
        int threaded = pthread_create(&tid, NULL, build_retriever, &job) == 0;
        if (!threaded) build_retriever(&job);
        rc = learn_repo_spacing(e);
        if (!rc) rc = open_model(e);
        if (threaded) pthread_join(tid, NULL);
        e->ret = job.ret;
        if (!rc) rc = job.rc;
        if (!rc) rc = tc_retriever_attach(e->ret);
        if (rc) goto fail;
    }
    *out = e;
    return TC_OK;
fail:
    tc_engine_free(e);
    return rc;
}

void tc_engine_free(tc_engine *e)
{
    if (!e) return;
    tc_retriever_free(e->ret);
    tc_model_free(e->model);
    tc_index_free(e->ix);
    tc_spacing_free(e->space_repo);
    tc_spacing_free(e->space_buf);
    tc_items_free(&e->items);
    tc_items_free(&e->offs);
    tc_items_free(&e->scratch);
    tc_items_free(&e->cache);
    tc_toks_free(&e->toks);
    free(e);
}

tc_index *tc_engine_index(tc_engine *e) { return e->ix; }
tc_model *tc_engine_model(tc_engine *e) { return e->model; }
tc_retriever *tc_engine_retriever(tc_engine *e) { return e->ret; }
double tc_engine_threshold(const tc_engine *e) { return e->opts.threshold; }

int tc_engine_set_mode(tc_engine *e, tc_mode mode)
{
    if (mode == e->opts.mode) return TC_OK;
    e->opts.mode = mode;
    return open_model(e);
}

void tc_suggestion_print(FILE *fp, const tc_suggestion *s, int json)
{
    if (json) {
        cJSON *o = cJSON_CreateObject();
        char *js;
        cJSON_AddStringToObject(o, "text", s->text ? s->text : "");
        /* rounded: 12.392, not 12.392170000006445 */
        cJSON_AddNumberToObject(o, "confidence", floor(s->confidence * 1e4 + 0.5) / 1e4);
        cJSON_AddNumberToObject(o, "latency_ms", floor(s->latency_ms * 1e3 + 0.5) / 1e3);
        cJSON_AddStringToObject(o, "source", s->source ? s->source : "none");
        js = cJSON_PrintUnformatted(o);
        if (js) fprintf(fp, "%s\n", js);
        free(js);
        cJSON_Delete(o);
    } else if (s->text && *s->text) {
        fprintf(fp, "%s\n", s->text);
    }
}

void tc_suggestion_free(tc_suggestion *s)
{
    free(s->text);
    s->text = NULL;
}

/* ---- candidates -------------------------------------------------------------- */

static int is_word_kind(uint8_t k) { return k == TC_TOK_IDENT || k == TC_TOK_KEYWORD || k == TC_TOK_NUMBER; }

static int starts_with(const char *s, size_t n, const char *p, size_t pn)
{
    return n >= pn && memcmp(s, p, pn) == 0;
}

static cand *add_cand(cand *c, size_t *nc, const uint32_t *ids, const int8_t *sp, size_t n, double logp,
                      int ended, int from_copy, double copy)
{
    size_t i;
    if (n > SG_MAX_LINE_TOKENS) {
        n = SG_MAX_LINE_TOKENS;
        ended = 0;
    }
    for (i = 0; i < *nc; i++) {
        if (c[i].n == n && memcmp(c[i].ids, ids, n * sizeof *ids) == 0) {
            if (from_copy) {
                c[i].from_copy = 1;
                if (copy > c[i].copy) c[i].copy = copy;
                if (sp) memcpy(c[i].sp, sp, n);
            } else {
                c[i].from_ngram = 1;
                if (logp > c[i].logp) c[i].logp = logp;
            }
            return &c[i];
        }
    }
    if (*nc == SG_MAX_CANDS) return NULL;
    memcpy(c[*nc].ids, ids, n * sizeof *ids);
    if (sp) memcpy(c[*nc].sp, sp, n);
    else memset(c[*nc].sp, -1, n);
    c[*nc].n = (uint32_t)n;
    c[*nc].logp = logp;
    c[*nc].ended = ended;
    c[*nc].from_copy = from_copy;
    c[*nc].from_ngram = !from_copy;
    c[*nc].copy = copy;
    c[*nc].src_file = -1;
    c[*nc].src_match = 0;
    return &c[(*nc)++];
}

/* Model candidates: beam search, constrained to complete the partial token. */
static void ngram_cands(tc_engine *e, tc_query *q, uint32_t *ctx, size_t nctx, const char *partial,
                        size_t np, cand *c, size_t *nc)
{
    tc_completion comp[8];
    size_t k, i, j;
    if (!np) {
        k = tc_query_complete_line(q, ctx, nctx, e->opts.beam, SG_MAX_LINE_TOKENS, comp, 8);
        for (i = 0; i < k; i++) add_cand(c, nc, comp[i].ids, NULL, comp[i].n, comp[i].logp, comp[i].ended, 0, 0);
        return;
    }
    {
        tc_pred preds[256];
        const tc_vocab *v = tc_index_vocab(e->ix);
        double mass = 0;
        size_t np_ok = 0, n = tc_query_predict(q, ctx, nctx, preds, 256);
        tc_pred ok[SG_PARTIAL_FIRST];
        for (i = 0; i < n; i++) {
            size_t tl;
            const char *t = tc_vocab_text(v, preds[i].id, &tl);
            if (!is_word_kind(tc_vocab_kind(v, preds[i].id)) || !starts_with(t, tl, partial, np)) continue;
            mass += preds[i].p;
            if (np_ok < SG_PARTIAL_FIRST) ok[np_ok++] = preds[i];
        }
        for (i = 0; i < np_ok; i++) {
            double lp0 = log(ok[i].p / mass);
            uint32_t *ext = malloc((nctx + 1) * sizeof *ext);
            if (!ext) return;
            memcpy(ext, ctx, nctx * sizeof *ext);
            ext[nctx] = ok[i].id;
            k = tc_query_complete_line(q, ext, nctx + 1, e->opts.beam, SG_MAX_LINE_TOKENS - 1, comp, 4);
            for (j = 0; j < k; j++) {
                uint32_t ids[SG_MAX_LINE_TOKENS];
                ids[0] = ok[i].id;
                memcpy(ids + 1, comp[j].ids, comp[j].n * sizeof *ids);
                add_cand(c, nc, ids, NULL, comp[j].n + 1, lp0 + comp[j].logp, comp[j].ended, 0, 0);
            }
            free(ext);
        }
    }
}

/* Copy candidates: in the windows most similar to the lines before the
 * cursor, find where the text before the cursor recurs, and take the rest
 * of that line. */
static void copy_cands(tc_engine *e, long self, const uint32_t *ctx, size_t nctx, size_t line_start,
                       const char *partial, size_t np, cand *c, size_t *nc)
{
    const tc_vocab *v = tc_index_vocab(e->ix);
    uint32_t *query;
    size_t nq = 0, i, lines = 0, nh;
    tc_hit hits[SG_COPY_HITS];
    size_t cur_len = nctx - line_start; /* tokens of the current line before the cursor */
    query = malloc((nctx + 1) * sizeof *query);
    if (!query) return;
    for (i = nctx; i > 0 && lines <= SG_QUERY_LINES; i--) {
        uint32_t id = ctx[i - 1];
        if (id == TC_VOCAB_EOL) lines++;
        else if (tc_vocab_kind(v, id) == TC_TOK_IDENT) query[nq++] = id;
    }
    nh = tc_retriever_search(e->ret, query, nq, self, hits, SG_COPY_HITS);
    free(query);
    for (i = 0; i < nh; i++) {
        size_t p, lo, hi;
        if (tc_index_file_items(e->ix, hits[i].fileno, &e->scratch)) continue;
        lo = hits[i].item_lo;
        hi = hits[i].item_hi < e->scratch.n ? hits[i].item_hi : e->scratch.n;
        for (p = lo; p < hi; p++) {
            const uint32_t *it = e->scratch.v;
            size_t m = 0, end;
            /* match backwards: it[p-1-m] == ctx[nctx-1-m] */
            while (m < nctx && m < p && m < 64 && TC_ITEM_ID(it[p - 1 - m]) == ctx[nctx - 1 - m]) m++;
            /* the whole current line before the cursor must match, and at
             * least its line break or two tokens of context */
            if (m < cur_len || m < 2) continue;
            if (p < e->scratch.n && TC_ITEM_ID(it[p]) == TC_VOCAB_EOL) continue;
            if (np) {
                size_t tl;
                const char *t = tc_vocab_text(v, TC_ITEM_ID(it[p]), &tl);
                if (!starts_with(t, tl, partial, np)) continue;
            }
            for (end = p; end < e->scratch.n && TC_ITEM_ID(it[end]) != TC_VOCAB_EOL; end++)
                ;
            if (end == p) continue;
            {
                uint32_t ids[SG_MAX_LINE_TOKENS];
                int8_t sp[SG_MAX_LINE_TOKENS];
                size_t n = end - p, j;
                if (n > SG_MAX_LINE_TOKENS) continue;
                for (j = 0; j < n; j++) {
                    ids[j] = TC_ITEM_ID(it[p + j]);
                    sp[j] = (int8_t)TC_ITEM_SP(it[p + j]);
                }
                /* support grows with the similarity and the matched length */
                cand *k = add_cand(c, nc, ids, sp, n, 0, 1, 1, hits[i].score * (1.0 - 1.0 / (double)(m + 1)));
                if (k && m > k->src_match) {
                    k->src_file = (long)hits[i].fileno;
                    k->src_item = (uint32_t)p;
                    k->src_match = (uint32_t)m;
                }
            }
        }
    }
}

/* The source text of a copied line, from its item `item` to the end of the
 * line, as the file on disk has it (trailing comment and spacing included).
 * Returns a malloc'd string or NULL. */
static char *copied_text(tc_engine *e, long fileno, uint32_t item)
{
    const tc_file_info *fi = tc_index_file(e->ix, (size_t)fileno);
    tc_buf text = {0};
    char *out = NULL;
    size_t i, k = 0;
    int rrc;
    if (!fi || fi->removed || fi->buffer) return NULL;
    /* beneath the root, no symlink followed, never a FIFO, at most the
     * size it was indexed at */
    rrc = tc_fs_read_regular(tc_index_root_fd(e->ix), fi->path, fi->size ? fi->size : 1, &text, NULL);
    if (rrc || XXH3_64bits(text.data, text.len) != fi->hash) goto out; /* changed since indexed */
    e->toks.n = 0;
    if (tc_lex((tc_lang)fi->lang, text.data, text.len, &e->toks)) goto out;
    for (i = 0; i < e->toks.n; i++) {
        if (e->toks.v[i].kind == TC_TOK_COMMENT) continue;
        if (k++ == item) break;
    }
    if (i < e->toks.n) {
        size_t from = e->toks.v[i].off, to = from;
        while (to < text.len && text.data[to] != '\n' && text.data[to] != '\r') to++;
        while (to > from && (text.data[to - 1] == ' ' || text.data[to - 1] == '\t')) to--;
        out = malloc(to - from + 1);
        if (out) {
            memcpy(out, text.data + from, to - from);
            out[to - from] = 0;
        }
    }
out:
    tc_buf_free(&text);
    return out;
}

/* Render candidate tokens as text to insert at the cursor; prev2 and prev
 * are the two tokens before it. */
static void render(tc_engine *e, const cand *c, uint32_t prev2, uint32_t prev, int depth, int cursor_after_space,
                   size_t np, tc_buf *out)
{
    const tc_vocab *v = tc_index_vocab(e->ix);
    uint32_t i;
    out->len = 0;
    tc_buf_puts(out, "");
    for (i = 0; i < c->n; i++) {
        size_t tl;
        const char *t = tc_vocab_text(v, c->ids[i], &tl);
        uint8_t k = tc_vocab_kind(v, c->ids[i]);
        if (k == TC_TOK_INDENT || k == TC_TOK_DEDENT || c->ids[i] < TC_VOCAB_FIRST) continue;
        if (i == 0 && np) {
            tc_buf_append(out, t + np, tl - np);
        } else {
            int sp;
            if (prev == TC_VOCAB_BOS || prev == TC_VOCAB_EOL) sp = 0;
            else if (c->sp[i] >= 0) sp = c->sp[i];
            else sp = tc_spacing_decide(e->space_buf, e->space_repo, v, depth > 0, prev2, prev, c->ids[i]);
            if (sp && !(i == 0 && cursor_after_space)) tc_buf_puts(out, " ");
            tc_buf_append(out, t, tl);
        }
        prev2 = prev;
        prev = c->ids[i];
        depth = tc_spacing_depth(v, c->ids[i], depth);
    }
}

/* The brackets still open before the line that holds the cursor, as text
 * ("(["), from the token stream: a call or literal spanning lines may be
 * closed on the cursor's line. */
static void open_brackets(const tc_vocab *v, const uint32_t *ids, size_t n, tc_buf *out)
{
    char stack[64];
    size_t i, from = n > 4000 ? n - 4000 : 0;
    int depth = 0;
    for (i = from; i < n; i++) {
        size_t tl;
        const char *t;
        if (tc_vocab_kind(v, ids[i]) != TC_TOK_PUNCT) continue;
        t = tc_vocab_text(v, ids[i], &tl);
        if (tl != 1) continue;
        if (*t == '(' || *t == '[' || *t == '{') {
            if (depth < (int)sizeof stack) stack[depth++] = *t;
        } else if ((*t == ')' || *t == ']' || *t == '}') && depth) {
            depth--;
        }
    }
    tc_buf_append(out, stack, (size_t)depth);
}

static void drop_trailing_dedents(const tc_vocab *v, tc_items *items, tc_items *offs)
{
    while (items->n && tc_vocab_kind(v, TC_ITEM_ID(items->v[items->n - 1])) == TC_TOK_DEDENT) {
        items->n--;
        offs->n--;
    }
}

int tc_engine_suggest(tc_engine *e, const char *relpath, const char *buf, size_t len, size_t cursor,
                      tc_suggestion *out)
{
    double t0 = now_ms();
    tc_vocab *v = tc_index_vocab(e->ix);
    tc_lang lang;
    uint32_t *ctx = NULL;
    size_t nctx = 0, i, nc = 0, line_start, np = 0, best = (size_t)-1;
    const char *partial = NULL;
    cand *cands = NULL;
    tc_query *q = NULL;
    tc_buf text = {0}, best_text = {0}, before = {0};
    double best_score = -1e300, best_conf = 0, second_conf = 0, conf_sum = 0;
    const char *line_before, *line_after, *eol;
    int rc = TC_OK, cursor_after_space, depth = 0;
    long self;

    memset(out, 0, sizeof *out);
    out->source = "none";
    if (!v) return TC_ENOMEM;
    if (cursor > len) return TC_EINVAL;
    lang = tc_lang_detect(relpath, buf, len < 256 ? len : 256);
    e->items.n = e->offs.n = 0;
    {
        /* On a line with nothing but indentation before the cursor, lex a
         * stand-in token at the cursor so that indentation-sensitive lexers
         * (Python) emit the INDENT/DEDENT the line will carry; the stand-in
         * is dropped below. */
        const char *ls = buf + cursor;
        int blank = 1;
        while (ls > buf && ls[-1] != '\n') {
            if (ls[-1] != ' ' && ls[-1] != '\t') blank = 0;
            ls--;
        }
        if (blank && cursor > 0) {
            tc_buf tmp = {0};
            if (tc_buf_append(&tmp, buf, cursor) || tc_buf_puts(&tmp, "x")) {
                tc_buf_free(&tmp);
                rc = TC_ENOMEM;
                goto out;
            }
            rc = tc_tokens_from_source(v, lang, tmp.data, tmp.len, &e->items, &e->offs, &e->toks);
            tc_buf_free(&tmp);
            drop_trailing_dedents(v, &e->items, &e->offs);
            if (e->items.n && e->offs.v[e->items.n - 1] == cursor) e->items.n--, e->offs.n--;
        } else {
            rc = tc_tokens_from_source(v, lang, buf, cursor, &e->items, &e->offs, &e->toks);
        }
        if (rc) goto out;
        /* Lexers close open indentation at the end of input; the cursor is
         * not the end of the file. */
        drop_trailing_dedents(v, &e->items, &e->offs);
    }
    /* A word touching the cursor is partial: the suggestion completes it. */
    if (e->items.n) {
        uint32_t last = TC_ITEM_ID(e->items.v[e->items.n - 1]);
        size_t tl;
        const char *t = tc_vocab_text(v, last, &tl);
        if (is_word_kind(tc_vocab_kind(v, last)) && e->offs.v[e->items.n - 1] + tl == cursor) {
            partial = t;
            np = tl;
            e->items.n--;
        }
    }
    ctx = malloc((e->items.n + 1) * sizeof *ctx);
    cands = malloc(SG_MAX_CANDS * sizeof *cands);
    if (!ctx || !cands) {
        rc = TC_ENOMEM;
        goto out;
    }
    ctx[nctx++] = TC_VOCAB_BOS;
    for (i = 0; i < e->items.n; i++) ctx[nctx++] = TC_ITEM_ID(e->items.v[i]);
    for (line_start = nctx; line_start > 0 && ctx[line_start - 1] != TC_VOCAB_EOL && ctx[line_start - 1] != TC_VOCAB_BOS;
         line_start--)
        ;
    /* The buffer's own spacing habits come first. */
    tc_spacing_clear(e->space_buf);
    if (e->items.n) { /* an empty buffer has no items array (items.v is NULL) */
        size_t from = e->items.n > SG_SPACING_BUFFER ? e->items.n - SG_SPACING_BUFFER : 0;
        tc_spacing_learn(e->space_buf, v, e->items.v + from, e->items.n - from);
    }

    self = tc_index_find(e->ix, relpath);
    if (e->model) {
        /* The cache model sees the buffer around the cursor: the lines
         * before it and those after the cursor's line (all of it is the
         * user's buffer; none of it is the text being predicted). */
        const char *next_line = memchr(buf + cursor, '\n', len - cursor);
        size_t keep_before = SG_CACHE_BEFORE, nbefore = nctx - 1, from;
        e->cache.n = 0;
        from = nbefore > keep_before ? nbefore - keep_before : 0;
        for (i = from; i < nbefore; i++)
            if ((rc = tc_items_push(&e->cache, ctx[1 + i]))) goto out;
        if (next_line) {
            size_t start = e->cache.n, j;
            e->scratch.n = 0;
            rc = tc_tokens_from_source(v, lang, next_line + 1, (size_t)(buf + len - next_line - 1), &e->scratch,
                                       NULL, &e->toks);
            if (rc) goto out;
            if ((rc = tc_items_push(&e->cache, TC_VOCAB_EOL))) goto out;
            for (j = 0; j < e->scratch.n && e->cache.n - start < SG_CACHE_AFTER; j++)
                if ((rc = tc_items_push(&e->cache, TC_ITEM_ID(e->scratch.v[j])))) goto out;
        }
        rc = tc_query_begin(e->model, relpath, e->cache.v, e->cache.n, &q);
        if (rc) goto out;
        ngram_cands(e, q, ctx, nctx, partial, np, cands, &nc);
    }
    if (e->opts.mode != TC_MODE_NGRAM) copy_cands(e, self, ctx, nctx, line_start, partial, np, cands, &nc);

    /* Score: the model's probability of the whole line; copy candidates get
     * theirs from the model too, raised by their retrieval support. */
    line_before = buf + cursor;
    while (line_before > buf && line_before[-1] != '\n') line_before--;
    eol = memchr(buf + cursor, '\n', len - cursor);
    line_after = buf + cursor;
    cursor_after_space = cursor > 0 && (buf[cursor - 1] == ' ' || buf[cursor - 1] == '\t');
    open_brackets(v, ctx, line_start, &before);
    if (tc_buf_append(&before, line_before, (size_t)(buf + cursor - line_before))) {
        rc = TC_ENOMEM;
        goto out;
    }
    /* parenthesis depth at the cursor, for spacing */
    {
        size_t j, from = nctx > 4000 ? nctx - 4000 : 0;
        for (j = from; j < nctx; j++) depth = tc_spacing_depth(v, ctx[j], depth);
    }
    for (i = 0; i < nc; i++) {
        cand *c = &cands[i];
        double conf, score;
        size_t n;
        if (c->from_copy && !c->from_ngram && q) {
            /* model probability of the copied line */
            uint32_t *seq = malloc((nctx + c->n + 1) * sizeof *seq);
            uint32_t j;
            double lp = 0;
            if (!seq) continue;
            memcpy(seq, ctx, nctx * sizeof *seq);
            for (j = 0; j <= c->n; j++) {
                uint32_t nx = j < c->n ? c->ids[j] : TC_VOCAB_EOL;
                double p = tc_query_prob(q, seq, nctx + j, nx);
                lp += log(p > 1e-12 ? p : 1e-12);
                seq[nctx + j] = nx;
            }
            free(seq);
            c->logp = lp;
        }
        if (q) {
            conf = exp(c->logp);
            if (c->from_copy) conf = conf + (1 - conf) * c->copy;
            if (!c->ended) conf *= 0.5;
            /* Calibration (measured with TACIT_FEATURES on masked cases):
             * the model's own probability is overconfident for a whole line
             * guessed from nothing typed on it, and a copy the model does
             * not also propose is right far less often than its support
             * says; where model and copy agree the estimate holds. */
            score = conf; /* ranking uses the uncalibrated estimate */
            if (!c->from_copy && !np && nctx == line_start) conf *= 0.5;
            if (c->from_copy && !c->from_ngram) conf *= 0.5;
        } else {
            score = conf = c->copy;
        }
        if (best != (size_t)-1 && score <= best_score && conf > second_conf) second_conf = conf;
        render(e, c, nctx > 2 ? ctx[nctx - 2] : TC_VOCAB_BOS, nctx > 1 ? ctx[nctx - 1] : TC_VOCAB_BOS, depth,
               cursor_after_space, np, &text);
        n = tc_post_line(before.data, before.len, line_after, (size_t)((eol ? eol : buf + len) - line_after),
                         text.data, text.len);
        if (!n) continue;
        conf_sum += conf;
        if (score > best_score) {
            second_conf = best_conf;
            best_score = score;
            best_conf = conf;
            best = i;
            best_text.len = 0;
            tc_buf_append(&best_text, text.data, n);
        }
    }
    if (best != (size_t)-1 && getenv("TACIT_FEATURES")) {
        /* Development aid: the winner's features, one JSON line per request,
         * for calibrating the confidence offline. */
        FILE *fp = fopen(getenv("TACIT_FEATURES"), "a");
        if (fp) {
            const cand *b = &cands[best];
            fprintf(fp,
                    "{\"conf\":%.6g,\"second\":%.6g,\"sum\":%.6g,\"logp\":%.6g,\"fc\":%d,\"fn\":%d,"
                    "\"copy\":%.6g,\"m\":%u,\"n\":%u,\"ended\":%d,\"np\":%zu,\"cur\":%zu,\"ncand\":%zu}\n",
                    best_conf, second_conf, conf_sum, b->logp, b->from_copy, b->from_ngram, b->copy, b->src_match,
                    b->n, b->ended, np, nctx - line_start, nc);
            fclose(fp);
        }
    }
    if (best != (size_t)-1) {
        out->confidence = best_conf > 1 ? 1 : best_conf;
        if (best_conf >= e->opts.threshold) {
            const cand *b = &cands[best];
            out->source = b->from_ngram ? "ngram" : "copy";
            if (b->src_file >= 0 && b->src_match >= SG_RAW_MIN_MATCH) {
                /* Long duplicated context: take the source line as written,
                 * trailing comment included. */
                char *raw = copied_text(e, b->src_file, b->src_item);
                if (raw && strlen(raw) >= np) {
                    size_t n;
                    text.len = 0;
                    if (best_text.len && best_text.data[0] == ' ' && !np) tc_buf_puts(&text, " ");
                    tc_buf_puts(&text, raw + np);
                    n = tc_post_line(before.data, before.len, line_after,
                                     (size_t)((eol ? eol : buf + len) - line_after), text.data, text.len);
                    if (n) {
                        best_text.len = 0;
                        tc_buf_append(&best_text, text.data, n);
                    }
                }
                free(raw);
            }
            out->text = best_text.data;
            best_text.data = NULL;
        }
    }
out:
    if (!out->text) out->text = strdup("");
    if (!out->text && !rc) rc = TC_ENOMEM;
    tc_query_end(q);
    free(ctx);
    free(cands);
    tc_buf_free(&text);
    tc_buf_free(&best_text);
    tc_buf_free(&before);
    out->latency_ms = now_ms() - t0;
    return rc;
}
