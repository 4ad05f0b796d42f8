/* vocab.c - see vocab.h.
 *
 * Open-addressing hash table (linear probing). A slot holds the id and the
 * hash's top 32 bits, so a probe rarely touches the entry array (a cache
 * miss) unless the hash matches. Strings live in chunks that never move, so
 * tc_vocab_text pointers stay valid. */
#include "workspace/vocab.h"
#include "lang/lang.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct vocab_entry {
    uint64_t hash;
    const char *s;
    uint32_t len;
    uint8_t kind;
} vocab_entry;

typedef struct vocab_chunk {
    struct vocab_chunk *next;
    size_t used, cap;
    char data[];
} vocab_chunk;

typedef struct vocab_slot {
    uint32_t id1;  /* id + 1; 0 = empty */
    uint32_t tag;  /* hash >> 32 */
} vocab_slot;

/* A direct-mapped front cache for short tokens (up to 7 bytes: most tokens
 * of any language): the key packs kind, length and bytes exactly, so a hit
 * needs neither a hash nor a string compare. */
#define VOCAB_FRONT_BITS 16
typedef struct front_ent {
    uint64_t key; /* 0 = empty */
    uint32_t id;
} front_ent;

/* Its twin for longer tokens (8 bytes and up): keyed by a mix of the first
 * and last 8 bytes, the length and the kind; a hit compares the stored text
 * (which never moves) instead of hashing the whole token and probing. */
#define VOCAB_LONG_BITS 14
typedef struct long_ent {
    const char *s; /* NULL = empty */
    uint64_t key;
    uint32_t len, id;
} long_ent;

struct tc_vocab {
    front_ent *front;
    long_ent *front_long;
    tc_vocab_base base; /* frozen entries: ids [0, base.n); n == 0 if none */
    uint8_t *kinds;    /* by id - base.n: a dense copy of each entry's kind */
    vocab_entry *ents; /* by id - base.n */
    uint32_t n, cap;   /* entries of our own (ids base.n + i) */
    vocab_slot *slots; /* id+1 (0 = empty) and the hash's top bits */
    uint32_t mask;     /* slot count - 1 */
    vocab_chunk *chunks;
};

static uint64_t vocab_hash(uint8_t kind, const char *s, size_t n)
{
    return XXH3_64bits_withSeed(s, n, (uint64_t)kind * 0x9E3779B97F4A7C15ull + 1);
}

uint64_t tc_vocab_hash(uint8_t kind, const char *s, size_t n) { return vocab_hash(kind, s, n); }

/* A base entry's text, bounds-checked. */
static const char *base_text(const tc_vocab_base *b, uint32_t id, size_t *len)
{
    uint32_t a = b->offs[id], e = b->offs[id + 1];
    if (a > e || e > b->strs_len) {
        *len = 0;
        return "";
    }
    *len = e - a;
    return b->strs + a;
}

static int64_t base_find(const tc_vocab_base *b, uint64_t h, uint8_t kind, const char *s, size_t n)
{
    uint32_t slot = (uint32_t)h & b->mask, probes;
    if (!b->n) return -1;
    for (probes = 0; probes <= b->mask; probes++) {
        uint32_t id1 = b->slots[slot];
        if (!id1) return -1;
        if (id1 <= b->n && b->kinds[id1 - 1] == kind) {
            size_t tl;
            const char *t = base_text(b, id1 - 1, &tl);
            if (tl == n && memcmp(t, s, n) == 0) return id1 - 1;
        }
        slot = (slot + 1) & b->mask;
    }
    return -1;
}

static const char *vocab_store(tc_vocab *v, const char *s, size_t n)
{
    vocab_chunk *c = v->chunks;
    char *p;
    if (!c || c->cap - c->used < n + 1) {
        size_t cap = n + 1 > (1u << 20) ? n + 1 : (1u << 20);
        c = malloc(sizeof *c + cap);
        if (!c) return NULL;
        c->next = v->chunks;
        c->used = 0;
        c->cap = cap;
        v->chunks = c;
    }
    p = c->data + c->used;
    memcpy(p, s, n);
    p[n] = 0;
    c->used += n + 1;
    return p;
}

static int vocab_grow_slots(tc_vocab *v)
{
    uint32_t ns = (v->mask + 1) * 2, i;
    vocab_slot *slots = calloc(ns, sizeof *slots);
    if (!slots) return TC_ENOMEM;
    for (i = 0; i < v->n; i++) {
        uint32_t h = (uint32_t)v->ents[i].hash & (ns - 1);
        while (slots[h].id1) h = (h + 1) & (ns - 1);
        slots[h].id1 = i + 1;
        slots[h].tag = (uint32_t)(v->ents[i].hash >> 32);
    }
    free(v->slots);
    v->slots = slots;
    v->mask = ns - 1;
    return TC_OK;
}

