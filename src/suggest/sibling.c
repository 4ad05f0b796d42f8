/* sibling.c - see sibling.h. */
#include "suggest/sibling.h"
#include "lang/lang.h"

#include <stdlib.h>
#include <string.h>

static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* The end of the part of s[0..n) that starts at i. */
static size_t part_end(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    size_t j = i + 1;
    if (c == '_' || is_digit(c)) {
        while (j < n && (unsigned char)s[j] == c) j++;
        if (is_digit(c))
            while (j < n && is_digit((unsigned char)s[j])) j++;
    } else if (is_lower(c) || (is_upper(c) && j < n && is_lower((unsigned char)s[j]))) {
        while (j < n && is_lower((unsigned char)s[j])) j++;
    } else if (is_upper(c)) {
        /* capitals up to the one that starts a lower-case part */
        while (j < n && is_upper((unsigned char)s[j]) && !(j + 1 < n && is_lower((unsigned char)s[j + 1]))) j++;
    }
    return j;
}

/* s's part boundaries: cut[0] = 0 < cut[1] < ... < cut[k] = n; k parts,
 * 0 when there are more than TC_SIBLING_MAX_PARTS. */
static size_t parts(const char *s, size_t n, size_t *cut)
{
    size_t k = 0, i = 0;
    cut[0] = 0;
    while (i < n) {
        if (k == TC_SIBLING_MAX_PARTS) return 0;
        i = part_end(s, n, i);
        cut[++k] = i;
    }
    return k;
}

int tc_sibling_is(const char *a, size_t na, const char *b, size_t nb)
{
    size_t ca[TC_SIBLING_MAX_PARTS + 1], cb[TC_SIBLING_MAX_PARTS + 1], ka, kb, i, diff = 0;
    if (!na || !nb || (na == nb && memcmp(a, b, na) == 0)) return 0;
    /* one part differs and there are at least two: the first or the last byte is shared */
    if (a[0] != b[0] && a[na - 1] != b[nb - 1]) return 0;
    ka = parts(a, na, ca);
    kb = parts(b, nb, cb);
    if (ka < 2 || ka != kb) return 0;
    for (i = 0; i < ka && diff < 2; i++) {
        size_t la = ca[i + 1] - ca[i], lb = cb[i + 1] - cb[i];
        diff += la != lb || memcmp(a + ca[i], b + cb[i], la) != 0;
    }
    return diff == 1;
}

size_t tc_sibling_variants_by(const tc_vocab *v, const uint32_t *ids, size_t n, const uint32_t *names,
                              size_t nnames, size_t per_name, int (*related)(void *rarg, uint32_t a, uint32_t b),
                              void *rarg, int (*keep)(void *arg, size_t pos, uint32_t to), void *arg,
                              tc_sibling_variant *out, size_t cap)
{
    size_t i, j, k, nout = 0;
    for (i = 0; i < n && nout < cap; i++) {
        size_t got = 0;
        if (tc_vocab_kind(v, ids[i]) != TC_TOK_IDENT) continue;
        for (j = 0; j < nnames && got < per_name && nout < cap; j++) {
            if (names[j] == ids[i] || !related(rarg, ids[i], names[j])) continue;
            for (k = 0; k < n && ids[k] != names[j]; k++)
                ;
            if (k < n) continue; /* the line's own name */
            if (keep && !keep(arg, i, names[j])) continue;
            out[nout].pos = (uint32_t)i;
            out[nout].to = names[j];
            nout++;
            got++;
        }
    }
    return nout;
}

struct sib_rel {
    const tc_vocab *v;
};

static int rel_sibling(void *rarg, uint32_t a, uint32_t b)
{
    const struct sib_rel *r = rarg;
    size_t la, lb;
    const char *ta = tc_vocab_text(r->v, a, &la), *tb = tc_vocab_text(r->v, b, &lb);
    return ta && tb && tc_sibling_is(ta, la, tb, lb);
}

