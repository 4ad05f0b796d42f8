/* eval.h - completion cases and their metrics (shared/eval/FORMAT.md).
 *
 * Cases come from a JSONL file (tc_cases_read) or are sampled from a
 * workspace itself (tc_cases_mask, workspace/cases.h). tc_eval_run asks an engine for each
 * case, treating the case's path as an open buffer of prefix + suffix (the
 * disk copy is never used: the engine's model leaves it out, retrieval
 * skips it), and scores the answers: exact match, edit similarity,
 * coverage, precision and latency percentiles, overall and per kind.
 */
#ifndef TC_EVAL_H
#define TC_EVAL_H

#include "suggest/suggest.h"
#include "workspace/cases.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Read JSONL cases; a case's "root" is resolved against the file's folder.
 * Malformed lines are reported (file:line) and skipped; TC_EIO if the file
 * cannot be read. */
int tc_cases_read(const char *file, tc_caseset *out);

/* Edit similarity of FORMAT.md: 1 - lev(a, b) / max(len) in characters
 * (UTF-8 code points), after removing trailing white space on every line. */
double tc_edit_similarity(const char *a, const char *b);
/* Exact match after the same normalisation. */
int tc_exact_match(const char *a, const char *b);

/* Per-case answers. */
typedef struct tc_answer {
    char *suggestion; /* owned */
    double confidence, latency_ms;
} tc_answer;

/* Aggregated figures for one group of cases (all, or one kind). */
typedef struct tc_metrics {
    char kind[32];
    size_t n, shown, exact;
    double em, es, coverage, precision;
    double p50, p95, p99, max; /* latency, ms */
} tc_metrics;

/* Run every case through engines opened with base: shared (may be NULL)
 * answers the cases without a root (else an engine on base.index.root);
 * the others run grouped by root, one engine open at a time (any number of
 * roots in the memory of one workspace). answers gets n entries in the
 * cases' order (caller frees with tc_answers_free). */
int tc_eval_run(const tc_engine_opts *base, tc_engine *shared, const tc_caseset *cs, tc_answer **answers);
void tc_answers_free(tc_answer *a, size_t n);
/* Compute metrics: m[0] is all cases, then one per kind in order of first
 * appearance; returns the count written (<= max). */
size_t tc_eval_metrics(const tc_caseset *cs, const tc_answer *a, tc_metrics *m, size_t max);
/* Intrinsic figures of a model: cross-entropy (bits per token) and MRR@10 of
 * next-token prediction over held-out files (a seeded 5% of the indexed
 * files, each left out of the counts by the model's leave-one-out while it
 * is predicted), token by token, the cache seeing the file's tokens before
 * the current chunk of 128 tokens. */
typedef struct tc_intrinsic {
    size_t files;
    uint64_t tokens;
    double bits_per_token;
    double mrr10;
} tc_intrinsic;
int tc_eval_intrinsic(tc_engine *e, uint64_t max_tokens, uint64_t seed, tc_intrinsic *out);

/* Write cases as FORMAT.md JSONL (root omitted). */
int tc_cases_write(FILE *fp, const tc_caseset *cs);
/* Write FORMAT.md's per-case output (one JSON object per line). */
int tc_eval_write_preds(FILE *fp, const tc_caseset *cs, const tc_answer *a);

#endif
