/* progress.c - the next line of a progression the buffer shows (see progress.h). */
#include "suggest/progress.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lang/lang.h"

#define PROGRESS_MAX_OFF 4 /* lines between the cursor and the nearer line at most (blank ones included) */
#define PROGRESS_LINE 64   /* tokens of a line compared at most */

/* A number's parts: an optional 0x / 0X, digits in base 10 or 16, a
 * suffix of u, U, l, L. 0 when s[0..n) is no such number. */
typedef struct num {
    size_t pre, nd; /* prefix length (0 or 2), digits */
    int base;
    unsigned long long val;
} num;

static int num_parse(const char *s, size_t n, num *x)
{
    size_t i, k;
    x->pre = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 2 : 0;
    x->base = x->pre ? 16 : 10;
    x->val = 0;
    for (i = x->pre; i < n && (x->base == 16 ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])); i++) {
        int d = isdigit((unsigned char)s[i]) ? s[i] - '0' : tolower((unsigned char)s[i]) - 'a' + 10;
        if (i - x->pre >= 15) return 0; /* no overflow to think of */
        x->val = x->val * (unsigned)x->base + (unsigned)d;
    }
    x->nd = i - x->pre;
    for (k = i; k < n; k++)
        if (!strchr("uUlL", s[k])) return 0;
    return x->nd > 0;
}

/* The digits of val in base (16: upper case when upper), zero-padded to
 * width when pad; their length, 0 when they do not fit cap. */
static size_t put_digits(unsigned long long val, int base, int upper, size_t width, int pad, char *out, size_t cap)
{
    char t[32];
    size_t n = 0, k = 0;
    do {
        int d = (int)(val % (unsigned)base);
        t[n++] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
        val /= (unsigned)base;
    } while (val && n < sizeof t);
    while (pad && n < width && n < sizeof t) t[n++] = '0';
    if (n > cap) return 0;
    while (n) out[k++] = t[--n];
    return k;
}

static int has_upper_hex(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'F') return 1;
    return 0;
}

/* The last run of digits of s[0..n): its start and length (0: none). */
static size_t last_digits(const char *s, size_t n, size_t *len)
{
    size_t e = n, b;
    while (e > 0 && !isdigit((unsigned char)s[e - 1])) e--;
    for (b = e; b > 0 && isdigit((unsigned char)s[b - 1]); b--)
        ;
    *len = e - b;
    return b;
}

/* A name's step by its last run of digits (the rest equal, 1 apart). */
static size_t name_digit_step(const char *a, size_t na, const char *b, size_t nb, char *out, size_t cap)
{
    size_t la, lb, pa = last_digits(a, na, &la), pb = last_digits(b, nb, &lb), k;
    unsigned long long va = 0, vb = 0;
    long long d;
    if (!la || !lb || la > 15 || lb > 15 || pa != pb || memcmp(a, b, pa) != 0 || na - pa - la != nb - pb - lb ||
        memcmp(a + pa + la, b + pb + lb, na - pa - la) != 0)
        return 0;
    for (k = 0; k < la; k++) va = va * 10 + (unsigned)(a[pa + k] - '0');
    for (k = 0; k < lb; k++) vb = vb * 10 + (unsigned)(b[pb + k] - '0');
    d = (long long)vb - (long long)va;
    if ((d != 1 && d != -1) || (d < 0 && vb == 0) || pb >= cap) return 0;
    memcpy(out, b, pb);
    k = put_digits(d > 0 ? vb + 1 : vb - 1, 10, 0, lb, lb > 1 && b[pb] == '0', out + pb, cap - pb);
    if (!k || pb + k + (nb - pb - lb) >= cap) return 0;
    memcpy(out + pb + k, b + pb + lb, nb - pb - lb);
    return pb + k + (nb - pb - lb);
}

