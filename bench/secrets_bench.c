/* secrets_bench.c - the cost of finding secrets (bench/secrets.sh).
 * Usage: secrets_bench FILE LANG   (LANG: c or python)
 * Prints, best of 9 runs, beside the lexer on the same bytes (the
 * reference, same run): the byte scan of the whole file (tc_secrets_scan),
 * the index's token-driven masking (tc_secrets_mask_tokens after tc_lex),
 * and the per-request scan of a 32 KiB window. */
#include "context/secrets.h"
#include "lang/lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    FILE *f;
    long n;
    char *s;
    tc_lang lang;
    tc_secrets sp = {0};
    tc_toks tk = {0};
    double lex = 1e9, scan = 1e9, mask = 1e9, win = 1e9;
    size_t w = 32768, spans = 0;
    int k;
    if (argc != 3 || !(f = fopen(argv[1], "rb"))) {
        fprintf(stderr, "usage: secrets_bench FILE c|python\n");
        return 2;
    }
    lang = argv[2][0] == 'c' ? TC_LANG_C : TC_LANG_PYTHON;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = malloc((size_t)n + 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) return 1;
    fclose(f);
    if ((size_t)n < w) w = (size_t)n;
    for (k = 0; k < 9; k++) {
        double t0 = now(), t1, t2, t3, t4;
        int j;
        tk.n = 0;
        tc_lex(lang, s, (size_t)n, &tk);
        t1 = now();
        tc_secrets_mask_tokens(s, (size_t)n, lang, &tk);
        t2 = now();
        tc_secrets_scan(s, (size_t)n, &sp);
        spans = sp.n;
        t3 = now();
        for (j = 0; j < 100; j++) tc_secrets_scan(s + (size_t)j * 97 % ((size_t)n - w + 1), w, &sp);
        t4 = now();
        if (t1 - t0 < lex) lex = t1 - t0;
        if (t2 - t1 < mask) mask = t2 - t1;
        if (t3 - t2 < scan) scan = t3 - t2;
        if ((t4 - t3) / 100 < win) win = (t4 - t3) / 100;
    }
    printf("%s: %.1f MB, %zu secrets\n", argv[1], (double)n / 1e6, spans);
    printf("  lexer (reference)          %7.1f ms  %6.0f MB/s\n", lex * 1e3, (double)n / lex / 1e6);
    printf("  index masking (from tokens) %6.1f ms  %6.0f MB/s  = %.2f x the lexer\n", mask * 1e3,
           (double)n / mask / 1e6, mask / lex);
    printf("  byte scan, whole file       %6.1f ms  %6.0f MB/s  = %.2f x the lexer\n", scan * 1e3,
           (double)n / scan / 1e6, scan / lex);
    printf("  per request, 32 KiB window  %6.3f ms\n", win * 1e3);
    tc_secrets_free(&sp);
    tc_toks_free(&tk);
    free(s);
    return 0;
}
