/* lines.h - where a line's predecessors recur: an index from the text of
 * the one or two non-blank lines before a line to that line's places in
 * the workspace, so that the lines that followed the cursor's previous
 * lines elsewhere become candidates for the cursor's line.
 *
 * A line is keyed by the hash of its token ids (indentation tokens and the
 * line break left out). Built once from the index's files (at most
 * TC_LINEIDX_MAX_LINES lines; files past it are not indexed) and its
 * editor buffers (tc_index_set_buffer: an open file's unsaved text, in
 * place of its disk text); it follows later changes of the index, buffers
 * included, only when refreshed (tc_lineidx_refresh). Read-only between
 * build and refresh, so queries may run on any thread. The caller excludes
 * the edited file; the places in buffers come before those on disk.
 */
#ifndef TC_LINES_H
#define TC_LINES_H

#include "workspace/index.h"

#include <stddef.h>
#include <stdint.h>

#define TC_LINEIDX_MAX_LINES (8u << 20)

typedef struct tc_lineidx tc_lineidx;

typedef struct tc_lineref {
    uint32_t fileno;
    uint32_t item; /* the first item of the following line (indentation tokens included) */
} tc_lineref;

int tc_lineidx_build(tc_index *ix, tc_lineidx **out);
/* Bring li up to date with ix after updates: the lines of files whose
 * content changed (or that came or went) are dropped and taken again; the
 * others stay. The buffers' lines are taken again when any buffer changed
 * (their cost grows with the open buffers, not the workspace). The result
 * is what tc_lineidx_build gives now (short of the line cap). TC_ENOMEM
 * leaves li usable, possibly partly stale. */
int tc_lineidx_refresh(tc_lineidx *li, tc_index *ix);
void tc_lineidx_free(tc_lineidx *li);
size_t tc_lineidx_nlines(const tc_lineidx *li);

/* Key of a line from its ids[0..n) (indentation tokens and EOL skipped);
 * 0 for a line without other tokens. */
uint64_t tc_lineidx_key(const tc_vocab *v, const uint32_t *ids, size_t n);
/* Whether the key skips id (EOL, BOS, indentation): the one rule, so
 * that others who tell blank lines apart (suggest.c's span_sig) agree. */
int tc_lineidx_skips(const tc_vocab *v, uint32_t id);
/* Places of lines whose previous non-blank line has key k1 (order 1) or
 * whose two previous ones have keys k2, k1 (order 2, k2 the farther), not
 * in file exclude (-1: none). Writes at most max and returns how many
 * there are in all (possibly more than max). */
size_t tc_lineidx_find(const tc_lineidx *li, int order, uint64_t k2, uint64_t k1, long exclude, tc_lineref *out,
                       size_t max);

/* The key of the pair of lines A, B (k2 = key(A), k1 = key(B)) that
 * order 2 looks up; callers that keep pairs of their own key them the same. */
uint64_t tc_lineidx_pair_key(uint64_t k2, uint64_t k1);

/* How many places tc_lineidx_find would count in all, in O(log n) (no
 * walk over the places: a frequent line such as `#endif` has thousands).
 * Order 1 with k1 = key(A): the copies of A, outside exclude, that some
 * non-blank line follows; order 2 with k2 = key(A), k1 = key(B): the
 * places where B follows A and a line follows B. */
size_t tc_lineidx_count(const tc_lineidx *li, int order, uint64_t k2, uint64_t k1, long exclude);

/* Places of lines that start with ids[0..n) (indentation skipped; the key
 * takes at most the first TC_LINEIDX_PREFIX tokens, so a longer n must be
 * checked by the caller), not in file exclude. The place is the line's
 * first item after its indentation. Returns how many there are in all. */
#define TC_LINEIDX_PREFIX 3
size_t tc_lineidx_prefix(const tc_lineidx *li, const uint32_t *ids, size_t n, long exclude, tc_lineref *out,
                         size_t max);

#endif
