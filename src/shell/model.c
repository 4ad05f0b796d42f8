/* model.c - the next-command model; see model.h. */
#include "shell/model.h"

#include "lang/lang.h"
#include "util/status.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

/* Recency: an occurrence counts exp(-age/TAU), age in commands. */
#define TAU 100.0
/* Confidence n/(n+KAPPA) of a context seen n times. */
#define KAPPA 2.0
#define NGRAM_BEAM 3
#define NGRAM_MAX_TOKENS 24
#define MAX_SESSIONS 64
#define NO_CMD UINT32_MAX

/* The mixture's components and their prior weights. */
enum { C_PREV_ST, C_PREV, C_SUB_ST, C_PROG_ST, C_CWD, C_REPO, C_NCTX };
static const double prior[C_NCTX] = {4.0, 2.0, 2.0, 1.0, 1.5, 1.0};
#define PRIOR_RECENT 1.5
#define PRIOR_FREQ 0.5

/* Make room for one more element in *v (n used of *cap, elem bytes each),
 * doubling from first. TC_OK / TC_ENOMEM (*v unchanged). */
static int grow(void **v, size_t n, size_t *cap, size_t elem, size_t first)
{
    size_t nc;
    void *nv;
    if (n < *cap) return TC_OK;
    nc = *cap ? *cap * 2 : first;
    if (!(nv = realloc(*v, nc * elem))) return TC_ENOMEM;
    *v = nv;
    *cap = nc;
    return TC_OK;
}

/* u64 -> u32 counts, open addressing (key 0 is free). */
typedef struct counts {
    uint64_t *k;
    uint32_t *v;
    size_t n, cap;
} counts;

static uint32_t *counts_slot(counts *t, uint64_t key, int make)
{
    size_t i;
    if (!key) key = 1;
    if (make && (t->n + 1) * 4 >= t->cap * 3) {
        size_t nc = t->cap ? t->cap * 2 : 1024;
        uint64_t *nk = calloc(nc, sizeof *nk);
        uint32_t *nv = calloc(nc, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return NULL;
        }
        for (size_t j = 0; j < t->cap; j++) {
            if (!t->k[j]) continue;
            for (i = t->k[j] & (nc - 1); nk[i]; i = (i + 1) & (nc - 1)) {}
            nk[i] = t->k[j];
            nv[i] = t->v[j];
        }
        free(t->k);
        free(t->v);
        t->k = nk;
        t->v = nv;
        t->cap = nc;
    }
    if (!t->cap) return NULL;
    for (i = key & (t->cap - 1); t->k[i]; i = (i + 1) & (t->cap - 1))
        if (t->k[i] == key) return &t->v[i];
    if (!make) return NULL;
    t->k[i] = key;
    t->n++;
    return &t->v[i];
}

static uint32_t counts_get(counts *t, uint64_t key)
{
    uint32_t *p = counts_slot(t, key, 0);
    return p ? *p : 0;
}

static void counts_free(counts *t)
{
    free(t->k);
    free(t->v);
}

/* An interned string table: text -> id. */
typedef struct strtab {
    char **s;
    size_t n, cap;
    counts ids; /* hash -> id + 1 */
} strtab;

static uint64_t hash_str(const char *s, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(s, n, seed);
}

/* The id of s[0..n), added if make; NO_CMD if absent (or out of memory). */
static uint32_t strtab_id(strtab *t, const char *s, size_t n, int make)
{
    uint64_t h = hash_str(s, n, 0x5eed);
    uint32_t *p = counts_slot(&t->ids, h, 0);
    char *c;
    if (p) return *p - 1;
    if (!make) return NO_CMD;
    if (grow((void **)&t->s, t->n, &t->cap, sizeof *t->s, 256)) return NO_CMD;
    if (!(c = malloc(n + 1))) return NO_CMD;
    memcpy(c, s, n);
    c[n] = 0;
    if (!(p = counts_slot(&t->ids, h, 1))) {
        free(c);
        return NO_CMD;
    }
    t->s[t->n] = c;
    *p = (uint32_t)++t->n;
    return (uint32_t)(t->n - 1);
}