static int vocab_add(tc_vocab *v, uint64_t h, uint8_t kind, const char *s, size_t n, uint32_t *id)
{
    uint32_t slot;
    if (n > UINT32_MAX) return TC_ETOOBIG;
    if ((uint64_t)(v->n + 1) * 2 > (uint64_t)v->mask + 1 && vocab_grow_slots(v)) return TC_ENOMEM;
    if (v->n == v->cap && tc_vocab_reserve(v, v->cap ? v->cap * 2 : 1024)) return TC_ENOMEM;
    {
        const char *p = vocab_store(v, s, n);
        if (!p) return TC_ENOMEM;
        v->ents[v->n].s = p;
    }
    v->ents[v->n].hash = h;
    v->ents[v->n].len = (uint32_t)n;
    v->ents[v->n].kind = kind;
    v->kinds[v->n] = kind;
    slot = (uint32_t)h & v->mask;
    while (v->slots[slot].id1) slot = (slot + 1) & v->mask;
    v->slots[slot].id1 = v->n + 1;
    v->slots[slot].tag = (uint32_t)(h >> 32);
    *id = v->base.n + v->n++;
    return TC_OK;
}

/* An empty vocabulary over base (NULL: none) with its tables allocated;
 * NULL on ENOMEM. */
static tc_vocab *vocab_alloc(const tc_vocab_base *base)
{
    tc_vocab *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    if (base) v->base = *base;
    v->mask = 1023;
    v->slots = calloc(v->mask + 1, sizeof *v->slots);
    v->front = calloc((size_t)1 << VOCAB_FRONT_BITS, sizeof *v->front);
    v->front_long = calloc((size_t)1 << VOCAB_LONG_BITS, sizeof *v->front_long);
    if (!v->slots || !v->front || !v->front_long) {
        tc_vocab_free(v);
        return NULL;
    }
    return v;
}

tc_vocab *tc_vocab_new_on(const tc_vocab_base *base) { return vocab_alloc(base); }

tc_vocab *tc_vocab_new(void)
{
    tc_vocab *v = vocab_alloc(NULL);
    uint32_t id;
    if (!v) return NULL;
    /* Reserved ids, in order: UNK, BOS, EOL. Their kinds keep them apart
     * from any real token's (kind, text). */
    if (vocab_add(v, vocab_hash(TC_TOK_KIND_COUNT, "<unk>", 5), TC_TOK_KIND_COUNT, "<unk>", 5, &id)) goto fail;
    if (vocab_add(v, vocab_hash(TC_TOK_KIND_COUNT, "<s>", 3), TC_TOK_KIND_COUNT, "<s>", 3, &id)) goto fail;
    if (vocab_add(v, vocab_hash(TC_TOK_NEWLINE, "\n", 1), TC_TOK_NEWLINE, "\n", 1, &id)) goto fail;
    return v;
fail:
    tc_vocab_free(v);
    return NULL;
}

void tc_vocab_free(tc_vocab *v)
{
    vocab_chunk *c, *next;
    if (!v) return;
    for (c = v->chunks; c; c = next) {
        next = c->next;
        free(c);
    }
    free(v->ents);
    free(v->kinds);
    free(v->slots);
    free(v->front);
    free(v->front_long);
    free(v);
}

static int64_t vocab_find(const tc_vocab *v, uint64_t h, uint8_t kind, const char *s, size_t n)
{
    uint32_t slot = (uint32_t)h & v->mask, tag = (uint32_t)(h >> 32);
    int64_t b = base_find(&v->base, h, kind, s, n);
    if (b >= 0) return b;
    for (;;) {
        const vocab_slot *sl = &v->slots[slot];
        if (!sl->id1) return -1;
        if (sl->tag == tag) {
            const vocab_entry *ent = &v->ents[sl->id1 - 1];
            if (ent->hash == h && ent->len == n && ent->kind == kind && memcmp(ent->s, s, n) == 0)
                return (int64_t)v->base.n + sl->id1 - 1;
        }
        slot = (slot + 1) & v->mask;
    }
}

/* Bytes s[0..n) little-endian in a uint64 (1 <= n <= 7), without a call
 * to memcpy of a variable length: two loads that overlap. */
static inline uint64_t front_bytes(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + n - 4, 4);
        return (uint64_t)lo | (uint64_t)hi << (8 * (n - 4));
    }
    return (uint64_t)p[0] | (uint64_t)p[n >> 1] << (8 * (n >> 1)) | (uint64_t)p[n - 1] << (8 * (n - 1));
}

static inline uint64_t front_key(uint8_t kind, const char *s, size_t n)
{
    uint64_t k = front_bytes(s, n); /* n <= 7: the top byte stays free */
    return (k | (uint64_t)(n & 7) << 56 | (uint64_t)(kind & 15) << 59) | 1ull << 63;
}

static size_t front_slot(uint64_t key)
{
    key ^= key >> 29;
    key *= 0xBF58476D1CE4E5B9ull;
    return (size_t)(key >> (64 - VOCAB_FRONT_BITS));
}

/* Hash, probe, add: tc_vocab_intern past the front caches. */
static int intern_find_add(tc_vocab *v, uint8_t kind, const char *s, size_t n, uint32_t *id)
{
    uint64_t h = vocab_hash(kind, s, n);
    int64_t found = vocab_find(v, h, kind, s, n);
    if (found < 0) return vocab_add(v, h, kind, s, n, id);
    *id = (uint32_t)found;
    return TC_OK;
}

