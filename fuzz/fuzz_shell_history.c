/* fuzz_shell_history.c - libFuzzer target for history files and the
 * command filter: every format parses any bytes without reading outside
 * them; each command read is NUL-terminated and non-empty; tacit's format
 * reads back what it writes; the filter and the model take each command. */
#include "shell/filter.h"
#include "shell/histfile.h"
#include "shell/model.h"
#include "util/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    tc_shell_hist h = {0}, back = {0};
    tc_shell_model *m = NULL;
    tc_shell_cands out = {0};
    tc_buf b = {0};
    tc_histfmt f = tc_shell_histfile_detect(s, size);
    if (tc_shell_histfile_parse(s, size, f, &h)) goto out;
    for (size_t i = 0; i < h.n; i++)
        if (!h.v[i].cmd[0]) abort();
    if (tc_shell_histfile_write(&h, &b) == TC_OK) {
        if (tc_shell_histfile_parse(b.data, b.len, TC_HIST_TACIT, &back)) goto out;
        if (back.n != h.n) abort();
        for (size_t i = 0; i < h.n; i++)
            if (strcmp(back.v[i].cmd, h.v[i].cmd)) abort();
    }
    if (tc_shell_model_new(NULL, &m)) goto out;
    for (size_t i = 0; i < h.n && i < 200; i++) {
        tc_shell_ctx c = {.prefix = h.v[i].cmd, .prev_status = -1};
        (void)tc_shell_filter_check(h.v[i].cmd, "a*:b?");
        if (tc_shell_model_add(m, &h.v[i])) break;
        if (i % 8 == 0 && tc_shell_model_suggest(m, &c, 3, &out)) break;
    }
out:
    tc_shell_cands_free(&out);
    tc_shell_model_free(m);
    tc_buf_free(&b);
    tc_shell_hist_free(&h);
    tc_shell_hist_free(&back);
    return 0;
}