static void strtab_free(strtab *t)
{
    for (size_t i = 0; i < t->n; i++) free(t->s[i]);
    free(t->s);
    counts_free(&t->ids);
}

typedef struct cmdinfo {
    uint32_t count;
    uint32_t rec_at; /* seq when rec was last brought up to date */
    double rec;      /* decayed occurrences at rec_at */
} cmdinfo;

/* A token successor list of the n-gram model. */
typedef struct succ {
    uint32_t tok, count;
} succ;
typedef struct succlist {
    succ *v;
    size_t n, cap;
    uint32_t total;
} succlist;

struct tc_shell_model {
    strtab cmds;
    cmdinfo *info; /* per command id */
    size_t info_cap;
    double *acc;   /* per command id: the context components' sum (zero between questions) */
    size_t acc_cap;
    uint32_t seq;  /* commands learnt */
    double rec_total;
    struct {
        int64_t id;
        uint32_t cmd;
        int status;
    } sess[MAX_SESSIONS];
    size_t nsess, sess_next;
    /* Lists of (id, count) by context key: the commands seen after each
     * context of the mixture, and the n-gram's successor tokens of each
     * (t-2, t-1) and (t-1) context (tokens: text with a leading ' ' when
     * spaced). */
    strtab toks;
    counts ngram_ix; /* context key -> list index + 1 */
    counts pos;      /* (context key, id) -> position in its list + 1 */
    succlist *lists;
    size_t nlists, caplists;
    int ng_eager; /* learn the n-gram with every command (else at first use) */
    int ng_built; /* the n-gram has every command learnt so far */
};

enum { TOK_BOS = 0, TOK_EOL = 1 };

int tc_shell_model_new(const tc_shell_model_opts *opts, tc_shell_model **out)
{
    tc_shell_model *m = calloc(1, sizeof *m);
    *out = NULL;
    if (!m) return TC_ENOMEM;
    m->ng_eager = opts && opts->eager_ngram;
    /* Two reserved tokens: the start and the end of a command. */
    if (strtab_id(&m->toks, "\x01", 1, 1) != TOK_BOS || strtab_id(&m->toks, "\x02", 1, 1) != TOK_EOL) {
        tc_shell_model_free(m);
        return TC_ENOMEM;
    }
    *out = m;
    return TC_OK;
}

void tc_shell_model_free(tc_shell_model *m)
{
    if (!m) return;
    strtab_free(&m->cmds);
    free(m->info);
    free(m->acc);
    strtab_free(&m->toks);
    counts_free(&m->ngram_ix);
    counts_free(&m->pos);
    for (size_t i = 0; i < m->nlists; i++) free(m->lists[i].v);
    free(m->lists);
    free(m);
}

size_t tc_shell_model_size(const tc_shell_model *m)
{
    return m->cmds.n;
}

/* Length of the first w words of s (blank-separated). */
static size_t words_len(const char *s, int w)
{
    size_t i = 0;
    while (s[i] == ' ') i++;
    for (; w > 0; w--) {
        while (s[i] && s[i] != ' ') i++;
        if (w > 1)
            while (s[i] == ' ') i++;
    }
    return i;
}

static char status_class(int st)
{
    return st < 0 ? 'u' : st == 0 ? 'o' : 'f';
}

/* The context key of component comp for the given context text (NULL:
 * none) and status; 0 when the context is unknown. */
static uint64_t ctx_key(int comp, const char *s, size_t n, int st)
{
    uint64_t seed = ((uint64_t)comp << 8) | (uint64_t)(unsigned char)status_class(st);
    if (!s) return 0;
    return hash_str(s, n, seed) | 1;
}

