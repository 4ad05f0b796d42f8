/* fuzz_model_load.c - the model file loader on arbitrary bytes.
 *
 * Input: one flag byte, then the file. With bit 0 of the flag set, the
 * target first writes the right checksums into (a copy of) the header, so
 * that mutations also reach the checks behind them. The corpus it loads
 * against is fixed (two tiny files). Must never crash or leak. */
#include "model/model_int.h"
#include "util/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t T[11 + TC_MODEL_MAX_ORDER] = {
    TC_VOCAB_BOS, 5, 6, 7, 5, 6, TC_SEP, TC_VOCAB_BOS, 8, 5, TC_SEP,
    TC_SEP, TC_SEP, TC_SEP, TC_SEP, TC_SEP, TC_SEP, TC_SEP, TC_SEP};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t *pos = NULL, npos = 0;
    uint8_t *copy;
    int rc;
    if (size < 1) return 0;
    copy = malloc(size);
    if (!copy) return 0;
    memcpy(copy, data + 1, size - 1);
    if ((data[0] & 1) && size - 1 >= 40) {
        uint64_t th = tc_model_io_hash_text(T, 11);
        uint64_t ph = XXH3_64bits(copy + 40, size - 1 - 40);
        int i;
        for (i = 0; i < 8; i++) {
            copy[24 + i] = (uint8_t)(th >> (8 * i));
            copy[32 + i] = (uint8_t)(ph >> (8 * i));
        }
    }
    rc = tc_model_io_parse(copy, size - 1, T, 11, data[0] & 2 ? 3 : 6, &pos, &npos);
    if (rc == TC_OK) {
        tc_sa sa;
        /* what the model does with a loaded array: bucket it, then count */
        if (tc_sa_adopt(&sa, T, 11, pos, npos, NULL, 0) == TC_OK) {
            tc_rng r = tc_sa_narrow(&sa, tc_sa_all(&sa), 0, 5);
            r = tc_sa_narrow(&sa, r, 1, 6);
            (void)tc_sa_ctx_count(&sa, r, 2);
            (void)tc_sa_groups(&sa, tc_sa_all(&sa), 0, NULL, 100);
            tc_sa_free(&sa);
        } else {
            free(pos);
        }
    }
    free(copy);
    return 0;
}
