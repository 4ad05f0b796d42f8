/* spacing.h - how the repository spaces its tokens.
 *
 * Learned from stream items (whose low bit says whether white space came
 * before the token on its line): how often a space separates a pair of
 * tokens, inside parentheses/brackets or not (keyword arguments are spaced
 * unlike assignments), counted at four levels from specific to general: the pair with
 * the class of the token before it (so "f(a, b=1)" and "b = 1" differ), the
 * exact pair, and the same two with every token as its class (punctuation
 * and keywords by their text, other tokens by their kind). A lookup takes
 * the most specific level seen often enough whose habit is clear. Used to
 * render suggested token sequences back to text.
 */
#ifndef TC_SPACING_H
#define TC_SPACING_H

#include "workspace/vocab.h"

#include <stddef.h>
#include <stdint.h>

typedef struct tc_spacing tc_spacing;

tc_spacing *tc_spacing_new(void);
void tc_spacing_free(tc_spacing *s);
void tc_spacing_clear(tc_spacing *s);
/* Count the pairs in items[0..n). TC_OK or TC_ENOMEM. */
int tc_spacing_learn(tc_spacing *s, const tc_vocab *v, const uint32_t *items, size_t n);
/* Space between prev and next (prev2 came before prev)? 1, 0, or -1 when this table has no opinion
 * (neither the pair nor its classes were seen). */
int tc_spacing_get(const tc_spacing *s, const tc_vocab *v, int inside, uint32_t prev2, uint32_t prev, uint32_t next);
/* The pair's habit when it is firm: 1 or 0 when the pair after a token of
 * prev2's class was seen at least TC_SPACING_FIRM_MIN times and always
 * spaced the same way; else -1. A copied line's own spacing
 * gives way to a firm habit of the buffer (`JUMP_INIT(` in a file that
 * writes it so, copied from one that writes `JUMP_INIT (`). */
#define TC_SPACING_FIRM_MIN 3
int tc_spacing_firm(const tc_spacing *s, const tc_vocab *v, int inside, uint32_t prev2, uint32_t prev, uint32_t next);
/* The first table with an opinion decides (e.g. the buffer's own habits,
 * then the repository's); a default rule (space between two words) last. */
int tc_spacing_decide(const tc_spacing *first, const tc_spacing *second, const tc_vocab *v, int inside,
                      uint32_t prev2, uint32_t prev, uint32_t next);
/* Parenthesis/bracket depth after token id, given the depth before it (what
 * "inside" above is derived from). */
int tc_spacing_depth(const tc_vocab *v, uint32_t id, int depth);
/* The same after each of ids[0..n) in turn. */
int tc_spacing_depth_run(const tc_vocab *v, const uint32_t *ids, size_t n, int depth);

#endif