/* The context keys of every component for (prev, prev status, cwd, repo). */
static void ctx_keys(const char *prev, int prev_st, const char *cwd, const char *repo, uint64_t keys[C_NCTX])
{
    keys[C_PREV_ST] = prev ? ctx_key(C_PREV_ST, prev, strlen(prev), prev_st) : 0;
    keys[C_PREV] = prev ? ctx_key(C_PREV, prev, strlen(prev), -1) : 0;
    keys[C_SUB_ST] = prev ? ctx_key(C_SUB_ST, prev, words_len(prev, 2), prev_st) : 0;
    keys[C_PROG_ST] = prev ? ctx_key(C_PROG_ST, prev, words_len(prev, 1), prev_st) : 0;
    keys[C_CWD] = cwd ? ctx_key(C_CWD, cwd, strlen(cwd), -1) : 0;
    keys[C_REPO] = repo ? ctx_key(C_REPO, repo, strlen(repo), -1) : 0;
}

/* ---- n-gram over shell tokens ---- */

static uint64_t ng_ctx(uint32_t a, uint32_t b, int order)
{
    uint32_t v[3] = {a, b, (uint32_t)order};
    return XXH3_64bits(v, sizeof v) | 1;
}

static int ng_add(tc_shell_model *m, uint64_t key, uint32_t tok, uint32_t weight)
{
    uint32_t *ix = counts_slot(&m->ngram_ix, key, 1);
    succlist *l;
    if (!ix) return TC_ENOMEM;
    if (!*ix) {
        if (grow((void **)&m->lists, m->nlists, &m->caplists, sizeof *m->lists, 1024)) return TC_ENOMEM;
        memset(&m->lists[m->nlists], 0, sizeof *m->lists);
        *ix = (uint32_t)++m->nlists;
    }
    l = &m->lists[*ix - 1];
    {
        /* Where tok is in the list: (list key, tok) -> position + 1. */
        uint64_t pk = XXH3_64bits_withSeed(&key, sizeof key, (uint64_t)tok + 1) | 1;
        uint32_t *pos = counts_slot(&m->pos, pk, 1);
        if (!pos) return TC_ENOMEM;
        if (*pos) {
            l->v[*pos - 1].count += weight;
            l->total += weight;
            return TC_OK;
        }
        *pos = (uint32_t)l->n + 1;
    }
    if (grow((void **)&l->v, l->n, &l->cap, sizeof *l->v, 4)) return TC_ENOMEM;
    l->v[l->n].tok = tok;
    l->v[l->n++].count = weight;
    l->total += weight;
    return TC_OK;
}

static const succlist *ng_list(tc_shell_model *m, uint64_t key)
{
    uint32_t ix = counts_get(&m->ngram_ix, key);
    return ix ? &m->lists[ix - 1] : NULL;
}

/* Token ids of s into ids (at most max), each token's text with a leading
 * ' ' when white space came before it. *partial (may be NULL) is set when
 * s ends inside its last token. Returns the count, or -1 (no memory). */
static int tokenize(tc_shell_model *m, const char *s, int make, uint32_t *ids, int max, int *partial)
{
    tc_toks t = {0};
    char buf[1024];
    int n = 0;
    size_t len = strlen(s);
    if (tc_lex(TC_LANG_SHELL, s, len, &t)) return -1;
    for (size_t i = 0; i < t.n && n < max; i++) {
        const tc_token *k = &t.v[i];
        int sp = k->off > 0 && (s[k->off - 1] == ' ' || s[k->off - 1] == '\t');
        size_t tl = k->len + (size_t)sp;
        if (k->kind == TC_TOK_NEWLINE || tl >= sizeof buf) continue;
        buf[0] = ' ';
        memcpy(buf + sp, s + k->off, k->len);
        ids[n++] = strtab_id(&m->toks, buf, tl, make);
    }
    if (partial) *partial = t.n > 0 && len > 0 && s[len - 1] != ' ' && s[len - 1] != '\t';
    tc_toks_free(&t);
    return n;
}

