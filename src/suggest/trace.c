/* trace.c - see trace.h. */
#include "suggest/trace.h"
#include "workspace/tokens.h"
#include "workspace/vocab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TR_STAGES 32
#define TR_STEPS 8       /* post-processing steps of one text */
#define TR_FEATURES_SHOWN 6 /* features shown per candidate in text */
#define TR_LISTED 15        /* candidates listed in text */

typedef struct tr_hit {
    char *path;
    uint32_t line_lo, line_hi; /* 1-based, from the file's line breaks */
    double score;
} tr_hit;

typedef struct tr_cand {
    char *text;
    size_t rlen; /* its length as rendered, before post-processing */
    unsigned sources;
    int closed;
    char *src_path; /* copy: where from; NULL none */
    uint32_t src_line;
    double logp, score, conf;
    float f[TC_RANK_NF];
    double share[TC_RANK_NF]; /* what each feature added to the score (learned ranker) */
    int ranked;
    double trees, pscore, lshare, comments; /* tc_trace_cand's trees, pscore, share, comments */
    int calibrated;
} tr_cand;

typedef struct tr_step {
    const char *name;
    char *text; /* after the step */
} tr_step;

typedef struct tr_post {
    char *raw, *final;
    tr_step steps[TR_STEPS];
    size_t nsteps;
} tr_post;

