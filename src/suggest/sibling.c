/* sibling.c - see sibling.h. */
#include "suggest/sibling.h"
#include "lang/lang.h"

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

size_t tc_sibling_variants(const tc_vocab *v, const uint32_t *ids, size_t n, const uint32_t *names, size_t nnames,
                           size_t per_name, int (*keep)(void *arg, size_t pos, uint32_t to), void *arg,
                           tc_sibling_variant *out, size_t cap)
{
    size_t i, j, k, nout = 0;
    for (i = 0; i < n && nout < cap; i++) {
        size_t la, got = 0;
        const char *a;
        if (tc_vocab_kind(v, ids[i]) != TC_TOK_IDENT) continue;
        a = tc_vocab_text(v, ids[i], &la);
        for (j = 0; j < nnames && got < per_name && nout < cap; j++) {
            size_t lb;
            const char *b;
            if (names[j] == ids[i]) continue;
            b = tc_vocab_text(v, names[j], &lb);
            if (!tc_sibling_is(a, la, b, lb)) continue;
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