static int ng_learn(tc_shell_model *m, const char *cmd, uint32_t weight)
{
    uint32_t ids[256];
    int n = tokenize(m, cmd, 1, ids, 255, NULL), rc = TC_OK;
    uint32_t a = TOK_BOS, b = TOK_BOS;
    if (n < 0) return TC_ENOMEM;
    ids[n++] = TOK_EOL;
    for (int i = 0; i < n && !rc; i++) {
        if (ids[i] == NO_CMD) return TC_ENOMEM;
        rc = ng_add(m, ng_ctx(a, b, 3), ids[i], weight);
        if (!rc) rc = ng_add(m, ng_ctx(0, b, 2), ids[i], weight);
        a = b;
        b = ids[i];
    }
    return rc;
}

/* P(tok | a, b): the trigram, backed off to the bigram (Witten-Bell). */
static double ng_prob(tc_shell_model *m, uint32_t a, uint32_t b, uint32_t tok)
{
    const succlist *l3 = ng_list(m, ng_ctx(a, b, 3)), *l2 = ng_list(m, ng_ctx(0, b, 2));
    double p2 = 0, p3;
    if (l2)
        for (uint32_t i = 0; i < l2->n; i++)
            if (l2->v[i].tok == tok) p2 = (double)l2->v[i].count / l2->total;
    if (!l3) return p2;
    p3 = 0;
    for (uint32_t i = 0; i < l3->n; i++)
        if (l3->v[i].tok == tok) p3 = (double)l3->v[i].count / l3->total;
    {
        double lam = (double)l3->total / (l3->total + l3->n);
        return lam * p3 + (1 - lam) * p2;
    }
}

/* ---- learning ---- */

int tc_shell_model_add(tc_shell_model *m, const tc_shell_entry *e)
{
    const char *prev = NULL;
    int prev_st = -1, rc = TC_OK;
    uint32_t id, psess = NO_CMD;
    uint64_t keys[C_NCTX];
    size_t si = MAX_SESSIONS;
    if (!e->cmd || !*e->cmd) return TC_OK;
    /* The session's previous command. */
    for (size_t i = 0; i < m->nsess; i++)
        if (m->sess[i].id == e->session) si = i;
    if (si < MAX_SESSIONS && m->sess[si].cmd != NO_CMD) {
        psess = m->sess[si].cmd;
        prev_st = m->sess[si].status;
        prev = m->cmds.s[psess];
    }
    id = strtab_id(&m->cmds, e->cmd, strlen(e->cmd), 1);
    if (id == NO_CMD) return TC_ENOMEM;
    if (id >= m->info_cap) {
        size_t nc = m->cmds.cap;
        cmdinfo *v = realloc(m->info, nc * sizeof *v);
        if (!v) return TC_ENOMEM;
        memset(v + m->info_cap, 0, (nc - m->info_cap) * sizeof *v);
        m->info = v;
        m->info_cap = nc;
    }
    ctx_keys(prev, prev_st, e->cwd, e->repo, keys);
    for (int c = 0; c < C_NCTX && !rc; c++)
        if (keys[c]) rc = ng_add(m, keys[c], id, 1);
    if (rc) return rc;
    {
        cmdinfo *in = &m->info[id];
        in->rec = in->rec * exp(-(double)(m->seq - in->rec_at) / TAU) + 1.0;
        in->rec_at = m->seq;
        in->count++;
        m->rec_total = m->rec_total * exp(-1.0 / TAU) + 1.0;
        m->seq++;
    }
    if (si == MAX_SESSIONS) {
        si = m->nsess < MAX_SESSIONS ? m->nsess++ : m->sess_next++ % MAX_SESSIONS;
        m->sess[si].id = e->session;
    }
    m->sess[si].cmd = id;
    m->sess[si].status = e->status;
    return m->ng_eager || m->ng_built ? ng_learn(m, e->cmd, 1) : TC_OK;
}

