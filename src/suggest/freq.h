/* freq.h - the workspace's frequent short lines, by what comes before them.
 *
 * Short common lines (`continue;`, `return true;`, `#endif`, `} else {`,
 * `try:`) are often neither among the model's beams nor in the buffer's
 * lines of best context. This table holds, for each context, the lines
 * that follow it in the most files. A line's context is its language, the
 * first and the last token of the non-blank line before it (the file's
 * start: TC_VOCAB_BOS for both) and the indentation token it starts with
 * (INDENT, DEDENT or none: only Python's lexer emits them). Only lines of
 * at most TC_FREQ_TOKENS tokens (indentation left out) count.
 *
 * Built once from the index's disk files (tc_freq_build, when the engine
 * opens the workspace); it does not follow later changes (frequent lines
 * change slowly). For each context it keeps the TC_FREQ_KEEP lines found
 * in the most files (at least 2), each with the first TC_FREQ_FILES files
 * it stands in, so that a query can leave the edited file out. A workspace
 * too large for the build's table (TC_FREQ_SLOTS) counts the contexts and
 * lines of its first files only. Read-only after the build: queries may
 * run on any thread.
 */
#ifndef TC_SUGGEST_FREQ_H
#define TC_SUGGEST_FREQ_H

#include <stddef.h>
#include <stdint.h>

#include "workspace/index.h"

#define TC_FREQ_TOKENS 8
#define TC_FREQ_KEEP 8
#define TC_FREQ_FILES 4
#define TC_FREQ_SLOTS (1u << 18) /* distinct (context, line) pairs counted, at most 3/4 of it */

typedef struct tc_freq tc_freq;

typedef struct tc_freq_line {
    uint32_t ids[TC_FREQ_TOKENS];
    int8_t sp[TC_FREQ_TOKENS]; /* space before each token, as first seen */
    uint32_t n;
    uint32_t files; /* files where it follows the context, the excluded one left out (a lower bound) */
} tc_freq_line;

/* Build the table from ix's files. TC_ENOMEM on failure (*out NULL). */
int tc_freq_build(tc_index *ix, tc_freq **out);
void tc_freq_free(tc_freq *f);

/* The context of a line in language lang (tc_lang) whose previous
 * non-blank line starts with first and ends with last, starting with the
 * indentation token ind (0: none). */
uint64_t tc_freq_key(unsigned lang, uint32_t first, uint32_t last, uint32_t ind);

/* The lines of context key, most files first, that stand in at least 2
 * files besides file exclude (-1: none): at most max into out. Returns how
 * many. f may be NULL (none). */
size_t tc_freq_find(const tc_freq *f, uint64_t key, long exclude, tc_freq_line *out, size_t max);

#endif