size_t tc_progress_step(const char *a, size_t na, const char *b, size_t nb, char *out, size_t cap)
{
    num x, y;
    size_t n;
    if (!na || !nb || cap < 2 || (na == nb && memcmp(a, b, na) == 0)) return 0;
    if (isdigit((unsigned char)a[0]) || isdigit((unsigned char)b[0])) {
        long long d;
        unsigned long long next;
        if (!num_parse(a, na, &x) || !num_parse(b, nb, &y) || x.base != y.base ||
            memcmp(a, b, x.pre) != 0 || na - x.pre - x.nd != nb - y.pre - y.nd ||
            memcmp(a + x.pre + x.nd, b + y.pre + y.nd, na - x.pre - x.nd) != 0)
            return 0;
        d = (long long)y.val - (long long)x.val;
        if (d != 1 && d != -1 && d != 2 && d != -2 && d != 4 && d != -4 && d != 8 && d != -8) return 0;
        if (d < 0 && y.val < (unsigned long long)-d) return 0;
        next = d > 0 ? y.val + (unsigned long long)d : y.val - (unsigned long long)-d;
        memcpy(out, b, y.pre);
        n = put_digits(next, y.base, has_upper_hex(b + y.pre, y.nd) || has_upper_hex(a + x.pre, x.nd), y.nd,
                       y.nd > 1 && b[y.pre] == '0', out + y.pre, cap - y.pre);
        if (!n || y.pre + n + (nb - y.pre - y.nd) >= cap) return 0;
        memcpy(out + y.pre + n, b + y.pre + y.nd, nb - y.pre - y.nd);
        n += y.pre + nb - y.pre - y.nd;
        out[n] = 0;
        return n;
    }
    if ((n = name_digit_step(a, na, b, nb, out, cap))) {
        out[n] = 0;
        return n;
    }
    /* the last character: two letters of one case, one apart */
    if (na == nb && nb < cap && memcmp(a, b, nb - 1) == 0) {
        int ca = (unsigned char)a[na - 1], cb = (unsigned char)b[nb - 1], cn = 2 * cb - ca;
        if ((cb - ca == 1 || ca - cb == 1) &&
            ((islower(ca) && islower(cb) && cn >= 'a' && cn <= 'z') ||
             (isupper(ca) && isupper(cb) && cn >= 'A' && cn <= 'Z'))) {
            memcpy(out, b, nb - 1);
            out[nb - 1] = (char)cn;
            out[nb] = 0;
            return nb;
        }
    }
    return 0;
}

static int skipped(const tc_vocab *v, uint32_t id)
{
    uint8_t k = tc_vocab_kind(v, id);
    return k == TC_TOK_INDENT || k == TC_TOK_DEDENT;
}

/* The tokens of line [s, e) of ids but INDENT and DEDENT, their indices to
 * pos (at most PROGRESS_LINE; more: 0, the line too long to compare). */
static size_t line_tokens(const tc_vocab *v, const uint32_t *ids, size_t s, size_t e, size_t *pos)
{
    size_t n = 0;
    for (; s < e; s++) {
        if (skipped(v, ids[s])) continue;
        if (n == PROGRESS_LINE) return 0;
        pos[n++] = s;
    }
    return n;
}

size_t tc_progress_next(const tc_vocab *v, const uint32_t *ids, size_t n, uint32_t *out, size_t *at, size_t cap)
{
    size_t ls[2 * PROGRESS_MAX_OFF], le[2 * PROGRESS_MAX_OFF], nl = 0, end = n, off, k, na, nb = 0, ndiff = 0;
    size_t pa[PROGRESS_LINE], pb[PROGRESS_LINE];
    /* the lines above the cursor's, the nearest first */
    while (nl < 2 * PROGRESS_MAX_OFF && end > 0) {
        size_t s;
        if (ids[end - 1] == TC_VOCAB_BOS) break;
        if (ids[end - 1] == TC_VOCAB_EOL) end--;
        for (s = end; s > 0 && ids[s - 1] != TC_VOCAB_EOL && ids[s - 1] != TC_VOCAB_BOS; s--)
            ;
        ls[nl] = s;
        le[nl++] = end;
        end = s;
    }
    /* b: the nearest line with tokens, off lines above the cursor's; a: off lines above it */
    for (off = 1; off <= nl && !(nb = line_tokens(v, ids, ls[off - 1], le[off - 1], pb)); off++)
        ;
    if (off > PROGRESS_MAX_OFF || 2 * off > nl) return 0;
    na = line_tokens(v, ids, ls[2 * off - 1], le[2 * off - 1], pa);
    if (na != nb || nb < TC_PROGRESS_MIN_TOKENS || nb > cap) return 0;
    for (k = 0; k < nb; k++) {
        uint32_t a = ids[pa[k]], b = ids[pb[k]];
        out[k] = b;
        at[k] = pb[k];
        if (a != b) {
            char next[TC_PROGRESS_TEXT];
            const char *ta, *tb;
            size_t la, lb, ln;
            uint8_t kind = tc_vocab_kind(v, b);
            int64_t id;
            if (++ndiff > TC_PROGRESS_MAX_DIFF || 2 * ndiff > nb || tc_vocab_kind(v, a) != kind ||
                (kind != TC_TOK_IDENT && kind != TC_TOK_NUMBER))
                return 0;
            ta = tc_vocab_text(v, a, &la);
            tb = tc_vocab_text(v, b, &lb);
            if (!ta || !tb || !(ln = tc_progress_step(ta, la, tb, lb, next, sizeof next))) return 0;
            if ((id = tc_vocab_lookup(v, kind, next, ln)) <= 0) return 0;
            out[k] = (uint32_t)id;
        }
    }
    return ndiff ? nb : 0;
}
