/* tokens.h - source text -> the index's token stream.
 *
 * The index keeps each file as a sequence of "stream items": one uint32 per
 * token, (vocab id << 1) | space_before, where space_before says the token
 * was preceded by white space on its own line (so suggestions can be
 * rendered back with the spacing the repository uses). Comments are
 * dropped (a comment-only line keeps its EOL), every line end is
 * TC_VOCAB_EOL, and leading indentation is not a space. The stream does not
 * include BOS; models add it. Secret values (context/secrets.h) become
 * TC_VOCAB_UNK: the model sees a placeholder it never suggests.
 */
#ifndef TC_TOKENS_H
#define TC_TOKENS_H

#include "lang/lang.h"
#include "workspace/vocab.h"

#include <stddef.h>
#include <stdint.h>

#define TC_ITEM_ID(x) ((x) >> 1)
#define TC_ITEM_SP(x) ((x) & 1u)
#define TC_ITEM(id, sp) (((uint32_t)(id) << 1) | ((sp) ? 1u : 0u))

typedef struct tc_items {
    uint32_t *v; /* owned */
    size_t n, cap;
} tc_items;

void tc_items_free(tc_items *it);
int tc_items_push(tc_items *it, uint32_t item);

/* Lex src as lang and append its stream items to out, interning new tokens
 * in vocab. If offs is not NULL it receives, per item, the byte offset of the
 * token in src (for mapping a cursor to a position in the stream). scratch
 * is reused between calls to avoid allocation (may be NULL).
 * Returns TC_OK, TC_ENOMEM or TC_ETOOBIG. */
int tc_tokens_from_source(tc_vocab *vocab, tc_lang lang, const char *src, size_t len,
                          tc_items *out, tc_items *offs, tc_toks *scratch);

#endif
