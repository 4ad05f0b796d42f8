/* edits.c - next edits over LSP (edit/edit.h): the user's bursts from
 * didChange, the rule they imply, its sites in the open documents and
 * the workspace index; offered as code actions ("Apply the same edit
 * here", "Apply to all N places"), as hints (diagnostics of severity
 * Hint at each site) and by the request tacit/nextEdit.
 *
 * A rule stays while the user applies it: a burst that implies no rule of
 * its own but touches one of the rule's sites keeps the rule (its other
 * sites are still to do); any other burst drops it.
 *
 * Sites are also inlay hints (textDocument/inlayHint: "→ new text" at the
 * end of each site; workspace/inlayHint/refresh when they change and the
 * client supports it; setting nextEditInlayHints).
 *
 * The workspace's files are read and lexed ahead, while the user rests
 * (lsp_edits_warm, from the main loop's timers, a few ms at a time), so
 * that the first edit after start is as quick as the next ones.
 *
 * With a model server and the setting nextEditModel, the edit-prediction
 * prompt (edit/prompt.h) is sent as a plain completion once the changes
 * pause (EDITS_MODEL_DELAY_MS, from the main loop's timers), on the
 * session's client (never waited for: the main loop polls it and
 * calls lsp_edits_perform); a rewritten excerpt that arrives by
 * nextEditModelDeadline, the document unchanged, becomes one more site
 * (kind "model"), after the rule's, which answer first. */
#include "context/privacy.h"
#include "context/secrets.h"
#include "edit/edit.h"
#include "edit/prompt.h"
#include "lsp/lsp_int.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define EDITS_MAX_SITES 500   /* sites kept (and offered) per rule */
#define EDITS_TOUCH_SLACK 2   /* bytes around a site a burst may touch */
#define EDITS_HINT_MAX 40     /* bytes of new text an inlay hint shows */
#define EDITS_WARM_SLICE_MS 4.0 /* reading ahead: one step's time */
#define EDITS_WARM_REST_MS 50.0 /* ... after the user's last input */
#define EDITS_MODEL_PREDICT 400 /* tokens a model may generate for the excerpt */
/* The model's request waits for this pause after the last didChange: a
 * request costs the server a generation of up to EDITS_MODEL_PREDICT
 * tokens (hundreds of ms to seconds) that the next keystroke would cancel,
 * and keys typed in a run come 100 to 250 ms apart (120 to 50 words a
 * minute); waiting longer than that sends one request per run of typing,
 * while the wait stays small next to the generation (the rule's sites do
 * not wait: they are published at once). */
#define EDITS_MODEL_DELAY_MS 250.0

typedef struct lsp_site {
    char *uri;               /* owned */
    size_t a, b;             /* bytes in that document's text (when computed) */
    uint64_t l0, c0, l1, c1; /* range in the client's encoding */
    char *text;              /* owned: the new text */
    int model;               /* 1: predicted by the model server (the last site) */
    float feat[TC_EDIT_NFEAT]; /* the evidence of its confidence (tc_edit_site.feat) */
} lsp_site;

/* A workspace file as last read (for the sites in files not open). */
typedef struct edits_file {
    char *path;
    uint64_t hash;         /* tc_file_info.hash when read */
    tc_buf text;
    char *uri;
    tc_edit_text *lexed;   /* NULL until a rule's key was in it */
} edits_file;

#define EDITS_CACHE_MAX (96u << 20) /* bytes of texts and tokens kept */

struct lsp_edits {
    tc_edit_tracker *tr;
    tc_edit_rule *rule;
    char *rule_uri;      /* the document the rule was learned from */
    uint64_t epoch;      /* tracker epoch the sites are for */
    int computed;
    lsp_site *v;
    size_t n, cap;
    struct {
        char *uri;
        size_t a, b;
    } *bs;               /* the sites when the burst began */
    size_t nbs;
    uint64_t burst_id;   /* tc_edit_tracker_bursts of that burst */
    uint64_t published_hash;
    edits_file *files;   /* by index file number */
    size_t nfiles;
    size_t cache_bytes;
    char **pub;          /* documents holding published hints */
    size_t npub;
    /* reading the workspace ahead */
    const tc_index *warm_ix; /* the index read ahead (NULL: not begun) */
    size_t warm_next;        /* its next file number */
    int warm_done;
    /* edit prediction by a model server */
    tc_req *mreq;            /* in flight, or NULL */
    double m_due_ms;         /* when to send it (lsp_now_ms), or 0: none waits */
    char *m_uri;             /* its document ... */
    uint64_t m_changes;      /* ... and that document's lsp_doc.changes when sent */
    size_t m_ra;             /* the excerpt sent: bytes [m_ra, m_ra + m_region.len) */
    tc_buf m_region;
    tc_privacy *priv;        /* secret files (never sent) */
    uint64_t m_sent, m_answered, m_offered;
    long refresh_id;
};

static void burst_sites_clear(lsp_edits_state *e);
static void files_clear(lsp_edits_state *e);

static lsp_edits_state *state(lsp_server *s)
{
    if (!s->edits && (s->edits = calloc(1, sizeof *s->edits)) && !(s->edits->tr = tc_edit_tracker_new())) {
        free(s->edits);
        s->edits = NULL;
    }
    return s->edits;
}

