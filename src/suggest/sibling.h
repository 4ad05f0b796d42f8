/* sibling.h - a line with one name replaced by a sibling name of the
 * buffer (issue 10: the candidates that come one identifier off).
 *
 * Many lines tacit misses differ from a candidate in one name only, and
 * the right name is a sibling of the wrong one that the buffer uses:
 * `cma3000_suspend(data);` for `cma3000_resume(data);`, `_IO_read_base`
 * for `_IO_read_end`, `openObserver` for `closeObserver`, `TestIssue6413`
 * for `TestIssue5849`. Two names are siblings when they split into the same
 * number of parts, at least two, and differ in exactly one part. Parts:
 * runs of `_`, of digits, of lower-case letters with at most one capital
 * before them, and of capitals not followed by a lower-case letter
 * (`parseHTTPRequest2` is parse, HTTP, Request, 2); any other byte is a part
 * of its own. Pure functions: no state, any thread.
 */
#ifndef TC_SUGGEST_SIBLING_H
#define TC_SUGGEST_SIBLING_H

#include <stddef.h>
#include <stdint.h>

#include "workspace/vocab.h"

#define TC_SIBLING_MAX_PARTS 32 /* a name of more parts has no sibling */

/* 1 when a[0..na) and b[0..nb) are different names that are siblings
 * (above), else 0. */
int tc_sibling_is(const char *a, size_t na, const char *b, size_t nb);

/* One variant: the line with ids[pos] replaced by the name to. */
typedef struct tc_sibling_variant {
    uint32_t pos, to;
} tc_sibling_variant;

/* The variants of the line ids[0..n): each identifier a of it (kind
 * TC_TOK_IDENT) replaced by each name b of names[0..nnames) for which
 * related(rarg, a, b) is 1 (taken in that order, the preferred first; at
 * most per_name for one identifier, the line's own names never), at most
 * cap in all, written to out in the line's order. keep(arg, pos, to), when
 * not NULL, may refuse one (0). Returns how many were written. */
size_t tc_sibling_variants_by(const tc_vocab *v, const uint32_t *ids, size_t n, const uint32_t *names,
                              size_t nnames, size_t per_name, int (*related)(void *rarg, uint32_t a, uint32_t b),
                              void *rarg, int (*keep)(void *arg, size_t pos, uint32_t to), void *arg,
                              tc_sibling_variant *out, size_t cap);

/* tc_sibling_variants_by() with related: the two names are siblings
 * (tc_sibling_is). */
size_t tc_sibling_variants(const tc_vocab *v, const uint32_t *ids, size_t n, const uint32_t *names, size_t nnames,
                           size_t per_name, int (*keep)(void *arg, size_t pos, uint32_t to), void *arg,
                           tc_sibling_variant *out, size_t cap);

/* Name pairs: two lines of a buffer at most TC_PAIR_LINES apart that have
 * the same tokens but one, a name in both (`foo->urb_irq->dev = udev;`
 * and `foo->urb_ctl->dev = udev;`), pair their two names: where a line
 * has one of them, the other is a likely variant (issue 10: the lines one
 * name off whose right name the buffer shows exchanged for the wrong one).
 */
#define TC_PAIR_LINES 3

/* One pair, a < b (ids); count: the line pairs that exchange them; dist:
 * the fewest lines between the cursor and the second line of such a pair
 * (blank lines and the cursor's own counted). */
typedef struct tc_name_pair {
    uint32_t a, b, count, dist;
} tc_name_pair;

/* The name pairs of the buffer tokens ids[0..n) (lines end at
 * TC_VOCAB_EOL; the cursor stands at ids[cut], and the part of a line
 * just before it, the typed text, takes no part), at most cap, written to
 * out nearest to the cursor first. Returns how many. */
size_t tc_sibling_pairs(const tc_vocab *v, const uint32_t *ids, size_t n, size_t cut, tc_name_pair *out,
                        size_t cap);

/* The pair of a and b among pairs[0..npairs), NULL when none. */
const tc_name_pair *tc_sibling_pair_find(const tc_name_pair *pairs, size_t npairs, uint32_t a, uint32_t b);

#endif