size_t tc_sibling_variants(const tc_vocab *v, const uint32_t *ids, size_t n, const uint32_t *names, size_t nnames,
                           size_t per_name, int (*keep)(void *arg, size_t pos, uint32_t to), void *arg,
                           tc_sibling_variant *out, size_t cap)
{
    struct sib_rel r = {v};
    return tc_sibling_variants_by(v, ids, n, names, nnames, per_name, rel_sibling, &r, keep, arg, out, cap);
}

const tc_name_pair *tc_sibling_pair_find(const tc_name_pair *pairs, size_t npairs, uint32_t a, uint32_t b)
{
    size_t i;
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
    for (i = 0; i < npairs; i++)
        if (pairs[i].a == lo && pairs[i].b == hi) return &pairs[i];
    return NULL;
}

/* The one position where lines x and y (as long) differ, both names there;
 * -1 when they differ elsewhere too, nowhere, or not in names. */
static long one_name_apart(const tc_vocab *v, const uint32_t *x, const uint32_t *y, size_t n)
{
    size_t i;
    long at = -1;
    for (i = 0; i < n; i++) {
        if (x[i] == y[i]) continue;
        if (at >= 0 || tc_vocab_kind(v, x[i]) != TC_TOK_IDENT || tc_vocab_kind(v, y[i]) != TC_TOK_IDENT) return -1;
        at = (long)i;
    }
    return at;
}

static int cmp_pair_dist(const void *p, const void *q)
{
    const tc_name_pair *x = p, *y = q;
    if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
    return x->a != y->a ? (x->a < y->a ? -1 : 1) : (x->b > y->b) - (x->b < y->b);
}

size_t tc_sibling_pairs(const tc_vocab *v, const uint32_t *ids, size_t n, size_t cut, tc_name_pair *out,
                        size_t cap)
{
    /* the lines: starts and ends in a ring of the last TC_PAIR_LINES + 1 */
    size_t ls[TC_PAIR_LINES + 1], le[TC_PAIR_LINES + 1], nl = 0, npairs = 0, i, s = 0, nbefore = 0, line = 0;
    if (!cap) return 0;
    for (i = 0; i < cut && i < n; i++) nbefore += ids[i] == TC_VOCAB_EOL;
    for (i = 0; i <= n; i++) {
        size_t k;
        if (i < n && i != cut && ids[i] != TC_VOCAB_EOL) continue;
        if (i == cut) {
            /* the typed part of the cursor's line, [s, cut): not a line */
            s = i;
            if (i < n && ids[i] == TC_VOCAB_EOL) s++, line++;
            continue;
        }
        if (i > s) {
            uint32_t dist = line < nbefore ? (uint32_t)(nbefore - line) : (uint32_t)(line - nbefore);
            for (k = 0; k < nl && k < TC_PAIR_LINES; k++) {
                size_t r = (nl - 1 - k) % (TC_PAIR_LINES + 1);
                long at;
                uint32_t x, y;
                tc_name_pair *p;
                if (le[r] - ls[r] != i - s || (at = one_name_apart(v, ids + ls[r], ids + s, i - s)) < 0) continue;
                x = ids[ls[r] + (size_t)at];
                y = ids[s + (size_t)at];
                p = (tc_name_pair *)tc_sibling_pair_find(out, npairs, x, y);
                if (p) {
                    p->count++;
                    if (dist < p->dist) p->dist = dist;
                } else if (npairs < cap) {
                    p = &out[npairs++];
                    p->a = x < y ? x : y;
                    p->b = x < y ? y : x;
                    p->count = 1;
                    p->dist = dist;
                }
            }
            ls[nl % (TC_PAIR_LINES + 1)] = s;
            le[nl % (TC_PAIR_LINES + 1)] = i;
            nl++;
        }
        line++;
        s = i + 1;
    }
    qsort(out, npairs, sizeof *out, cmp_pair_dist);
    return npairs;
}
