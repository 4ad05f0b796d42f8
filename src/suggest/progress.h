/* progress.h - the next line of a progression the buffer shows (issue 10:
 * right lines that no source proposes).
 *
 * A run of like lines that count through something, each line the one
 * above with its changing tokens stepped once more:
 *
 *     input_report_abs(data->input_dev, ABS_X, datax);
 *     input_report_abs(data->input_dev, ABS_Y, datay);
 *     input_report_abs(data->input_dev, ABS_Z, dataz);     <- the cursor's
 *
 * The last two lines above the cursor (the same number of lines apart as
 * the nearer one is from the cursor, so blank lines between the members
 * count alike) that have the same tokens but one to TC_PROGRESS_MAX_DIFF
 * (at most half of them), each differing pair a step, give the cursor's
 * line: the nearer line with each stepped token stepped once more. No
 * other source proposes it: the line stands nowhere yet, and renamed
 * copies and sibling variants change one name, not a count. A step:
 * two numbers (decimal or hexadecimal, the same suffix) 1, 2, 4 or 8
 * apart, two names that differ only in their last run of digits by 1
 * (`KEY2_THRESHOLD`, `KEY3_THRESHOLD`), or only in their last character,
 * two letters of the same case one apart (`ABS_X`, `ABS_Y`); the next
 * value the same way (digits as wide as before, hexadecimal digits in the
 * same case), and it must already be a token of the vocabulary (a name
 * the workspace or the buffer knows), which keeps invented names out.
 * Pure functions: no state, any thread.
 */
#ifndef TC_SUGGEST_PROGRESS_H
#define TC_SUGGEST_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "workspace/vocab.h"

#define TC_PROGRESS_MAX_DIFF 3 /* stepped tokens a line at most */
#define TC_PROGRESS_MIN_TOKENS 3 /* tokens a line at least (a lone `x = 1;` steps too easily) */
#define TC_PROGRESS_TEXT 64    /* bytes of a stepped token at most */

/* The next value after a and b (a token's text each, b the later) when
 * they are a step (above), written to out (cap bytes, NUL-terminated); its
 * length, or 0 when they are none. */
size_t tc_progress_step(const char *a, size_t na, const char *b, size_t nb, char *out, size_t cap);

/* The cursor's line as the next of a progression: ids[0..n) are the
 * buffer's tokens before the cursor's line (lines ended by TC_VOCAB_EOL, a
 * TC_VOCAB_BOS allowed first; INDENT and DEDENT items are skipped). Writes
 * the line's tokens to out[0..cap) and, for each, the index in ids of the
 * nearer line's token it replaces to at[] (for its spacing); returns how
 * many, or 0 when the lines above are no progression. */
size_t tc_progress_next(const tc_vocab *v, const uint32_t *ids, size_t n, uint32_t *out, size_t *at, size_t cap);

#endif