struct tc_trace {
    double t0, mark;
    struct {
        const char *name;
        double ms;
    } stages[TR_STAGES];
    size_t nstages;
    char lang[16];
    char *partial;
    size_t ntok_before, ntok_after;
    int has_cursor;
    tr_hit *hits;
    size_t nhits;
    tr_cand *cands;
    size_t ncands;
    int heuristic;
    tr_post *posts;
    size_t nposts, capposts;
    int gated;
    char *gate_text;
    double gate_conf, threshold;
    int block_tried, block_lines, block_ctx, block_agree, block_places; /* tc_trace_block */
    char *block_src;
    size_t block_line;
    const char *block_why;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static void clear(tc_trace *t)
{
    size_t i, k;
    for (i = 0; i < t->nhits; i++) free(t->hits[i].path);
    for (i = 0; i < t->ncands; i++) {
        free(t->cands[i].text);
        free(t->cands[i].src_path);
    }
    for (i = 0; i < t->nposts; i++) {
        free(t->posts[i].raw);
        free(t->posts[i].final);
        for (k = 0; k < t->posts[i].nsteps; k++) free(t->posts[i].steps[k].text);
    }
    free(t->hits);
    free(t->cands);
    free(t->posts);
    free(t->partial);
    free(t->gate_text);
    free(t->block_src);
    memset(t, 0, sizeof *t);
}

tc_trace *tc_trace_new(void) { return calloc(1, sizeof(tc_trace)); }

void tc_trace_free(tc_trace *t)
{
    if (!t) return;
    clear(t);
    free(t);
}

void tc_trace_start(tc_trace *t)
{
    if (!t) return;
    clear(t);
    t->t0 = t->mark = now_ms();
}

void tc_trace_stage(tc_trace *t, const char *name)
{
    double now;
    if (!t) return;
    now = now_ms();
    if (t->nstages < TR_STAGES) {
        t->stages[t->nstages].name = name;
        t->stages[t->nstages].ms = now - t->mark;
        t->nstages++;
    }
    t->mark = now;
}

void tc_trace_cursor(tc_trace *t, const char *lang, const char *partial, size_t np, size_t ntok_before,
                     size_t ntok_after)
{
    if (!t) return;
    snprintf(t->lang, sizeof t->lang, "%s", lang ? lang : "?");
    free(t->partial);
    t->partial = strndup(partial ? partial : "", partial ? np : 0);
    t->ntok_before = ntok_before;
    t->ntok_after = ntok_after;
    t->has_cursor = 1;
}

/* The 1-based line of item `item` of file fileno (line breaks before it
 * in the token stream; a line break inside a comment or a string is not
 * one there, so this can be early by those). 0 when unknown. */
static uint32_t item_line(tc_index *ix, uint32_t fileno, uint32_t item, tc_items *it)
{
    uint32_t line = 1;
    size_t i;
    if (tc_index_file_items(ix, fileno, it)) return 0;
    for (i = 0; i < it->n && i < item; i++) line += TC_ITEM_ID(it->v[i]) == TC_VOCAB_EOL;
    return line;
}

void tc_trace_hits(tc_trace *t, tc_index *ix, const tc_hit *hits, size_t n)
{
    tc_items it = {0};
    size_t i;
    double t1;
    if (!t || !n) return;
    t1 = now_ms();
    for (i = 0; i < t->nhits; i++) free(t->hits[i].path);
    free(t->hits);
    t->nhits = 0;
    if (!(t->hits = calloc(n, sizeof *t->hits))) return;
    for (i = 0; i < n; i++) {
        const tc_file_info *fi = tc_index_file(ix, hits[i].fileno);
        tr_hit *h = &t->hits[t->nhits];
        if (!fi || !(h->path = strdup(fi->path))) continue;
        h->line_lo = item_line(ix, hits[i].fileno, hits[i].item_lo, &it);
        h->line_hi = item_line(ix, hits[i].fileno, hits[i].item_hi, &it);
        h->score = hits[i].score;
        t->nhits++;
    }
    tc_items_free(&it);
    t->mark += now_ms() - t1; /* the trace's own time is no stage's */
}

void tc_trace_cands(tc_trace *t, tc_index *ix, const tc_trace_cand *c, size_t n, const tc_rank *r)
{
    tc_items it = {0};
    size_t i;
    int f;
    double t1;
    if (!t) return;
    t1 = now_ms();
    for (i = 0; i < t->ncands; i++) {
        free(t->cands[i].text);
        free(t->cands[i].src_path);
    }
    free(t->cands);
    t->ncands = 0;
    t->heuristic = !r;
    if (!n || !(t->cands = calloc(n, sizeof *t->cands))) {
        t->mark += now_ms() - t1;
        return;
    }
    for (i = 0; i < n; i++) {
        tr_cand *d = &t->cands[t->ncands];
        if (!(d->text = strdup(c[i].text ? c[i].text : ""))) continue;
        d->sources = c[i].sources;
        d->rlen = c[i].rlen;
        d->closed = c[i].closed;
        d->logp = c[i].logp;
        d->score = c[i].score;
        d->conf = c[i].conf;
        d->trees = c[i].trees;
        d->pscore = c[i].pscore;
        d->lshare = c[i].share;
        d->calibrated = c[i].calibrated;
        d->comments = c[i].comments;
        memcpy(d->f, c[i].f, sizeof d->f);
        if (r && r->trained) {
            d->ranked = 1;
            for (f = 0; f < TC_RANK_NF; f++)
                d->share[f] = r->w[f] * ((double)d->f[f] - r->mu[f]) / (r->sd[f] > 0 ? r->sd[f] : 1);
        }
        if (c[i].src_file >= 0) {
            const tc_file_info *fi = tc_index_file(ix, (size_t)c[i].src_file);
            if (fi && (d->src_path = strdup(fi->path)))
                d->src_line = item_line(ix, (uint32_t)c[i].src_file, c[i].src_item, &it);
        }
        t->ncands++;
    }
    tc_items_free(&it);
    t->mark += now_ms() - t1;
}

void tc_trace_post_begin(tc_trace *t, const char *s, size_t n)
{
    tr_post *p;
    if (!t) return;
    if (t->nposts == t->capposts) {
        size_t cap = t->capposts ? t->capposts * 2 : 64;
        tr_post *v = realloc(t->posts, cap * sizeof *v);
        if (!v) return;
        t->posts = v;
        t->capposts = cap;
    }
    p = &t->posts[t->nposts];
    memset(p, 0, sizeof *p);
    if ((p->raw = strndup(s, n))) t->nposts++;
}

void tc_trace_post_step(tc_trace *t, const char *name, const char *s, size_t before, size_t after)
{
    tr_post *p;
    if (!t || !t->nposts || before == after) return;
    p = &t->posts[t->nposts - 1];
    if (p->nsteps == TR_STEPS || p->final) return;
    p->steps[p->nsteps].name = name;
    if ((p->steps[p->nsteps].text = strndup(s, after))) p->nsteps++;
}

void tc_trace_post_end(tc_trace *t, const char *s, size_t n)
{
    if (!t || !t->nposts || t->posts[t->nposts - 1].final) return;
    t->posts[t->nposts - 1].final = strndup(s, n);
}

void tc_trace_gate(tc_trace *t, const char *text, double conf, double threshold)
{
    if (!t) return;
    free(t->gate_text);
    t->gate_text = strdup(text ? text : "");
    t->gate_conf = conf;
    t->threshold = threshold;
    t->gated = 1;
}

void tc_trace_block(tc_trace *t, int nlines, int context, int agree, int places, const char *src, size_t line,
                    const char *why)
{
    if (!t) return;
    free(t->block_src);
    t->block_tried = 1;
    t->block_lines = nlines;
    t->block_ctx = context;
    t->block_agree = agree;
    t->block_places = places;
    t->block_src = strdup(src ? src : "(the open buffer)");
    t->block_line = line;
    t->block_why = why;
}

/* ---- reading ---------------------------------------------------------------------- */

static const char *const feature_names[] = {
    "logp_per_token", "logp", "from_ngram", "ngram_rank", "from_copy", "copy_support", "copy_context",
    "from_buffer", "buffer_context", "buffer_near", "buffer_count", "ended", "tokens", "lone_closer",
    "typed", "partial_word", "trimmed", "length", "copy_count", "ngram_untyped", "buffer_untyped",
    "sources", "opens", "closer_after_opener", "is_next_line", "is_prev_line", "closer_next_not_shallower",
    "closer_prev_shallower", "opens_next_deeper", "opens_next_not_deeper", "closed_variant", "ends_statement",
    "closer_prev_deeper", "closer_next_shallower", "next_deeper", "closer_prev_same", "from_successor",
    "successor_count", "successor_two_lines", "successor_share", "p_line", "p_per_token", "from_prefix",
    "prefix_count", "prefix_share", "unseen_ident_share", "unseen_idents", "near_ident_share", "no_idents",
    "next_line_logp", "logp_below_best", "prefix_count_rel", "copy_count_rel", "successor_count_rel",
    "from_renamed", "renamed_context", "from_import", "frequent_share", "rarest_ident_count", "least_recent_ident",
    "idents_below_share", "ident_agreement", "from_sibling", "sibling_name_count", "from_name_pair",
    "name_pair_count", "copy_before_next_line", "copy_lines_above"};

const char *tc_trace_feature_name(int f)
{
    static char other[TC_RANK_NF][8];
    if (f >= 0 && (size_t)f < sizeof feature_names / sizeof *feature_names) return feature_names[f];
    if (f < 0 || f >= TC_RANK_NF) return "?";
    snprintf(other[f], sizeof other[f], "f%d", f); /* a feature newer than this table */
    return other[f];
}

static void sources_str(unsigned s, char *out, size_t cap)
{
    static const char *const names[] = {"ngram", "copy", "buffer", "successor", "prefix", "import", "frequent"};
    size_t k, w = 0;
    out[0] = 0;
    for (k = 0; k < sizeof names / sizeof *names; k++)
        if (s & (1u << k)) w += (size_t)snprintf(out + w, w < cap ? cap - w : 0, "%s%s", w ? "+" : "", names[k]);
    if (!w) snprintf(out, cap, "-");
}

/* The post-processing record that produced text (the last one). */
/* The post-processing that made text from rlen bytes as rendered
 * ((size_t)-1: any), the last one; NULL if none did. */
static const tr_post *post_of(const tc_trace *t, const char *text, size_t rlen)
{
    size_t i;
    for (i = t->nposts; i-- > 0;)
        if (t->posts[i].final && !strcmp(t->posts[i].final, text) &&
            (rlen == (size_t)-1 || strlen(t->posts[i].raw) == rlen))
            return &t->posts[i];
    return NULL;
}

/* The winner's: the best candidate's when its text is what the gate saw,
 * else that of the gate's text (the source line taken as written). */
static const tr_post *winner_post(const tc_trace *t)
{
    const tr_post *p = NULL;
    if (t->ncands && (!t->gated || !strcmp(t->cands[0].text, t->gate_text) ||
                      (t->block_lines && !strncmp(t->cands[0].text, t->gate_text, strlen(t->cands[0].text)))))
        p = post_of(t, t->cands[0].text, t->cands[0].rlen);
    if (!p && t->gated) p = post_of(t, t->gate_text, (size_t)-1);
    return p;
}

/* s quoted as a C string literal on one line, at most max bytes of it. */
static void quoted(FILE *fp, const char *s, size_t max)
{
    size_t i;
    fputc('"', fp);
    for (i = 0; s[i] && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(fp, "\\%c", c);
        else if (c == '\n') fputs("\\n", fp);
        else if (c == '\t') fputs("\\t", fp);
        else if (c < 0x20 || c == 0x7f) fprintf(fp, "\\x%02x", c);
        else fputc(c, fp);
    }
    fputc('"', fp);
    if (s[i]) fputs("...", fp);
}

/* Features by weight: the largest shares of the score (learned ranker), or
 * the non-zero features (heuristic). */
static size_t top_features(const tr_cand *c, int *idx, size_t max)
{
    int used[TC_RANK_NF] = {0}, f, best;
    size_t n;
    for (n = 0; n < max; n++) {
        double bk = 1e-9;
        for (best = -1, f = 0; f < TC_RANK_NF; f++) {
            double key = c->ranked ? fabs(c->share[f]) : fabs((double)c->f[f]);
            if (!used[f] && key > bk) {
                bk = key;
                best = f;
            }
        }
        if (best < 0) break;
        used[best] = 1;
        idx[n] = best;
    }
    return n;
}

/* A learned candidate's score in its parts (the features' shares above are
 * the linear chooser's only) and where its confidence comes from. */
static void print_score_parts(FILE *fp, const tr_cand *c)
{
    fprintf(fp, "        score %.3f = linear chooser %.3f + repository's trees %+.3f\n", c->score, c->score - c->trees,
            c->trees);
    if (c->calibrated)
        fprintf(fp, "        confidence %.3f = calibrated map of the pointwise score %.3f, the final score's share "
                    "%.1f %% of the candidates' and the lines around the cursor's with a trailing comment, %d of 2\n",
                c->conf, c->pscore, 100 * exp(c->lshare), (int)lround(2 * c->comments));
    else
        fprintf(fp, "        confidence %.3f = Platt scaling of the pointwise score %.3f\n", c->conf, c->pscore);
}

void tc_trace_print(const tc_trace *t, FILE *fp, size_t top)
{
    size_t i, k;
    double total = 0;
    const tr_post *p;
    char src[64];
    if (!top) top = 5;
    if (t->has_cursor) {
        fprintf(fp, "language    %s; %zu tokens of context before the cursor, %zu after its line", t->lang,
                t->ntok_before, t->ntok_after);
        if (t->partial && *t->partial) {
            fprintf(fp, "; completes the word ");
            quoted(fp, t->partial, 80);
        }
        fputc('\n', fp);
    }
    fprintf(fp, "\nretrieved   %zu windows like the lines before the cursor (Jaccard over identifiers)\n", t->nhits);
    for (i = 0; i < t->nhits; i++)
        fprintf(fp, "  %.3f  %s:%u-%u\n", t->hits[i].score, t->hits[i].path, t->hits[i].line_lo, t->hits[i].line_hi);
    fprintf(fp, "\ncandidates  %zu, best first; %s\n", t->ncands,
            t->heuristic ? "ranked by the heuristic (too small a workspace for the learned ranker)"
                         : "ranked by the learned ranker; confidence = calibrated P(exactly right)");
    for (i = 0; i < t->ncands && i < TR_LISTED; i++) {
        const tr_cand *c = &t->cands[i];
        sources_str(c->sources, src, sizeof src);
        fprintf(fp, "  %2zu  conf %.3f  score %7.3f  %-16s ", i + 1, c->conf, c->score, src);
        quoted(fp, c->text, 100);
        if (c->closed) fputs("  (brackets closed)", fp);
        if (!*c->text) fputs("  (post-processing left nothing)", fp);
        fputc('\n', fp);
        if (i < top) {
            int idx[TR_FEATURES_SHOWN];
            size_t nf = top_features(c, idx, TR_FEATURES_SHOWN);
            if (c->src_path) fprintf(fp, "        copied from %s:%u\n", c->src_path, c->src_line);
            fprintf(fp, "        log p %.2f; features%s:", c->logp < -1e200 ? -INFINITY : c->logp,
                    c->ranked ? " (what each added to the score)" : "");
            for (k = 0; k < nf; k++) {
                fprintf(fp, " %s %.3g", tc_trace_feature_name(idx[k]), (double)c->f[idx[k]]);
                if (c->ranked) fprintf(fp, " (%+.2f)", c->share[idx[k]]);
                fputc(k + 1 < nf ? ',' : ';', fp);
            }
            fputc('\n', fp);
            if (c->ranked) print_score_parts(fp, c);
        }
    }
    if (t->ncands > TR_LISTED) fprintf(fp, "  ... %zu more (--json lists them all)\n", t->ncands - TR_LISTED);
    p = winner_post(t);
    fprintf(fp, "\npost        the winner's text as rendered, then each step that changed it\n");
    if (p) {
        fprintf(fp, "  %-38s ", "rendered");
        quoted(fp, p->raw, 160);
        fputc('\n', fp);
        for (k = 0; k < p->nsteps; k++) {
            fprintf(fp, "  %-38s ", p->steps[k].name);
            quoted(fp, p->steps[k].text, 160);
            fputc('\n', fp);
        }
        if (!p->nsteps) fprintf(fp, "  (no step changed it)\n");
    } else {
        fprintf(fp, "  (nothing was post-processed)\n");
    }
    fputc('\n', fp);
    if (t->block_tried && !t->block_places) {
        fprintf(fp, "block       one line only: %s\n\n", t->block_why ? t->block_why : "?");
    } else if (t->block_tried) {
        fprintf(fp, "block       the cursor's line stands at %d other place%s, %d previous line%s matched at %d of them\n",
                t->block_places, t->block_places == 1 ? "" : "s", t->block_ctx, t->block_ctx == 1 ? "" : "s",
                t->block_agree);
        if (t->block_lines)
            fprintf(fp, "  %d more line%s copied from %s:%zu\n", t->block_lines, t->block_lines == 1 ? "" : "s",
                    t->block_src ? t->block_src : "?", t->block_line);
        else
            fprintf(fp, "  one line only: %s\n", t->block_why ? t->block_why : "?");
        fputc('\n', fp);
    }
    if (!t->gated) fprintf(fp, "result      (the engine did not answer)\n");
    else if (!*t->gate_text)
        fprintf(fp, "result      nothing shown: %s\n",
                t->ncands ? "post-processing left no text" : "no candidate (no source proposed a line)");
    else if (t->gate_conf < t->threshold)
        fprintf(fp, "result      nothing shown: confidence %.3f is below the threshold %.2f (the gate)\n",
                t->gate_conf, t->threshold);
    else {
        fprintf(fp, "result      shown (confidence %.3f >= threshold %.2f): ", t->gate_conf, t->threshold);
        quoted(fp, t->gate_text, 400);
        fputc('\n', fp);
    }
    fputc('\n', fp);
    for (i = 0; i < t->nstages; i++) {
        fprintf(fp, "%-12s%-36s %8.2f ms\n", i ? "" : "time", t->stages[i].name, t->stages[i].ms);
        total += t->stages[i].ms;
    }
    fprintf(fp, "%-12s%-36s %8.2f ms\n", "", "total", total);
}

static double r4(double x) { return isfinite(x) ? floor(x * 1e4 + 0.5) / 1e4 : -1e9; }

static cJSON *post_json(const tr_post *p)
{
    cJSON *a = cJSON_CreateArray();
    size_t k;
    cJSON *o;
    if (!p || !a) return a;
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "step", "rendered");
    cJSON_AddStringToObject(o, "text", p->raw);
    cJSON_AddItemToArray(a, o);
    for (k = 0; k < p->nsteps; k++) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "step", p->steps[k].name);
        cJSON_AddStringToObject(o, "text", p->steps[k].text);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

