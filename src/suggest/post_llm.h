/* post_llm.h - post-processing of a language model's completion.
 *
 * tc_post_completion edits s[0..ns) (what a server generated for the
 * cursor) in place and returns its new length:
 *   - cut at a leaked special token (<|endoftext|>, <|file_sep|>, <EOT>, ...);
 *   - single-line mode (the cursor is mid-line): cut at the first line
 *     break, then tc_post_line (no overlap with the rest of the line,
 *     auto-closed brackets included, brackets balanced);
 *   - multi-line mode:
 *       scope: stop before the first later line indented less than the
 *       cursor's line; a block opened on the first line may be closed by
 *       one line at the cursor's indentation that starts with a closer;
 *       repetition: stop at a line equal to the one before it, or where a
 *       block of up to 4 lines starts repeating;
 *       overlap: stop where the completion reproduces the lines after the
 *       cursor (the suffix), and drop closers the editor already inserted
 *       after the cursor (e.g. the '}' of an auto-closed '{');
 *       at most max_lines lines;
 *   - no trailing white space.
 * before/after: the text before and after the cursor (whole buffer or a
 * window; at least the cursor's line and the next few lines).
 */
#ifndef TC_POST_LLM_H
#define TC_POST_LLM_H

#include "util/buf.h"

#include <stddef.h>

typedef struct tc_post_opts {
    int single_line; /* 1: one line only */
    int max_lines;   /* multi-line cap; 0: 16 */
} tc_post_opts;

size_t tc_post_completion(const char *before, size_t nb, const char *after, size_t na, const tc_post_opts *o,
                          char *s, size_t ns);

/* A server's raw answer (raw[0..nraw)) post-processed for the cursor into
 * out (replaced, NUL-terminated): what a caller of the backends does with
 * tc_req_text, given the request's tc_req_cursor. TC_OK / TC_ENOMEM. */
int tc_post_llm_text(const char *before, size_t nb, const char *after, size_t na, int single_line, const char *raw,
                     size_t nraw, tc_buf *out);

#endif