/* Train the n-gram model on what was learnt so far (each distinct command
 * weighted by its count: the same counts as learning every occurrence). */
static int ng_build(tc_shell_model *m)
{
    int rc = TC_OK;
    for (uint32_t id = 0; id < m->cmds.n && !rc; id++) rc = ng_learn(m, m->cmds.s[id], m->info[id].count);
    if (!rc) m->ng_built = 1;
    return rc;
}

/* ---- suggesting ---- */

static void cands_reset(tc_shell_cands *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->v[i].cmd);
    c->n = 0;
}

void tc_shell_cands_free(tc_shell_cands *c)
{
    if (!c) return;
    cands_reset(c);
    free(c->v);
    c->v = NULL;
}

/* Insert (cmd, score) into the best-first list of at most k (cmd copied). */
static int cands_offer(tc_shell_cands *c, size_t k, const char *cmd, double score, int ngram)
{
    size_t pos = c->n;
    char *dup;
    while (pos > 0 && c->v[pos - 1].score < score) pos--;
    if (pos >= k) return TC_OK;
    if (!(dup = strdup(cmd))) return TC_ENOMEM;
    if (c->n == k) free(c->v[--c->n].cmd);
    memmove(&c->v[pos + 1], &c->v[pos], (c->n - pos) * sizeof *c->v);
    c->v[pos].cmd = dup;
    c->v[pos].score = score;
    c->v[pos].ngram = ngram;
    c->n++;
    return TC_OK;
}

static int cands_has(const tc_shell_cands *c, const char *cmd)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].cmd, cmd)) return 1;
    return 0;
}

/* Extend the n-gram completions of the typed prefix into out. */
static int ngram_offer(tc_shell_model *m, const tc_shell_ctx *c, size_t k, tc_shell_cands *out)
{
    const char *pre = c->prefix ? c->prefix : "";
    uint32_t ids[256];
    int partial = 0, n = tokenize(m, pre, 0, ids, 255, &partial), rc = TC_OK;
    uint32_t a = TOK_BOS, b = TOK_BOS;
    const char *part = "";
    size_t partlen = 0, prelen = strlen(pre);
    const succlist *l;
    char line[2048];
    if (n < 0) return TC_ENOMEM;
    if (!m->ng_eager && !m->ng_built) {
        if ((rc = ng_build(m))) return rc;
        n = tokenize(m, pre, 0, ids, 255, &partial);
        if (n < 0) return TC_ENOMEM;
    }
    if (partial && n > 0) {
        n--;
        /* The partial token's text: from the last blank (or the start). */
        part = pre + prelen;
        while (part > pre && part[-1] != ' ' && part[-1] != '\t') part--;
        partlen = (size_t)(pre + prelen - part);
    }
    for (int i = 0; i < n; i++) {
        if (ids[i] == NO_CMD) return TC_OK; /* an unseen token: no context */
        a = b;
        b = ids[i];
    }
    if (!(l = ng_list(m, ng_ctx(a, b, 3))) && !(l = ng_list(m, ng_ctx(0, b, 2)))) return TC_OK;
    /* Beam start: the best NGRAM_BEAM first tokens that fit the partial
     * token, then each greedily to the end of the line. */
    {
        succ best[NGRAM_BEAM];
        int nb = 0;
        for (uint32_t i = 0; i < l->n; i++) {
            const char *t = m->toks.s[l->v[i].tok];
            const char *tt = t[0] == ' ' ? t + 1 : t;
            int pos;
            if (l->v[i].tok == TOK_EOL) continue;
            if (partlen && (strncmp(tt, part, partlen) || (t[0] == ' ') != (part > pre))) continue;
            if (!partlen && prelen && t[0] != ' ' && (pre[prelen - 1] == ' ')) continue;
            for (pos = nb; pos > 0 && best[pos - 1].count < l->v[i].count; pos--) {}
            if (pos >= NGRAM_BEAM) continue;
            if (nb < NGRAM_BEAM) nb++;
            memmove(&best[pos + 1], &best[pos], (size_t)(nb - 1 - pos) * sizeof *best);
            best[pos] = l->v[i];
        }
        for (int j = 0; j < nb && !rc; j++) {
            uint32_t x = b, y = best[j].tok, w = a;
            double logp = log((double)best[j].count / l->total);
            size_t len;
            const char *t = m->toks.s[y];
            (void)w;
            if (partlen) len = (size_t)snprintf(line, sizeof line, "%.*s%s", (int)(part - pre), pre,
                                                t[0] == ' ' ? t + 1 : t);
            else if (prelen && pre[prelen - 1] == ' ') len = (size_t)snprintf(line, sizeof line, "%s%s", pre, t + (t[0] == ' '));
            else len = (size_t)snprintf(line, sizeof line, "%s%s", pre, prelen ? t : t + (t[0] == ' '));
            for (int step = 0; step < NGRAM_MAX_TOKENS && len < sizeof line - 256; step++) {
                uint32_t bt = TOK_EOL;
                double bp = 0;
                const succlist *l3 = ng_list(m, ng_ctx(x, y, 3)), *l2 = ng_list(m, ng_ctx(0, y, 2));
                const succlist *src = l3 ? l3 : l2;
                if (!src) break;
                for (uint32_t i = 0; i < src->n; i++) {
                    double p = ng_prob(m, x, y, src->v[i].tok);
                    if (p > bp) {
                        bp = p;
                        bt = src->v[i].tok;
                    }
                }
                logp += log(bp > 0 ? bp : 1e-9);
                if (bt == TOK_EOL) break;
                len += (size_t)snprintf(line + len, sizeof line - len, "%s", m->toks.s[bt]);
                x = y;
                y = bt;
            }
            if (len >= sizeof line) continue;
            if (cands_has(out, line)) continue;
            if (strtab_id(&m->cmds, line, strlen(line), 0) != NO_CMD) continue; /* seen: scored above */
            if (c->check_paths && !tc_shell_paths_ok(line, c->cwd)) continue;
            rc = cands_offer(out, k, line, -1.0 + exp(logp) * 1e-3, 1);
        }
    }
    return rc;
}

