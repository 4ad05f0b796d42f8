/* cases.c - see cases.h. */
#include "workspace/cases.h"
#include "lang/lang.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

void tc_case_free(tc_case *c)
{
    free(c->id);
    free(c->path);
    free(c->prefix);
    free(c->suffix);
    free(c->expected);
    free(c->kind);
    free(c->root);
}

void tc_caseset_free(tc_caseset *cs)
{
    size_t i;
    for (i = 0; i < cs->n; i++) tc_case_free(&cs->v[i]);
    free(cs->v);
    memset(cs, 0, sizeof *cs);
}

tc_case *tc_caseset_push(tc_caseset *cs)
{
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 256;
        tc_case *v = realloc(cs->v, cap * sizeof *v);
        if (!v) return NULL;
        cs->v = v;
        cs->cap = cap;
    }
    memset(&cs->v[cs->n], 0, sizeof cs->v[0]);
    return &cs->v[cs->n++];
}

/* splitmix64: small, seedable, the same on every machine. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

enum { MASK_LINE_START, MASK_MID_LINE, MASK_BLOCK };

/* For a block case starting on the line that ends at *end (hi = the index
 * of its newline or len): extend *end over the next lines, k lines in all
 * (k drawn in 2..10), stopping before the first blank line. 1 if the block
 * has at least 2 lines and at most 2,000 bytes. */
static int block_extend(const char *text, size_t len, size_t hi, size_t *end, uint64_t *rng)
{
    size_t want = 2 + (size_t)(rng_next(rng) % 9), got = 1, lo, e;
    while (got < want && hi < len) {
        lo = hi + 1;
        hi = lo;
        while (hi < len && text[hi] != '\n') hi++;
        e = hi;
        while (e > lo && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) e--;
        if (e == lo) break; /* blank line: the block ends before it */
        *end = e;
        got++;
    }
    return got >= 2;
}

/* Make one case from the line that starts at byte lo of text (how:
 * MASK_*; rng only for blocks); 1 if made. kind NULL: the one of how. */
static int line_case(tc_caseset *out, const char *relpath, tc_lang lang, const char *text, size_t len,
                     size_t lo, int how, uint64_t *rng, const char *id, const char *kind)
{
    tc_toks toks = {0};
    size_t i, hi, first = (size_t)-1, second = (size_t)-1, cur_s, end;
    tc_case *c;
    int made = 0;
    hi = lo;
    while (hi < len && text[hi] != '\n') hi++;
    end = hi;
    while (end > lo && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) end--;
    if (end == lo || end - lo > 240) return 0;
    /* Lex the file: a line that starts inside a multi-line string or
     * comment (a docstring's prose) is not code and is not sampled; the
     * line's own first tokens tell indentation, comment-only lines, and
     * where the first word ends. */
    if (tc_lex(lang, text, len, &toks)) goto out;
    for (i = 0; i < toks.n && toks.v[i].off + toks.v[i].len <= lo; i++)
        ;
    if (i < toks.n && toks.v[i].off < lo) goto out;
    for (; i < toks.n && toks.v[i].off < end; i++) {
        uint8_t k = toks.v[i].kind;
        if (k == TC_TOK_NEWLINE || k == TC_TOK_INDENT || k == TC_TOK_DEDENT) continue;
        if (k == TC_TOK_COMMENT) break;
        if (first == (size_t)-1) first = i;
        else {
            second = i;
            break;
        }
    }
    if (first == (size_t)-1 || toks.v[first].off + toks.v[first].len > end) goto out; /* blank, comment-only */
    if (how == MASK_MID_LINE) {
        uint8_t k = toks.v[first].kind;
        if (second == (size_t)-1 || (k != TC_TOK_IDENT && k != TC_TOK_KEYWORD)) goto out;
        cur_s = toks.v[first].off + toks.v[first].len;
    } else {
        cur_s = toks.v[first].off;
    }
    if (cur_s >= end) goto out;
    if (how == MASK_BLOCK && (!block_extend(text, len, hi, &end, rng) || end - cur_s > 2000)) goto out;
    c = tc_caseset_push(out);
    if (!c) goto out;
    c->id = strdup(id);
    c->path = strdup(relpath);
    c->prefix = tc_memdup_str(text, cur_s);
    c->expected = tc_memdup_str(text + cur_s, end - cur_s);
    c->suffix = tc_memdup_str(text + end, len - end);
    c->kind = strdup(kind ? kind : how == MASK_BLOCK ? "block" : how == MASK_MID_LINE ? "mid-line" : "line-start");
    if (!c->id || !c->path || !c->prefix || !c->expected || !c->suffix || !c->kind) {
        tc_case_free(c);
        out->n--;
        goto out;
    }
    made = 1;
out:
    tc_toks_free(&toks);
    return made;
}