static void sites_clear(lsp_edits_state *e)
{
    size_t i;
    for (i = 0; i < e->n; i++) {
        free(e->v[i].uri);
        free(e->v[i].text);
    }
    e->n = 0;
}

static void drop_rule(lsp_edits_state *e)
{
    tc_edit_rule_free(e->rule);
    free(e->rule_uri);
    e->rule = NULL;
    e->rule_uri = NULL;
    sites_clear(e);
}

static void model_clear(lsp_edits_state *e)
{
    tc_req_free(e->mreq);
    e->mreq = NULL;
    free(e->m_uri);
    e->m_uri = NULL;
    tc_buf_free(&e->m_region);
}

void lsp_edits_free(lsp_server *s)
{
    lsp_edits_state *e = s->edits;
    size_t i;
    if (!e) return;
    model_clear(e);
    tc_privacy_free(e->priv);
    drop_rule(e);
    burst_sites_clear(e);
    files_clear(e);
    free(e->v);
    for (i = 0; i < e->npub; i++) free(e->pub[i]);
    free(e->pub);
    tc_edit_tracker_free(e->tr);
    free(e);
    s->edits = NULL;
}

void lsp_edits_change(lsp_server *s, lsp_doc *d, size_t a, size_t b, size_t n)
{
    lsp_edits_state *e = state(s);
    if (!e) return;
    if (e->rule && strcmp(e->rule_uri, d->uri) == 0) tc_edit_rule_shift(e->rule, a, b, n);
    if (tc_edit_tracker_change(e->tr, d->uri, d->text.data ? d->text.data : "", d->text.len, a, b, n))
        tc_warn("out of memory tracking an edit of %.200s", d->uri);
}

void lsp_edits_close(lsp_server *s, lsp_doc *d)
{
    lsp_edits_state *e = s->edits;
    if (!e) return;
    tc_edit_tracker_reset(e->tr, d->uri);
    if (e->rule_uri && strcmp(e->rule_uri, d->uri) == 0) drop_rule(e);
    e->computed = 0;
}

/* ---- sites ------------------------------------------------------------------------ */

static tc_lang doc_lang(const lsp_doc *d)
{
    return tc_lang_detect(d->relpath, d->text.data, d->text.len < 256 ? d->text.len : 256);
}

/* file:// URI of a workspace file (percent-encoding what a path may hold). */
static char *file_uri(const char *root, const char *rel)
{
    tc_buf b = {0};
    const char *parts[2] = {root, rel};
    int k;
    tc_buf_puts(&b, "file://");
    for (k = 0; k < 2; k++) {
        const unsigned char *p;
        if (k) tc_buf_puts(&b, "/");
        for (p = (const unsigned char *)parts[k]; *p; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
                tc_buf_append(&b, p, 1);
            else
                tc_buf_printf(&b, "%%%02X", *p);
        }
    }
    return b.data;
}

static void file_clear(edits_file *f)
{
    free(f->path);
    free(f->uri);
    tc_buf_free(&f->text);
    tc_edit_text_free(f->lexed);
    memset(f, 0, sizeof *f);
}

static void files_clear(lsp_edits_state *e)
{
    size_t i;
    for (i = 0; i < e->nfiles; i++) file_clear(&e->files[i]);
    free(e->files);
    e->files = NULL;
    e->nfiles = 0;
    e->cache_bytes = 0;
}

/* File i of the index, read (and kept while the cache has room), or NULL. */
static edits_file *cached_file(lsp_server *s, lsp_edits_state *e, tc_index *ix, size_t i, const tc_file_info *fi)
{
    edits_file *f;
    if (i >= e->nfiles) {
        size_t n = tc_index_nfiles(ix);
        edits_file *p = realloc(e->files, n * sizeof *p);
        if (!p) return NULL;
        memset(p + e->nfiles, 0, (n - e->nfiles) * sizeof *p);
        e->files = p;
        e->nfiles = n;
    }
    f = &e->files[i];
    if (f->path && f->hash == fi->hash && strcmp(f->path, fi->path) == 0) return f;
    if (f->path) e->cache_bytes -= f->text.len * (f->lexed ? 5 : 1);
    file_clear(f);
    if (e->cache_bytes > EDITS_CACHE_MAX) { /* full: start again */
        files_clear(e);
        return cached_file(s, e, ix, i, fi);
    }
    if (tc_fs_read_regular(tc_index_root_fd(ix), fi->path, tc_index_max_file_size(ix), &f->text, NULL) ||
        !(f->path = strdup(fi->path)) || !(f->uri = file_uri(s->root, fi->path))) {
        file_clear(f);
        return NULL;
    }
    f->hash = fi->hash;
    e->cache_bytes += f->text.len;
    return f;
}

/* Lex a cached file (kept with it). TC_OK / TC_ENOMEM. */
static int lex_file(lsp_edits_state *e, edits_file *cf, const tc_file_info *fi)
{
    tc_edit_src src = {fi->path, cf->text.data ? cf->text.data : "", cf->text.len, (tc_lang)fi->lang};
    if (!(cf->lexed = tc_edit_text_new(&src))) return TC_ENOMEM;
    e->cache_bytes += cf->text.len * 4;
    return TC_OK;
}

