/* generated.h - is a text a tool's output rather than code someone wrote?
 *
 * One detector for the whole program: the index skips such files (they are
 * neither learned nor offered as copies: a build's copy of a file repeats
 * its source, stale as soon as the source is edited), and the edit
 * evaluation neither takes places from them nor offers places in them.
 *
 * Signals, all read from the text alone (no other file, no path):
 *   minified  a line over max_line bytes, or (4 KiB and more) lines over a
 *             quarter of it on average;
 *   marked    "@generated" or "DO NOT EDIT" in the first 1 KiB, on a
 *             comment line and not quoted (Go's "Code generated ... DO
 *             NOT EDIT.", protoc, autoconf, javah, Meta's at-generated
 *             tag; a detector's own strings are not marks);
 *   mapped    a source-map comment opening one of the last lines
 *             ("//# sourceMappingURL=", CSS's block-comment form, the older "//@"):
 *             what tsc, babel, rollup, esbuild and webpack write under
 *             their output, .d.ts declarations included.
 * A hand-written .d.ts or a file that merely names sourceMappingURL in its
 * code is not generated. */
#ifndef TC_GENERATED_H
#define TC_GENERATED_H

#include <stddef.h>

typedef enum tc_gen_kind {
    TC_GEN_NONE = 0,
    TC_GEN_MINIFIED,
    TC_GEN_MARKED,
    TC_GEN_MAPPED
} tc_gen_kind;

/* The first signal text[0..len) carries, or TC_GEN_NONE. max_line: the
 * longest line a written file may have (0: 1000). */
tc_gen_kind tc_generated_kind(const char *text, size_t len, size_t max_line);

#endif