/* A short token (1-7 bytes) whose front slot fe missed. Out of line (as is
 * intern_long), so that a front hit, most calls, needs no stack frame. */
static __attribute__((noinline)) int intern_short(tc_vocab *v, uint8_t kind, const char *s, size_t n, uint32_t *id,
                                                  front_ent *fe)
{
    int rc = intern_find_add(v, kind, s, n, id);
    if (!rc) {
        fe->key = front_key(kind, s, n);
        fe->id = *id;
    }
    return rc;
}

/* A token of 8 bytes or more. n may pass UINT32_MAX: no cache entry then
 * has its length, and vocab_add refuses it (TC_ETOOBIG), the one place
 * that enforces the limit. */
static __attribute__((noinline)) int intern_long(tc_vocab *v, uint8_t kind, const char *s, size_t n, uint32_t *id)
{
    uint64_t lo, hi, key;
    long_ent *le;
    int rc;
    memcpy(&lo, s, 8);
    memcpy(&hi, s + n - 8, 8);
    key = (lo * 0x9E3779B97F4A7C15ull) ^ (hi * 0xC2B2AE3D27D4EB4Full) ^ ((uint64_t)n << 8 | kind);
    key ^= key >> 31;
    key *= 0xBF58476D1CE4E5B9ull;
    le = &v->front_long[key >> (64 - VOCAB_LONG_BITS)];
    if (le->s && le->key == key && le->len == n && memcmp(le->s, s, n) == 0) {
        *id = le->id;
        return TC_OK;
    }
    rc = intern_find_add(v, kind, s, n, id);
    if (!rc) {
        /* *id's text is s[0..n) (found by a full compare, or just stored),
         * so the entry keeps the stored copy, which never moves; its kind
         * is in the key, its bytes in the compare above */
        le->s = tc_vocab_text(v, *id, NULL);
        le->key = key;
        le->len = (uint32_t)n;
        le->id = *id;
    }
    return rc;
}

int tc_vocab_intern(tc_vocab *v, uint8_t kind, const char *s, size_t n, uint32_t *id)
{
    if (n - 1 < 7 && kind < 16) {
        uint64_t fk = front_key(kind, s, n);
        front_ent *fe = &v->front[front_slot(fk)];
        if (fe->key == fk) {
            *id = fe->id;
            return TC_OK;
        }
        return intern_short(v, kind, s, n, id, fe);
    }
    if (n >= 8) return intern_long(v, kind, s, n, id);
    return intern_find_add(v, kind, s, n, id);
}

int tc_vocab_append_unique(tc_vocab *v, uint8_t kind, const char *s, size_t n, uint32_t *id)
{
    return vocab_add(v, vocab_hash(kind, s, n), kind, s, n, id);
}

int64_t tc_vocab_lookup(const tc_vocab *v, uint8_t kind, const char *s, size_t n)
{
    return vocab_find(v, vocab_hash(kind, s, n), kind, s, n);
}

uint32_t tc_vocab_size(const tc_vocab *v) { return v->base.n + v->n; }

const char *tc_vocab_text(const tc_vocab *v, uint32_t id, size_t *len)
{
    size_t l;
    const char *t;
    if (id >= v->base.n + v->n) id = TC_VOCAB_UNK;
    if (id < v->base.n) {
        t = base_text(&v->base, id, &l);
    } else {
        t = v->ents[id - v->base.n].s;
        l = v->ents[id - v->base.n].len;
    }
    if (len) *len = l;
    return t;
}

uint8_t tc_vocab_kind(const tc_vocab *v, uint32_t id)
{
    if (id >= v->base.n + v->n) id = TC_VOCAB_UNK;
    return id < v->base.n ? v->base.kinds[id] : v->kinds[id - v->base.n];
}

void tc_vocab_kinds(const tc_vocab *v, const uint32_t *ids, size_t n, int items, uint8_t *kinds)
{
    uint32_t nb = v->base.n, all = v->base.n + v->n, sh = items ? 1 : 0;
    size_t i;
    for (i = 0; i < n; i++) {
        uint32_t id = ids[i] >> sh;
        if (id >= all) id = TC_VOCAB_UNK;
        kinds[i] = id < nb ? v->base.kinds[id] : v->kinds[id - nb];
    }
}

int tc_vocab_reserve(tc_vocab *v, uint32_t n)
{
    if (n > v->cap) {
        vocab_entry *e = realloc(v->ents, (size_t)n * sizeof *e);
        uint8_t *k;
        if (!e) return TC_ENOMEM;
        v->ents = e;
        k = realloc(v->kinds, n);
        if (!k) return TC_ENOMEM;
        v->kinds = k;
        v->cap = n;
    }
    while ((uint64_t)n * 2 > (uint64_t)v->mask + 1)
        if (vocab_grow_slots(v)) return TC_ENOMEM;
    return TC_OK;
}
