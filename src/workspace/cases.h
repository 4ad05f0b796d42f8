/* cases.h - completion cases masked from the workspace's own files: the
 * self-supervised lines the ranker learns from (suggest.c) and the cases
 * `tacit eval --mask` and history replay measure with (src/eval). A case is
 * an open buffer (prefix + suffix, the whole file) and the text expected at
 * the cursor (shared/eval/FORMAT.md). */
#ifndef TC_CASES_H
#define TC_CASES_H

#include "lang/lang.h"
#include "workspace/index.h"

#include <stddef.h>
#include <stdint.h>

typedef struct tc_case {
    char *id, *path, *prefix, *suffix, *expected;
    char *kind; /* may be NULL */
    char *root; /* resolved workspace folder for this case, may be NULL */
    size_t prefix_lines_cut; /* lines cut from the front of prefix once the
                                case was answered (history replay keeps the
                                last TC_HISTORY_KEEP_LINES); 0: the whole prefix */
} tc_case;

typedef struct tc_caseset {
    tc_case *v;
    size_t n, cap;
} tc_caseset;

void tc_caseset_free(tc_caseset *cs);
/* Sample n line cases from the indexed files of ix with a seeded PRNG:
 * alternately "line-start" (cursor after the indentation, expected = the
 * line's text) and "mid-line" (cursor after the line's first word, expected
 * = the rest of the line, trailing comment included). Code files only
 * (a language other than TC_LANG_TEXT), drawn in proportion to their
 * size; blank and comment-only lines, and lines that start inside a
 * multi-line string or comment, are not sampled. Each case holds its
 * whole file (prefix and suffix): fewer than n cases come back when they
 * would take more than TC_CASES_MASK_BYTES, or when 50 n tries found too
 * few lines. TC_EINVAL when n > TC_CASES_MASK_MAX. */
#define TC_CASES_MASK_MAX 100000
#define TC_CASES_MASK_BYTES (1ull << 30)
int tc_cases_mask(tc_index *ix, size_t n, uint64_t seed, tc_caseset *out);
/* Append n "block" cases (ids "b1", "b2", ...): the cursor after the
 * indentation of a code line, expected = that line's text and the next
 * lines, k lines in all (k drawn in 2..10), cut before the first blank
 * line; at least 2 lines. Trailing comments are kept; the last line's
 * trailing white space goes to the suffix, so prefix + expected + suffix
 * is the file. The line cases of tc_cases_mask are the same with or
 * without blocks for a given seed. */
int tc_cases_mask_blocks(tc_index *ix, size_t n, uint64_t seed, tc_caseset *out);

/* A new zeroed case at the end of cs, or NULL (cs unchanged). */
tc_case *tc_caseset_push(tc_caseset *cs);
/* Free a case's strings (not the case itself). */
void tc_case_free(tc_case *c);
/* Append a line case for the line starting at byte lo of text (a whole
 * file of language lang): the cursor after the indentation, expected = the
 * line's code (trailing white space to the suffix), prefix and suffix the
 * rest of text; the rules of tc_cases_mask (no blank, comment-only or
 * over-long line, none starting inside a multi-line comment or string).
 * 1 if made, 0 if the line does not qualify or memory ran out. */
int tc_cases_line(tc_caseset *out, const char *relpath, tc_lang lang, const char *text, size_t len,
                  size_t lo, const char *id, const char *kind);

#endif
