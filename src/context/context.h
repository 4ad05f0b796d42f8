/* context.h - what a model is shown for one cursor, within a token budget.
 *
 * For a cursor in a buffer, tc_ctx_build fills a tc_fim_input with
 *   prefix   the lines before the cursor (and the cursor's line up to it),
 *   suffix   the rest of the cursor's line and the lines after it,
 *   extra    chunks from elsewhere: recently seen code (a ring, oldest
 *            first) then windows retrieved from other files (most similar
 *            first), each whole or not at all,
 * all counted with the model's tokenizer (tc_tokcount) and filled in the
 * priority order  nearest prefix > suffix > retrieved > recent  until the
 * budget is spent.
 *
 * Cache-friendly ordering (what lets a server re-use its prompt cache from
 * one keystroke to the next; see docs/backends.md):
 *   - the extra chunks are sticky: retrieved again only when the cursor
 *     moves to another file or more than `requery_lines` lines away from
 *     where they were chosen, and chunks kept keep their place (new ones go
 *     last), so the start of the prompt stays byte-identical while typing;
 *   - the prefix starts at a line number snapped to a multiple of
 *     `snap_lines`, so it does not slide by one line at every new line;
 *   - only a short near suffix (`near_suffix_tokens`) sits in the FIM
 *     suffix slot, which a PSM prompt re-evaluates at every keystroke; the
 *     rest of the suffix budget goes to a sticky chunk of the current file
 *     (TC_CHUNK_AFTER: the lines after the near suffix when the chunks
 *     were chosen), placed last among the extra chunks.
 * With `naive` set, chunks are retrieved at every call and ordered by
 * score, the prefix starts exactly where the budget runs out and the whole
 * suffix budget is in the suffix slot: the usual way, kept for the
 * benchmark's comparison.
 *
 * Privacy: a file matching a secret pattern never becomes a chunk; if the
 * file being edited is one, nothing is built (info.secret_file) and the
 * caller must not send anything. Secrets are found in the whole window
 * around the cursor (and the text just before it) before it is cut into
 * prefix and suffix, so no secret is ever split in two; when the cursor is
 * inside one, or in a password being typed, nothing is built either
 * (info.secret_cursor, with info.secret_file set too). All text is
 * redacted before it is counted, so what is counted is what is sent.
 *
 * Memory: out's pointers point into the tc_ctx and stay valid until the next
 * tc_ctx_build or tc_ctx_free. Not thread-safe; one per editing session.
 */
#ifndef TC_CONTEXT_H
#define TC_CONTEXT_H

#include "context/privacy.h"
#include "prompt/prompt.h"
#include "retrieve/retrieve.h"
#include "workspace/index.h"

#include <stddef.h>
#include <stdint.h>

typedef struct tc_ctx_opts {
    uint32_t max_tokens;        /* prefix + suffix + extra (+ chunk headers); 0: 2048 */
    uint32_t max_prefix_tokens; /* 0: 3/5 of max_tokens */
    uint32_t max_suffix_tokens; /* 0: 1/5 of max_tokens */
    int n_retrieved;            /* retrieved chunks at most; 0: 3; <0: none */
    int n_recent;               /* recent chunks kept; 0: 4; <0: none */
    int chunk_lines;            /* lines of a recent chunk; 0: 24 */
    int requery_lines;          /* re-retrieve after moving this far; 0: 12 */
    int snap_lines;             /* prefix start snapped to multiples; 0: 16 (at
                                   most a quarter of the prefix's lines) */
    int max_lines;              /* lines looked at before/after the cursor; 0: 400
                                   (and at most 12 bytes per budgeted token) */
    uint32_t near_suffix_tokens; /* suffix kept in the FIM suffix slot; 0: 32 */
    int naive;                  /* 1: no stable ordering (benchmark baseline) */
} tc_ctx_opts;

/* Where retrieved chunks come from: the index (file names, tokens) and its
 * retriever; files are read from root. Any may be NULL: no retrieval. */
typedef struct tc_ctx_sources {
    tc_index *ix;
    tc_retriever *ret;
} tc_ctx_sources;

typedef struct tc_ctx_info {
    int secret_file;        /* nothing built, nothing may be sent: the file
                               being edited is private, or secret_cursor */
    int secret_cursor;      /* the cursor is inside a secret (a key block, a
                               token) or in a value being typed for a
                               secret-sounding name (tc_secrets_typing) */
    int extra_changed;      /* the chunk list differs from the last build's */
    int exact;              /* every count came from the tokenizer */
    size_t redactions;      /* secret-looking strings replaced */
    size_t secret_skipped;  /* chunks dropped because their file is private */
    size_t dropped_chunks;  /* chunks that did not fit the budget */
    uint32_t prefix_line;   /* first line of the prefix (1-based) */
    uint32_t ntok_total;    /* prefix + suffix + extra, headers included */
} tc_ctx_info;

typedef struct tc_ctx tc_ctx;

/* priv: the secret filter (borrowed, must outlive the tc_ctx; NULL: the
 * defaults). TC_OK / TC_ENOMEM. */
int tc_ctx_new(const tc_ctx_opts *opts, const tc_privacy *priv, tc_ctx **out);
void tc_ctx_free(tc_ctx *c);

/* Note that the user has seen or edited relpath around byte cursor (an
 * editor opened it, saved it, the cursor left it): the lines around it join
 * the ring of recent chunks (a similar chunk of the same file is replaced;
 * the oldest goes when the ring is full). Private files are ignored. */
int tc_ctx_note(tc_ctx *c, const char *relpath, const char *buf, size_t len, size_t cursor);

/* Build the context for byte cursor in buf[0..len) of relpath (workspace-
 * relative), counting with tc. repo: the workspace's name. TC_OK /
 * TC_ENOMEM / TC_EINVAL (cursor past len). */
int tc_ctx_build(tc_ctx *c, const tc_ctx_sources *src, tc_tokcount *tc, const char *repo, const char *relpath,
                 const char *buf, size_t len, size_t cursor, tc_fim_input *out, tc_ctx_info *info);

/* Forget the sticky chunks (the next build retrieves again). */
void tc_ctx_reset(tc_ctx *c);

/* 1 if the cursor is mid-line: something other than white space and
 * closing brackets, quotes, ';' or ',' follows it on its line. */
int tc_ctx_mid_line(const char *buf, size_t len, size_t cursor);

#endif