/* Room for more sites: 1, or 0 on ENOMEM. */
static int take_room(lsp_edits_state *e)
{
    size_t cap = e->cap ? 2 * e->cap : 16;
    void *p = realloc(e->v, cap * sizeof *e->v);
    if (!p) return 0;
    e->v = p;
    e->cap = cap;
    return 1;
}

/* Move the sites found in one text to e, with their positions. */
static int take_sites(lsp_server *s, lsp_edits_state *e, lsp_doc *d, tc_edit_sites *found)
{
    size_t i;
    for (i = 0; i < found->n && e->n < EDITS_MAX_SITES; i++) {
        lsp_site *t;
        if (e->n == e->cap && !take_room(e)) return TC_ENOMEM;
        t = &e->v[e->n];
        t->uri = found->v[i].path; /* the source's path is its URI */
        t->text = found->v[i].text;
        found->v[i].path = found->v[i].text = NULL;
        t->a = found->v[i].a;
        t->b = found->v[i].b;
        t->model = 0;
        memcpy(t->feat, found->v[i].feat, sizeof t->feat);
        lsp_doc_position(d, t->a, s->enc, &t->l0, &t->c0);
        lsp_doc_position(d, t->b, s->enc, &t->l1, &t->c1);
        e->n++;
    }
    return TC_OK;
}

static int sites_in(lsp_server *s, lsp_edits_state *e, lsp_doc *d, const char *uri, tc_lang lang, int origin)
{
    tc_edit_src src = {uri, d->text.data ? d->text.data : "", d->text.len, lang};
    tc_edit_sites found = {0};
    int rc = tc_edit_rule_sites(e->rule, &src, origin, &found);
    if (rc == TC_OK) rc = take_sites(s, e, d, &found);
    tc_edit_sites_free(&found);
    return rc;
}

/* Keep the sites whose confidence, with the number of places found
 * (TC_EDIT_F_MANY) and the rule's other places (tc_edit_conf_rule), is
 * at least the setting nextEditMinConfidence. */
static void keep_confident(lsp_server *s, lsp_edits_state *e)
{
    size_t i, k = 0, nr = 0;
    float many = tc_edit_many(e->n);
    double sum = 0;
    for (i = 0; i < e->n; i++) {
        e->v[i].feat[TC_EDIT_F_MANY] = many;
        if (!e->v[i].model) {
            sum += tc_edit_logodds(tc_edit_conf(e->v[i].feat));
            nr++;
        }
    }
    for (i = 0; i < e->n; i++) {
        if (e->v[i].model ||
            tc_edit_conf_rule(tc_edit_conf(e->v[i].feat), nr ? sum / (double)nr : 0) >= s->set.next_edit_min_conf) {
            e->v[k++] = e->v[i];
            continue;
        }
        free(e->v[i].uri);
        free(e->v[i].text);
    }
    e->n = k;
}

/* found of the rule's places found so far (e->v holds them, or only those
 * tc_edit_site_exact kept): when too many, keep only those; at the end
 * (last), none when still more than TC_EDIT_MAX_NARROW. */
static void narrow_sites(lsp_edits_state *e, size_t found, int last)
{
    size_t i, k = 0;
    if (!tc_edit_rule_too_broad(e->rule, found)) return;
    for (i = 0; i < e->n; i++) {
        if (tc_edit_site_exact(e->rule, e->v[i].feat)) {
            e->v[k++] = e->v[i];
            continue;
        }
        free(e->v[i].uri);
        free(e->v[i].text);
    }
    e->n = k;
    if (last && e->n > TC_EDIT_MAX_NARROW) sites_clear(e);
}

/* The rule's sites: the open documents (the rule's own first), then the
 * other files of the index when the rule reaches beyond its file. The
 * places found, before any were set aside (too many, not confident). */
static size_t find_sites_once(lsp_server *s, lsp_edits_state *e)
{
    tc_engine *eng = lsp_engine(s);
    tc_index *ix = eng ? tc_engine_index(eng) : NULL;
    lsp_doc *od = lsp_docs_find(&s->docs, e->rule_uri);
    size_t i, nf, klen, found;
    const char *key = tc_edit_rule_key(e->rule, &klen);
    sites_clear(e);
    if (od && !od->too_big) sites_in(s, e, od, od->uri, doc_lang(od), 1);
    for (i = 0; i < s->docs.n; i++) {
        lsp_doc *d = s->docs.v[i];
        if (d != od && !d->too_big) sites_in(s, e, d, d->uri, doc_lang(d), 0);
    }
    if (!tc_edit_rule_crossfile(e->rule) || !ix || !s->root) {
        found = e->n;
        narrow_sites(e, e->n, 1);
        keep_confident(s, e);
        return found;
    }
    nf = tc_index_nfiles(ix);
    found = e->n;
    for (i = 0; i < nf && e->n <= TC_EDIT_MAX_NARROW &&
                (tc_edit_rule_narrowable(e->rule) || !tc_edit_rule_too_broad(e->rule, found));
         i++) {
        const tc_file_info *fi = tc_index_file(ix, i);
        edits_file *cf;
        size_t k;
        int open = 0;
        if (fi->removed || fi->skip != TC_SKIP_NONE || fi->buffer) continue;
        for (k = 0; k < s->docs.n && !open; k++) open = strcmp(s->docs.v[k]->relpath, fi->path) == 0;
        if (open || !(cf = cached_file(s, e, ix, i, fi))) continue;
        if (klen && !memmem(cf->text.data ? cf->text.data : "", cf->text.len, key, klen)) continue; /* not here */
        if (!cf->lexed && lex_file(e, cf, fi)) continue;
        {
            tc_edit_sites more = {0};
            lsp_doc tmp;
            if (tc_edit_rule_sites_text(e->rule, cf->lexed, cf->uri, 0, &more) == TC_OK && more.n) {
                memset(&tmp, 0, sizeof tmp);
                tmp.text = cf->text;
                found += more.n;
                take_sites(s, e, &tmp, &more);
                narrow_sites(e, found, 0);
            }
            tc_edit_sites_free(&more);
        }
    }
    narrow_sites(e, found, 1); /* too general: only the example's surroundings, or nothing */
    keep_confident(s, e);
    return found;
}

