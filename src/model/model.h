/* model.h - the embedded model: a nested, cached n-gram model over the
 * workspace's tokens (Hellendoorn & Devanbu, FSE 2017; SLP-Core).
 *
 * Components, mixed per prediction:
 *   project   counts over every indexed file (leave-one-out: the file being
 *             edited never counts through its disk copy)
 *   nested    directory-level models from the root down to the current
 *             file's folder (files under that directory only)
 *   cache     counts over the current buffer (its last cache_tokens tokens)
 * Each component gives a smoothed distribution (Jelinek-Mercer by default;
 * Witten-Bell or absolute discounting as options); components are mixed
 * with weights from their confidence (how many context orders matched),
 * innermost (cache, then deepest directory) preferred on ties, as SLP-Core's
 * MixModel/NestedModel do.
 *
 * Tokens are vocab ids (workspace/vocab.h) without the space bit.
 * Ownership: a model keeps a pointer to the index it was built from; the
 * index must outlive it. Not thread-safe.
 */
#ifndef TC_MODEL_H
#define TC_MODEL_H

#include "workspace/index.h"

#include <stddef.h>
#include <stdint.h>

typedef enum tc_smoothing { TC_SMOOTH_JM = 0, TC_SMOOTH_WB, TC_SMOOTH_AD } tc_smoothing;

typedef struct tc_model_opts {
    int order;              /* n-gram order; 0: 6 */
    tc_smoothing smoothing; /* default JM */
    int no_nested;          /* 1: project model only (baseline) */
    int no_cache;           /* 1: no buffer cache model (baseline) */
    uint32_t cache_tokens;  /* 0: 5000 */
    uint64_t max_tokens;    /* cap on the project corpus; 0: 80M (about 640 MiB
                               of counts, 960 MiB while sorting). Over it,
                               the largest files are dropped (reported in
                               stats and by one warning) */
} tc_model_opts;

typedef struct tc_model tc_model;

/* A prediction: a next token and its mixed probability. */
typedef struct tc_pred {
    uint32_t id;
    float p;
} tc_pred;

/* Build (or load from the index's cache folder, if a saved model matches the
 * index's current content) the model for ix. TC_OK / TC_ENOMEM / TC_EIO. */
int tc_model_open(tc_index *ix, const tc_model_opts *opts, tc_model **out);
void tc_model_free(tc_model *m);
/* Persist counts next to the index (atomic: temp, fsync, rename). */
int tc_model_save(tc_model *m);
/* Apply a pending recount now (no-op if none), rather than in the next
 * query's time. TC_OK or TC_ENOMEM. */
int tc_model_sync(tc_model *m);
/* Ready the counts for requests in many files (an editor's session, an
 * evaluation): the main array's inverse, 4 bytes a counted token, from
 * which each edited file's left-out copy is taken in time linear in the
 * file (not in the workspace). Made otherwise at a query in a second
 * file, in that query's time; dropped with the main array (a rebuild);
 * never for a corpus of more than 32M tokens (its memory). The same
 * counts either way. TC_OK or TC_ENOMEM (nothing made). */
int tc_model_prepare_files(tc_model *m);
/* The version of the model file format this build reads and writes. */
unsigned tc_model_format_version(void);
/* 1 if the counts were loaded from the saved file, 0 if they were built
 * (no file, or one for other content): then a save spares the next start. */
int tc_model_loaded(const tc_model *m);

/* Keep counts current: tc_model_open installs itself as the index's
 * listener, so tc_index_update / tc_index_set_buffer changes are applied
 * to the counts (add/remove; no rebuild). */

typedef struct tc_model_stats {
    uint64_t tokens;         /* tokens counted in the project model */
    uint64_t tokens_dropped; /* over max_tokens, not counted */
    uint32_t files_dropped;
    uint64_t bytes;          /* memory held by counts */
} tc_model_stats;
void tc_model_stats_get(const tc_model *m, tc_model_stats *st);

/* A query: the context of one cursor.
 * relpath: the file being edited (workspace-relative); its disk copy in the
 *   index is left out (leave-one-out), whatever its content. The left-out
 *   copies of the last files queried are kept (64; their entries, 4 bytes
 *   each, at most a quarter of the counted tokens or 2^20, whichever is
 *   more; least recently used out)
 *   until the file changes or the counts are rebuilt: going back to a file
 *   does not make its copy again.
 * buf: the buffer's token ids before the cursor (from its start, BOS not
 *   included); used as the cache model's content and as the context. */
typedef struct tc_query tc_query;
int tc_query_begin(tc_model *m, const char *relpath, const uint32_t *buf, size_t n,
                   tc_query **out);
void tc_query_end(tc_query *q);

/* Probability of next after ctx[0..nctx) (ctx is any token sequence; the
 * last order-1 tokens are used; start it with TC_VOCAB_BOS when it reaches
 * the start of the file, and leave out what the lexer adds at the end of
 * its input, e.g. Python's closing DEDENTs). Sums to 1 over the vocabulary. */
double tc_query_prob(tc_query *q, const uint32_t *ctx, size_t nctx, uint32_t next);
/* The probability the smoothing gives a token never counted after ctx (the
 * floor every word of the vocabulary gets). Not TC_VOCAB_UNK's: masked
 * secret values are counted as UNK. */
double tc_query_prob_unseen(tc_query *q, const uint32_t *ctx, size_t nctx);
/* The k most probable next tokens after ctx, best first (BOS and UNK are
 * never proposed). Returns how many were written (<= k). */
size_t tc_query_predict(tc_query *q, const uint32_t *ctx, size_t nctx, tc_pred *out, size_t k);

/* Beam search from ctx to the end of the line (TC_VOCAB_EOL) or max_len
 * tokens. Writes up to k distinct completions, best first, each as ids (not
 * including the EOL) with its total log-probability. */
typedef struct tc_completion {
    uint32_t ids[64];
    uint32_t n;
    double logp;  /* natural log of the sequence probability, EOL included */
    int ended;    /* 1 if the beam reached EOL */
} tc_completion;
size_t tc_query_complete_line(tc_query *q, const uint32_t *ctx, size_t nctx, int beam,
                              int max_len, tc_completion *out, size_t k);

#endif
