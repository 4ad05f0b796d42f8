/* post.h - post-processing of a single-line suggestion.
 *
 * tc_post_line edits s[0..ns) in place and returns its new length:
 *   - cut at the first line break (single-line mode);
 *   - never insert what already follows the cursor: if the suggestion ends
 *     with the rest of the line, or with a run of closing brackets/quotes
 *     that the rest of the line starts with (auto-closed by the editor),
 *     that tail is dropped;
 *   - brackets balanced within the line: a closer that matches no opener
 *     (in the line before the cursor or in the suggestion) ends the
 *     suggestion; brackets the suggestion opens and leaves open are trimmed
 *     back to the last balanced point unless it ends by opening a block;
 *   - no trailing white space.
 * Quotes are tracked so brackets inside string literals are ignored.
 */
#ifndef TC_POST_H
#define TC_POST_H

#include <stddef.h>

size_t tc_post_line(const char *before, size_t nb, const char *after, size_t na, char *s, size_t ns);

#endif