/* Try to make one case from a random line of text; 1 if made. The id is
 * prefix (may be "") followed by the number id. */
static int mask_one(tc_caseset *out, const char *relpath, tc_lang lang, const char *text, size_t len,
                    uint64_t *rng, int how, const char *idprefix, size_t id)
{
    size_t i, nlines = 0, target, line = 0, lo = 0;
    char tmp[32];
    for (i = 0; i < len; i++)
        if (text[i] == '\n') nlines++;
    if (!nlines) return 0;
    target = (size_t)(rng_next(rng) % nlines);
    for (i = 0; i < len && line < target; i++)
        if (text[i] == '\n') {
            line++;
            lo = i + 1;
        }
    snprintf(tmp, sizeof tmp, "%s%zu", idprefix, id);
    return line_case(out, relpath, lang, text, len, lo, how, rng, tmp, NULL);
}

int tc_cases_line(tc_caseset *out, const char *relpath, tc_lang lang, const char *text, size_t len,
                  size_t lo, const char *id, const char *kind)
{
    return line_case(out, relpath, lang, text, len, lo, MASK_LINE_START, NULL, id, kind);
}

typedef struct path_no {
    const char *path;
    size_t f;
} path_no;

/* Paths in the order of a fresh walk: folder by folder, names by strcmp
 * ("a/b.c" before "a.c": a '/' ends a name, so it sorts below any byte). */
static int cmp_walk_order(const void *a, const void *b)
{
    const unsigned char *p = (const unsigned char *)((const path_no *)a)->path;
    const unsigned char *q = (const unsigned char *)((const path_no *)b)->path;
    while (*p && *p == *q) p++, q++;
    return (*p == '/' ? 1 : *p) - (*q == '/' ? 1 : *q);
}

/* The sample depends on the files and the seed only, not on the index's
 * history: files are drawn in path order, the order of a fresh index,
 * where an updated one has its new files last. */
static int cases_sample(tc_index *ix, size_t n, uint64_t seed, int block, tc_caseset *out)
{
    size_t nf = tc_index_nfiles(ix), f, tries = 0, made = 0;
    uint64_t total = 0, bytes = 0, rng = seed * 0x2545F4914F6CDD1Dull + 7;
    uint64_t *cum;
    path_no *order;
    if (n > TC_CASES_MASK_MAX) return TC_EINVAL;
    cum = malloc((nf + 1) * sizeof *cum);
    order = malloc((nf + 1) * sizeof *order);
    if (!cum || !order) {
        free(cum);
        free(order);
        return TC_ENOMEM;
    }
    for (f = 0; f < nf; f++) {
        order[f].path = tc_index_file(ix, f)->path;
        order[f].f = f;
    }
    if (nf) qsort(order, nf, sizeof *order, cmp_walk_order);
    for (f = 0; f < nf; f++) {
        const tc_file_info *fi = tc_index_file(ix, order[f].f);
        /* code files only: not READMEs, Makefiles or test data */
        uint64_t w = (fi->removed || fi->skip || fi->buffer || !fi->ntok || fi->lang == TC_LANG_TEXT) ? 0 : fi->size;
        cum[f] = total;
        total += w;
    }
    cum[nf] = total;
    while (made < n && total && tries < n * 50 && bytes < TC_CASES_MASK_BYTES) {
        uint64_t r = rng_next(&rng) % total;
        size_t lo = 0, hi = nf;
        tc_buf text = {0};
        tries++;
        /* file with cum[f] <= r < cum[f+1], weighted by size */
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (cum[mid] <= r) lo = mid;
            else hi = mid;
        }
        lo = order[lo].f;
        /* beneath the root, never through a symlink or into a FIFO */
        if (tc_fs_read_regular(tc_index_root_fd(ix), tc_index_file(ix, lo)->path, tc_index_max_file_size(ix), &text,
                               NULL) == TC_OK) {
            int got = mask_one(out, tc_index_file(ix, lo)->path, (tc_lang)tc_index_file(ix, lo)->lang,
                               text.data, text.len, &rng,
                               block ? MASK_BLOCK : (made & 1) ? MASK_MID_LINE : MASK_LINE_START, block ? "b" : "",
                               made + 1);
            made += (size_t)got;
            if (got) bytes += text.len;
        }
        tc_buf_free(&text);
    }
    free(cum);
    free(order);
    return TC_OK;
}

int tc_cases_mask(tc_index *ix, size_t n, uint64_t seed, tc_caseset *out)
{
    return cases_sample(ix, n, seed, 0, out);
}

int tc_cases_mask_blocks(tc_index *ix, size_t n, uint64_t seed, tc_caseset *out)
{
    /* another stream than the line cases' so that adding blocks leaves
     * the line cases as they were */
    return cases_sample(ix, n, seed ^ 0xb10cb10cull, 1, out);
}
