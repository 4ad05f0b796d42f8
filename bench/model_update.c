/* model_update.c - how long the embedded model takes to follow a one-file
 * edit (the index's buffer overlay -> listener -> counts add/remove), and
 * one suggestion right after it.
 *   bench/model_update ROOT RELPATH [EDITS]
 * RELPATH should be a file of about 2,000 lines. Prints p50/p99/max in ms. */
#include "suggest/suggest.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    tc_engine_opts o;
    tc_engine *e;
    char path[4096], *text;
    FILE *fp;
    long len;
    int edits = argc > 3 ? atoi(argv[3]) : 200, i, lines = 0;
    double *upd, *sug;
    if (argc < 3) {
        fprintf(stderr, "usage: model_update ROOT RELPATH [EDITS]\n");
        return 2;
    }
    tc_log_set_quiet(1);
    memset(&o, 0, sizeof o);
    o.index.root = argv[1];
    o.threshold = -1;
    o.update = 1;
    if (tc_engine_open(&o, &e)) return 1;
    snprintf(path, sizeof path, "%s/%s", argv[1], argv[2]);
    fp = fopen(path, "rb");
    if (!fp) return 1;
    fseek(fp, 0, SEEK_END);
    len = ftell(fp);
    rewind(fp);
    text = malloc((size_t)len + 64);
    if (fread(text, 1, (size_t)len, fp) != (size_t)len) return 1;
    fclose(fp);
    for (i = 0; i < len; i++) lines += text[i] == '\n';
    upd = malloc((size_t)edits * sizeof *upd);
    sug = malloc((size_t)edits * sizeof *sug);
    /* open it once (the first overlay replaces the disk copy's counts) */
    tc_index_set_buffer(tc_engine_index(e), argv[2], text, (size_t)len, NULL);
    for (i = 0; i < edits; i++) {
        /* a keystroke somewhere in the file: change one byte to a letter */
        long at = (long)((unsigned long)(i * 7919L) % (unsigned long)len);
        tc_suggestion s;
        double t0;
        char old = text[at];
        if (text[at] == '\n') at = at > 0 ? at - 1 : at + 1;
        text[at] = (char)('a' + i % 26);
        t0 = now_ms();
        tc_index_set_buffer(tc_engine_index(e), argv[2], text, (size_t)len, NULL);
        upd[i] = now_ms() - t0;
        t0 = now_ms();
        tc_engine_suggest(e, argv[2], text, (size_t)len, (size_t)at + 1, &s);
        sug[i] = now_ms() - t0;
        tc_suggestion_free(&s);
        text[at] = old;
    }
    qsort(upd, (size_t)edits, sizeof *upd, cmp);
    qsort(sug, (size_t)edits, sizeof *sug, cmp);
    printf("file %s: %d lines, %ld bytes; %d edits\n", argv[2], lines, len, edits);
    printf("model update after an edit: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", upd[edits / 2],
           upd[edits * 99 / 100], upd[edits - 1]);
    printf("suggestion right after it:  p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", sug[edits / 2],
           sug[edits * 99 / 100], sug[edits - 1]);
    tc_engine_free(e);
    free(text);
    free(upd);
    free(sug);
    return 0;
}