int tc_shell_model_suggest(tc_shell_model *m, const tc_shell_ctx *c, size_t k, tc_shell_cands *out)
{
    const char *pre = c->prefix ? c->prefix : "";
    size_t plen = strlen(pre);
    uint64_t keys[C_NCTX];
    const succlist *l[C_NCTX];
    double w[C_NCTX], wsum = 0, wrec, wfreq;
    int rc = TC_OK;
    cands_reset(out);
    if (!k) return TC_OK;
    if (!out->v && !(out->v = calloc(k, sizeof *out->v))) return TC_ENOMEM;
    if (m->seq == 0) return TC_OK;
    ctx_keys(c->prev, c->prev_status, c->cwd, c->repo, keys);
    for (int i = 0; i < C_NCTX; i++) {
        l[i] = keys[i] ? ng_list(m, keys[i]) : NULL;
        w[i] = l[i] ? prior[i] * l[i]->total / (l[i]->total + KAPPA) : 0;
        wsum += w[i];
    }
    wrec = PRIOR_RECENT;
    wfreq = PRIOR_FREQ;
    wsum += wrec + wfreq;
    wrec /= wsum;
    wfreq /= wsum;
    /* The context components are sparse: add them up over their lists. */
    if (c->rank == TC_SHELL_RANK_MODEL) {
        if (m->acc_cap < m->cmds.n) {
            double *a = realloc(m->acc, m->cmds.cap * sizeof *a);
            if (!a) return TC_ENOMEM;
            memset(a, 0, m->cmds.cap * sizeof *a);
            m->acc = a;
            m->acc_cap = m->cmds.cap;
        }
        for (int i = 0; i < C_NCTX; i++)
            for (uint32_t j = 0; l[i] && j < l[i]->n; j++)
                m->acc[l[i]->v[j].tok] += w[i] / wsum * l[i]->v[j].count / l[i]->total;
    }
    for (uint32_t id = 0; id < m->cmds.n && !rc; id++) {
        const char *s = m->cmds.s[id];
        const cmdinfo *in = &m->info[id];
        double score;
        if (plen && strncmp(s, pre, plen)) continue;
        switch (c->rank) {
        case TC_SHELL_RANK_RECENT:
            score = (double)in->rec_at;
            break;
        case TC_SHELL_RANK_FREQUENT:
            score = (double)in->count + (double)in->rec_at / (m->seq + 1.0);
            break;
        default:
            score = m->acc[id] + wrec * in->rec * exp(-(double)(m->seq - in->rec_at) / TAU) / m->rec_total +
                    wfreq * (double)in->count / m->seq;
            break;
        }
        if (out->n == k && score <= out->v[k - 1].score) continue;
        if (c->check_paths && !tc_shell_paths_ok(s, c->cwd)) continue;
        rc = cands_offer(out, k, s, score, 0);
    }
    if (c->rank == TC_SHELL_RANK_MODEL)
        for (int i = 0; i < C_NCTX; i++)
            for (uint32_t j = 0; l[i] && j < l[i]->n; j++) m->acc[l[i]->v[j].tok] = 0;
    if (!rc && c->rank == TC_SHELL_RANK_MODEL && out->n < k) rc = ngram_offer(m, c, k, out);
    return rc;
}

