/* fuzz_edit.c - libFuzzer target for next edits (src/edit/).
 *
 * The first byte picks the language (mod TC_LANG_COUNT); the rest is the
 * text before an edit and the text after it, split at the first 0xFF
 * byte (none: the after text is the before text with its middle third
 * dropped). Whatever rule comes out, its sites in both texts lie inside
 * them, in order, without overlapping; the tracker and the prompt take
 * the same texts. */
#include "edit/edit.h"
#include "util/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_sites(const tc_edit_rule *r, const tc_edit_src *src, int origin)
{
    tc_edit_sites s = {0};
    size_t i;
    if (tc_edit_rule_sites(r, src, origin, &s) != TC_OK) abort();
    for (i = 0; i < s.n; i++) {
        if (s.v[i].a > s.v[i].b || s.v[i].b > src->len || !s.v[i].text) abort();
        if (i && s.v[i - 1].b > s.v[i].a) abort();
    }
    tc_edit_sites_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text, *sep;
    char *after;
    size_t len, blen, alen;
    tc_edit_rule *r = NULL;
    tc_edit_tracker *t;
    char *prompt = NULL;
    if (size < 1) return 0;
    text = (const char *)data + 1;
    len = size - 1;
    sep = memchr(text, 0xFF, len);
    if (sep) {
        blen = (size_t)(sep - text);
        alen = len - blen - 1;
        if (!(after = malloc(alen + 1))) return 0;
        memcpy(after, sep + 1, alen);
    } else {
        blen = len;
        alen = len - len / 3;
        if (!(after = malloc(alen + 1))) return 0;
        memcpy(after, text, len / 3);
        memcpy(after + len / 3, text + 2 * (len / 3), len - 2 * (len / 3));
    }
    after[alen] = 0;
    {
        tc_edit_src b = {"f", text, blen, (tc_lang)(data[0] % TC_LANG_COUNT)};
        tc_edit_src a = {"f", after, alen, b.lang};
        int rc = tc_edit_synth(&b, after, alen, &r);
        if (rc != TC_OK && rc != TC_ENOENT && rc != TC_ENOMEM && rc != TC_ETOOBIG) abort();
        if (r) {
            check_sites(r, &a, 1);
            check_sites(r, &b, 0);
            tc_edit_rule_shift(r, 0, alen / 2, 3);
        }
        tc_edit_rule_free(r);
    }
    if ((t = tc_edit_tracker_new()) != NULL) {
        const char *k, *bt;
        size_t bl;
        tc_edit_tracker_change(t, "u", text, blen, blen / 3, blen / 2, 2);
        tc_edit_tracker_change(t, "u", after, alen, alen / 4, alen / 4, 1);
        k = tc_edit_tracker_burst(t, &bt, &bl);
        if (k && (!bt || strcmp(k, "u") != 0)) abort();
        tc_edit_tracker_free(t);
    }
    if (tc_edit_prompt("f", text, blen, after, alen, alen / 2, &prompt) == TC_OK && !prompt) abort();
    free(prompt);
    free(after);
    return 0;
}
