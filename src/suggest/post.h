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
/* The same, each step that changes s recorded in t (trace.h; NULL: none). */
struct tc_trace;
size_t tc_post_line_trace(const char *before, size_t nb, const char *after, size_t na, char *s, size_t ns,
                          struct tc_trace *t);

/* How many bytes of after (the rest of the cursor's line) accepting s
 * should replace: closers an editor inserted (a run of ) ] } quotes ; ,
 * followed only by white space) that s makes superfluous, because once s
 * is inserted after before, a closer of the run matches no open bracket,
 * or s itself ends the statement with the run's ; or ,. 0 when the run
 * is still needed (or after holds anything else). */
size_t tc_post_replace_suffix(const char *before, size_t nb, const char *s, size_t ns, const char *after, size_t na);

/* The closers that balance the brackets opened in line[0..n) and left
 * open (innermost first), written to out (at most cap - 1, NUL-ended);
 * returns how many. Brackets inside string literals are ignored. */
size_t tc_post_closers(const char *line, size_t n, char *out, size_t cap);

#endif
