/* dump.h - read a TACIT_RANK_DUMP file for prior.c and cv.c.
 *
 * The file is what fit.sh writes: per repository a line "# NAME", then one
 * line per candidate "CASE LABEL F0 .. F(TC_RANK_NF-1)" (CASE: the masked case's number
 * within its repository, LABEL 1 when the candidate is the masked text).
 * A repository may have several sections (samples of other seeds): a
 * section whose NAME was seen before is the same repository. A
 * candidate's group (its request) is its section and case; groups are
 * contiguous. */
#ifndef RANKFIT_DUMP_H
#define RANKFIT_DUMP_H

#include "rank/rank.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    float *X;     /* n x TC_RANK_NF */
    uint8_t *y;   /* n labels */
    long *cid;    /* n group keys: repository * 100000 + case */
    int *rep;     /* n repository numbers, from 0 */
    size_t n;
    int nrepo;
    char names[64][64]; /* repository names, by number */
} dump;

/* 0 on success; a message on stderr and -1 otherwise. */
static int dump_read(dump *d, const char *path) {
    static char line[16384];
    size_t cap = 1 << 16;
    FILE *fp = fopen(path, "r");
    if (!fp) { perror(path); return -1; }
    int sect = 0, cur = -1;
    d->n = 0; d->nrepo = 0;
    d->X = malloc(cap * TC_RANK_NF * sizeof *d->X); d->y = malloc(cap);
    d->cid = malloc(cap * sizeof *d->cid); d->rep = malloc(cap * sizeof *d->rep);
    while (d->X && d->y && d->cid && d->rep && fgets(line, sizeof line, fp)) {
        char *p = line, *q;
        long c;
        if (line[0] == '#') {
            char name[64] = "";
            sscanf(line, "# %63s", name);
            sect++;
            for (cur = 0; cur < d->nrepo && strcmp(d->names[cur], name); cur++) {}
            if (cur == d->nrepo) {
                if (d->nrepo == 64) { fprintf(stderr, "%s: more than 64 repositories\n", path); fclose(fp); return -1; }
                strcpy(d->names[d->nrepo++], name);
            }
            continue;
        }
        if (cur < 0) { fprintf(stderr, "%s: a candidate before the first '# NAME' line\n", path); fclose(fp); return -1; }
        c = strtol(p, &q, 10);
        if (q == p) { fprintf(stderr, "%s: bad line: %.60s\n", path, line); fclose(fp); return -1; }
        d->y[d->n] = (uint8_t)strtol(q, &p, 10);
        for (int f = 0; f < TC_RANK_NF; f++) d->X[d->n * TC_RANK_NF + f] = strtof(p, &p);
        d->cid[d->n] = (long)sect * 100000 + c;
        d->rep[d->n] = cur;
        if (++d->n == cap) {
            cap *= 2;
            d->X = realloc(d->X, cap * TC_RANK_NF * sizeof *d->X); d->y = realloc(d->y, cap);
            d->cid = realloc(d->cid, cap * sizeof *d->cid); d->rep = realloc(d->rep, cap * sizeof *d->rep);
        }
    }
    fclose(fp);
    if (!d->X || !d->y || !d->cid || !d->rep) { fprintf(stderr, "out of memory\n"); return -1; }
    if (!d->n) { fprintf(stderr, "%s: no candidates\n", path); return -1; }
    return 0;
}

#endif