/* find_sites_once, and again with the rule widened when it found no place
 * (tc_edit_rule_widen: a `tokens` rule's anchor names as holes) where it
 * looked everywhere it reaches: without the workspace's index (not ready
 * yet) the other files may hold the example's own anchor. */
static void find_sites(lsp_server *s, lsp_edits_state *e)
{
    tc_engine *eng = lsp_engine(s);
    int whole = !tc_edit_rule_crossfile(e->rule) || (eng && tc_engine_index(eng) && s->root);
    if (find_sites_once(s, e) == 0 && whole && tc_edit_rule_widen(e->rule)) find_sites_once(s, e);
}

/* 1 if the burst [a, b) of uri touches one of the sites known when the
 * burst began. */
static int burst_on_site(const lsp_edits_state *e, const char *uri, size_t a, size_t b)
{
    size_t i;
    for (i = 0; i < e->nbs; i++)
        if (strcmp(e->bs[i].uri, uri) == 0 && a <= e->bs[i].b + EDITS_TOUCH_SLACK && b + EDITS_TOUCH_SLACK >= e->bs[i].a)
            return 1;
    return 0;
}

static void burst_sites_clear(lsp_edits_state *e)
{
    size_t i;
    for (i = 0; i < e->nbs; i++) free(e->bs[i].uri);
    free(e->bs);
    e->bs = NULL;
    e->nbs = 0;
}

/* A new burst: remember where the sites were before it. */
static void burst_sites_take(lsp_edits_state *e)
{
    size_t i;
    burst_sites_clear(e);
    if (!e->n || !(e->bs = calloc(e->n, sizeof *e->bs))) return;
    for (i = 0; i < e->n; i++) {
        if (!(e->bs[e->nbs].uri = strdup(e->v[i].uri))) break;
        e->bs[e->nbs].a = e->v[i].a;
        e->bs[e->nbs].b = e->v[i].b;
        e->nbs++;
    }
}

/* Bring the rule and its sites up to date with the documents. */
static lsp_edits_state *compute(lsp_server *s)
{
    lsp_edits_state *e = state(s);
    const char *key, *before;
    size_t blen, ta = 0, tb = 0;
    lsp_doc *d;
    tc_edit_rule *r2 = NULL;
    if (!e) return NULL;
    if (e->computed && e->epoch == tc_edit_tracker_epoch(e->tr)) return e;
    e->epoch = tc_edit_tracker_epoch(e->tr);
    e->computed = 1;
    if (e->burst_id != tc_edit_tracker_bursts(e->tr)) {
        e->burst_id = tc_edit_tracker_bursts(e->tr);
        burst_sites_take(e);
    }
    key = tc_edit_tracker_burst(e->tr, &before, &blen);
    d = key ? lsp_docs_find(&s->docs, key) : NULL;
    if (!d || d->too_big) {
        drop_rule(e);
        return e;
    }
    tc_edit_tracker_range(e->tr, &ta, &tb);
    {
        tc_edit_src b = {d->uri, before, blen, doc_lang(d)}, pb = {d->uri, NULL, 0, doc_lang(d)};
        /* the previous edit of this document as a second example (it ended as `before`) */
        if (tc_edit_tracker_prev(e->tr, &pb.text, &pb.len))
            tc_edit_synth2(&b, d->text.data ? d->text.data : "", d->text.len, &pb, before, blen, &r2);
        if (!r2) tc_edit_synth(&b, d->text.data ? d->text.data : "", d->text.len, &r2);
    }
    if (r2) {
        tc_edit_rule *old = e->rule;
        char *old_uri = e->rule_uri;
        e->rule = r2;
        e->rule_uri = strdup(d->uri);
        if (e->rule_uri) find_sites(s, e);
        if (e->rule_uri && e->n > 0) {
            tc_edit_rule_free(old);
            free(old_uri);
            return e;
        }
        tc_edit_rule_free(e->rule);
        free(e->rule_uri);
        e->rule = old;
        e->rule_uri = old_uri;
    }
    /* no rule of its own: the burst may be the user applying the rule */
    if (e->rule && burst_on_site(e, d->uri, ta, tb)) {
        find_sites(s, e);
        return e;
    }
    drop_rule(e);
    return e;
}

