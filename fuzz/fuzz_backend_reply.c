/* fuzz_backend_reply.c - libFuzzer target for parsing server replies.
 *
 * The first byte picks the protocol (mod TC_PROTO_COUNT) and how the rest
 * is cut into pieces (as a network delivers it: the parser must give the
 * same result whatever the cuts). Checks: no crash, no read out of bounds,
 * the text is NUL-terminated and its length matches, and feeding the body
 * in one piece or in small pieces yields the same text and state. */
#include "backend/reply.h"
#include "util/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(tc_proto proto, const char *p, size_t n, size_t step, tc_reply *r)
{
    size_t off = 0;
    tc_reply_init(r, proto);
    while (off < n) {
        size_t k = step && n - off > step ? step : n - off;
        if (tc_reply_feed(r, p + off, k) != TC_OK) break;
        off += k;
    }
    tc_reply_finish(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tc_reply a, b;
    tc_proto proto;
    size_t step;
    if (size < 1) return 0;
    proto = (tc_proto)(data[0] % TC_PROTO_COUNT);
    step = 1 + (data[0] >> 2) % 17;
    run(proto, (const char *)data + 1, size - 1, 0, &a);
    run(proto, (const char *)data + 1, size - 1, step, &b);
    if (!a.text.data || strlen(a.text.data) > a.text.len) abort();
    if (!b.text.data || strlen(b.text.data) > b.text.len) abort();
    /* the same text whatever the cuts (embedded NULs compared too) */
    if (a.text.len != b.text.len || memcmp(a.text.data, b.text.data, a.text.len) != 0) abort();
    if (a.done != b.done || a.tokens_evaluated != b.tokens_evaluated || (!a.error) != (!b.error)) abort();
    tc_reply_free(&a);
    tc_reply_free(&b);
    return 0;
}
