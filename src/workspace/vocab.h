/* vocab.h - the token vocabulary: (kind, text) <-> dense uint32 ids.
 *
 * Ids are dense from 0. The first ids are reserved:
 *   TC_VOCAB_UNK (0)  unknown / out of vocabulary
 *   TC_VOCAB_BOS (1)  start of a file (the model's first context token)
 *   TC_VOCAB_EOL (2)  end of line (every NEWLINE token, LF or CRLF)
 * INDENT and DEDENT (Python) are interned with empty text.
 * The vocabulary owns its strings; pointers it returns stay valid until
 * tc_vocab_free (strings live in stable chunks, never moved). Not
 * thread-safe for writers.
 *
 * A vocabulary may sit on a frozen base (tc_vocab_new_on): the persisted
 * table of a loaded index, used in place (mapped, not copied); ids below the
 * base's size are the base's, new tokens get ids after it. Texts of base
 * entries are not NUL-terminated: use the length.
 */
#ifndef TC_VOCAB_H
#define TC_VOCAB_H

#include <stddef.h>
#include <stdint.h>

enum { TC_VOCAB_UNK = 0, TC_VOCAB_BOS = 1, TC_VOCAB_EOL = 2, TC_VOCAB_FIRST = 3 };

typedef struct tc_vocab tc_vocab;

tc_vocab *tc_vocab_new(void);

/* A frozen vocabulary table, as persisted by the index (all arrays are
 * borrowed and must outlive the vocabulary):
 *   kinds[n]         each id's kind
 *   offs[n + 1]      id i's text is strs[offs[i] .. offs[i+1])
 *   slots[mask + 1]  open addressing by tc_vocab_hash() & mask, linear
 *                    probing: id + 1, 0 = empty
 * Every access is bounds-checked (a damaged table yields wrong or empty
 * texts, never a read outside it). */
typedef struct tc_vocab_base {
    uint32_t n, mask;
    const uint8_t *kinds;
    const uint32_t *offs;
    const uint32_t *slots;
    const char *strs;
    uint64_t strs_len;
} tc_vocab_base;

/* New vocabulary on base (which must hold the reserved ids). NULL on ENOMEM. */
tc_vocab *tc_vocab_new_on(const tc_vocab_base *base);
/* The hash a base table is keyed by. */
uint64_t tc_vocab_hash(uint8_t kind, const char *s, size_t n);
void tc_vocab_free(tc_vocab *v);

/* Id of (kind, s[0..n)), adding it if new. TC_OK, TC_ENOMEM, or TC_ETOOBIG
 * (n > UINT32_MAX; nothing added). */
int tc_vocab_intern(tc_vocab *v, uint8_t kind, const char *s, size_t n, uint32_t *id);
/* Id of (kind, s[0..n)) or -1 when absent. */
int64_t tc_vocab_lookup(const tc_vocab *v, uint8_t kind, const char *s, size_t n);
uint32_t tc_vocab_size(const tc_vocab *v);
/* Append (kind, s[0..n)) as the next id without looking it up: for loading
 * a vocabulary already known to be duplicate-free (checksummed). */
int tc_vocab_append_unique(tc_vocab *v, uint8_t kind, const char *s, size_t n, uint32_t *id);
/* Make room for n entries in all (no growth, no rehash while loading). */
int tc_vocab_reserve(tc_vocab *v, uint32_t n);
/* Text of id (NUL-terminated; *len gets its length if len != NULL). */
const char *tc_vocab_text(const tc_vocab *v, uint32_t id, size_t *len);
uint8_t tc_vocab_kind(const tc_vocab *v, uint32_t id);
/* kinds[i] = tc_vocab_kind(v, id of ids[i]) for i < n, where the id is
 * ids[i] itself, or ids[i] >> 1 when items (stream items, tokens.h): one
 * call for a run of tokens instead of one per token. */
void tc_vocab_kinds(const tc_vocab *v, const uint32_t *ids, size_t n, int items, uint8_t *kinds);

#endif
