/* eval.c - see eval.h. */
#include "eval/eval.h"
#include "eval/eval_int.h"
#include "lang/lang.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <xxhash.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- cases ------------------------------------------------------------------- */

static char *json_str(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(it) && it->valuestring) return strdup(it->valuestring);
    if (cJSON_IsNumber(it)) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.17g", it->valuedouble);
        return strdup(tmp);
    }
    return NULL;
}

int tc_cases_read(const char *file, tc_caseset *out)
{
    FILE *fp = fopen(file, "rb");
    char *line = NULL, dir[PATH_MAX];
    size_t cap = 0, lineno = 0;
    ssize_t n;
    const char *slash = strrchr(file, '/');
    if (!fp) {
        tc_warn("cannot read cases %s", file);
        return TC_EIO;
    }
    if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - file), file);
    else snprintf(dir, sizeof dir, ".");
    while ((n = getline(&line, &cap, fp)) >= 0) {
        cJSON *o;
        tc_case *c;
        char *root;
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = 0;
        if (!n) continue;
        o = cJSON_ParseWithLength(line, (size_t)n);
        if (!o || !cJSON_IsObject(o)) {
            tc_warn("%s:%zu: not a JSON object; case skipped", file, lineno);
            cJSON_Delete(o);
            continue;
        }
        c = tc_caseset_push(out);
        if (!c) {
            cJSON_Delete(o);
            free(line);
            fclose(fp);
            return TC_ENOMEM;
        }
        c->id = json_str(o, "id");
        c->path = json_str(o, "path");
        c->prefix = json_str(o, "prefix");
        c->suffix = json_str(o, "suffix");
        c->expected = json_str(o, "expected");
        c->kind = json_str(o, "kind");
        root = json_str(o, "root");
        cJSON_Delete(o);
        if (!c->path || !c->prefix || !c->suffix || !c->expected) {
            tc_warn("%s:%zu: a case needs path, prefix, suffix and expected; skipped", file, lineno);
            free(root);
            tc_case_free(c);
            out->n--;
            continue;
        }
        if (!c->id) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%zu", lineno);
            c->id = strdup(tmp);
        }
        if (root) {
            tc_buf b = {0};
            if (root[0] == '/') tc_buf_puts(&b, root);
            else tc_buf_printf(&b, "%s/%s", dir, root);
            c->root = b.data;
            free(root);
        }
    }
    free(line);
    fclose(fp);
    return TC_OK;
}

/* ---- metrics --------------------------------------------------------------------- */

