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
    uint32_t *used; /* the slots of the n keys, as they came: what a clear zeroes */
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
static uint32_t class_of(uint32_t id, uint8_t k)
{
    if (id < TC_VOCAB_FIRST || k == TC_TOK_PUNCT || k == TC_TOK_KEYWORD || k == TC_TOK_OTHER) return id;
    return 0x7fffff00u + k;
}

static uint32_t tok_class(const tc_vocab *v, uint32_t id) { return class_of(id, tc_vocab_kind(v, id)); }

tc_spacing *tc_spacing_new(void)
{
    tc_spacing *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->mask = 4095;
    s->t = calloc(s->mask + 1, sizeof *s->t);
    s->used = malloc(((s->mask + 1) / 2 + 1) * sizeof *s->used);
    if (!s->t || !s->used) {
        free(s->t);
        free(s->used);
        free(s);
        return NULL;
    }
    return s;
}

void tc_spacing_free(tc_spacing *s)
{
    if (!s) return;
    free(s->t);
    free(s->used);
    free(s);
}

void tc_spacing_clear(tc_spacing *s)
{
    size_t i;
    /* only the slots in use: a buffer's table grown for one request would
     * otherwise be zeroed whole on every request after it */
    for (i = 0; i < s->n; i++) s->t[s->used[i]] = (sp_slot){0, 0, 0};
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
        size_t ncap = (s->mask + 1) * 2, i, k = 0;
        sp_slot *old = s->t, *nt = calloc(ncap, sizeof *nt);
        uint32_t *nu = malloc((ncap / 2 + 1) * sizeof *nu);
        size_t omask = s->mask;
        if (!nt || !nu) {
            free(nt);
            free(nu);
            return TC_ENOMEM;
        }
        s->t = nt;
        s->mask = ncap - 1;
        for (i = 0; i <= omask; i++)
            if (old[i].key) {
                e = find(s, old[i].key);
                *e = old[i];
                nu[k++] = (uint32_t)(e - s->t);
            }
        free(old);
        free(s->used);
        s->used = nu;
    }
    e = find(s, key);
    if (!e->key) {
        e->key = key;
        s->used[s->n++] = (uint32_t)(e - s->t);
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
static void keys_cls(int inside, uint32_t ca, uint32_t b, uint32_t c, uint32_t cb, uint32_t cc, uint64_t k[4])
{
    int t = inside ? 8 : 0;
    k[0] = key3(1 + t, ca, b, c);  /* the token before the pair, as a class */
    k[1] = key3(2 + t, 0, b, c);   /* the exact pair */
    k[2] = key3(3 + t, ca, cb, cc); /* classes of all three */
    k[3] = key3(4 + t, 0, cb, cc);  /* classes of the pair */
}

static void keys_of(const tc_vocab *v, int inside, uint32_t a, uint32_t b, uint32_t c, uint64_t k[4])
{
    keys_cls(inside, tok_class(v, a), b, c, tok_class(v, b), tok_class(v, c), k);
}

/* Bracket depth after token id (only ( and [ count as "inside"). */
static int depth_of(const tc_vocab *v, uint32_t id, uint8_t kind, int depth)
{
    size_t n;
    const char *t;
    if (kind != TC_TOK_PUNCT) return depth;
    t = tc_vocab_text(v, id, &n);
    if (n != 1) return depth;
    if (*t == '(' || *t == '[') return depth + 1;
    if ((*t == ')' || *t == ']') && depth > 0) return depth - 1;
    return depth;
}

int tc_spacing_depth(const tc_vocab *v, uint32_t id, int depth) { return depth_of(v, id, tc_vocab_kind(v, id), depth); }

/* depth_of over a run of tokens: a punctuation id's bracket (+1 opens, -1
 * closes, 0 neither) kept in a small direct-mapped table, so that its text
 * is read once per distinct id, not per token. */
#define BRK_SLOTS 64
typedef struct brk_memo {
    uint32_t id[BRK_SLOTS]; /* UINT32_MAX: empty */
    int8_t br[BRK_SLOTS];
} brk_memo;

static void brk_init(brk_memo *b) { memset(b->id, 0xff, sizeof b->id); }

static int brk_depth(brk_memo *b, const tc_vocab *v, uint32_t id, uint8_t kind, int depth)
{
    unsigned h = (id * 0x9E3779B1u) >> 26;
    if (kind != TC_TOK_PUNCT) return depth;
    if (b->id[h] != id) {
        b->id[h] = id;
        b->br[h] = (int8_t)(depth_of(v, id, kind, 1) - 1);
    }
    if (b->br[h] > 0) return depth + 1;
    if (b->br[h] < 0 && depth > 0) return depth - 1;
    return depth;
}

/* The kinds of a run of ids are looked up SP_RUN at a time (one call into
 * the vocabulary per run, not one per token and use). */
#define SP_RUN 256

int tc_spacing_depth_run(const tc_vocab *v, const uint32_t *ids, size_t n, int depth)
{
    uint8_t kind[SP_RUN];
    size_t i, r;
    brk_memo bm;
    brk_init(&bm);
    for (r = 0; r < n; r += SP_RUN) {
        size_t m = n - r < SP_RUN ? n - r : SP_RUN;
        tc_vocab_kinds(v, ids + r, m, 0, kind);
        for (i = 0; i < m; i++) depth = brk_depth(&bm, v, ids[r + i], kind[i], depth);
    }
    return depth;
}

static int skip_of(uint32_t id, uint8_t k) { return id == TC_VOCAB_EOL || k == TC_TOK_INDENT || k == TC_TOK_DEDENT; }

int tc_spacing_learn(tc_spacing *s, const tc_vocab *v, const uint32_t *items, size_t n)
{
    uint8_t kind[SP_RUN];
    size_t i, r;
    /* the two tokens before c: b, and a as its class ca (each token's kind
     * looked up once) */
    uint32_t b, ca, cb;
    uint8_t kb;
    int j, depth;
    brk_memo bm;
    if (!n) return TC_OK;
    brk_init(&bm);
    ca = tok_class(v, TC_VOCAB_BOS);
    b = TC_ITEM_ID(items[0]);
    kb = tc_vocab_kind(v, b);
    cb = class_of(b, kb);
    depth = depth_of(v, b, kb, 0);
    for (r = 1; r < n; r += SP_RUN) {
        size_t m = n - r < SP_RUN ? n - r : SP_RUN;
        tc_vocab_kinds(v, items + r, m, 1, kind);
        for (i = 0; i < m; i++) {
            uint32_t c = TC_ITEM_ID(items[r + i]), cc = class_of(c, kind[i]);
            int sp = (int)TC_ITEM_SP(items[r + i]), inside = depth > 0;
            uint64_t k[4];
            depth = brk_depth(&bm, v, c, kind[i], depth);
            if (depth > 64) depth = 64;
            if (!skip_of(b, kb) && !skip_of(c, kind[i])) { /* indentation is not spacing */
                keys_cls(inside, ca, b, c, cb, cc, k);
                for (j = 0; j < 4; j++)
                    if (bump(s, k[j], sp)) return TC_ENOMEM;
            }
            ca = cb;
            b = c, cb = cc, kb = kind[i];
        }
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

int tc_spacing_firm(const tc_spacing *s, const tc_vocab *v, int inside, uint32_t prev2, uint32_t prev, uint32_t next)
{
    uint64_t k[4];
    const sp_slot *e;
    if (!s) return -1;
    keys_of(v, inside, prev2, prev, next, k);
    /* the pair with the class of the token before it: the exact pair
     * alone would take `=== -1`'s unary minus for `length - 1`'s */
    e = find(s, k[0]);
    return e->key && e->total >= TC_SPACING_FIRM_MIN && (e->sp == 0 || e->sp == e->total) ? e->sp > 0 : -1;
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
