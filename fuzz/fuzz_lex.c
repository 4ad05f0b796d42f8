/* fuzz_lex.c - libFuzzer target for the lexers.
 *
 * The first byte picks the language (mod TC_LANG_COUNT); the rest is the
 * source. Checks the tc_lex contract (tc_toks_check), that INDENT and
 * DEDENT balance (and appear only for Python), and that lexing appends:
 * a second run into a non-empty array yields the same tokens after them. */
#include "lang/lang.h"
#include "util/status.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tc_toks t = {0};
    tc_lang lang;
    const char *src;
    size_t len, i, n1, ind = 0, ded = 0;
    if (size < 1) return 0;
    lang = (tc_lang)(data[0] % TC_LANG_COUNT);
    src = (const char *)data + 1;
    len = size - 1;
    if (tc_lex(lang, src, len, &t) != TC_OK) abort();
    if (tc_toks_check(&t, src, len) != TC_OK) abort();
    for (i = 0; i < t.n; i++) {
        ind += t.v[i].kind == TC_TOK_INDENT;
        ded += t.v[i].kind == TC_TOK_DEDENT;
    }
    if (ind != ded || (lang != TC_LANG_PYTHON && ind)) abort();
    n1 = t.n;
    if (tc_lex(lang, src, len, &t) != TC_OK || t.n != 2 * n1) abort();
    for (i = 0; i < n1; i++)
        if (t.v[i].off != t.v[n1 + i].off || t.v[i].len != t.v[n1 + i].len ||
            t.v[i].kind != t.v[n1 + i].kind)
            abort();
    tc_toks_free(&t);
    return 0;
}
