/* suggest.h - from a cursor in a buffer to one suggestion (or none).
 *
 * The engine owns the workspace index, the embedded model and the
 * retriever for one root. For a cursor it:
 *   1. lexes the buffer before the cursor; a word the cursor touches is a
 *      partial token that the first suggested token must complete;
 *   2. asks the model for the best completions of the line (beam search)
 *      and the retriever for copy candidates (the continuation of the most
 *      similar windows elsewhere in the workspace);
 *   3. ranks the candidates, renders tokens back to text with the spacing
 *      the repository uses, post-processes (no overlap with the text after
 *      the cursor, brackets balanced within the line, no trailing space),
 *   4. returns the winner if its confidence reaches the threshold.
 * The file being edited is always the buffer given, never its disk copy.
 * Not thread-safe; one engine per thread.
 */
#ifndef TC_SUGGEST_H
#define TC_SUGGEST_H

#include "model/model.h"
#include "retrieve/retrieve.h"
#include "workspace/index.h"

#include <stddef.h>
#include <stdio.h>

typedef enum tc_mode {
    TC_MODE_FULL = 0, /* nested + cache n-gram, merged with copy candidates */
    TC_MODE_NGRAM,    /* baseline: plain project n-gram, no nesting, no cache */
    TC_MODE_COPY,     /* baseline: retrieval copy candidates only */
    TC_MODE_COUNT
} tc_mode;

const char *tc_mode_name(tc_mode m);
int tc_mode_parse(const char *s, tc_mode *m); /* TC_OK or TC_EINVAL */

/* The confidence below which the engine stays quiet unless told otherwise.
 * In a workspace with a learned ranker (see rank/rank.h) the confidence is
 * the calibrated probability that the suggestion is exactly right; 0.3
 * gave precision 55-74 % (median 65 %) at coverage 16-47 % (median 26 %)
 * on five repositories outside the quality suite, where 0.25 gave 50-69 %
 * (BENCHMARKS.md). In a tiny workspace (under 2,000 tokens) the fixed
 * heuristic ranks, its confidence mapped so that this threshold shows what
 * its old one (0.21) did. */
#define TC_SUGGEST_DEFAULT_THRESHOLD 0.3

typedef struct tc_engine_opts {
    tc_index_opts index;
    tc_model_opts model;
    tc_mode mode;
    double threshold; /* minimum confidence to show anything; <0: TC_SUGGEST_DEFAULT_THRESHOLD */
    int beam;         /* beam width; 0: 6 */
    int update;       /* 1: bring the index up to date (and save) at open */
    int no_rank;      /* 1: rank with the fixed heuristic, not the learned ranker */
} tc_engine_opts;

typedef struct tc_engine tc_engine;

typedef struct tc_suggestion {
    char *text;         /* owned; "" when nothing is worth showing */
    double confidence;  /* 0..1, of the winner (even when below threshold) */
    double latency_ms;
    const char *source; /* "ngram", "copy", "buffer", "block" (several lines,
                           suggest/block.h) or "none" (static) */
    size_t replace_suffix; /* bytes of the text right of the cursor, on its
                              line, that accepting text replaces (closers an
                              editor inserted); 0: insert at the cursor */
} tc_suggestion;

int tc_engine_open(const tc_engine_opts *opts, tc_engine **out);
void tc_engine_free(tc_engine *e);
tc_index *tc_engine_index(tc_engine *e);
tc_model *tc_engine_model(tc_engine *e);
/* The engine's retriever (shared with the context stage for server prompts). */
tc_retriever *tc_engine_retriever(tc_engine *e);
double tc_engine_threshold(const tc_engine *e);
/* Record what each suggestion does in t (suggest/trace.h; NULL: stop).
 * The engine does not own t. */
struct tc_trace;
void tc_engine_set_trace(tc_engine *e, struct tc_trace *t);

/* After the engine's index was updated by its owner (tc_index_update):
 * rebuild what does not follow the index's changes by itself (the line
 * index behind the successor and prefix candidates, and the file items
 * cached for them); the model and retrieval follow through their
 * listeners. On failure the engine keeps its old line index. */
int tc_engine_refresh(tc_engine *e);
/* Change the mode of an open engine (same index, model rebuilt if the
 * model options differ). */
int tc_engine_set_mode(tc_engine *e, tc_mode mode);

/* Suggest at byte offset cursor of buf[0..len) for the file relpath
 * (workspace-relative). out->text is always set (possibly ""); free with
 * tc_suggestion_free. TC_OK / TC_ENOMEM / TC_EINVAL. */
int tc_engine_suggest(tc_engine *e, const char *relpath, const char *buf, size_t len, size_t cursor,
                      tc_suggestion *out);
void tc_suggestion_free(tc_suggestion *s);
/* The best k alternatives, best first, distinct texts: out[0] is what
 * tc_engine_suggest gives (its text "" below the threshold); out[1..] are
 * the runners-up with their own confidences, whatever the threshold, for an
 * editor to cycle through. *nout (may be NULL) gets how many were written;
 * every out[0..k) is set (unused ones to ""), free each with
 * tc_suggestion_free. */
int tc_engine_suggest_n(tc_engine *e, const char *relpath, const char *buf, size_t len, size_t cursor,
                        tc_suggestion *out, size_t k, size_t *nout);
/* Print s as `tacit complete` does (DESIGN.md's contract): the text and a
 * line break, nothing when it is empty; with json, one object with text,
 * confidence, latency_ms and source. */
void tc_suggestion_print(FILE *fp, const tc_suggestion *s, int json);

#endif
