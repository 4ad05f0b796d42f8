/* spacing.c - see spacing.h. An open-addressing table keyed by the pair
 * (exact ids, or class ids with the top bit set). */
#include "suggest/spacing.h"
#include "lang/lang.h"
#include "util/status.h"
#include "workspace/tokens.h"

#include <stdlib.h>
#include <string.h>

typedef struct sp_slot {
    uint64_t key; /* 0 = empty */
    uint32_t sp, total;
} sp_slot;

struct tc_spacing {
    sp_slot *t;
    size_t mask, n;
};

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return k;
}

/* Class of a token: itself for punctuation, keywords and the reserved ids;
 * its kind for identifiers, numbers and strings. */
static uint32_t tok_class(const tc_vocab *v, uint32_t id)
{
    uint8_t k = tc_vocab_kind(v, id);
    if (id < TC_VOCAB_FIRST || k == TC_TOK_PUNCT || k == TC_TOK_KEYWORD || k == TC_TOK_OTHER) return id;
    return 0x7fffff00u + k;
}

tc_spacing *tc_spacing_new(void)
{
    tc_spacing *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->mask = 4095;
    s->t = calloc(s->mask + 1, sizeof *s->t);
    if (!s->t) {
        free(s);
        return NULL;
    }
    return s;
}

void tc_spacing_free(tc_spacing *s)
{
    if (!s) return;
    free(s->t);
    free(s);
}

void tc_spacing_clear(tc_spacing *s)
{
    memset(s->t, 0, (s->mask + 1) * sizeof *s->t);
    s->n = 0;
}

static sp_slot *find(const tc_spacing *s, uint64_t key)
{
    size_t h = mix(key) & s->mask;
    while (s->t[h].key && s->t[h].key != key) h = (h + 1) & s->mask;
    return &s->t[h];
}

static int bump(tc_spacing *s, uint64_t key, int sp)
{
    sp_slot *e;
    if ((s->n + 1) * 2 > s->mask + 1) {
        size_t ncap = (s->mask + 1) * 2, i;
        sp_slot *old = s->t, *nt = calloc(ncap, sizeof *nt);
        size_t omask = s->mask;
        if (!nt) return TC_ENOMEM;
        s->t = nt;
        s->mask = ncap - 1;
        for (i = 0; i <= omask; i++)
            if (old[i].key) *find(s, old[i].key) = old[i];
        free(old);
    }
    e = find(s, key);
    if (!e->key) {
        e->key = key;
        s->n++;
    }
    e->total++;
    e->sp += sp ? 1 : 0;
    return TC_OK;
}

/* Keys: tag in the top bits, then up to three 20-bit-folded ids. */
static uint64_t key3(int tag, uint32_t a, uint32_t b, uint32_t c)
{
    uint64_t k = (uint64_t)tag << 60;
    k ^= (uint64_t)a * 0x9E3779B97F4A7C15ull;
    k ^= ((uint64_t)b << 30 | c) * 0xC2B2AE3D27D4EB4Full;
    k = (k & 0x0FFFFFFFFFFFFFFFull) | (uint64_t)tag << 60;
    return k ? k : 1;
}

/* The pairs' keys, most specific first. inside: the pair sits within
 * parentheses or brackets (Python's "f(a=1)" against "a = 1", C's
 * "for (i = 0;" is the same either way). */
static void keys_of(const tc_vocab *v, int inside, uint32_t a, uint32_t b, uint32_t c, uint64_t k[4])
{
    uint32_t ca = tok_class(v, a), cb = tok_class(v, b), cc = tok_class(v, c);
    int t = inside ? 8 : 0;
    k[0] = key3(1 + t, ca, b, c);  /* the token before the pair, as a class */
    k[1] = key3(2 + t, 0, b, c);   /* the exact pair */
    k[2] = key3(3 + t, ca, cb, cc); /* classes of all three */
    k[3] = key3(4 + t, 0, cb, cc);  /* classes of the pair */
}

/* Bracket depth after token id (only ( and [ count as "inside"). */
static int depth_after(const tc_vocab *v, uint32_t id, int depth)
{
    size_t n;
    const char *t;
    if (tc_vocab_kind(v, id) != TC_TOK_PUNCT) return depth;
    t = tc_vocab_text(v, id, &n);
    if (n != 1) return depth;
    if (*t == '(' || *t == '[') return depth + 1;
    if ((*t == ')' || *t == ']') && depth > 0) return depth - 1;
    return depth;
}

int tc_spacing_depth(const tc_vocab *v, uint32_t id, int depth) { return depth_after(v, id, depth); }

static int skip_kind(const tc_vocab *v, uint32_t id)
{
    uint8_t k = tc_vocab_kind(v, id);
    return id == TC_VOCAB_EOL || k == TC_TOK_INDENT || k == TC_TOK_DEDENT;
}

int tc_spacing_learn(tc_spacing *s, const tc_vocab *v, const uint32_t *items, size_t n)
{
    size_t i;
    int j, depth = n ? depth_after(v, TC_ITEM_ID(items[0]), 0) : 0;
    for (i = 1; i < n; i++) {
        uint32_t a = i >= 2 ? TC_ITEM_ID(items[i - 2]) : TC_VOCAB_BOS;
        uint32_t b = TC_ITEM_ID(items[i - 1]), c = TC_ITEM_ID(items[i]);
        int sp = (int)TC_ITEM_SP(items[i]), inside = depth > 0;
        uint64_t k[4];
        depth = depth_after(v, c, depth);
        if (depth > 64) depth = 64;
        if (skip_kind(v, b) || skip_kind(v, c)) continue; /* indentation is not spacing */
        keys_of(v, inside, a, b, c, k);
        for (j = 0; j < 4; j++)
            if (bump(s, k[j], sp)) return TC_ENOMEM;
    }
    return TC_OK;
}

int tc_spacing_get(const tc_spacing *s, const tc_vocab *v, int inside, uint32_t prev2, uint32_t prev, uint32_t next)
{
    static const uint32_t min_total[4] = {2, 1, 3, 3};
    uint64_t k[4];
    int j;
    if (!s) return -1;
    keys_of(v, inside, prev2, prev, next, k);
    for (j = 0; j < 4; j++) {
        const sp_slot *e = find(s, k[j]);
        if (e->key && e->total >= min_total[j]) {
            if (e->sp * 4 >= e->total * 3) return 1;
            if (e->sp * 4 <= e->total) return 0;
            /* mixed habits at this level: ask a more general one */
        }
    }
    return -1;
}

static int is_wordish(const tc_vocab *v, uint32_t id)
{
    uint8_t k = tc_vocab_kind(v, id);
    return k == TC_TOK_IDENT || k == TC_TOK_KEYWORD || k == TC_TOK_NUMBER || k == TC_TOK_STRING;
}

int tc_spacing_decide(const tc_spacing *first, const tc_spacing *second, const tc_vocab *v, int inside,
                      uint32_t prev2, uint32_t prev, uint32_t next)
{
    int r = tc_spacing_get(first, v, inside, prev2, prev, next);
    if (r < 0) r = tc_spacing_get(second, v, inside, prev2, prev, next);
    if (r < 0) r = is_wordish(v, prev) && is_wordish(v, next);
    return r;
}