/* ---- replies ---------------------------------------------------------------------- */

static cJSON *range_json(uint64_t l0, uint64_t c0, uint64_t l1, uint64_t c1)
{
    cJSON *r = cJSON_CreateObject(), *a, *b;
    if (!r) return NULL;
    a = cJSON_AddObjectToObject(r, "start");
    b = cJSON_AddObjectToObject(r, "end");
    cJSON_AddNumberToObject(a, "line", (double)l0);
    cJSON_AddNumberToObject(a, "character", (double)c0);
    cJSON_AddNumberToObject(b, "line", (double)l1);
    cJSON_AddNumberToObject(b, "character", (double)c1);
    return r;
}

static cJSON *text_edit(const lsp_site *t)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddItemToObject(o, "range", range_json(t->l0, t->c0, t->l1, t->c1));
    cJSON_AddStringToObject(o, "newText", t->text);
    return o;
}

/* Sites of the rule: all but the model's (the last one, when there is one). */
static size_t nrule(const lsp_edits_state *e)
{
    return e->n && e->v[e->n - 1].model ? e->n - 1 : e->n;
}

static const char *site_title(const lsp_edits_state *e, size_t i)
{
    return e->v[i].model || !e->rule ? "edit predicted by the model server" : tc_edit_rule_title(e->rule);
}

/* A WorkspaceEdit of site only, or (only -1) of every site of the rule. */
static cJSON *workspace_edit(const lsp_edits_state *e, long only)
{
    cJSON *we = cJSON_CreateObject(), *ch;
    size_t i;
    if (!we) return NULL;
    ch = cJSON_AddObjectToObject(we, "changes");
    for (i = 0; i < e->n; i++) {
        cJSON *arr;
        if (only >= 0 ? (size_t)only != i : i >= nrule(e)) continue;
        arr = cJSON_GetObjectItemCaseSensitive(ch, e->v[i].uri);
        if (!arr) arr = cJSON_AddArrayToObject(ch, e->v[i].uri);
        if (arr) cJSON_AddItemToArray(arr, text_edit(&e->v[i]));
    }
    return we;
}

static cJSON *action(const char *title, cJSON *edit)
{
    cJSON *a = cJSON_CreateObject();
    if (!a) {
        cJSON_Delete(edit);
        return NULL;
    }
    cJSON_AddStringToObject(a, "title", title);
    cJSON_AddStringToObject(a, "kind", "refactor.rewrite");
    cJSON_AddItemToObject(a, "edit", edit);
    return a;
}

/* textDocument/codeAction: at a site, "Apply the same edit here" and
 * "Apply to all N places"; at the model's site, "Apply the predicted
 * edit". */
void lsp_h_code_action(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    lsp_doc *d = lsp_find_doc(s, m->params, r);
    const cJSON *range = lsp_get(m->params, "range");
    const cJSON *st = lsp_get(range, "start"), *en = lsp_get(range, "end");
    lsp_edits_state *e;
    cJSON *res = cJSON_CreateArray();
    double l0 = cJSON_IsNumber(lsp_get(st, "line")) ? lsp_get(st, "line")->valuedouble : -1;
    double l1 = cJSON_IsNumber(lsp_get(en, "line")) ? lsp_get(en, "line")->valuedouble : l0;
    size_t i, nr;
    int rule_done = 0;
    char title[320];
    if (r->code || !res) {
        cJSON_Delete(res);
        return;
    }
    r->result = res;
    if (!d || !(e = compute(s)) || e->n == 0) return;
    nr = nrule(e);
    for (i = 0; i < e->n; i++) {
        if (strcmp(e->v[i].uri, d->uri) != 0 || (double)e->v[i].l1 < l0 || (double)e->v[i].l0 > l1) continue;
        if (e->v[i].model) {
            cJSON_AddItemToArray(res, action("Apply the predicted edit (model server)", workspace_edit(e, (long)i)));
            continue;
        }
        if (rule_done) continue;
        rule_done = 1;
        snprintf(title, sizeof title, "Apply the same edit here (%s)", tc_edit_rule_title(e->rule));
        cJSON_AddItemToArray(res, action(title, workspace_edit(e, (long)i)));
        if (nr > 1) {
            snprintf(title, sizeof title, "Apply to all %zu places (%s)", nr, tc_edit_rule_title(e->rule));
            cJSON_AddItemToArray(res, action(title, workspace_edit(e, -1)));
        }
    }
}

static cJSON *site_json(const lsp_site *t)
{
    cJSON *o = text_edit(t);
    if (o) cJSON_AddStringToObject(o, "uri", t->uri);
    return o;
}

/* tacit/nextEdit {textDocument, position}: the next site of the rule after
 * the position in that document (else the first one there, else the first
 * elsewhere), with every site of the rule for "apply all"; without one,
 * the model's site (kind "model"); null when there is none. */
