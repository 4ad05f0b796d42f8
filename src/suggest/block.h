/* block.h - multi-line suggestions: the lines that followed the cursor's
 * line where it stood before, in the same context.
 *
 * Given the cursor's line as it would read with the chosen one-line
 * suggestion, find the places where that line stands elsewhere (the open
 * buffer, other files' text) and how many of the non-blank lines before
 * each place equal the cursor's own previous lines (the context match).
 * Where the match is long enough (TC_BLOCK_MIN_CONTEXT lines), or shorter
 * but several places agree, the lines after the place are copied up to the
 * block's natural end:
 *   - a blank line, or the TC_BLOCK_MAX_LINES-th line (the first included);
 *   - a line indented less than the place (the enclosing block resumes),
 *     except a closer the buffer lacks, which ends the block;
 *   - after a first line that opens a block (ends with `{`, `:`, `(`,
 *     `[`), the line back at its indentation: kept if it is the closer that
 *     balances the block, otherwise left out;
 *   - a line equal to the next non-blank line after the cursor's (the
 *     buffer already holds it: the copy has reached the suffix).
 * Brackets are balanced against the buffer: a copy closes brackets opened
 * before the place only as often as the buffer lacks closers, and leaves
 * brackets open only as often as the buffer holds closers in surplus (the
 * suffix already closes them); otherwise it is cut back to the last line
 * where that holds. A block never ends on a line that leaves its statement
 * open (a trailing operator or comma, `else`); a preprocessor line keeps
 * its own indentation. Places with the longest match must agree:
 * the copy is their common leading lines. When no place stands as the
 * cursor's line does, a renamed one may: the same line and at least
 * TC_BLOCK_MIN_CONTEXT lines above it but for up to 3 names, replaced one
 * for one (a function copied for another device, another variable); the
 * longest such match, the buffer first, is copied with the cursor's names.
 * Lines are compared ignoring white
 * space; the copy keeps its source's spelling, its indentation rebased on
 * the cursor's line. tc_block_find is pure text (no index, no model);
 * tc_block_extend, the engine's hook, gives it the buffer and the files
 * that retrieval and the line index pointed at.
 */
#ifndef TC_BLOCK_H
#define TC_BLOCK_H

#include "workspace/index.h"

#include <stddef.h>
#include <stdint.h>

#define TC_BLOCK_MAX_LINES 10  /* lines of a block, the cursor's included */
#define TC_BLOCK_CONTEXT 3     /* previous non-blank lines compared */
#define TC_BLOCK_MIN_CONTEXT 2 /* ... that must match at one place, or: */
#define TC_BLOCK_MIN_AGREE 2   /* places with a 1-line match that continue alike */

typedef struct tc_block_src {
    const char *text; /* the source's text (not owned) */
    size_t len;
    const char *name; /* for explain (not owned); NULL: the open buffer */
} tc_block_src;

typedef struct tc_block {
    char *text;       /* owned: the lines after the cursor's, each after a "\n",
                         indentation rebased; NULL when no block is offered */
    int nlines;       /* lines in text */
    int context;      /* previous lines matched at the chosen place (0..TC_BLOCK_CONTEXT) */
    int agree;        /* places with that match (they agree on text's lines) */
    int places;       /* places where the cursor's line stands */
    int renamed;      /* names replaced: the place is a renamed copy (0: as it stands) */
    const char *src;  /* the chosen place's source name (NULL: the buffer) */
    size_t src_line;  /* ... and its line (1-based) of the cursor's line */
    const char *why;  /* static: why no block (when text is NULL) */
} tc_block;

/* The block to offer after first[0..nfirst) (the one-line suggestion at
 * byte offset cursor of buf[0..len)), copied from src[0..nsrc); the buffer
 * itself is always searched (its cursor line excepted) and need not be in
 * src. Nothing is offered when first holds a line break, when text other
 * than white space stands right of the cursor on its line, or when the
 * cursor's line holds no letter or digit and fewer than
 * TC_BLOCK_MIN_CONTEXT previous lines match. out is always set (free it
 * with tc_block_free). TC_OK or TC_ENOMEM (out->text NULL). */
int tc_block_find(const char *buf, size_t len, size_t cursor, const char *first, size_t nfirst,
                  const tc_block_src *src, size_t nsrc, tc_block *out);
void tc_block_free(tc_block *b);

/* 1 when text, offered on a line with nothing typed before the cursor
 * (at byte offset cursor of buf[0..len)), is nothing but closers (`}`,
 * `)`, `]`, with `;` or `,`) that the buffer does not lack (its brackets
 * balance without them: the closer stands below, or the editor inserted
 * it), while the cursor's line is indented as deep as the previous
 * non-blank line or deeper (and that line opens no empty block): the lone
 * `}` on a fresh line inside a function. A closer the buffer lacks, or
 * one at a dedented line, is left alone. */
int tc_block_closer_unneeded(const char *buf, size_t len, size_t cursor, const char *text);

/* The engine's hook: extend *text (malloc'd, the one-line suggestion at
 * cursor) with the block tc_block_find offers from the buffer and the
 * index's files files[0..nfiles) (read from disk as they are now; one
 * held as a buffer, or grown past its indexed size, is left out). *text is replaced only
 * when a block is offered. info (may be NULL) gets what tc_block_find said
 * (its text left NULL).
 * TC_OK or TC_ENOMEM (*text unchanged). */
int tc_block_extend(tc_index *ix, const uint32_t *files, size_t nfiles, const char *buf, size_t len,
                    size_t cursor, char **text, tc_block *info);

#endif
