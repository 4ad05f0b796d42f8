/* retrieve.h - similar code elsewhere in the workspace.
 *
 * The workspace is cut into windows of TC_WIN_LINES lines every
 * TC_WIN_STRIDE lines per file. A window is represented by the set of
 * identifiers in it; a query (the identifiers in the lines before the
 * cursor) is scored against candidate windows (found through an inverted
 * index) by Jaccard similarity of the two sets.
 *
 * The retriever follows the index: tc_retriever_open registers as an index
 * listener, and a changed file's windows are replaced (old ones dropped,
 * new ones kept in a small overlay until the next full build).
 * Windows of the file being edited are excluded by the caller's
 * exclude_fileno: its disk copy is never retrieved.
 */
#ifndef TC_RETRIEVE_H
#define TC_RETRIEVE_H

#include "workspace/index.h"

#include <stddef.h>
#include <stdint.h>

/* Memory bound: windows stop being added (files past it are not searched)
 * once their identifier sets hold this many entries (4 bytes each, twice:
 * sets and postings). The Python stdlib needs about 5M; the Linux tree
 * would need over 100M. */
#define TC_RETRIEVE_MAX_ENTRIES (24u << 20)

#define TC_WIN_LINES 20
#define TC_WIN_STRIDE 10

typedef struct tc_retriever tc_retriever;

typedef struct tc_hit {
    uint32_t fileno;
    uint32_t item_lo, item_hi; /* the window's range in the file's items */
    float score;               /* Jaccard similarity, 0..1 */
} tc_hit;

/* Build windows over every indexed file of ix (at most max_windows; 0: no
 * cap). The index must outlive the retriever. TC_OK or TC_ENOMEM. */
int tc_retriever_open(tc_index *ix, uint64_t max_windows, tc_retriever **out);
/* The same in two steps, so the windows can be cut on another thread:
 * tc_retriever_build only reads the index (see tc_index_prepare_readers);
 * tc_retriever_attach registers for the index's changes (on the thread
 * that owns the index). */
int tc_retriever_build(tc_index *ix, uint64_t max_windows, tc_retriever **out);
int tc_retriever_attach(tc_retriever *r);
void tc_retriever_free(tc_retriever *r);

/* Up to k best windows for the identifier ids in query[0..nq) (duplicates
 * allowed), best first, skipping file exclude_fileno (-1: none). */
size_t tc_retriever_search(tc_retriever *r, const uint32_t *query, size_t nq, long exclude_fileno,
                           tc_hit *out, size_t k);

uint64_t tc_retriever_nwindows(const tc_retriever *r);

#endif