void lsp_h_next_edit(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    lsp_doc *d = lsp_find_doc(s, m->params, r);
    const cJSON *pos = lsp_get(m->params, "position");
    lsp_edits_state *e;
    double line = cJSON_IsNumber(lsp_get(pos, "line")) ? lsp_get(pos, "line")->valuedouble : 0;
    double ch = cJSON_IsNumber(lsp_get(pos, "character")) ? lsp_get(pos, "character")->valuedouble : 0;
    long pick = -1, first_here = -1;
    size_t i, nr, from, to;
    cJSON *o, *all;
    if (r->code) return;
    if (!(e = compute(s)) || e->n == 0) {
        r->result = cJSON_CreateNull();
        return;
    }
    nr = nrule(e);
    for (i = 0; i < nr; i++) {
        if (!d || strcmp(e->v[i].uri, d->uri) != 0) continue;
        if (first_here < 0) first_here = (long)i;
        if ((double)e->v[i].l0 > line || ((double)e->v[i].l0 == line && (double)e->v[i].c0 > ch)) {
            pick = (long)i;
            break;
        }
    }
    if (pick < 0) pick = first_here >= 0 ? first_here : 0; /* nr == 0: the model's */
    if (!(o = site_json(&e->v[pick]))) return;
    from = nr ? 0 : (size_t)pick;
    to = nr ? nr : e->n;
    cJSON_AddStringToObject(o, "title", site_title(e, (size_t)pick));
    cJSON_AddStringToObject(o, "kind", e->v[pick].model ? "model" : tc_edit_kind_name(tc_edit_rule_kind(e->rule)));
    cJSON_AddNumberToObject(o, "index", (double)((size_t)pick - from) + 1);
    cJSON_AddNumberToObject(o, "total", (double)(to - from));
    all = cJSON_AddArrayToObject(o, "edits");
    for (i = from; i < to; i++) cJSON_AddItemToArray(all, site_json(&e->v[i]));
    r->result = o;
}

/* ---- hints ------------------------------------------------------------------------ */

/* "→ " and the first line of the new text, at most EDITS_HINT_MAX bytes
 * (cut at a character boundary, "…" when cut). */
static void hint_label(const char *text, char *out, size_t cap)
{
    size_t n = strcspn(text, "\n"), cut = n > EDITS_HINT_MAX ? EDITS_HINT_MAX : n;
    while (cut < n && cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) cut--;
    snprintf(out, cap, "→ %.*s%s", (int)cut, text, cut < n || text[n] ? "…" : "");
}

/* textDocument/inlayHint {textDocument, range}: at the end of each site in
 * the range, "→ new text" (off with the setting nextEditInlayHints). */
void lsp_h_inlay_hint(lsp_server *s, lsp_msg *m, lsp_reply *r)
{
    lsp_doc *d = lsp_find_doc(s, m->params, r);
    const cJSON *range = lsp_get(m->params, "range");
    const cJSON *st = lsp_get(range, "start"), *en = lsp_get(range, "end");
    double l0 = cJSON_IsNumber(lsp_get(st, "line")) ? lsp_get(st, "line")->valuedouble : 0;
    double l1 = cJSON_IsNumber(lsp_get(en, "line")) ? lsp_get(en, "line")->valuedouble : 1e18;
    lsp_edits_state *e;
    cJSON *res;
    size_t i;
    char label[EDITS_HINT_MAX + 16];
    if (r->code || !(res = cJSON_CreateArray())) return;
    r->result = res;
    if (!d || !s->set.next_edit_hints || !(e = compute(s))) return;
    for (i = 0; i < e->n; i++) {
        cJSON *h, *p;
        if (strcmp(e->v[i].uri, d->uri) != 0 || (double)e->v[i].l1 < l0 || (double)e->v[i].l1 > l1) continue;
        if (!(h = cJSON_CreateObject())) break;
        cJSON_AddItemToArray(res, h);
        p = cJSON_AddObjectToObject(h, "position");
        cJSON_AddNumberToObject(p, "line", (double)e->v[i].l1);
        cJSON_AddNumberToObject(p, "character", (double)e->v[i].c1);
        hint_label(e->v[i].text, label, sizeof label);
        cJSON_AddStringToObject(h, "label", label);
        cJSON_AddBoolToObject(h, "paddingLeft", 1);
        cJSON_AddStringToObject(h, "tooltip", site_title(e, i));
    }
}

static void publish(lsp_server *s, const char *uri, cJSON *diags)
{
    cJSON *p = cJSON_CreateObject();
    if (!p) {
        cJSON_Delete(diags);
        return;
    }
    cJSON_AddStringToObject(p, "uri", uri);
    cJSON_AddItemToObject(p, "diagnostics", diags);
    lsp_send(s, lsp_make_notification("textDocument/publishDiagnostics", p));
}

/* Hints (diagnostics of severity Hint) at the sites in open documents;
 * documents that had hints and have none now get an empty list; inlay
 * hints refreshed. Sent only when the sites changed. */