/* Normalise: strip trailing white space on every line, decode to code points. */
static uint32_t *codepoints(const char *s, size_t *n)
{
    size_t len = strlen(s), i, k = 0, j;
    uint32_t *cp = malloc((len + 1) * sizeof *cp);
    if (!cp) return NULL;
    for (i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t u;
        int extra;
        if (c == ' ' || c == '\t' || c == '\r') {
            /* keep only if something other than white space follows on the line */
            for (j = i; j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'); j++)
                ;
            if (j == len || s[j] == '\n') {
                i = j;
                continue;
            }
        }
        if (c < 0x80) {
            u = c;
            extra = 0;
        } else if ((c & 0xE0) == 0xC0) {
            u = c & 0x1F;
            extra = 1;
        } else if ((c & 0xF0) == 0xE0) {
            u = c & 0x0F;
            extra = 2;
        } else if ((c & 0xF8) == 0xF0) {
            u = c & 0x07;
            extra = 3;
        } else {
            u = 0xFFFD00u | c; /* invalid byte: a code point of its own */
            extra = 0;
        }
        i++;
        while (extra-- > 0 && i < len && ((unsigned char)s[i] & 0xC0) == 0x80) u = u << 6 | ((unsigned char)s[i++] & 0x3F);
        cp[k++] = u;
    }
    *n = k;
    return cp;
}

double tc_edit_similarity(const char *a, const char *b)
{
    size_t na, nb, i, j;
    uint32_t *x = codepoints(a, &na), *y = codepoints(b, &nb);
    size_t *prev = NULL, *cur = NULL;
    double r = 0;
    if (!x || !y) goto out;
    if (!na && !nb) {
        r = 1;
        goto out;
    }
    prev = malloc((nb + 1) * sizeof *prev);
    cur = malloc((nb + 1) * sizeof *cur);
    if (!prev || !cur) goto out;
    for (j = 0; j <= nb; j++) prev[j] = j;
    for (i = 1; i <= na; i++) {
        size_t *t;
        cur[0] = i;
        for (j = 1; j <= nb; j++) {
            size_t sub = prev[j - 1] + (x[i - 1] != y[j - 1]), del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        t = prev;
        prev = cur;
        cur = t;
    }
    r = 1.0 - (double)prev[nb] / (double)(na > nb ? na : nb);
out:
    free(x);
    free(y);
    free(prev);
    free(cur);
    return r;
}

int tc_exact_match(const char *a, const char *b)
{
    size_t na, nb;
    uint32_t *x = codepoints(a, &na), *y = codepoints(b, &nb);
    int eq = x && y && na == nb && memcmp(x, y, na * sizeof *x) == 0;
    free(x);
    free(y);
    return eq;
}

/* ---- running ----------------------------------------------------------------------- */

/* Ask e for case c (its path a buffer of prefix + suffix) into *a; buf is
 * scratch. */
static int run_case(tc_engine *e, const tc_case *c, tc_buf *buf, tc_answer *a)
{
    tc_suggestion s;
    size_t np = strlen(c->prefix);
    int rc;
    buf->len = 0;
    if (tc_buf_append(buf, c->prefix, np) || tc_buf_puts(buf, c->suffix)) return TC_ENOMEM;
    if ((rc = tc_engine_suggest(e, c->path, buf->data, buf->len, np, &s))) return rc;
    /* A line case asks for the rest of one line: a multi-line suggestion
     * counts by its first line (as an editor's accept-line would take it);
     * block cases, and cases without a kind, take the whole text. */
    if (c->kind && strcmp(c->kind, "block") != 0) {
        char *nl = strchr(s.text, '\n');
        if (nl) *nl = 0;
    }
    a->suggestion = s.text;
    a->confidence = s.confidence;
    a->latency_ms = s.latency_ms;
    return TC_OK;
}

typedef struct by_root {
    const char *root; /* NULL: the shared engine's (or base's) workspace */
    size_t i;
} by_root;

static int cmp_by_root(const void *x, const void *y)
{
    const by_root *a = x, *b = y;
    int c = !a->root || !b->root ? (a->root != NULL) - (b->root != NULL) : strcmp(a->root, b->root);
    return c ? c : a->i < b->i ? -1 : a->i > b->i;
}

int tc_eval_answer(tc_engine *e, const tc_caseset *cs, size_t from, tc_answer *a)
{
    tc_buf buf = {0};
    size_t i;
    int rc = TC_OK;
    for (i = from; i < cs->n && !rc; i++) rc = run_case(e, &cs->v[i], &buf, &a[i]);
    tc_buf_free(&buf);
    return rc;
}

int tc_eval_run(const tc_engine_opts *base, tc_engine *shared, const tc_caseset *cs, tc_answer **answers)
{
    tc_answer *a = calloc(cs->n ? cs->n : 1, sizeof *a);
    by_root *order = malloc((cs->n ? cs->n : 1) * sizeof *order);
    tc_buf buf = {0};
    size_t i, g, k;
    int rc = TC_OK;
    if (!a || !order) {
        rc = TC_ENOMEM;
        goto out;
    }
    /* Grouped by root, one workspace open at a time: any number of roots
     * in the memory of one. */
    for (i = 0; i < cs->n; i++) {
        order[i].root = cs->v[i].root;
        order[i].i = i;
    }
    qsort(order, cs->n, sizeof *order, cmp_by_root);
    for (g = 0; g < cs->n && !rc; g = k) {
        const char *root = order[g].root;
        tc_engine *e = root ? NULL : shared;
        for (k = g; k < cs->n && !cmp_by_root(&(by_root){root, order[k].i}, &order[k]); k++)
            ;
        if (!e) {
            tc_engine_opts o = *base;
            o.index.root = root ? root : base->index.root;
            if (root) o.index.cache_dir = NULL;
            o.update = 1;
            if ((rc = tc_engine_open(&o, &e))) {
                tc_warn("cannot open workspace %s for case %s: %s", o.index.root, cs->v[order[g].i].id,
                        tc_strerror(rc));
                break;
            }
        }
        for (i = g; i < k && !rc; i++) rc = run_case(e, &cs->v[order[i].i], &buf, &a[order[i].i]);
        if (e != shared) tc_engine_free(e);
    }
out:
    free(order);
    tc_buf_free(&buf);
    if (rc) {
        tc_answers_free(a, cs->n);
        return rc;
    }
    *answers = a;
    return TC_OK;
}

void tc_answers_free(tc_answer *a, size_t n)
{
    size_t i;
    if (!a) return;
    for (i = 0; i < n; i++) free(a[i].suggestion);
    free(a);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static double pct(const double *sorted, size_t n, double p)
{
    size_t idx;
    if (!n) return 0;
    idx = (size_t)ceil(p / 100.0 * (double)n);
    if (idx < 1) idx = 1;
    if (idx > n) idx = n;
    return sorted[idx - 1];
}

static void group_metrics(const tc_caseset *cs, const tc_answer *a, const char *kind, tc_metrics *m)
{
    size_t i, nl = 0;
    double es = 0, *lat = malloc((cs->n ? cs->n : 1) * sizeof *lat);
    memset(m, 0, sizeof *m);
    snprintf(m->kind, sizeof m->kind, "%s", kind ? kind : "all");
    for (i = 0; i < cs->n; i++) {
        const tc_case *c = &cs->v[i];
        const char *s = a[i].suggestion ? a[i].suggestion : "";
        if (kind && (!c->kind || strcmp(c->kind, kind) != 0)) continue;
        m->n++;
        if (*s) m->shown++;
        if (*s && tc_exact_match(s, c->expected)) m->exact++;
        es += tc_edit_similarity(s, c->expected);
        if (lat) lat[nl++] = a[i].latency_ms;
    }
    if (m->n) {
        m->em = (double)m->exact / (double)m->n;
        m->es = es / (double)m->n;
        m->coverage = (double)m->shown / (double)m->n;
    }
    m->precision = m->shown ? (double)m->exact / (double)m->shown : 0;
    if (lat && nl) {
        qsort(lat, nl, sizeof *lat, cmp_double);
        m->p50 = pct(lat, nl, 50);
        m->p95 = pct(lat, nl, 95);
        m->p99 = pct(lat, nl, 99);
        m->max = lat[nl - 1];
    }
    free(lat);
}

size_t tc_eval_metrics(const tc_caseset *cs, const tc_answer *a, tc_metrics *m, size_t max)
{
    size_t nm = 0, i, k;
    if (!max) return 0;
    group_metrics(cs, a, NULL, &m[nm++]);
    for (i = 0; i < cs->n && nm < max; i++) {
        const char *kind = cs->v[i].kind;
        if (!kind) continue;
        for (k = 1; k < nm; k++)
            if (strcmp(m[k].kind, kind) == 0) break;
        if (k == nm) group_metrics(cs, a, kind, &m[nm++]);
    }
    return nm;
}

/* Write o as one JSONL line and free it. */
static int put_line(FILE *fp, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s) return TC_ENOMEM;
    fprintf(fp, "%s\n", s);
    free(s);
    return ferror(fp) ? TC_EIO : TC_OK;
}

int tc_eval_write_preds(FILE *fp, const tc_caseset *cs, const tc_answer *a)
{
    size_t i;
    int rc;
    for (i = 0; i < cs->n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) return TC_ENOMEM;
        cJSON_AddStringToObject(o, "id", cs->v[i].id);
        cJSON_AddStringToObject(o, "suggestion", a[i].suggestion ? a[i].suggestion : "");
        cJSON_AddNumberToObject(o, "confidence", floor(a[i].confidence * 1e4 + 0.5) / 1e4);
        cJSON_AddNumberToObject(o, "latency_ms", floor(a[i].latency_ms * 1e3 + 0.5) / 1e3);
        if ((rc = put_line(fp, o))) return rc;
    }
    return TC_OK;
}

int tc_case_write(FILE *fp, const tc_case *c, const char *root)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return TC_ENOMEM;
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "path", c->path);
    cJSON_AddStringToObject(o, "prefix", c->prefix);
    cJSON_AddStringToObject(o, "suffix", c->suffix);
    cJSON_AddStringToObject(o, "expected", c->expected);
    if (c->kind) cJSON_AddStringToObject(o, "kind", c->kind);
    if (root) cJSON_AddStringToObject(o, "root", root);
    return put_line(fp, o);
}