cJSON *tc_trace_json(const tc_trace *t)
{
    cJSON *root = cJSON_CreateObject(), *arr, *o, *res;
    const tr_post *p;
    size_t i;
    double total = 0;
    char src[64];
    int f;
    if (!root) return NULL;
    o = cJSON_AddObjectToObject(root, "cursor");
    cJSON_AddStringToObject(o, "lang", t->lang);
    cJSON_AddStringToObject(o, "partial", t->partial ? t->partial : "");
    cJSON_AddNumberToObject(o, "tokens_before", (double)t->ntok_before);
    cJSON_AddNumberToObject(o, "tokens_after", (double)t->ntok_after);
    arr = cJSON_AddArrayToObject(root, "retrieved");
    for (i = 0; i < t->nhits; i++) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", t->hits[i].path);
        cJSON_AddNumberToObject(o, "line_from", t->hits[i].line_lo);
        cJSON_AddNumberToObject(o, "line_to", t->hits[i].line_hi);
        cJSON_AddNumberToObject(o, "score", r4(t->hits[i].score));
        cJSON_AddItemToArray(arr, o);
    }
    cJSON_AddStringToObject(root, "ranker", t->heuristic ? "heuristic" : "learned");
    arr = cJSON_AddArrayToObject(root, "candidates");
    for (i = 0; i < t->ncands; i++) {
        const tr_cand *c = &t->cands[i];
        cJSON *fo, *so = NULL;
        o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "rank", (double)(i + 1));
        cJSON_AddStringToObject(o, "text", c->text);
        sources_str(c->sources, src, sizeof src);
        cJSON_AddStringToObject(o, "sources", src);
        cJSON_AddBoolToObject(o, "closed", c->closed);
        cJSON_AddNumberToObject(o, "confidence", r4(c->conf));
        cJSON_AddNumberToObject(o, "score", r4(c->score));
        cJSON_AddNumberToObject(o, "logp", r4(c->logp < -1e200 ? -1e9 : c->logp));
        if (c->src_path) {
            cJSON *from = cJSON_AddObjectToObject(o, "copied_from");
            cJSON_AddStringToObject(from, "path", c->src_path);
            cJSON_AddNumberToObject(from, "line", c->src_line);
        }
        if (c->ranked) {
            cJSON *cal = cJSON_AddObjectToObject(o, "calibration");
            cJSON_AddNumberToObject(o, "linear", r4(c->score - c->trees));
            cJSON_AddNumberToObject(o, "trees", r4(c->trees));
            cJSON_AddStringToObject(cal, "map", c->calibrated ? "calibrated" : "platt");
            cJSON_AddNumberToObject(cal, "pointwise_score", r4(c->pscore));
            cJSON_AddNumberToObject(cal, "share", r4(exp(c->lshare)));
            cJSON_AddNumberToObject(cal, "comments", r4(c->comments));
        }
        fo = cJSON_AddObjectToObject(o, "features");
        if (c->ranked) so = cJSON_AddObjectToObject(o, "contributions");
        for (f = 0; f < TC_RANK_NF; f++) {
            cJSON_AddNumberToObject(fo, tc_trace_feature_name(f), r4(c->f[f]));
            if (so) cJSON_AddNumberToObject(so, tc_trace_feature_name(f), r4(c->share[f]));
        }
        cJSON_AddItemToObject(o, "post", post_json(post_of(t, c->text, c->rlen)));
        cJSON_AddItemToArray(arr, o);
    }
    p = winner_post(t);
    cJSON_AddItemToObject(root, "post", post_json(p));
    if (t->block_tried) {
        o = cJSON_AddObjectToObject(root, "block");
        cJSON_AddNumberToObject(o, "lines", t->block_lines);
        cJSON_AddNumberToObject(o, "places", t->block_places);
        cJSON_AddNumberToObject(o, "context", t->block_ctx);
        cJSON_AddNumberToObject(o, "agree", t->block_agree);
        if (t->block_lines) {
            cJSON_AddStringToObject(o, "path", t->block_src ? t->block_src : "");
            cJSON_AddNumberToObject(o, "line", (double)t->block_line);
        } else {
            cJSON_AddStringToObject(o, "why", t->block_why ? t->block_why : "");
        }
    }
    res = cJSON_AddObjectToObject(root, "result");
    cJSON_AddBoolToObject(res, "shown", t->gated && *t->gate_text && t->gate_conf >= t->threshold);
    cJSON_AddStringToObject(res, "text", t->gate_text ? t->gate_text : "");
    cJSON_AddNumberToObject(res, "confidence", r4(t->gate_conf));
    cJSON_AddNumberToObject(res, "threshold", r4(t->threshold));
    cJSON_AddStringToObject(res, "why", !t->gated                      ? "no answer"
                                        : !*t->gate_text               ? (t->ncands ? "empty after post-processing"
                                                                                    : "no candidate")
                                        : t->gate_conf < t->threshold ? "below the threshold"
                                                                       : "shown");
    arr = cJSON_AddArrayToObject(root, "stages");
    for (i = 0; i < t->nstages; i++) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", t->stages[i].name);
        cJSON_AddNumberToObject(o, "ms", floor(t->stages[i].ms * 1e3 + 0.5) / 1e3);
        cJSON_AddItemToArray(arr, o);
        total += t->stages[i].ms;
    }
    cJSON_AddNumberToObject(root, "total_ms", floor(total * 1e3 + 0.5) / 1e3);
    return root;
}
