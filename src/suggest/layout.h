/* layout.h - the buffer's layout conventions that token spacing cannot
 * express (issue 10: the near misses whose tokens are right and whose
 * white space is not).
 *
 * Spacing (spacing.h) decides one space or none between two tokens; two
 * C conventions need a count instead, and each is read off the buffer:
 *   - a preprocessor directive's indentation after the `#`: an `#elif`,
 *     `#else` or `#endif` as the conditional it belongs to has it
 *     (`# ifndef X` ... `# endif`); the others by the depth of the
 *     conditionals around them (GNU style: `# ifdef X`, `#  define Y`),
 *     when the buffer's nested directives follow it;
 *   - a line continuation's `\` aligned at the column of the neighbouring
 *     lines' (a macro's body), padded with tabs then spaces or spaces
 *     alone, as the neighbour is.
 * Pure functions: no state, any thread.
 */
#ifndef TC_SUGGEST_LAYOUT_H
#define TC_SUGGEST_LAYOUT_H

#include <stddef.h>

#include "lang/lang.h"
#include "util/buf.h"

#define TC_LAYOUT_TAB 8 /* columns of a tab, for the backslash's column */
#define TC_LAYOUT_SCAN (256u * 1024) /* bytes before the cursor's line read for directives */

/* What one buffer says at one cursor (a plain value struct). */
typedef struct tc_layout {
    int pp_on;      /* 1: nested directives are indented by depth */
    int pp_depth;   /* conditionals open at the cursor's line */
    int pp_offset;  /* depth levels left unindented (an include guard's) */
    int pp_open_gap; /* white space after the `#` of the innermost open conditional, -1 none or a tab */
    int bs_col;     /* column of a neighbour's aligned `\`, -1 none */
    int bs_tabs;    /* 1: the neighbour pads with tabs first */
    size_t lead_col; /* column of the cursor on its line */
} tc_layout;

/* The conventions of buf[0..len) for a suggestion at cursor, in language
 * lang (other than C and C++: none, the struct says nothing). Reads the
 * directives before the cursor's line (the last TC_LAYOUT_SCAN bytes of a
 * larger buffer: conditionals opened before them are not counted) and the
 * lines next to it. */
void tc_layout_scan(const char *buf, size_t len, size_t cursor, tc_lang lang, tc_layout *out);

/* The conventions that say nothing (what tc_layout_scan gives outside C
 * and C++): tc_layout_apply leaves every text as it is. */
void tc_layout_none(tc_layout *out);

/* 1 when l says something tc_layout_apply could change a text by: a
 * caller skips the copy into out when it does not. */
int tc_layout_active(const tc_layout *l);

/* Rewrite the white space of s[0..ns) (a suggestion to insert at the
 * cursor) by the conventions in l, into out (reset first). Returns 1 when
 * the text changed, 0 when out holds s as it was, -1 when out ran out of
 * memory (out's contents then undefined). */
int tc_layout_apply(const tc_layout *l, const char *s, size_t ns, tc_buf *out);

/* A copied line as its file has it, raw[0..nraw) (trailing comment and
 * alignment kept), with the white space of its rendering laid[0..nlaid)
 * (the same tokens, spaced by the buffer's habits and the rules above)
 * where the copy has a single space or none; where the copy aligns (a tab,
 * or spaces) it stays, but before a final `\`. Once the two differ in
 * anything but white space, the rest is raw's. Into out (reset first);
 * 0, or -1 when out ran out of memory. */
int tc_layout_merge(const char *raw, size_t nraw, const char *laid, size_t nlaid, tc_buf *out);

#endif
