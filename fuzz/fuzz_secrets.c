/* fuzz_secrets.c - libFuzzer target for the secret detector.
 *
 * Input: the text. It is scanned (spans must be in order, not overlapping,
 * inside the text), redacted, checked at every cursor position for "inside
 * a secret" and "typing a secret", and lexed in every language then masked
 * for the index. The text is copied into a buffer of its exact size, so a
 * read past its end is caught. Nothing may crash, leak or read out of
 * bounds. */
#include "context/privacy.h"
#include "context/secrets.h"
#include "lang/lang.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    tc_secrets sp = {0};
    tc_toks tk = {0};
    tc_buf b = {0};
    size_t k, cnt = 0;
    int l;
    if (!s) return 0;
    if (size) memcpy(s, data, size);
    if (tc_secrets_scan(s, size, &sp) == 0) {
        for (k = 0; k < sp.n; k++)
            if (sp.v[k].start >= sp.v[k].end || sp.v[k].end > size || (k && sp.v[k].start < sp.v[k - 1].end))
                abort();
        for (k = 0; k <= size && k < 4096; k++) {
            (void)tc_secrets_inside(&sp, k);
            (void)tc_secrets_typing(s, size, k);
        }
        if (tc_secrets_redact(s, &sp, 0, size, &b, &cnt) == 0 && cnt != sp.n) abort();
    }
    for (l = 0; l < TC_LANG_COUNT; l++) {
        tk.n = 0;
        if (tc_lex((tc_lang)l, s, size, &tk) == 0) (void)tc_secrets_mask_tokens(s, size, (tc_lang)l, &tk);
    }
    tc_buf_free(&b);
    tc_toks_free(&tk);
    tc_secrets_free(&sp);
    free(s);
    return 0;
}