/* ---- paths and git ---- */

static int exists(const char *cwd, const char *w, int want_dir);

/* Does word w name a file the command reads? A word with a '/' whose first
 * component exists here (so origin/main or deploy/api are not paths), or
 * name.ext with a short alphabetic extension. */
static int word_is_pathlike(const char *w, const char *cwd)
{
    size_t n = strlen(w);
    const char *dot, *slash;
    if (!n || w[0] == '-' || strpbrk(w, "*?[$`{}=:@<>|;&()'\"\\") || strstr(w, "...")) return 0;
    if (w[0] == '/' || w[0] == '~' || !strncmp(w, "./", 2) || !strncmp(w, "../", 3)) return 1;
    if ((slash = strchr(w, '/'))) {
        char first[512];
        snprintf(first, sizeof first, "%.*s", (int)(slash - w), w);
        return exists(cwd, first, 0);
    }
    dot = strrchr(w, '.');
    if (!dot || dot == w || !dot[1] || n - (size_t)(dot - w) > 5) return 0;
    for (const char *p = dot + 1; *p; p++)
        if (!isalpha((unsigned char)*p)) return 0;
    return !isdigit((unsigned char)w[0]);
}

static int exists(const char *cwd, const char *w, int want_dir)
{
    char path[4096];
    struct stat st;
    const char *home = getenv("HOME");
    if (w[0] == '~' && (w[1] == '/' || !w[1]) && home) snprintf(path, sizeof path, "%s%s", home, w + 1);
    else if (w[0] == '/' || !cwd) snprintf(path, sizeof path, "%s", w);
    else snprintf(path, sizeof path, "%s/%s", cwd, w);
    if (stat(path, &st)) return 0;
    return !want_dir || S_ISDIR(st.st_mode);
}

