/* test_vocab.c - interning: the front caches (short tokens by packed bytes,
 * long ones by their first and last 8 bytes) answer what the hash table
 * answers, whatever collides in them. */
#include "test.h"

#include "lang/lang.h"
#include "util/status.h"
#include "workspace/vocab.h"

#include <stdio.h>
#include <string.h>

/* id of (kind, s) twice in a row: the second call is a cache hit */
static uint32_t intern2(tc_vocab *v, uint8_t kind, const char *s, size_t n, int *ok)
{
    uint32_t a = 0, b = 1;
    if (tc_vocab_intern(v, kind, s, n, &a) || tc_vocab_intern(v, kind, s, n, &b) || a != b) *ok = 0;
    return a;
}

TC_TEST(vocab_intern_lengths_and_kinds)
{
    tc_vocab *v = tc_vocab_new();
    const char *text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
    uint32_t ids[2][40];
    size_t n;
    int ok = 1;
    TC_CHECK(v != NULL);
    for (n = 1; n < 40; n++) {
        ids[0][n] = intern2(v, TC_TOK_IDENT, text, n, &ok);
        ids[1][n] = intern2(v, TC_TOK_STRING, text, n, &ok);
    }
    TC_CHECK(ok);
    for (n = 1; n < 40; n++) {
        size_t tl = 0;
        const char *t = tc_vocab_text(v, ids[0][n], &tl);
        TC_CHECK(ids[0][n] != ids[1][n]); /* same bytes, other kind */
        TC_CHECK(n == 1 || ids[0][n] != ids[0][n - 1]);
        TC_CHECK(tl == n && memcmp(t, text, n) == 0);
        TC_CHECK_EQ_INT(tc_vocab_kind(v, ids[1][n]), TC_TOK_STRING);
        TC_CHECK_EQ_INT(tc_vocab_lookup(v, TC_TOK_IDENT, text, n), ids[0][n]);
    }
    tc_vocab_free(v);
}

/* Long tokens alike in their first and last 8 bytes and their length: one
 * cache key, told apart by their middles. */
TC_TEST(vocab_intern_long_collisions)
{
    tc_vocab *v = tc_vocab_new();
    static uint32_t ids[3000];
    char buf[32];
    int i, ok = 1;
    TC_CHECK(v != NULL);
    for (i = 0; i < 3000; i++) {
        snprintf(buf, sizeof buf, "prefix00%04dsuffix00", i);
        ids[i] = intern2(v, TC_TOK_IDENT, buf, strlen(buf), &ok);
    }
    for (i = 2999; i >= 0; i--) {
        uint32_t id = 0;
        snprintf(buf, sizeof buf, "prefix00%04dsuffix00", i);
        if (tc_vocab_intern(v, TC_TOK_IDENT, buf, strlen(buf), &id) || id != ids[i]) ok = 0;
        if (i && ids[i] == ids[i - 1]) ok = 0;
    }
    TC_CHECK(ok);
    TC_CHECK_EQ_INT(tc_vocab_size(v), 3 + 3000);
    tc_vocab_free(v);
}
