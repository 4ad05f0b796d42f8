/* trace.h - what the embedded engine did for one cursor, step by step
 * (`tacit explain` without a model server).
 *
 * A trace is filled while a suggestion is made when one is attached
 * (tc_session_set_trace, which attaches it to the session's engine):
 *   - the cursor: language, the partial word, the tokens of context;
 *   - the windows retrieval found, with their files, lines and scores;
 *   - every candidate after ranking, best first: its text, sources,
 *     features, score and confidence (and with a learned ranker, what each
 *     feature added to the score);
 *   - each post-processing step of every candidate (post.h) and what it
 *     changed;
 *   - the gate: the winner, its confidence, the threshold, and so whether
 *     it was shown or why not;
 *   - the time of each stage.
 * Every hook below does nothing when t is NULL, so an engine without a
 * trace pays one test per hook. A trace records one suggestion: the first
 * hook of the next one (tc_trace_start) clears it. Not thread-safe; the
 * trace belongs to its caller, who frees it after detaching it.
 */
#ifndef TC_TRACE_H
#define TC_TRACE_H

#include "rank/rank.h"
#include "retrieve/retrieve.h"
#include "workspace/index.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct tc_trace tc_trace;

tc_trace *tc_trace_new(void); /* NULL when out of memory */
void tc_trace_free(tc_trace *t); /* NULL is fine */

/* ---- hooks (the engine, post-processing and the session call these) ------------ */

/* A new suggestion: clears what was recorded, starts the clock. */
void tc_trace_start(tc_trace *t);
/* The stage that ran since the previous mark (or the start) is over:
 * name (static) says what it did. */
void tc_trace_stage(tc_trace *t, const char *name);
/* The cursor as the engine sees it: lang, the partial word the suggestion
 * completes (partial[0..np), may be empty), tokens of context before the
 * cursor and after its line. */
void tc_trace_cursor(tc_trace *t, const char *lang, const char *partial, size_t np, size_t ntok_before,
                     size_t ntok_after);
/* The windows retrieval returned (of the files of ix). */
void tc_trace_hits(tc_trace *t, tc_index *ix, const tc_hit *hits, size_t n);

enum {
    TC_TRACE_NGRAM = 1,  /* the model's beam search */
    TC_TRACE_COPY = 2,   /* continued from a retrieved window */
    TC_TRACE_BUFFER = 4, /* a line of the open buffer */
    TC_TRACE_SUCC = 8,   /* followed the cursor's previous line elsewhere */
    TC_TRACE_PREFIX = 16, /* the rest of lines that start as the cursor's does */
    TC_TRACE_IMPORT = 32, /* an import line elsewhere naming what the buffer uses unimported */
    TC_TRACE_FREQ = 64    /* a frequent line after the cursor's context (freq.h) */
};

/* One candidate as ranked. */
typedef struct tc_trace_cand {
    const char *text;  /* rendered and post-processed; "" when post-processing emptied it */
    size_t rlen;       /* its length as rendered, before post-processing */
    unsigned sources;  /* TC_TRACE_* */
    int closed;        /* the variant with the line's open brackets closed */
    long src_file;     /* copy: the index's file number it came from; -1 none */
    uint32_t src_item; /* ... and the item there */
    double logp;       /* the model's log-probability of the line (natural log) */
    const float *f;    /* TC_RANK_NF features (rank.h) */
    double score;      /* what candidates are ordered by */
    double conf;       /* confidence, 0..1 */
    /* learned ranker only (0 otherwise): */
    double trees;   /* the repository's trees' part of score (the rest: the linear chooser's) */
    double pscore;  /* the pointwise ranker's score: the confidence's first input (calib.h) */
    double share;   /* log of score's softmax share among the request's candidates: its second */
    int calibrated; /* 1: conf is calib.h's map of pscore, share and comments; 0: Platt scaling of pscore */
    double comments; /* the share (0, 1/2, 1) of the two lines around the cursor's that end with a
                      * trailing comment: its third input (the same for all of a request's) */
} tc_trace_cand;

/* The candidates in their final order (best first); r is the ranker that
 * scored them (its weights give each feature's share), NULL for the
 * heuristic. ix resolves src_file. */
void tc_trace_cands(tc_trace *t, tc_index *ix, const tc_trace_cand *c, size_t n, const tc_rank *r);

/* Post-processing of one text: begin with the text as rendered, a step
 * (name static) with the text's length before and after (s is the text
 * after the step, s[0..after)), end with the final length. */
void tc_trace_post_begin(tc_trace *t, const char *s, size_t n);
void tc_trace_post_step(tc_trace *t, const char *name, const char *s, size_t before, size_t after);
void tc_trace_post_end(tc_trace *t, const char *s, size_t n);

/* The block step (block.h): the winner was extended by nlines lines (0:
 * not, why says why; static) copied from src (NULL: the open buffer) at
 * its line `line`; context previous lines matched at agree of the places
 * where the cursor's line stands. */
void tc_trace_block(tc_trace *t, int nlines, int context, int agree, int places, const char *src, size_t line,
                    const char *why);

/* The gate: the engine's answer text (before the gate), its confidence,
 * and the threshold it is held to. */
void tc_trace_gate(tc_trace *t, const char *text, double conf, double threshold);

/* ---- reading it --------------------------------------------------------------------- */

/* Print as text: the stages after the cursor (which the caller shows),
 * top candidates in full (0: 5) and the rest one line each. */
void tc_trace_print(const tc_trace *t, FILE *fp, size_t top);
/* The whole trace as a JSON object (every candidate with every feature;
 * the caller owns it), or NULL when out of memory. Keys: cursor,
 * retrieved, candidates, post, result, stages, total_ms (docs/explain.md). */
cJSON *tc_trace_json(const tc_trace *t);

/* The name of feature f (0..TC_RANK_NF-1), as suggest.c's features()
 * computes it. Static string. */
const char *tc_trace_feature_name(int f);

#endif
