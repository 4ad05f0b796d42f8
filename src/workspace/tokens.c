/* tokens.c - see tokens.h. */
#include "workspace/tokens.h"
#include "context/secrets.h"
#include "util/status.h"

#include <stdlib.h>

void tc_items_free(tc_items *it)
{
    free(it->v);
    it->v = NULL;
    it->n = it->cap = 0;
}

int tc_items_push(tc_items *it, uint32_t item)
{
    if (it->n == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 256;
        uint32_t *v = realloc(it->v, cap * sizeof *v);
        if (!v) return TC_ENOMEM;
        it->v = v;
        it->cap = cap;
    }
    it->v[it->n++] = item;
    return TC_OK;
}

/* Room for n more items in it (one growth for a whole file instead of a
 * test and a call per token). */
static int items_reserve(tc_items *it, size_t n)
{
    size_t cap = it->cap ? it->cap : 256;
    uint32_t *v;
    if (it->cap - it->n >= n) return TC_OK;
    while (cap - it->n < n) cap *= 2;
    if (!(v = realloc(it->v, cap * sizeof *v))) return TC_ENOMEM;
    it->v = v;
    it->cap = cap;
    return TC_OK;
}

int tc_tokens_from_source(tc_vocab *vocab, tc_lang lang, const char *src, size_t len,
                          tc_items *out, tc_items *offs, tc_toks *scratch)
{
    tc_toks local = {0};
    tc_toks *toks = scratch ? scratch : &local;
    uint32_t last_end = 0;
    int first_on_line = 1, rc;

    toks->n = 0;
    rc = tc_lex(lang, src, len, toks);
    if (!rc) rc = tc_secrets_mask_tokens(src, len, lang, toks); /* secret values: TC_VOCAB_UNK */
    if (!rc) rc = items_reserve(out, toks->n);
    if (!rc && offs) rc = items_reserve(offs, toks->n);
    if (rc) goto out;
    {
        /* locals, not it->n: the stores through out and offs would
         * otherwise reload and rewrite the counts for every token */
        const tc_token *t = toks->v, *end = toks->v + toks->n;
        uint32_t *ov = out->v + out->n, *fv = offs ? offs->v + offs->n : NULL;
        for (; t < end; t++) {
            uint32_t id;
            int sp;
            switch (t->kind) {
            case TC_TOK_COMMENT:
                last_end = t->off + t->len;
                continue;
            case TC_TOK_NEWLINE:
                id = TC_VOCAB_EOL;
                sp = 0;
                first_on_line = 1;
                break;
            case TC_TOK_SECRET:
                id = TC_VOCAB_UNK;
                sp = !first_on_line && t->off > last_end;
                first_on_line = 0;
                break;
            default:
                rc = tc_vocab_intern(vocab, t->kind, src + t->off, t->len, &id);
                if (rc) break;
                sp = !first_on_line && t->off > last_end;
                if (t->kind != TC_TOK_INDENT && t->kind != TC_TOK_DEDENT) first_on_line = 0;
                break;
            }
            if (rc) break;
            *ov++ = TC_ITEM(id, sp); /* reserved above */
            if (fv) *fv++ = t->off;
            last_end = t->off + t->len;
        }
        out->n = (size_t)(ov - out->v);
        if (offs) offs->n = (size_t)(fv - offs->v);
    }
out:
    if (!scratch) tc_toks_free(&local);
    return rc;
}