static void publish_all(lsp_server *s, lsp_edits_state *e)
{
    uint64_t h = 0;
    size_t i, k;
    char msg[300];
    for (i = 0; i < e->n; i++) {
        h = XXH3_64bits_withSeed(e->v[i].uri, strlen(e->v[i].uri), h ^ (e->v[i].a * 31 + e->v[i].b));
        h = XXH3_64bits_withSeed(e->v[i].text, strlen(e->v[i].text), h);
    }
    if (h == e->published_hash) return;
    e->published_hash = h;
    for (k = 0; k < s->docs.n; k++) {
        lsp_doc *od = s->docs.v[k];
        cJSON *diags = cJSON_CreateArray();
        int had = 0, any = 0;
        for (i = 0; i < e->npub; i++) had |= strcmp(e->pub[i], od->uri) == 0;
        for (i = 0; i < e->n && diags; i++) {
            cJSON *g;
            if (strcmp(e->v[i].uri, od->uri) != 0 || !(g = cJSON_CreateObject())) continue;
            snprintf(msg, sizeof msg, "next edit: %s", site_title(e, i));
            cJSON_AddItemToObject(g, "range", range_json(e->v[i].l0, e->v[i].c0, e->v[i].l1, e->v[i].c1));
            cJSON_AddNumberToObject(g, "severity", 4);
            cJSON_AddStringToObject(g, "source", "tacit");
            cJSON_AddStringToObject(g, "code", "nextEdit");
            cJSON_AddStringToObject(g, "message", msg);
            cJSON_AddItemToArray(diags, g);
            any = 1;
        }
        if (!any && !had) {
            cJSON_Delete(diags);
            continue;
        }
        publish(s, od->uri, diags);
        if (any && !had) {
            char **p = realloc(e->pub, (e->npub + 1) * sizeof *p);
            if (p && (p[e->npub] = strdup(od->uri)) != NULL) e->npub++;
            if (p) e->pub = p;
        }
    }
    if (s->cap_inlay_refresh && s->initialized && s->set.next_edit_hints)
        lsp_send_request(s, &e->refresh_id, "workspace/inlayHint/refresh", NULL);
}

/* ---- edit prediction by a model server ---------------------------------------------- */

/* 1 if the document may be sent: not a secret file (privacy.secret_files
 * and the built-in list), no secret in what would be sent. */
static int model_may_send(lsp_server *s, lsp_edits_state *e, const lsp_doc *d, const char *prompt)
{
    tc_secrets sp;
    int ok;
    if (!e->priv) {
        const tc_config *cfg = tc_session_config(s->sess);
        if (tc_privacy_new(&e->priv)) return 0;
        if (cfg && cfg->secret_files && tc_privacy_add(e->priv, cfg->secret_files)) tc_warn("bad privacy.secret_files");
    }
    if (tc_privacy_path_is_secret(e->priv, d->relpath)) return 0;
    memset(&sp, 0, sizeof sp);
    ok = tc_secrets_scan(prompt, strlen(prompt), &sp) == TC_OK && sp.n == 0;
    tc_secrets_free(&sp);
    return ok;
}

/* After a burst: send the edit-prediction prompt (the request before it,
 * if still running, is cancelled on the wire). */
static void model_start(lsp_server *s, lsp_edits_state *e)
{
    const char *key, *before;
    size_t blen, ta = 0, tb = 0, ra, rb;
    lsp_doc *d;
    tc_backend *b;
    char *prompt = NULL;
    model_clear(e);
    if (!s->set.next_edit_model || !s->sess || !tc_session_has_backend(s->sess)) return;
    key = tc_edit_tracker_burst(e->tr, &before, &blen);
    if (!key || !(d = lsp_docs_find(&s->docs, key)) || d->too_big || !d->text.data) return;
    if (!(b = tc_session_backend(s->sess))) return;
    tc_edit_tracker_range(e->tr, &ta, &tb);
    tc_edit_prompt_region(d->text.data, d->text.len, tb, &ra, &rb);
    if (tc_edit_prompt(d->relpath, before, blen, d->text.data, d->text.len, tb, &prompt) == TC_OK &&
        model_may_send(s, e, d, prompt) && (e->m_uri = strdup(d->uri)) &&
        !tc_buf_append(&e->m_region, d->text.data + ra, rb - ra) && !tc_buf_puts(&e->m_region, "") &&
        tc_backend_text_start(b, prompt, EDITS_MODEL_PREDICT, tc_backend_clock_ms() + s->set.next_edit_model_ms,
                              &e->mreq) == TC_OK) {
        e->m_changes = d->changes;
        e->m_ra = ra;
        e->m_sent++;
    } else {
        model_clear(e);
    }
    free(prompt);
}

/* The model's answer: its edit as one more site, unless the document
 * changed since, the answer is not a rewritten excerpt, or the edit
 * overlaps a site of the rule. 1 if a site was added. */
static int model_offer(lsp_server *s, lsp_edits_state *e)
{
    lsp_doc *d = lsp_docs_find(&s->docs, e->m_uri);
    const char *reply;
    size_t rn, a, b, i;
    char *text = NULL;
    lsp_site *t;
    if (!d || d->changes != e->m_changes || !(e = compute(s))) return 0;
    reply = tc_req_text(e->mreq, &rn);
    if (tc_edit_prompt_parse(e->m_region.data, e->m_region.len, reply, rn, &a, &b, &text) != TC_OK) return 0;
    a += e->m_ra;
    b += e->m_ra;
    for (i = 0; i < e->n; i++)
        if (strcmp(e->v[i].uri, d->uri) == 0 && a <= e->v[i].b && b >= e->v[i].a) break;
    if (i < e->n || e->n >= EDITS_MAX_SITES || (e->n == e->cap && !take_room(e)) || !(e->v[e->n].uri = strdup(d->uri))) {
        free(text);
        return 0;
    }
    t = &e->v[e->n++];
    t->text = text;
    t->a = a;
    t->b = b;
    t->model = 1;
    lsp_doc_position(d, a, s->enc, &t->l0, &t->c0);
    lsp_doc_position(d, b, s->enc, &t->l1, &t->c1);
    e->m_offered++;
    return 1;
}