int tc_cases_write(FILE *fp, const tc_caseset *cs)
{
    size_t i;
    int rc = TC_OK;
    for (i = 0; i < cs->n && !rc; i++) rc = tc_case_write(fp, &cs->v[i], NULL);
    return rc;
}

int tc_eval_intrinsic(tc_engine *e, uint64_t max_tokens, uint64_t seed, tc_intrinsic *out)
{
    tc_index *ix = tc_engine_index(e);
    tc_model *m = tc_engine_model(e);
    tc_items it = {0};
    uint32_t *ctx = NULL;
    size_t f, nf = tc_index_nfiles(ix), cap = 0;
    double bits = 0, rr = 0;
    int rc = TC_OK;
    memset(out, 0, sizeof *out);
    if (!m) return TC_EINVAL;
    for (f = 0; f < nf && out->tokens < max_tokens && !rc; f++) {
        const tc_file_info *fi = tc_index_file(ix, f);
        size_t i, chunk;
        if (fi->removed || fi->skip || fi->buffer || fi->ntok < 16) continue;
        if ((XXH3_64bits_withSeed(fi->path, strlen(fi->path), seed) % 20) != 0) continue;
        if (tc_index_file_items(ix, f, &it)) continue;
        if (cap < it.n + 1) {
            uint32_t *nc = realloc(ctx, (it.n + 1) * sizeof *nc);
            if (!nc) {
                rc = TC_ENOMEM;
                break;
            }
            ctx = nc;
            cap = it.n + 1;
        }
        ctx[0] = TC_VOCAB_BOS;
        for (i = 0; i < it.n; i++) ctx[i + 1] = TC_ITEM_ID(it.v[i]);
        out->files++;
        for (chunk = 0; chunk < it.n && out->tokens < max_tokens; chunk += 128) {
            tc_query *q = NULL;
            size_t end = chunk + 128 < it.n ? chunk + 128 : it.n;
            if ((rc = tc_query_begin(m, fi->path, ctx + 1, chunk, &q))) break;
            for (i = chunk; i < end && out->tokens < max_tokens; i++) {
                tc_pred top[10];
                size_t k, n;
                double p = tc_query_prob(q, ctx, i + 1, ctx[i + 1]);
                bits += -log2(p > 1e-300 ? p : 1e-300);
                n = tc_query_predict(q, ctx, i + 1, top, 10);
                for (k = 0; k < n; k++)
                    if (top[k].id == ctx[i + 1]) {
                        rr += 1.0 / (double)(k + 1);
                        break;
                    }
                out->tokens++;
            }
            tc_query_end(q);
        }
    }
    if (out->tokens) {
        out->bits_per_token = bits / (double)out->tokens;
        out->mrr10 = rr / (double)out->tokens;
    }
    free(ctx);
    tc_items_free(&it);
    return rc;
}