int tc_shell_paths_ok(const char *cmd, const char *cwd)
{
    /* Commands that create what they name, or whose words are rarely files. */
    static const char *const makers[] = {"mkdir ", "touch ", "wget ", "tee ", "git ", "tar -c", "tar c",
                                         "ssh-keygen ", "python3 -m venv", "python -m venv", "vim ", "nvim ",
                                         "vi ", "nano ", "emacs ", "code ", "ssh ", "scp ", "ping ", "curl ",
                                         "dig ", "host ", "mosh ", "docker ", "kubectl ", "npm ", "pip ",
                                         "apt ", "apt-get ", "man ", "echo ", "printf ", NULL};
    char w[64][512];
    int nw = 0, redirect = 0, rel_ok = 1;
    const char *p = cmd;
    if (!cwd) return 1; /* nothing to check against */
    for (int i = 0; makers[i]; i++)
        if (!strncmp(cmd, makers[i], strlen(makers[i]))) return 1;
    /* One simple command only: stop at operators; quoted words are skipped. */
    while (*p && nw < 64) {
        size_t n = 0;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || strchr(";|&", *p)) break;
        while (*p && *p != ' ' && *p != '\t' && n < sizeof w[0] - 1) w[nw][n++] = *p++;
        w[nw][n] = 0;
        while (*p && *p != ' ' && *p != '\t') p++; /* overlong word: cut */
        nw++;
    }
    if (nw == 0) return 1;
    if (!strcmp(w[0], "cd") || !strcmp(w[0], "pushd")) {
        if (nw < 2 || !strcmp(w[1], "-") || strpbrk(w[1], "$`*?")) return 1;
        return exists(cwd, w[1], 1);
    }
    for (int i = 1; i < nw && rel_ok; i++) {
        int last_of_copy = i == nw - 1 && nw > 2 &&
                           (!strcmp(w[0], "cp") || !strcmp(w[0], "mv") || !strcmp(w[0], "ln") ||
                            !strcmp(w[0], "rsync") || !strcmp(w[0], "scp"));
        if (w[i][0] == '>' || !strcmp(w[i], "-o") || !strcmp(w[i], "--output")) {
            redirect = w[i][0] != '>' || !w[i][1] || (w[i][1] == '>' && !w[i][2]);
            continue;
        }
        if (redirect) {
            redirect = 0;
            continue;
        }
        if (last_of_copy || !word_is_pathlike(w[i], cwd)) continue;
        rel_ok = exists(cwd, w[i], 0);
    }
    return rel_ok;
}

int tc_shell_git_info(const char *dir, char *root, size_t rootlen, char *branch, size_t branchlen)
{
    char d[4096], p[8200], head[512];
    struct stat st;
    size_t n;
    if (!dir || (n = strlen(dir)) >= sizeof d) return TC_ENOENT;
    memcpy(d, dir, n + 1);
    for (;;) {
        snprintf(p, sizeof p, "%s/.git", n ? d : "");
        if (stat(p, &st) == 0) break;
        {
            char *s = strrchr(d, '/');
            if (!s || (s == d && n <= 1)) return TC_ENOENT;
            *s = 0;
            n = strlen(d);
        }
    }
    snprintf(root, rootlen, "%s", n ? d : "/");
    branch[0] = 0;
    /* .git is the folder, or a file "gitdir: PATH" (worktrees, submodules). */
    if (S_ISDIR(st.st_mode)) snprintf(p, sizeof p, "%s/.git/HEAD", n ? d : "");
    else {
        FILE *g = fopen(p, "r");
        char line[4096] = "";
        int ok = g && fgets(line, sizeof line, g) && !strncmp(line, "gitdir: ", 8);
        if (g) fclose(g);
        if (!ok) return TC_OK;
        line[strcspn(line, "\r\n")] = 0;
        if (strlen(line) + n + 8 >= sizeof p) return TC_OK;
        if (line[8] == '/') snprintf(p, sizeof p, "%.4000s/HEAD", line + 8);
        else snprintf(p, sizeof p, "%.4000s/%.4000s/HEAD", n ? d : "", line + 8);
    }
    {
        FILE *f = fopen(p, "r");
        if (f) {
            if (fgets(head, sizeof head, f) && !strncmp(head, "ref: refs/heads/", 16)) {
                head[strcspn(head, "\r\n")] = 0;
                snprintf(branch, branchlen, "%s", head + 16);
            }
            fclose(f);
        }
    }
    return TC_OK;
}