void lsp_edits_perform(lsp_server *s)
{
    lsp_edits_state *e = s->edits;
    tc_req_state st;
    int added = 0;
    if (!e || !e->mreq || (st = tc_req_state_of(e->mreq)) == TC_REQ_RUNNING) return;
    if (st == TC_REQ_DONE) e->m_answered++;
    if (st == TC_REQ_DONE) added = model_offer(s, e);
    else tc_info("next edits: the model server gave no edit: %s", tc_req_error(e->mreq));
    model_clear(e);
    if (!added) return;
    publish_all(s, e);
    if (s->cap_next_ready) {
        cJSON *p = cJSON_CreateObject();
        if (p) cJSON_AddStringToObject(p, "uri", e->v[e->n - 1].uri);
        lsp_send(s, lsp_make_notification("tacit/nextEditReady", p));
    }
}

/* After a didChange: the hints; the model's request before it is
 * cancelled on the wire and the next one waits for a pause
 * (EDITS_MODEL_DELAY_MS, lsp_edits_warm sends it). */
void lsp_edits_changed(lsp_server *s, lsp_doc *d)
{
    lsp_edits_state *e = compute(s);
    (void)d;
    if (!e) return;
    publish_all(s, e);
    model_clear(e);
    e->m_due_ms = s->set.next_edit_model && s->sess && tc_session_has_backend(s->sess)
                      ? lsp_now_ms() + EDITS_MODEL_DELAY_MS
                      : 0;
}

/* The model's request once its pause is over: when to call again, or -1. */
static double model_tick(lsp_server *s)
{
    lsp_edits_state *e = s->edits;
    if (!e || e->m_due_ms <= 0) return -1;
    if (s->qn || lsp_now_ms() < e->m_due_ms) return e->m_due_ms; /* more input first */
    e->m_due_ms = 0;
    model_start(s, e);
    return -1;
}

void lsp_edits_stats(lsp_server *s, cJSON *out)
{
    lsp_edits_state *e = s->edits;
    cJSON *o = cJSON_AddObjectToObject(out, "nextEdits");
    if (!o) return;
    cJSON_AddBoolToObject(o, "warm", e && e->warm_done);
    cJSON_AddNumberToObject(o, "cachedBytes", e ? (double)e->cache_bytes : 0);
    cJSON_AddNumberToObject(o, "modelRequests", e ? (double)e->m_sent : 0);
    cJSON_AddNumberToObject(o, "modelAnswers", e ? (double)e->m_answered : 0);
    cJSON_AddNumberToObject(o, "modelOffers", e ? (double)e->m_offered : 0);
    cJSON_AddBoolToObject(o, "modelPending", e && e->mreq);
    cJSON_AddBoolToObject(o, "modelWaiting", e && e->m_due_ms > 0);
}

/* ---- reading ahead ---------------------------------------------------------------- */

static double warm_step(lsp_server *s)
{
    tc_engine *eng = s->engine_full && !s->job ? lsp_engine(s) : NULL;
    tc_index *ix = eng ? tc_engine_index(eng) : NULL;
    lsp_edits_state *e;
    double now = lsp_now_ms(), t0 = now;
    size_t nf;
    if (!ix || !s->root || s->qn || !(e = state(s))) return -1;
    if (e->warm_ix != ix) {
        e->warm_ix = ix;
        e->warm_next = 0;
        e->warm_done = 0;
    }
    if (e->warm_done) return -1;
    if (now < s->last_input_ms + EDITS_WARM_REST_MS) return s->last_input_ms + EDITS_WARM_REST_MS;
    nf = tc_index_nfiles(ix);
    while (e->warm_next < nf) {
        const tc_file_info *fi = tc_index_file(ix, e->warm_next);
        edits_file *cf;
        if (lsp_now_ms() - t0 >= EDITS_WARM_SLICE_MS) return lsp_now_ms(); /* more: again at once */
        if (!fi->removed && fi->skip == TC_SKIP_NONE && !fi->buffer) {
            /* its text, then its tokens: 5 bytes a byte, within 3/4 of the bound */
            if (e->cache_bytes + fi->size * 5 > EDITS_CACHE_MAX / 4 * 3) {
                tc_info("next edits: %zu of %zu workspace files read ahead (%zu MiB)", e->warm_next, nf,
                        e->cache_bytes >> 20);
                break;
            }
            if ((cf = cached_file(s, e, ix, e->warm_next, fi)) != NULL && !cf->lexed) lex_file(e, cf, fi);
        }
        e->warm_next++;
    }
    e->warm_done = 1;
    return -1;
}

double lsp_edits_warm(lsp_server *s)
{
    double model = model_tick(s), warm = warm_step(s);
    return model < 0 || (warm >= 0 && warm < model) ? warm : model;
}
